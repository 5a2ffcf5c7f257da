//! `--headed` shows the browser window; on a machine without a display it runs under Xvfb
//! (installed by webdriver/install.sh). The window must render the same pixels as headless, so
//! a person watching a run sees what the baselines hold, and the committed baselines of the
//! built-in console must match it.

mod common;

use std::path::Path;

use common::*;

#[test]
fn a_headed_run_renders_exactly_the_committed_baselines() {
    let out = tempfile::tempdir().expect("temp dir");
    // A copy of the committed baselines: a mismatch leaves its .snap.new there, not in the project.
    let store = out.path().join("snapshots");
    for file in files_under(&Path::new(env!("CARGO_MANIFEST_DIR")).join("snapshots")) {
        let target = store.join(
            file.strip_prefix(Path::new(env!("CARGO_MANIFEST_DIR")).join("snapshots"))
                .expect("inside snapshots"),
        );
        std::fs::create_dir_all(target.parent().expect("a parent")).expect("folder");
        std::fs::copy(&file, &target).expect("copy");
    }
    let mut command = std::process::Command::new("xvfb-run");
    command
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("CI")
        .env_remove("PALETTE_USERNAME")
        .env_remove("PALETTE_PASSWORD")
        .args(["-a", "-s", "-screen 0 1600x1200x24"])
        .arg(env!("CARGO_BIN_EXE_palette-harness"))
        .args([
            "run",
            SCENARIO,
            "--headed",
            "--update-snapshots",
            "none",
            "--snapshots",
        ])
        .arg(&store)
        .arg("--out")
        .arg(out.path().join("out"));
    let stdout = run_expecting(&mut command, 0);
    assert_eq!(
        stdout.matches("image matched: 0 pixels differ").count(),
        9,
        "every image snapshot is pixel-identical to its baseline:\n{stdout}"
    );
    assert_eq!(
        stdout.matches("page matched: same as the baseline").count(),
        9,
        "{stdout}"
    );
}
