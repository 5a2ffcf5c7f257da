use super::*;

const INCOMING: &str = "pack:\n  k8sHardening: True\n  podCIDR: \"192.168.0.0/16\" # default\n  serviceClusterIpRange: \"10.96.0.0/12\"\nkubeadmconfig:\n  apiServer:\n    extraArgs:\n      secure-port: \"6443\"\n      request-timeout: \"300s\"\n  preKubeadmCommands:\n    - 'echo one'\n";
const CURRENT: &str = "pack:\n  k8sHardening: True\n  podCIDR: \"172.30.0.0/16\"\n  serviceClusterIpRange: \"10.150.0.0/16\"\nkubeadmconfig:\n  apiServer:\n    extraArgs:\n      secure-port: \"6443\"\n      oidc-issuer-url: \"https://login.example.com\"\n  preKubeadmCommands:\n    - 'echo one'\n    - 'echo two'\n";

fn keys(names: &[&str]) -> Keeping {
    Keeping::Keys(names.iter().map(|name| name.to_string()).collect())
}

#[test]
fn every_customization_is_carried_and_the_rest_stays_incoming_byte_for_byte() {
    let merged = merge(INCOMING, CURRENT, &Keeping::Customizations).unwrap();
    assert_eq!(
        merged.text,
        "pack:\n  k8sHardening: True\n  podCIDR: \"172.30.0.0/16\" # default\n  serviceClusterIpRange: \"10.150.0.0/16\"\nkubeadmconfig:\n  apiServer:\n    extraArgs:\n      secure-port: \"6443\"\n      request-timeout: \"300s\"\n      oidc-issuer-url: \"https://login.example.com\"\n  preKubeadmCommands:\n    - 'echo one'\n    - 'echo two'\n"
    );
    let paths: Vec<String> = merged
        .carried
        .iter()
        .map(|kept| kept.path.to_string())
        .collect();
    assert_eq!(
        paths,
        [
            "pack.podCIDR",
            "pack.serviceClusterIpRange",
            "kubeadmconfig.apiServer.extraArgs.oidc-issuer-url",
            "kubeadmconfig.preKubeadmCommands[1]"
        ]
    );
    let new_key = merged
        .proposal
        .iter()
        .find(|row| row.path.ends_with("request-timeout"))
        .unwrap();
    assert_eq!(new_key.classification, "upgrade");
    assert!(!new_key.carried);
}

#[test]
fn excepted_customizations_are_left_to_the_upgrade() {
    let keeping = Keeping::CustomizationsExcept(vec!["serviceClusterIpRange".to_string()]);
    let merged = merge(INCOMING, CURRENT, &keeping).unwrap();
    assert!(merged.text.contains("podCIDR: \"172.30.0.0/16\""));
    assert!(merged
        .text
        .contains("serviceClusterIpRange: \"10.96.0.0/12\""));
    let row = merged
        .proposal
        .iter()
        .find(|row| row.path == "pack.serviceClusterIpRange")
        .unwrap();
    assert!(!row.carried && row.reason.contains("except"), "{row:?}");
}

#[test]
fn listed_keys_are_carried_and_nothing_else() {
    let merged = merge(
        INCOMING,
        CURRENT,
        &keys(&["podCIDR", "CALICO_IPV4POOL_CIDR"]),
    )
    .unwrap();
    assert!(merged
        .text
        .contains("  podCIDR: \"172.30.0.0/16\" # default\n"));
    assert!(merged
        .text
        .contains("serviceClusterIpRange: \"10.96.0.0/12\""));
    assert!(!merged.text.contains("oidc"));
    assert_eq!(merged.absent, ["CALICO_IPV4POOL_CIDR"]);
    assert_eq!(
        merged.carried[0].incoming_value.as_deref(),
        Some("\"192.168.0.0/16\"")
    );
}

#[test]
fn additions_into_an_empty_document_and_nested_lists_keep_their_indentation() {
    let current = "# os\nkubeadmconfig:\n  preKubeadmCommands:\n  - echo hi\n  files:\n    - path: a\n      content: |\n        line\n";
    let merged = merge("# os, incoming\n", current, &Keeping::Customizations).unwrap();
    assert_eq!(
        merged.text,
        "# os, incoming\nkubeadmconfig:\n  preKubeadmCommands:\n  - echo hi\n  files:\n    - path: a\n      content: |\n        line\n"
    );
}

#[test]
fn a_block_scalar_is_replaced_with_its_indentation() {
    let incoming = "files:\n  - content: |\n      new\n    path: x\n";
    let current = "files:\n- content: |\n    mine\n    more\n  path: x\n";
    let merged = merge(incoming, current, &Keeping::Customizations).unwrap();
    assert_eq!(
        merged.text,
        "files:\n  - content: |\n      mine\n      more\n    path: x\n"
    );
}

#[test]
fn a_named_list_item_added_anywhere_is_appended_and_changed_ones_edited_in_place() {
    let incoming =
        "volumes:\n  - name: audit # incoming\n    hostPath: /var/log\n    readOnly: true\n";
    let current =
        "volumes:\n- name: extra\n  hostPath: /data\n- name: audit\n  hostPath: /var/log/mine\n";
    let merged = merge(incoming, current, &Keeping::Customizations).unwrap();
    assert_eq!(
        merged.text,
        "volumes:\n  - name: audit # incoming\n    hostPath: /var/log/mine\n    readOnly: true\n  - name: extra\n    hostPath: /data\n"
    );
}

#[test]
fn a_flow_parent_is_reported_not_carried() {
    let merged = merge(
        "a: {x: 1}\n",
        "a:\n  x: 1\n  y: 2\n",
        &Keeping::Customizations,
    )
    .unwrap();
    assert_eq!(merged.text, "a: {x: 1}\n");
    assert_eq!(merged.not_carried.len(), 1, "{:?}", merged.not_carried);
}

#[test]
fn values_are_found_by_name_or_suffix() {
    let wanted: Vec<String> = ["podCIDR", "apiServer.extraArgs.secure-port", "missing"]
        .iter()
        .map(|key| key.to_string())
        .collect();
    let found = values_of(CURRENT, &wanted).unwrap();
    assert_eq!(found[0].as_ref().unwrap().shown, "\"172.30.0.0/16\"");
    assert_eq!(found[1].as_ref().unwrap().shown, "\"6443\"");
    assert!(found[2].is_none());
}
