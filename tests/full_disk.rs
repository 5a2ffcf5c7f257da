//! A disk that fills up during a run: the artifacts that could not be saved fail their step, and
//! reports that cannot be written end the run with exit code 3, naming each file and the
//! reason, instead of leaving a stale report that still says "running".
//!
//! The output folder is a small tmpfs mounted for the test (the tests run as root, as CI does),
//! filled to the last block while the console is locked for the upgrade.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use common::*;

/// A tmpfs mounted on a temporary folder, unmounted when dropped.
struct SmallDisk {
    folder: tempfile::TempDir,
}

impl SmallDisk {
    fn mount(size: &str) -> SmallDisk {
        let folder = tempfile::tempdir().expect("temp dir");
        let status = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(folder.path())
            .status()
            .expect("mount runs");
        assert!(
            status.success(),
            "this test mounts a small tmpfs and needs root (as CI has): mount said {status}"
        );
        SmallDisk { folder }
    }

    fn path(&self) -> &Path {
        self.folder.path()
    }

    /// Writes into a filler file until the disk refuses another byte.
    fn fill(&self) {
        let mut filler = std::fs::File::create(self.path().join("filler")).expect("filler");
        let block = vec![0u8; 64 * 1024];
        loop {
            match filler.write(&block) {
                Ok(0) => break,
                Ok(_) => {}
                Err(error) => {
                    assert_eq!(error.raw_os_error(), Some(28), "ENOSPC: {error}");
                    break;
                }
            }
        }
        // The last partial block, byte by byte.
        while filler.write(&[0]).is_ok_and(|written| written == 1) {}
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount")
            .arg("-l")
            .arg(self.folder.path())
            .status();
    }
}

#[test]
fn a_disk_that_fills_during_the_run_ends_it_with_exit_3_naming_the_reports_not_written() {
    let console = ConsoleProcess::start(&["--lock-seconds", "3"]);
    let disk = SmallDisk::mount("32m");
    let out: PathBuf = disk.path().join("out");
    let snapshots = tempfile::tempdir().expect("temp dir");
    let mut command = binary();
    with_credentials(&mut command);
    let mut harness = command
        .args(["run", SCENARIO, "--apply", "--update-snapshots", "missing"])
        .arg("--snapshots")
        .arg(snapshots.path())
        .arg("--out")
        .arg(&out)
        .args(["--console", &console.url])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
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
    assert!(seen.contains("Confirm"), "the run reached Confirm: {seen}");
    let report_path = out.join("upgrade-vmware-non-airgap").join("report.json");
    assert!(
        report_path.exists(),
        "a report was written before the disk filled"
    );
    disk.fill();
    for line in lines {
        seen.push_str(&line.expect("utf-8"));
        seen.push('\n');
    }
    let output = harness.wait_with_output().expect("the harness ends");
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(3), "{seen}\nstderr:\n{stderr}");
    // The step whose artifact could not be saved failed, saying why.
    assert!(seen.contains("FAILED at Upgrade 5"), "{seen}");
    assert!(
        seen.contains("No space left on device"),
        "the reason of the failed save: {seen}"
    );
    // Each report is either complete on disk, telling the outcome, or named at the end with
    // the system's reason; a stale copy that says the run is still going is not left behind.
    let (_, listed) = stderr
        .split_once("this run's reports are not complete on disk:\n")
        .unwrap_or_else(|| panic!("the closing list: {stderr}"));
    assert!(
        listed.contains("the outcome printed above stands (failed)"),
        "{stderr}"
    );
    let reports = [
        (report_path.clone(), "\"outcome\": \"failed\""),
        (out.join("report.html"), "badge failed"),
    ];
    let mut unwritten = 0;
    for (path, final_word) in &reports {
        let named = listed.lines().any(|line| {
            line.contains(&*path.to_string_lossy()) && line.contains("No space left on device")
        });
        if named {
            unwritten += 1;
            assert!(
                !path.exists() || !std::fs::read_to_string(path).unwrap().contains("running"),
                "{} is named as not written, and no stale copy says \"running\"",
                path.display()
            );
        } else {
            let written = std::fs::read_to_string(path).unwrap_or_else(|error| {
                panic!(
                    "{} neither written nor named: {error}\n{stderr}",
                    path.display()
                )
            });
            assert!(
                written.contains(final_word),
                "{} is final: {written}",
                path.display()
            );
        }
    }
    assert!(unwritten >= 1, "exit 3 names at least one report: {stderr}");
    // Nothing half-written is left beside it.
    let leftovers: Vec<PathBuf> = files_under(&out)
        .into_iter()
        .filter(|path| path.to_string_lossy().contains(".tmp-"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}
