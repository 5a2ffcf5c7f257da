//! The shipped scenario, unmodified, against a second console built from the same docs with
//! different markup (tests/fixtures/independent-console.html): proof that scenarios speak the
//! guide's language and not the reference console's DOM.

mod common;

use common::*;

/// The independent console's page: `profile` "guide" customizes the keys the guide names,
/// "own" only keys that no scenario names.
fn independent_console_html(fault: &str, profile: &str) -> String {
    include_str!("fixtures/independent-console.html")
        .replace("__LOCK_MS__", "1500")
        .replace("__FAULT__", fault)
        .replace("__PROFILE__", profile)
}

fn independent_console(fault: &str) -> String {
    serve_page(independent_console_html(fault, "guide"))
}

#[test]
fn the_shipped_scenario_upgrades_a_console_built_independently() {
    let url = independent_console("none");
    let out = tempfile::tempdir().expect("temp dir");
    // The project's own baselines are there, as in a checkout: they belong to the reference
    // console and must neither fail nor be touched by a run against another console.
    let store = out.path().join("snapshot-store");
    copy_folder(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("snapshots"),
        &store,
    );
    let before = files_under(&store.join("reference-console")).len();
    let stdout = run_expecting(
        scenario_command(out.path()).args(["--apply", "--console", &url]),
        0,
    );
    let folder = out.path().join("upgrade-vmware-non-airgap");
    let backup = std::fs::read_to_string(folder.join("backups/cni.yaml"))
        .expect("CNI backup, found as \"calico\"");
    assert!(
        backup.contains("CALICO_IPV4POOL_CIDR: \"10.200.0.0/16\""),
        "{backup}"
    );
    assert!(
        stdout.contains(".podCIDR = \"10.200.0.0/16\""),
        "customizations survived: {stdout}"
    );
    assert!(stdout.contains(".storagePolicyName = \"gold\""), "{stdout}");
    assert!(!stdout.contains("✗"), "{stdout}");
    assert_eq!(files_under(&store.join("reference-console")).len(), before);
    let port = url
        .trim_start_matches("http://127.0.0.1:")
        .trim_end_matches("/system");
    assert!(store
        .join(format!(
            "127.0.0.1-{port}/upgrade-vmware-non-airgap__validate-2-summary.snap"
        ))
        .is_file());
}

#[test]
fn customizations_on_keys_no_scenario_names_are_found_carried_and_proven_kept() {
    let url = serve_page(independent_console_html("none", "own"));
    let out = tempfile::tempdir().expect("temp dir");
    let stdout = run_expecting(
        scenario_command(out.path()).args(["--apply", "--timeout", "10s", "--console", &url]),
        0,
    );
    for kept in [
        "kept kubeadmconfig.apiServer.extraArgs.oidc-issuer-url = \"https://login.example.com\" (added)",
        "kept manifests.calico.vethMtu = \"1400\" (incoming \"1440\")",
        "kept manifests.vsphere-csi.storageclass.storageClassName = \"gold-class\" (incoming \"spectro-storage-class\")",
        "kept kubeadmconfig = {preKubeadmCommands: ['sysctl -w vm.max_map_count=262144']} (added)",
    ] {
        assert!(stdout.contains(kept), "{kept} in:\n{stdout}");
    }
    // Proven after the upgrade, on the console's own page.
    assert!(
        stdout.contains("check layer \"CNI\" kept customizations")
            && stdout.contains("manifests.calico.vethMtu = \"1400\"\n"),
        "{stdout}"
    );
    let folder = out.path().join("upgrade-vmware-non-airgap");
    let merged = std::fs::read_to_string(folder.join("merges/cni.merged.yaml")).expect("merge");
    assert_eq!(
        merged,
        "manifests:\n  calico:\n    env:\n      calicoNode:\n        CALICO_IPV4POOL_CIDR: \"192.168.0.0/16\"\n    vethMtu: \"1400\"\n"
    );
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(folder.join("report.json")).expect("report"))
            .expect("JSON");
    let kept = report["rehearsal"]["preservation"]
        .as_array()
        .expect("preservation table");
    assert!(
        kept.iter()
            .any(|row| row["key"] == "manifests.calico.vethMtu" && row["kept"] == true),
        "{kept:?}"
    );
}

#[test]
fn a_console_that_drops_an_unlisted_customization_fails_naming_it() {
    let url = serve_page(independent_console_html("drop-mtu", "own"));
    let out = tempfile::tempdir().expect("temp dir");
    let stdout = run_expecting(
        scenario_command(out.path()).args(["--apply", "--timeout", "10s", "--console", &url]),
        1,
    );
    assert!(stdout.contains("FAILED at Validate 1"), "{stdout}");
    assert!(
        stdout.contains(
            "manifests.calico.vethMtu was \"1400\" before the upgrade and is now \"1440\""
        ),
        "{stdout}"
    );
    // The reviewer's table says which value was lost, and that the others were kept.
    let report = report(&out.path().join("upgrade-vmware-non-airgap"));
    let rows = report["rehearsal"]["preservation"]
        .as_array()
        .expect("preservation table");
    let lost: Vec<&serde_json::Value> = rows.iter().filter(|row| row["kept"] == false).collect();
    assert_eq!(lost.len(), 1, "{rows:?}");
    assert_eq!(lost[0]["key"], "manifests.calico.vethMtu");
    assert_eq!(lost[0]["after"], "\"1440\"");
    let html = std::fs::read_to_string(out.path().join("report.html")).expect("report.html");
    assert!(html.contains("✗ lost"), "report.html marks the lost value");
}

fn copy_folder(from: &std::path::Path, to: &std::path::Path) {
    for file in files_under(from) {
        let target = to.join(file.strip_prefix(from).expect("inside the folder"));
        std::fs::create_dir_all(target.parent().expect("a parent")).expect("folder");
        std::fs::copy(&file, &target).expect("copy");
    }
}

#[test]
fn the_shipped_scenario_catches_an_independent_console_that_silently_skips_the_upgrade() {
    let url = independent_console("skip");
    let out = tempfile::tempdir().expect("temp dir");
    let stdout = run_expecting(
        scenario_command(out.path()).args(["--apply", "--timeout", "5s", "--console", &url]),
        1,
    );
    assert!(stdout.contains("FAILED at Validate 2"), "{stdout}");
    assert!(
        stdout
            .contains("the console came back on Palette 4.8.21, not the 4.8.33 it was upgraded to"),
        "{stdout}"
    );
}

#[test]
fn the_shipped_scenario_upgrades_a_console_built_without_accessibility_semantics() {
    let html = include_str!("fixtures/div-soup-console.html")
        .replace("__LOCK_MS__", "1500")
        .replace("__FAULT__", "none");
    let url = serve_page(html);
    let out = tempfile::tempdir().expect("temp dir");
    let stdout = run_expecting(
        scenario_command(out.path()).args(["--apply", "--timeout", "10s", "--console", &url]),
        0,
    );
    assert!(
        stdout.contains(".podCIDR = \"10.200.0.0/16\""),
        "customizations survived: {stdout}"
    );
    let merged = std::fs::read_to_string(
        out.path()
            .join("upgrade-vmware-non-airgap/merges/kubernetes.merged.yaml"),
    )
    .expect("merge kept");
    assert!(
        merged.contains("request-timeout: \"300s\""),
        "the incoming code view was read: {merged}"
    );
}

#[test]
fn a_console_that_demands_a_new_password_at_first_login_gets_a_clear_error() {
    // After the first sign-in, this console shows an Account Info form instead of the Summary.
    let html = r#"<!doctype html><html><body><div id="root"></div><script>
const root = document.getElementById("root");
function login() {
  root.innerHTML = '<h2>Palette</h2><label for="u">Username</label><input id="u"><label for="p">Password</label><input id="p" type="password"><button>Login</button>';
  root.querySelector("button").onclick = () => {
    root.innerHTML = '<h2>Account Info</h2><label for="c">Current password</label><input id="c" type="password"><label for="n">New password</label><input id="n" type="password"><button>Save</button>';
  };
}
login();
</script></body></html>"#;
    let url = serve_page(html.to_string());
    let out = tempfile::tempdir().expect("temp dir");
    let stdout = run_expecting(scenario_command(out.path()).args(["--console", &url]), 1);
    assert!(stdout.contains("FAILED at Upgrade 1"), "{stdout}");
    assert!(stdout.contains("asks for a new password"), "{stdout}");
}

/// The console whose YAML lives in real code editors (tests/fixtures/code-editor-console.html).
fn code_editor_console(editor: &str) -> String {
    let html = include_str!("fixtures/code-editor-console.html")
        .replace("__LOCK_MS__", "1500")
        .replace("__FAULT__", "none")
        .replace("__EDITOR__", editor);
    serve_page_with_vendor(html, editor_packages())
}

/// The shipped scenario with `--apply` on a code-editor console, its snapshots recorded (or
/// compared) under one console name whatever port the console got.
fn run_on_code_editor_console(out: &std::path::Path, url: &str) -> String {
    run_expecting(
        scenario_command(out).args([
            "--apply",
            "--timeout",
            "15s",
            "--console",
            url,
            "--console-name",
            "code-editor-console",
        ]),
        0,
    )
}

/// Runs the shipped scenario on a code-editor console and checks what a QA engineer would: every
/// layer backed up whole (not just the lines the editor had rendered), the customizations carried
/// into Current configuration through the editor, and kept after the upgrade.
fn upgrade_through_code_editors(editor: &str) -> tempfile::TempDir {
    let url = code_editor_console(editor);
    let out = tempfile::tempdir().expect("temp dir");
    let stdout = run_on_code_editor_console(out.path(), &url);
    let folder = out.path().join("upgrade-vmware-non-airgap");
    let backup =
        std::fs::read_to_string(folder.join("backups/kubernetes.yaml")).expect("Kubernetes backup");
    assert!(backup.contains("podCIDR: \"10.200.0.0/16\""), "{backup}");
    assert!(
        backup.contains("    - 'chmod 600 /var/lib/kubelet/config.yaml'"),
        "the backup holds the layer's last line, which the editor had not rendered:\n{backup}"
    );
    let merged = std::fs::read_to_string(folder.join("merges/kubernetes.merged.yaml"))
        .expect("Kubernetes merge");
    assert!(merged.contains("request-timeout: \"300s\""), "{merged}");
    assert!(
        merged.contains("serviceClusterIpRange: \"10.201.0.0/16\""),
        "{merged}"
    );
    assert!(
        stdout.contains(".podCIDR = \"10.200.0.0/16\""),
        "customizations survived: {stdout}"
    );
    assert!(
        stdout.contains(".CALICO_IPV4POOL_CIDR = \"10.200.0.0/16\""),
        "{stdout}"
    );
    assert!(stdout.contains(".storagePolicyName = \"gold\""), "{stdout}");
    out
}

#[test]
fn the_shipped_scenario_upgrades_a_console_whose_yaml_is_in_monaco_editors() {
    let out = upgrade_through_code_editors("monaco");

    // The page snapshot holds each editor's whole text, not the lines Monaco happened to render.
    let profile = std::fs::read_to_string(
        out.path()
            .join("upgrade-vmware-non-airgap/snapshots/upgrade-2-profile.page.txt"),
    )
    .expect("page outline");
    assert!(profile.contains("[code]:"), "{profile}");
    assert!(
        profile.contains("| kubeadmconfig:")
            && profile.contains("chmod 600 /var/lib/kubelet/config.yaml"),
        "{profile}"
    );

    // Recorded once (into out/snapshot-store), the same console's pages and images match on the
    // next run: nothing inside the editor widget (helper lists, hidden text areas, the overlay
    // scroll bars that show for half a second after a paste) makes a snapshot flaky.
    let url = code_editor_console("monaco");
    let stdout = run_on_code_editor_console(out.path(), &url);
    assert_eq!(stdout.matches("page matched").count(), 9, "{stdout}");
    assert!(!stdout.contains("changed"), "{stdout}");
}

#[test]
fn the_shipped_scenario_upgrades_a_console_whose_yaml_is_in_codemirror_editors() {
    upgrade_through_code_editors("codemirror");
}

#[test]
fn the_shipped_scenario_upgrades_a_console_whose_update_preview_is_a_monaco_diff_editor() {
    upgrade_through_code_editors("monaco-diff");
}
