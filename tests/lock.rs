//! The lock, honestly: a console that never unlocks, or unlocks to say the upgrade failed, or
//! comes back on its old version, is reported as exactly that.

mod common;

use common::*;

#[test]
fn a_console_that_never_unlocks_is_reported_with_its_last_progress_and_the_deadline() {
    let console = ConsoleProcess::start(&["--fault", "never-unlock"]);
    let out = tempfile::tempdir().expect("temp dir");
    let stdout = run_expecting(
        scenario_command(out.path()).args([
            "--apply",
            "--scenario-timeout",
            "20s",
            "--console",
            &console.url,
        ]),
        1,
    );
    assert!(stdout.contains("FAILED at Upgrade 5"), "{stdout}");
    assert!(
        stdout.contains("(the scenario's deadline, --scenario-timeout)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("the last progress it showed: \"")
            && stdout.contains("Upgrading Palette to 4.8.33"),
        "the console's own progress text: {stdout}"
    );
    let report = report(&out.path().join("upgrade-vmware-non-airgap"));
    assert!(
        report["rehearsal"]["lock"]["seconds"]
            .as_f64()
            .unwrap_or(0.0)
            > 1.0,
        "{}",
        report["rehearsal"]
    );
}

#[test]
fn a_console_that_unlocks_with_an_error_banner_fails_the_upgrade_step_quoting_it() {
    let console = ConsoleProcess::start(&["--fault", "upgrade-error"]);
    let out = tempfile::tempdir().expect("temp dir");
    let stdout = run_expecting(
        scenario_command(out.path()).args(["--apply", "--console", &console.url]),
        1,
    );
    assert!(stdout.contains("FAILED at Upgrade 5"), "{stdout}");
    assert!(
        stdout.contains("showing an error: \"The upgrade to 4.8.33 failed"),
        "{stdout}"
    );
}

#[test]
fn a_console_that_dies_during_the_lock_is_reported_as_stopped_answering() {
    use std::io::{BufRead, BufReader};
    let mut console = ConsoleProcess::start(&["--lock-seconds", "120"]);
    let out = tempfile::tempdir().expect("temp dir");
    let mut harness = scenario_command(out.path())
        .args([
            "--apply",
            "--scenario-timeout",
            "15s",
            "--console",
            &console.url,
        ])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("the harness starts");
    let mut lines = BufReader::new(harness.stdout.take().expect("stdout")).lines();
    let mut seen = String::new();
    for line in lines.by_ref() {
        let line = line.expect("utf-8");
        seen.push_str(&line);
        seen.push('\n');
        if line.contains("✓ click button \"Confirm\"") {
            break;
        }
    }
    console.kill();
    for line in lines {
        seen.push_str(&line.expect("utf-8"));
        seen.push('\n');
    }
    let status = harness.wait().expect("the harness ends");
    assert_eq!(status.code(), Some(1), "{seen}");
    assert!(seen.contains("FAILED at Upgrade 5"), "{seen}");
    // The wait goes on to its deadline (a real console restarts its services during an
    // upgrade), and then says which deadline ended it and since when the console was silent.
    assert!(
        seen.contains("the console to unlock within")
            && seen.contains("(the scenario's deadline, --scenario-timeout)"),
        "the deadline that ended the wait: {seen}"
    );
    assert!(
        seen.contains("the console stopped answering")
            && seen.contains("s into the lock (127.0.0.1:")
            && seen.contains("no connection from then on"),
        "since when it stopped answering: {seen}"
    );
    assert!(
        !seen.contains("showing an error"),
        "not an error banner: {seen}"
    );
}
