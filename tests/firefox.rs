//! Firefox: `--browser firefox` starts geckodriver with Debian's Firefox ESR. The shipped
//! scenarios pass there unmodified; page snapshots are shared with Chromium (the committed
//! baselines match on both browsers), image snapshots have baselines of their own per browser.

mod common;

use std::path::Path;

use common::*;

#[test]
fn the_vmware_rehearsal_passes_on_firefox_matching_the_shared_page_baselines_and_its_own_images() {
    let out = tempfile::tempdir().expect("out");
    // A copy of the committed baselines (recorded as admin, the built-in console's default
    // user): a mismatch leaves its .snap.new there, not in the project.
    let project = Path::new(env!("CARGO_MANIFEST_DIR")).join("snapshots");
    let store = out.path().join("snapshots");
    for file in files_under(&project) {
        let target = store.join(file.strip_prefix(&project).expect("inside snapshots"));
        std::fs::create_dir_all(target.parent().expect("a parent")).expect("folder");
        std::fs::copy(&file, &target).expect("copy");
    }
    let stdout = run_expecting(
        binary()
            .args([
                "run",
                SCENARIO,
                "--browser",
                "firefox",
                "--lock-seconds",
                "2",
            ])
            .args(["--update-snapshots", "none", "--snapshots"])
            .arg(&store)
            .arg("--out")
            .arg(out.path().join("out")),
        0,
    );
    assert!(
        stdout.contains("You are using the latest version of Palette"),
        "{stdout}"
    );
    assert_eq!(
        stdout.matches("page matched: same as the baseline").count(),
        9,
        "{stdout}"
    );
    assert_eq!(
        stdout.matches("image matched: 0 pixels differ").count(),
        9,
        "{stdout}"
    );
    // The image baselines it matched are Firefox's: Chromium's of the same page differ.
    let baseline = |browser: &str| {
        image::open(format!(
            "snapshots/reference-console/upgrade-vmware-non-airgap__upgrade-1-summary@{browser}-1280x800.snap.png"
        ))
        .expect("a committed baseline")
        .into_rgba8()
    };
    let (firefox, chromium) = (baseline("firefox153"), baseline("chrome156"));
    assert_ne!(firefox, chromium, "each browser renders its own pixels");
    let actual = image::open(
        out.path()
            .join("out/upgrade-vmware-non-airgap/snapshots/upgrade-1-summary.actual.png"),
    )
    .expect("the run's copy")
    .into_rgba8();
    assert_eq!(actual, firefox);
}

#[test]
fn the_airgap_and_vertex_scenarios_pass_on_firefox_side_by_side() {
    let out = tempfile::tempdir().expect("out");
    let mut command = binary();
    with_credentials(&mut command);
    let stdout = run_expecting(
        command
            .args(["run", "scenarios/upgrade-vmware-airgap.toml"])
            .arg("scenarios/vertex-upgrade-vmware-non-airgap.toml")
            .args([
                "--browser",
                "firefox",
                "--workers",
                "2",
                "--lock-seconds",
                "2",
            ])
            .args(["--scenario-timeout", "300s"])
            .arg("--out")
            .arg(out.path())
            .arg("--snapshots")
            .arg(out.path().join("snapshot-store")),
        0,
    );
    for scenario in ["upgrade-vmware-airgap", "vertex-upgrade-vmware-non-airgap"] {
        assert!(stdout.contains(&format!("■ {scenario} passed")), "{stdout}");
    }
    assert!(stdout.contains("✓ click menu item \"Sync\""), "{stdout}");
    assert!(
        stdout.contains("You are using the latest version of Palette VerteX"),
        "{stdout}"
    );
}
