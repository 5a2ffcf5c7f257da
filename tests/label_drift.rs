//! The UI renamed a label: the reference console shows **Update** as **Upgrade**. The shipped
//! scenario, run against it with the reference console's baselines, fails naming the rename, and
//! the proposed patches apply cleanly to the scenario and to a copy of the guide.

mod common;

use std::path::Path;
use std::process::Command;

use common::*;

const GUIDE: &str = "enterprise-version/upgrade/upgrade-vmware/non-airgap.md";
const UPDATE_IMAGE: &str = "enterprise-version_upgrade-upgrade_vmware_non-airgap_update.webp";

fn copy_folder(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("folder");
    for entry in std::fs::read_dir(from).expect("readable") {
        let entry = entry.expect("entry");
        std::fs::copy(entry.path(), to.join(entry.file_name())).expect("copied");
    }
}

fn git_apply_check(folder: &Path, patch: &Path) -> String {
    let output = Command::new("git")
        .args(["apply", "--check", "--verbose"])
        .arg(patch)
        .current_dir(folder)
        .output()
        .expect("git runs");
    let said = format!("{}{}", text(&output.stdout), text(&output.stderr));
    assert!(output.status.success(), "git apply --check: {said}");
    said
}

#[test]
fn a_renamed_button_fails_naming_the_rename_and_the_proposed_patches_apply() {
    let console = ConsoleProcess::start(&["--rename", "Update=Upgrade"]);
    let work = tempfile::tempdir().expect("work");
    let project = work.path().join("project");
    std::fs::create_dir_all(project.join("scenarios")).expect("scenarios");
    let scenario = project.join("scenarios/upgrade-vmware-non-airgap.toml");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join(SCENARIO),
        &scenario,
    )
    .expect("scenario copied");
    // The reference console's baselines, in a copy: this run may write pending files.
    let snapshots = work.path().join("snapshots");
    copy_folder(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("snapshots/reference-console"),
        &snapshots.join("reference-console"),
    );
    let docs = work.path().join("docs");
    let guide = docs.join("docs/docs-content").join(GUIDE);
    std::fs::create_dir_all(guide.parent().expect("parent")).expect("docs folders");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/guides")
            .join(GUIDE),
        &guide,
    )
    .expect("guide copied");
    let fixes = work.path().join("fixes");

    let mut command = binary();
    with_credentials(&mut command);
    let stdout = run_expecting(
        command
            .current_dir(&project)
            .args(["run", "scenarios/upgrade-vmware-non-airgap.toml", "--apply"])
            .args([
                "--console",
                &console.url,
                "--console-name",
                "reference-console",
            ])
            .args([
                "--update-snapshots",
                "none",
                "--timeout",
                "5s",
                "--snapshots",
            ])
            .arg(&snapshots)
            .arg("--out")
            .arg(work.path().join("out"))
            .arg("--propose-fixes")
            .arg(&fixes)
            .arg("--docs-root")
            .arg(&docs),
        1,
    );
    assert!(
        stdout.contains(r#"the console renamed it: button "Update" is now button "Upgrade" (the baseline upgrade-4-update-management had it there)"#),
        "{stdout}"
    );
    assert!(
        stdout.contains(r#"the line that finds the closest: expect button "Upgrade""#),
        "{stdout}"
    );

    // The scenario's patch renames the targets, not the guide's words it quotes.
    let scenario_patch = std::fs::read_to_string(fixes.join("scenario.patch")).expect("patch");
    assert!(
        scenario_patch.starts_with("--- a/scenarios/upgrade-vmware-non-airgap.toml\n"),
        "{scenario_patch}"
    );
    let added: Vec<&str> = scenario_patch
        .lines()
        .filter(|line| line.starts_with('+') && !line.starts_with("+++"))
        .collect();
    assert_eq!(
        added.len(),
        3,
        "expect, highlight and click: {scenario_patch}"
    );
    assert!(added
        .iter()
        .all(|line| line.contains(r#"button "Upgrade""#)));
    assert!(!scenario_patch.contains("+guide"), "{scenario_patch}");
    git_apply_check(&project, &fixes.join("scenario.patch"));

    // The guide's patch renames the bold label where the guide quotes it.
    let guide_patch = std::fs::read_to_string(fixes.join("guide.patch")).expect("guide patch");
    assert!(
        guide_patch.starts_with(&format!("--- a/docs/docs-content/{GUIDE}\n")),
        "{guide_patch}"
    );
    assert!(guide_patch.contains("**Upgrade**"), "{guide_patch}");
    assert!(!guide_patch
        .lines()
        .any(|line| line.starts_with('+') && line.contains("**Update**")));
    git_apply_check(&docs, &fixes.join("guide.patch"));

    // Nothing was applied; the stale image is named with its step.
    assert_eq!(
        std::fs::read_to_string(&scenario).expect("scenario"),
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(SCENARIO))
            .expect("shipped")
    );
    let stale = std::fs::read_to_string(fixes.join("stale-images.txt")).expect("stale list");
    assert!(
        stale.contains(&format!("{UPDATE_IMAGE}\tUpgrade 4\t")),
        "{stale}"
    );
}
