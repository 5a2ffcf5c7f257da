//! What the shipped scenario does about the upgrade itself: refusing a path the docs do not
//! support before any change, and, when the upgrade brings a new Kubernetes version, running the
//! guide's conditional steps 6 and 7 with the values support sent.

mod common;

use common::*;

#[test]
fn an_unsupported_upgrade_path_is_refused_before_anything_changes() {
    let console = ConsoleProcess::start(&["--from", "4.1.12", "--to", "4.3.6"]);
    let out = tempfile::tempdir().expect("temp dir");
    let stdout = run_expecting(
        scenario_command(out.path()).args(["--apply", "--console", &console.url]),
        1,
    );
    assert!(stdout.contains("FAILED at Upgrade 4"), "{stdout}");
    assert!(
        stdout.contains(
            "4.1.12 → 4.3.6 is unsupported: the docs' table lists 4.1.x → 4.3.6 as not supported"
        ),
        "{stdout}"
    );
    assert!(
        !stdout.contains("click button \"Update\""),
        "nothing was clicked: {stdout}"
    );
    let summary = console_summary(&console.url);
    assert_eq!(summary["version"], "4.1.12", "the console was not changed");
    let report = report(&out.path().join("upgrade-vmware-non-airgap"));
    assert_eq!(report["rehearsal"]["preflight"]["verdict"], "unsupported");
    assert_eq!(report["rehearsal"]["preflight"]["installed"], "4.1.12");
}

#[test]
fn a_new_kubernetes_version_runs_steps_6_and_7_with_the_values_support_sent() {
    // 4.7.20 runs Kubernetes 1.31.8 and 4.7.27 runs 1.32.8 (the docs' version table).
    let console = ConsoleProcess::start(&["--from", "4.7.20", "--to", "4.7.27"]);
    let out = tempfile::tempdir().expect("temp dir");
    let support = out.path().join("support");
    std::fs::create_dir_all(&support).expect("folder");
    std::fs::write(
        support.join("kubernetes.yaml"),
        "# From support, for 4.7.27\npack:\n  k8sHardening: True\n  podCIDR: \"192.168.0.0/16\"\n  serviceClusterIpRange: \"10.96.0.0/12\"\nkubeadmconfig:\n  apiServer:\n    extraArgs:\n      secure-port: \"6443\"\n      feature-gates: \"SupportRecommended=true\"\n",
    )
    .expect("support values");
    let stdout = run_expecting(
        scenario_command(out.path())
            .args(["--apply", "--console", &console.url, "--support-values"])
            .arg(&support),
        0,
    );
    assert!(stdout.contains("4.7.20 → 4.7.27: supported"), "{stdout}");
    assert!(!stdout.contains("skipped"), "{stdout}");
    assert!(
        stdout.contains("replace layer \"Kubernetes\" with support values")
            && stdout.contains("with 2 carried customization(s) on top and saved"),
        "{stdout}"
    );
    // On the console itself: support's values, with the installation's customizations on top.
    let profile = console_api(&console.url, "/v1/system/profile");
    let kubernetes = profile["layers"]
        .as_array()
        .expect("layers")
        .iter()
        .find(|layer| layer["kind"] == "Kubernetes")
        .expect("a Kubernetes layer");
    let values = kubernetes["values"].as_str().expect("values");
    assert!(
        values.contains("feature-gates: \"SupportRecommended=true\""),
        "{values}"
    );
    assert!(values.contains("podCIDR: \"172.30.0.0/16\""), "{values}");
    assert_eq!(kubernetes["version"], "1.32.8");
    // The report a reviewer signs shows the versions and the kept customizations.
    let folder = out.path().join("upgrade-vmware-non-airgap");
    let report = report(&folder);
    assert_eq!(
        report["rehearsal"]["preflight"]["target_kubernetes"],
        "1.32.8"
    );
    let html = std::fs::read_to_string(out.path().join("report.html")).expect("report.html");
    assert!(html.contains("4.7.20 → 4.7.27"), "versions in report.html");
    assert!(
        html.contains("Kept customizations"),
        "the table of kept customizations"
    );
    assert!(
        html.contains("<code>pack.podCIDR</code>"),
        "a kept key in the table"
    );
}

#[test]
fn a_new_kubernetes_version_without_support_values_fails_at_step_7_saying_what_is_missing() {
    let console = ConsoleProcess::start(&["--from", "4.7.20", "--to", "4.7.27"]);
    let out = tempfile::tempdir().expect("temp dir");
    let stdout = run_expecting(
        scenario_command(out.path()).args(["--apply", "--console", &console.url]),
        1,
    );
    assert!(stdout.contains("FAILED at Upgrade 7"), "{stdout}");
    assert!(
        stdout.contains("no --support-values folder was given"),
        "{stdout}"
    );
}

#[test]
fn allow_unsupported_path_rehearses_it_anyway_and_the_report_says_so() {
    // 4.1.12 → 4.3.6 is listed as not supported; it also brings Kubernetes 1.26.8 → 1.27.11.
    let console = ConsoleProcess::start(&["--from", "4.1.12", "--to", "4.3.6"]);
    let out = tempfile::tempdir().expect("temp dir");
    let support = out.path().join("support");
    std::fs::create_dir_all(&support).expect("an empty support folder");
    let stdout = run_expecting(
        scenario_command(out.path())
            .args([
                "--apply",
                "--allow-unsupported-path",
                "--console",
                &console.url,
                "--support-values",
            ])
            .arg(&support),
        0,
    );
    assert!(
        stdout.contains("4.1.12 → 4.3.6: unsupported")
            && stdout.contains("going on because of --allow-unsupported-path"),
        "{stdout}"
    );
    let report = report(&out.path().join("upgrade-vmware-non-airgap"));
    assert_eq!(report["rehearsal"]["preflight"]["allowed_anyway"], true);
    assert_eq!(console_summary(&console.url)["version"], "4.3.6");
}
