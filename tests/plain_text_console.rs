//! The shipped scenario, unmodified, against a console whose component kit names nothing in its
//! markup (tests/fixtures/plain-text-console.html): dialogs, cards and panes titled by plain lines
//! of larger or bolder text, a Main Menu of plain buttons, icon buttons with only a tooltip or an
//! SVG title, fields labelled by the text beside them. The harness must read them as a person does.

mod common;

use common::*;

fn plain_text_console(fault: &str) -> String {
    plain_text_console_offering(fault, "4.8.21>4.8.33")
}

/// The console with `releases` ("FROM>TO") installed and offered.
fn plain_text_console_offering(fault: &str, releases: &str) -> String {
    plain_text_console_of("Palette", "connected", fault, releases)
}

/// The console as `product` ("Palette", "Palette VerteX"), `install` ("connected", "airgap").
fn plain_text_console_of(product: &str, install: &str, fault: &str, releases: &str) -> String {
    let html = include_str!("fixtures/plain-text-console.html")
        .replace("__LOCK_MS__", "1500")
        .replace("__FAULT__", fault)
        .replace("__RELEASES__", releases)
        .replace("__PRODUCT__", product)
        .replace("__INSTALL__", install);
    serve_page(html)
}

#[test]
fn the_shipped_scenario_upgrades_a_console_whose_titles_are_plain_text() {
    let url = plain_text_console("none");
    let out = tempfile::tempdir().expect("temp dir");
    let stdout = run_expecting(
        scenario_command(out.path()).args(["--apply", "--timeout", "15s", "--console", &url]),
        0,
    );
    let folder = out.path().join("upgrade-vmware-non-airgap");
    let backup = std::fs::read_to_string(folder.join("backups/cni.yaml")).expect("CNI backup");
    assert!(
        backup.contains("CALICO_IPV4POOL_CIDR: \"10.200.0.0/16\""),
        "{backup}"
    );
    let merged = std::fs::read_to_string(folder.join("merges/kubernetes.merged.yaml"))
        .expect("Kubernetes merge");
    assert!(
        merged.contains("request-timeout: \"300s\"")
            && merged.contains("podCIDR: \"10.200.0.0/16\""),
        "Incoming changes (a monospace block under a plain caption) was read and the \
         customization carried into the unlabelled Current configuration: {merged}"
    );
    for kept in [
        ".podCIDR = \"10.200.0.0/16\"",
        ".CALICO_IPV4POOL_CIDR = \"10.200.0.0/16\"",
        ".storagePolicyName = \"gold\"",
    ] {
        assert!(stdout.contains(kept), "{kept}: {stdout}");
    }
    assert!(
        stdout.contains("You are using the latest version of Palette"),
        "{stdout}"
    );
}

#[test]
fn a_dialog_whose_title_differs_fails_the_scenario_naming_the_title_it_shows() {
    let url = plain_text_console("retitled");
    let out = tempfile::tempdir().expect("temp dir");
    // Step 5 gives its actions two minutes; the scenario's own limit ends the wait sooner.
    let stdout = run_expecting(
        scenario_command(out.path()).args([
            "--apply",
            "--timeout",
            "15s",
            "--scenario-timeout",
            "45s",
            "--console",
            &url,
        ]),
        1,
    );
    assert!(stdout.contains("FAILED at Upgrade 5"), "{stdout}");
    assert!(
        stdout.contains(
            "no dialog \"Palette version update\" is visible; a dialog is open, titled \
             \"Palette version updates\""
        ),
        "{stdout}"
    );
}

#[test]
fn icon_buttons_and_unlabelled_fields_are_found_by_what_a_person_reads() {
    let url = plain_text_console("none");
    let out = tempfile::tempdir().expect("temp dir");
    let scenario = out.path().join("read-as-a-person.toml");
    std::fs::write(
        &scenario,
        r#"title = "Names a person reads"

[[step]]
section = "Names"
number = 1
guide = "Log in, open the update preview and close it with its icon button."
mutating = true
do = [
  'log in',
  'click menu item "Update Management"',
  'click button "Update"',
  'expect pane "Incoming changes" in dialog "Palette version update"',
  'click button "Close" in dialog "Palette version update"',
  'expect button "Logout"',
  'expect button "Help"',
]

[[step]]
section = "Names"
number = 2
guide = "On **My Account**, type into **Email** and find **Current Password**."
do = [
  'click menu item "My Account"',
  'type "qa@example.com" into field "Email"',
  'expect field "Current Password"',
]
"#,
    )
    .expect("scenario written");
    let stdout = run_expecting(
        custom_scenario_command(&scenario, out.path()).args([
            "--apply",
            "--timeout",
            "10s",
            "--console",
            &url,
        ]),
        0,
    );
    assert!(stdout.contains("✓ click button \"Close\""), "{stdout}");
    assert!(
        stdout.contains("✓ expect field \"Current Password\""),
        "{stdout}"
    );
}

#[test]
fn a_new_kubernetes_version_on_this_console_runs_steps_6_and_7_with_supports_values() {
    // 4.7.20 → 4.7.27 brings Kubernetes 1.31.8 → 1.32.8; the profile's editor has one Save.
    let url = plain_text_console_offering("none", "4.7.20>4.7.27");
    let out = tempfile::tempdir().expect("temp dir");
    let support = out.path().join("support");
    std::fs::create_dir_all(&support).expect("folder");
    std::fs::write(
        support.join("kubernetes.yaml"),
        "pack:\n  k8sHardening: True\n  podCIDR: \"192.168.0.0/16\"\n  serviceClusterIpRange: \"10.96.0.0/12\"\nkubeadmconfig:\n  apiServer:\n    extraArgs:\n      secure-port: \"6443\"\n      feature-gates: \"SupportRecommended=true\"\n",
    )
    .expect("support values");
    let stdout = run_expecting(
        scenario_command(out.path())
            .args([
                "--apply",
                "--timeout",
                "10s",
                "--console",
                &url,
                "--support-values",
            ])
            .arg(&support),
        0,
    );
    assert!(stdout.contains("4.7.20 → 4.7.27: supported"), "{stdout}");
    assert!(!stdout.contains("skipped"), "steps 6 and 7 ran: {stdout}");
    assert!(
        stdout.contains("with 2 carried customization(s) on top and saved"),
        "{stdout}"
    );
    assert!(
        stdout.contains("pack.podCIDR = \"10.200.0.0/16\""),
        "kept on top: {stdout}"
    );
    let pasted = std::fs::read_to_string(
        out.path()
            .join("upgrade-vmware-non-airgap/support/kubernetes.pasted.yaml"),
    )
    .expect("what was pasted");
    assert!(
        pasted.contains("feature-gates: \"SupportRecommended=true\""),
        "{pasted}"
    );
    assert!(pasted.contains("podCIDR: \"10.200.0.0/16\""), "{pasted}");
}

#[test]
fn a_wrong_password_is_named_with_the_refusal_the_page_writes_in_plain_text() {
    let url = plain_text_console("none");
    let out = tempfile::tempdir().expect("temp dir");
    let stdout = run_expecting(
        scenario_command(out.path())
            .env("PALETTE_PASSWORD", "short")
            .args(["--timeout", "10s", "--console", &url]),
        1,
    );
    assert!(
        stdout.contains("the console refused the login: \"Invalid username or password\""),
        "{stdout}"
    );
    assert!(
        !stdout.contains("short"),
        "the password is never printed: {stdout}"
    );
}

/// The VerteX and airgap scenarios, unmodified, in docs mode on this console: the airgap one
/// opens a registry's icon-only Menu and clicks Sync in a popover of plain buttons.
#[test]
fn the_vertex_and_airgap_scenarios_shoot_their_images_on_a_console_of_plain_text() {
    for (scenario, product, install, images) in [
        (
            "scenarios/vertex-upgrade-vmware-non-airgap.toml",
            "Palette VerteX",
            "connected",
            4,
        ),
        (
            "scenarios/upgrade-vmware-airgap.toml",
            "Palette",
            "airgap",
            4,
        ),
    ] {
        let url = plain_text_console_of(product, install, "none", "4.8.21>4.8.33");
        let out = tempfile::tempdir().expect("temp dir");
        let docs = tempfile::tempdir().expect("docs");
        let mut command = binary();
        with_credentials(&mut command);
        let stdout = run_expecting(
            command
                .arg("shoot")
                .arg(scenario)
                .args(["--apply", "--timeout", "15s", "--scenario-timeout", "120s"])
                .args(["--console", &url, "--docs-root"])
                .arg(docs.path())
                .arg("--out")
                .arg(out.path())
                .arg("--snapshots")
                .arg(out.path().join("snapshot-store")),
            0,
        );
        assert!(
            stdout.contains(&format!("{images} image(s): {images} new")),
            "{scenario}: {stdout}"
        );
        if install == "airgap" {
            assert!(
                stdout.contains("✓ click menu item \"Sync\"")
                    && stdout.contains("✓ expect text \"Synced\""),
                "{stdout}"
            );
        }
        assert!(
            stdout.contains(&format!("You are using the latest version of {product}")),
            "{stdout}"
        );
    }
}
