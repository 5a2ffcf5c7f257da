//! The Enterprise Cluster profile that the reference console ships: four layers (OS, Kubernetes,
//! CNI, CSI) with the pack names, versions and YAML values of a VMware install, before and after
//! the upgrade.
//!
//! The exact packs of the VMware Enterprise Cluster profile are not documented; these follow the
//! pack names the docs use elsewhere (`ubuntu-vsphere`, Palette eXtended Kubernetes, `cni-calico`,
//! `csi-vsphere-csi`) and the Kubernetes pack's documented value shape. The installed values carry
//! the customizations the upgrade guide names (`podCIDR`, `serviceClusterIpRange`) plus the
//! matching Calico pool, so a rehearsal has something real to lose.

/// One layer of the Enterprise Cluster profile as the console shows it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Layer {
    /// The layer's kind as the guide names it: `OS`, `Kubernetes`, `CNI`, `CSI`.
    pub kind: &'static str,
    /// The pack's display name.
    pub pack: &'static str,
    /// The pack's registry name.
    pub registry_name: &'static str,
    pub version: &'static str,
    pub values: String,
}

/// What distinguishes the installed profile from the one an upgrade brings.
struct ProfileRelease {
    calico_version: &'static str,
    vsphere_csi_version: &'static str,
    pod_cidr: &'static str,
    service_cluster_ip_range: &'static str,
    storage_policy: &'static str,
    /// The newer Kubernetes pack values (extra arguments the upgrade introduces).
    newer_kubernetes_values: bool,
}

/// As installed at the `from` version, with this installation's customizations.
const INSTALLED: ProfileRelease = ProfileRelease {
    calico_version: "3.29.2",
    vsphere_csi_version: "3.3.1",
    pod_cidr: "172.30.0.0/16",
    service_cluster_ip_range: "10.150.0.0/16",
    storage_policy: "vsan-default-storage-policy",
    newer_kubernetes_values: false,
};

/// What the upgrade brings: newer packs with their default values.
const INCOMING: ProfileRelease = ProfileRelease {
    calico_version: "3.29.4",
    vsphere_csi_version: "3.5.0",
    pod_cidr: "192.168.0.0/16",
    service_cluster_ip_range: "10.96.0.0/12",
    storage_policy: "",
    newer_kubernetes_values: true,
};

/// The layers as installed at `palette_version`, customizations included.
pub fn installed_layers(palette_version: &str) -> Vec<Layer> {
    profile(&INSTALLED, kubernetes_version_for(palette_version))
}

/// The layers the upgrade to `palette_version` brings, with the packs' default values: what the
/// **Incoming changes** pane shows. Applying them unchanged loses the installation's
/// customizations.
pub fn incoming_layers(palette_version: &str) -> Vec<Layer> {
    profile(&INCOMING, kubernetes_version_for(palette_version))
}

fn profile(release: &ProfileRelease, kubernetes: &'static str) -> Vec<Layer> {
    vec![
        Layer {
            kind: "OS",
            pack: "Ubuntu",
            registry_name: "ubuntu-vsphere",
            version: "22.04",
            values: OS_VALUES.to_string(),
        },
        Layer {
            kind: "Kubernetes",
            pack: "Palette eXtended Kubernetes",
            registry_name: "kubernetes",
            version: kubernetes,
            values: kubernetes_values(
                kubernetes,
                release.pod_cidr,
                release.service_cluster_ip_range,
                release.newer_kubernetes_values,
            ),
        },
        Layer {
            kind: "CNI",
            pack: "Calico",
            registry_name: "cni-calico",
            version: release.calico_version,
            values: calico_values(release.calico_version, release.pod_cidr),
        },
        Layer {
            kind: "CSI",
            pack: "vSphere CSI",
            registry_name: "csi-vsphere-csi",
            version: release.vsphere_csi_version,
            values: vsphere_csi_values(release.vsphere_csi_version, release.storage_policy),
        },
    ]
}

/// The Kubernetes version each Palette release runs on VMware, from the docs' version table
/// (the preflight's data); 1.32.9, the 4.8 line's, for a release the table does not list.
pub fn kubernetes_version_for(palette_version: &str) -> &'static str {
    crate::preflight::Version::parse(palette_version)
        .and_then(crate::preflight::kubernetes_for)
        .unwrap_or("1.32.9")
}

const OS_VALUES: &str = r#"# Spectro Golden images include most of the hardening standards recommended by CIS benchmarking v1.5

# Uncomment below section to
# 1. Include custom files to be copied over to the nodes and/or
# 2. Execute list of commands before or after kubeadm init/join is executed
#
#kubeadmconfig:
#  preKubeadmCommands:
#  - echo "Executing pre kube admin config commands"
#  - update-ca-certificates
#  - 'systemctl restart containerd; sleep 3'
#  - 'while [ ! -S /var/run/containerd/containerd.sock ]; do echo "Waiting for containerd..."; sleep 1; done'
#  postKubeadmCommands:
#  - echo "Executing post kube admin config commands"
#  files:
#  - targetPath: /usr/local/share/ca-certificates/mycom.crt
#    targetPermissions: "0644"
#    content: |
#      -----BEGIN CERTIFICATE-----
#      MIICyzCCAbOgAwIBAgIBADANBgkqhkiG9w0BAQsFADAVMRMwEQYDVQQDEwprdWJl
#      -----END CERTIFICATE-----
"#;

fn kubernetes_values(kubernetes: &str, pod_cidr: &str, service_range: &str, newer: bool) -> String {
    let request_timeout = if newer {
        "      request-timeout: \"300s\"\n"
    } else {
        ""
    };
    let event_burst = if newer {
        "    event-burst: \"50\"\n"
    } else {
        ""
    };
    format!(
        r#"pack:
  content:
    images:
      - image: registry.k8s.io/kube-apiserver:v{kubernetes}
      - image: registry.k8s.io/kube-controller-manager:v{kubernetes}
      - image: registry.k8s.io/kube-scheduler:v{kubernetes}
      - image: registry.k8s.io/kube-proxy:v{kubernetes}
  k8sHardening: True
  podCIDR: "{pod_cidr}"
  serviceClusterIpRange: "{service_range}"
  palette:
    config:
      dashboard:
        access: private

kubeadmconfig:
  apiServer:
    extraArgs:
      secure-port: "6443"
      anonymous-auth: "true"
      profiling: "false"
      disable-admission-plugins: "AlwaysAdmit"
      enable-admission-plugins: "AlwaysPullImages,NamespaceLifecycle,ServiceAccount,NodeRestriction"
      audit-log-path: /var/log/apiserver/audit.log
      audit-policy-file: /etc/kubernetes/audit-policy.yaml
      audit-log-maxage: "30"
      audit-log-maxbackup: "10"
      audit-log-maxsize: "100"
      authorization-mode: RBAC,Node
{request_timeout}    extraVolumes:
      - name: audit-log
        hostPath: /var/log/apiserver
        mountPath: /var/log/apiserver
        pathType: DirectoryOrCreate
      - name: audit-policy
        hostPath: /etc/kubernetes/audit-policy.yaml
        mountPath: /etc/kubernetes/audit-policy.yaml
        readOnly: true
        pathType: File
  controllerManager:
    extraArgs:
      profiling: "false"
      terminated-pod-gc-threshold: "25"
      use-service-account-credentials: "true"
      feature-gates: "RotateKubeletServerCertificate=true"
  scheduler:
    extraArgs:
      profiling: "false"
  kubeletExtraArgs:
    read-only-port: "0"
    event-qps: "0"
{event_burst}    feature-gates: "RotateKubeletServerCertificate=true"
    protect-kernel-defaults: "true"
    rotate-server-certificates: "true"
  files:
    - path: hardening/audit-policy.yaml
      targetPath: /etc/kubernetes/audit-policy.yaml
      targetOwner: "root:root"
      targetPermissions: "0600"
  preKubeadmCommands:
    - 'echo "====> Applying kernel parameters for Kubelet"'
    - 'sysctl -p /etc/sysctl.d/90-kubelet.conf'
  postKubeadmCommands:
    - 'chmod 600 /var/lib/kubelet/config.yaml'
"#
    )
}

fn calico_values(version: &str, pool_cidr: &str) -> String {
    format!(
        r#"pack:
  content:
    images:
      - image: gcr.io/spectro-images-public/packs/calico/{version}/cni:v{version}
      - image: gcr.io/spectro-images-public/packs/calico/{version}/node:v{version}
      - image: gcr.io/spectro-images-public/packs/calico/{version}/kube-controllers:v{version}
  namespace: "kube-system"

manifests:
  calico:
    # IPAM type to use. Supported types are calico-ipam, host-local
    ipamType: "calico-ipam"
    calico_ipam:
      assign_ipv4: true
      assign_ipv6: false
    # Should be one of CALICO_IPV4POOL_IPIP or CALICO_IPV4POOL_VXLAN
    encapsulationType: "CALICO_IPV4POOL_IPIP"
    # Should be one of Always, CrossSubnet, Never
    encapsulationMode: "Always"
    env:
      calicoNode:
        CALICO_IPV4POOL_CIDR: "{pool_cidr}"
        IP_AUTODETECTION_METHOD: "first-found"
"#
    )
}

fn vsphere_csi_values(version: &str, storage_policy: &str) -> String {
    format!(
        r#"pack:
  content:
    images:
      - image: gcr.io/spectro-images-public/packs/csi-vsphere-csi/{version}/vsphere-csi-driver:v{version}
      - image: gcr.io/spectro-images-public/packs/csi-vsphere-csi/{version}/vsphere-csi-syncer:v{version}

manifests:
  vsphere-csi:
    storageclass:
      # Sets the storage class as the default one
      isDefaultClass: "true"
      storageClassName: "spectro-storage-class"
      storagePolicyName: "{storage_policy}"
      datastoreURL: ""
      volumeBindingMode: "WaitForFirstConsumer"
      fstype: "ext4"
      allowVolumeExpansion: true
      reclaimPolicy: "Delete"
"#
    )
}
