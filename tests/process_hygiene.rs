//! Every process the harness starts is gone when it stops, also when it is interrupted midway:
//! chromedriver and all of Chromium, found by the harness's own temp folder in their command lines.

// The test sends signals to processes it started, as a crash or a user would.
#![allow(unsafe_code)]

mod common;

use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::*;

/// Processes whose command line mentions `needle`.
fn processes_mentioning(needle: &str) -> Vec<String> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").expect("/proc").flatten() {
        let Ok(cmdline) = std::fs::read(entry.path().join("cmdline")) else {
            continue;
        };
        let cmdline = String::from_utf8_lossy(&cmdline).replace('\0', " ");
        if cmdline.contains(needle) {
            found.push(format!(
                "{}: {}",
                entry.file_name().to_string_lossy(),
                cmdline
            ));
        }
    }
    found
}

#[test]
fn ctrl_c_during_the_lock_stops_the_browser_and_driver_and_leaves_a_report() {
    stop_during_the_lock(libc::SIGINT, Some(130));
}

#[test]
fn a_closed_terminal_during_the_lock_stops_the_browser_and_driver() {
    // Closing a terminal (or a tmux session) sends SIGHUP.
    stop_during_the_lock(libc::SIGHUP, Some(129));
}

#[test]
fn kill_during_the_lock_stops_the_browser_and_driver() {
    stop_during_the_lock(libc::SIGTERM, Some(143));
}

#[test]
fn a_sigkilled_harness_leaves_no_driver_browser_or_temp_folder_behind() {
    // Nothing runs in a SIGKILLed process: the driver's group watches a pipe the harness holds.
    stop_during_the_lock(libc::SIGKILL, None);
}

fn stop_during_the_lock(signal: libc::c_int, exit_code: Option<i32>) {
    let temp = tempfile::tempdir().expect("temp dir");
    let needle = temp.path().to_string_lossy().into_owned();
    let out = temp.path().join("out");
    let mut child = scenario_command(&out)
        .args(["--lock-seconds", "60"])
        .env("TMPDIR", temp.path())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("harness starts");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    // Read until the scenario has confirmed the upgrade and waits through the lock.
    let mut seen = Vec::new();
    for line in lines.by_ref() {
        let line = line.expect("utf-8 output");
        seen.push(line.clone());
        if line.contains("click button \"Confirm\"") {
            break;
        }
    }
    assert!(
        seen.iter().any(|line| line.contains("Confirm")),
        "never reached Confirm:\n{}",
        seen.join("\n")
    );
    assert!(
        !processes_mentioning(&needle).is_empty(),
        "the browser runs under the test's TMPDIR"
    );

    // SAFETY: signalling a child process this test started and has not yet waited for.
    unsafe { libc::kill(child.id() as libc::pid_t, signal) };
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "the harness did not stop after Ctrl-C"
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    assert_eq!(status.code(), exit_code);

    // The group kill is immediate; give the kernel a moment to reap what it killed.
    let deadline = Instant::now() + Duration::from_secs(10);
    while !processes_mentioning(&needle).is_empty() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(
        processes_mentioning(&needle),
        Vec::<String>::new(),
        "processes left behind"
    );
    let leftovers: Vec<_> = std::fs::read_dir(temp.path())
        .expect("temp dir")
        .flatten()
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("palette-harness-"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "driver temp folders left: {leftovers:?}"
    );

    let report = report(&out.join("upgrade-vmware-non-airgap"));
    assert_eq!(
        report["steps"][3]["status"], "passed",
        "steps finished before Ctrl-C are in the report"
    );
    if exit_code.is_some() {
        // A signal the harness can act on: the report says where it stopped, and that the
        // console may be upgrading, and lists what was written before.
        assert_eq!(report["outcome"], "interrupted", "{report}");
        assert_eq!(
            report["interrupted"],
            "interrupted during Upgrade 5 (`click button \"Confirm\" in dialog \"Palette version update\"` had begun: the console may be changing)"
        );
        assert_eq!(report["steps"][4]["status"], "interrupted");
        let artifacts = report["artifacts"].as_array().expect("artifacts");
        assert!(
            artifacts.iter().any(|artifact| artifact["path"]
                .as_str()
                .unwrap_or_default()
                .ends_with("merges/csi.merged.yaml")),
            "the merges written during the interrupted step are listed: {artifacts:?}"
        );
        let html = std::fs::read_to_string(out.join("report.html")).expect("report.html");
        assert!(
            html.contains("interrupted during Upgrade 5"),
            "report.html says so too"
        );
    }
}

#[test]
fn a_second_run_with_the_same_output_folder_is_refused_while_the_first_runs() {
    let temp = tempfile::tempdir().expect("temp dir");
    let out = temp.path().join("out");
    let mut first = scenario_command(&out)
        .args(["--lock-seconds", "60"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the first run starts");
    let mut lines = BufReader::new(first.stdout.take().expect("stdout")).lines();
    for line in lines.by_ref() {
        if line.expect("utf-8").contains("Upgrade 1") {
            break;
        }
    }
    let stderr = stderr_expecting(&mut scenario_command(&out), 2);
    assert!(
        stderr.contains("is in use by another run")
            && stderr.contains(&format!("process {}", first.id())),
        "{stderr}"
    );
    // SAFETY: signalling the child this test started.
    unsafe { libc::kill(first.id() as libc::pid_t, libc::SIGTERM) };
    let status = first.wait().expect("the first run ends");
    assert_eq!(status.code(), Some(143));
    assert!(
        !out.join(".palette-harness.lock").exists(),
        "the lock is gone with its run"
    );
}
