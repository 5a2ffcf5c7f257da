//! The shipped VMware non-airgap scenario, end to end: the built binary drives real headless
//! Chromium through real chromedriver against the reference console over real HTTP.

mod common;

use common::*;

const IMAGES: [&str; 4] = [
    "enterprise-version_upgrade-upgrade_vmware_non-airgap_copy_configurations.png",
    "enterprise-version_upgrade-upgrade_vmware_non-airgap_update.png",
    "enterprise-version_upgrade-upgrade_vmware_non-airgap_upgrade-preview.png",
    "enterprise-version_upgrade-upgrade_vmware_non-airgap_upgraded.png",
];

#[test]
fn the_rehearsal_upgrades_the_built_in_console_and_keeps_every_customization() {
    let out = tempfile::tempdir().expect("temp dir");
    let stdout = run_expecting(
        scenario_command(out.path()).args(["--lock-seconds", "2"]),
        0,
    );
    let folder = out.path().join("upgrade-vmware-non-airgap");

    // The guide's images, as 1280x800 PNGs named after them.
    for image in IMAGES {
        let path = folder.join("screenshots").join(image);
        let decoded =
            image::open(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
        assert_eq!((decoded.width(), decoded.height()), (1280, 800), "{image}");
    }

    // Step 3's backups hold the installed customizations.
    let backup =
        std::fs::read_to_string(folder.join("backups/kubernetes.yaml")).expect("kubernetes backup");
    assert!(backup.contains("podCIDR: \"172.30.0.0/16\""), "{backup}");
    for layer in ["csi", "cni"] {
        assert!(
            folder.join(format!("backups/{layer}.yaml")).is_file(),
            "{layer} backup"
        );
    }

    // Step 5's merge took the incoming values and carried the customizations over.
    let merged =
        std::fs::read_to_string(folder.join("merges/kubernetes.merged.yaml")).expect("merged");
    assert!(merged.contains("podCIDR: \"172.30.0.0/16\""), "{merged}");
    assert!(
        merged.contains("serviceClusterIpRange: \"10.150.0.0/16\""),
        "{merged}"
    );
    assert!(
        merged.contains("request-timeout: \"300s\""),
        "incoming change kept: {merged}"
    );

    // Every step of the guide ran and passed, Validate included, but steps 6 and 7, which the
    // guide makes conditional on a new Kubernetes version (4.8.21 and 4.8.33 both run 1.32.9);
    // its 9 page and 9 image snapshots became this console's baselines.
    let report = report(&folder);
    assert_eq!(report["outcome"], "passed");
    assert_eq!(report["new_snapshots"]["recorded"], 18, "{report}");
    // Every file the report says was stored is there, under the name it gives.
    for step in report["steps"].as_array().expect("steps") {
        for check in step["snapshots"].as_array().into_iter().flatten() {
            let stored = check["stored"].as_str().expect("a stored path");
            assert!(!stored.ends_with(".snap.new"), "promoted: {stored}");
            assert!(std::path::Path::new(stored).is_file(), "{stored} exists");
        }
    }
    let steps: Vec<String> = report["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .map(|step| {
            format!(
                "{} {}",
                step["step"].as_str().unwrap_or_default(),
                step["status"].as_str().unwrap_or_default()
            )
        })
        .collect();
    let skipped = "skipped: `when = \"target_kubernetes != installed_kubernetes\"` does not hold: target_kubernetes == installed_kubernetes (1.32.9 and 1.32.9)";
    let expected: Vec<String> = (1..=5)
        .map(|number| format!("Upgrade {number} passed"))
        .chain((6..=7).map(|number| format!("Upgrade {number} {skipped}")))
        .chain((1..=2).map(|number| format!("Validate {number} passed")))
        .collect();
    assert_eq!(steps, expected);
    // What a reviewer signs: the path, each backup with its checksum, what was kept.
    let rehearsal = &report["rehearsal"];
    assert_eq!(rehearsal["preflight"]["verdict"], "supported");
    assert_eq!(rehearsal["preflight"]["target"], "4.8.33");
    let backups = rehearsal["backups"].as_array().expect("backups");
    assert_eq!(backups.len(), 4, "OS, CSI, CNI and Kubernetes");
    let manifest: serde_json::Value = serde_json::from_slice(
        &std::fs::read(folder.join("backups/manifest.json")).expect("backup manifest"),
    )
    .expect("JSON");
    for backup in backups {
        let path = std::path::PathBuf::from(backup["path"].as_str().expect("path"));
        let bytes = std::fs::read(&path).expect("backup file");
        assert_eq!(backup["bytes"], bytes.len(), "{}", path.display());
        let listed = manifest
            .as_array()
            .expect("entries")
            .iter()
            .find(|entry| entry["layer"] == backup["layer"])
            .expect("in the manifest");
        assert_eq!(listed["sha256"], backup["sha256"]);
        assert_eq!(backup["sha256"].as_str().map(str::len), Some(64));
    }
    let kept = rehearsal["preservation"].as_array().expect("preservation");
    assert!(kept.iter().all(|row| row["kept"] == true), "{kept:?}");
    assert!(
        kept.iter()
            .any(|row| row["key"] == "pack.podCIDR" && row["after"] == "\"172.30.0.0/16\""),
        "{kept:?}"
    );
    assert!(
        stdout.contains("the console was locked and unlocked"),
        "{stdout}"
    );

    // The password is nowhere in the output folder or the log.
    for file in files_under(out.path()) {
        let bytes = std::fs::read(&file).expect("readable artifact");
        assert!(
            !text(&bytes).contains(PASSWORD),
            "{} contains the password",
            file.display()
        );
    }
    assert!(!stdout.contains(PASSWORD));
}

#[test]
fn a_console_whose_upgrade_silently_does_not_happen_fails_at_validate() {
    let console = ConsoleProcess::start(&["--fault", "skip-upgrade"]);
    let out = tempfile::tempdir().expect("temp dir");
    let stdout = run_expecting(
        scenario_command(out.path()).args([
            "--apply",
            "--timeout",
            "5s",
            "--console",
            &console.url,
        ]),
        1,
    );
    assert!(
        stdout.contains("FAILED at Validate 2 (scenarios/upgrade-vmware-non-airgap.toml:"),
        "{stdout}"
    );
    assert!(
        stdout.contains("expected:    the page to name Palette 4.8.33"),
        "{stdout}"
    );
    assert!(
        stdout
            .contains("the console came back on Palette 4.8.21, not the 4.8.33 it was upgraded to"),
        "{stdout}"
    );

    // The broken console's pages never become baselines: they wait for review instead.
    let stored: Vec<String> = files_under(&out.path().join("snapshot-store"))
        .iter()
        .map(|path| path.to_string_lossy().into_owned())
        .collect();
    assert!(
        !stored.iter().any(|path| path.ends_with(".snap")),
        "{stored:?}"
    );
    assert!(
        stored.iter().any(|path| path.ends_with(".snap.new")),
        "{stored:?}"
    );
    assert!(stdout.contains("left pending"), "{stdout}");

    let folder = out.path().join("upgrade-vmware-non-airgap");
    assert!(folder.join("failures/validate-2.png").is_file());
    let html =
        std::fs::read_to_string(folder.join("failures/validate-2.html")).expect("page HTML kept");
    assert!(html.contains("A new version of Palette is available"));
    let report = report(&folder);
    assert_eq!(report["outcome"], "failed");
    assert!(
        report["new_snapshots"]["left_pending"]
            .as_u64()
            .unwrap_or(0)
            > 0,
        "{report}"
    );
    assert_eq!(report["new_snapshots"]["recorded"], 0);
    let failure = &report["steps"][8]["failure"];
    assert_eq!(failure["step"], "Validate 2");
    assert!(failure["location"]
        .as_str()
        .unwrap_or_default()
        .contains(".toml:"));
}

#[test]
fn without_apply_a_console_other_than_the_built_in_one_is_not_changed() {
    let console = ConsoleProcess::start(&[]);
    let out = tempfile::tempdir().expect("temp dir");
    let stdout = run_expecting(
        scenario_command(out.path()).args(["--console", &console.url]),
        0,
    );
    assert!(
        stdout.contains("STOPPED before Upgrade 4 (`click button \"Update\"` changes the console)"),
        "{stdout}"
    );
    assert!(stdout.contains("rerun with --apply"), "{stdout}");

    let folder = out.path().join("upgrade-vmware-non-airgap");
    assert!(
        folder.join("backups/kubernetes.yaml").is_file(),
        "backups are taken before the stop"
    );
    assert!(folder
        .join("screenshots/enterprise-version_upgrade-upgrade_vmware_non-airgap_update.png")
        .is_file());
    assert!(!folder
        .join(
            "screenshots/enterprise-version_upgrade-upgrade_vmware_non-airgap_upgrade-preview.png"
        )
        .exists());
    assert_eq!(report(&folder)["outcome"], "stopped-before-mutation");
    let summary = console_summary(&console.url);
    assert_eq!(summary["version"], "4.8.21", "the console was not upgraded");
}
