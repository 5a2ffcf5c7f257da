//! Regression checks at scale, end to end on built-in consoles: two workers run two scenarios
//! at once, one of which fails; the JUnit XML a CI system reads records both, the failure with
//! its message and evidence; GitHub annotations point at the failing action; `--reporter json`
//! streams parseable events; `--shard` runs its part of the list; a driver killed in one
//! scenario fails that scenario only and leaves no process behind.

// The test sends signals to processes it started, as a crash or a user would.
#![allow(unsafe_code)]

mod common;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::*;
use quick_junit::{NonSuccessKind, Report, TestCaseStatus};

/// The shipped scenario, and a copy named `broken` that asks for a tab the console does not
/// have in step 2: (folder, passing, broken, the broken action's line).
fn passing_and_broken(folder: &Path) -> (PathBuf, PathBuf, usize) {
    let shipped = std::fs::read_to_string(SCENARIO).expect("scenario");
    let passing = folder.join("upgrade-vmware-non-airgap.toml");
    std::fs::write(&passing, &shipped).expect("write");
    let broken_text = shipped.replace("'click tab \"Profile\"',", "'click tab \"Profiles\"',");
    assert_ne!(broken_text, shipped);
    let line = broken_text
        .lines()
        .position(|line| line.contains("click tab \"Profiles\""))
        .expect("the broken line")
        + 1;
    let broken = folder.join("broken.toml");
    std::fs::write(&broken, broken_text).expect("write");
    (passing, broken, line)
}

/// Two short scenarios, `a-first.toml` and `b-second.toml`: log in, open the Profile tab.
fn quick_scenarios(folder: &Path) -> Vec<PathBuf> {
    ["a-first", "b-second"]
        .iter()
        .map(|name| {
            let path = folder.join(format!("{name}.toml"));
            std::fs::write(
                &path,
                format!(
                    r#"title = "{name}"

[[step]]
section = "Upgrade"
number = 1
guide = "Log in to the Palette system console."
do = ['log in', 'click menu item "Enterprise Cluster"', 'click tab "Profile"']
"#
                ),
            )
            .expect("scenario");
            path
        })
        .collect()
}

#[test]
fn two_workers_run_two_scenarios_at_once_and_junit_records_the_failure_with_its_evidence() {
    let folder = tempfile::tempdir().expect("scenarios");
    let (passing, broken, broken_line) = passing_and_broken(folder.path());
    let out = tempfile::tempdir().expect("out");
    let junit = out.path().join("ci/junit.xml");
    let mut command = binary();
    with_credentials(&mut command);
    let output = run(command
        .arg("run")
        .arg(&passing)
        .arg(&broken)
        .args(["--workers", "2", "--lock-seconds", "2", "--timeout", "15s"])
        .arg("--junit")
        .arg(&junit)
        .arg("--out")
        .arg(out.path())
        .arg("--snapshots")
        .arg(out.path().join("snapshot-store"))
        .env("GITHUB_ACTIONS", "true"));
    let stdout = text(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");

    // Side by side: each scenario started before the other ended.
    let at = |needle: &str| {
        stdout
            .lines()
            .position(|line| line.contains(needle))
            .unwrap_or_else(|| panic!("{needle:?} in:\n{stdout}"))
    };
    let passed = at("[upgrade-vmware-non-airgap] ■ upgrade-vmware-non-airgap passed");
    let failed = at("[broken] ■ broken FAILED");
    assert!(at("[broken] ▶ broken") < passed, "{stdout}");
    assert!(
        at("[upgrade-vmware-non-airgap] ▶ upgrade-vmware-non-airgap") < failed,
        "{stdout}"
    );
    assert!(
        stdout.contains("You are using the latest version of Palette"),
        "{stdout}"
    );

    // The annotation GitHub shows on the scenario file, at the failing action.
    let annotation = stdout
        .lines()
        .find(|line| line.starts_with("::error "))
        .unwrap_or_else(|| panic!("an annotation in:\n{stdout}"));
    assert!(
        annotation.starts_with(&format!(
            "::error file={},line={broken_line},col=",
            broken.display()
        )),
        "{annotation}"
    );
    assert!(
        annotation.contains("title=Upgrade 2 failed%3A click tab \"Profiles\""),
        "{annotation}"
    );

    // The JUnit XML, read back by a JUnit parser.
    let xml = std::fs::read_to_string(&junit).expect("junit.xml written");
    let report = Report::deserialize_from_str(&xml).expect("valid JUnit XML");
    assert_eq!(report.test_suites.len(), 2, "{xml}");
    assert_eq!(report.failures, 1, "{xml}");
    let suite = |name: &str| {
        report
            .test_suites
            .iter()
            .find(|suite| suite.name.as_str() == name)
            .unwrap_or_else(|| panic!("suite {name} in {xml}"))
    };
    let good = suite("upgrade-vmware-non-airgap");
    assert_eq!(good.failures, 0, "{xml}");
    assert!(good.test_cases.len() >= 9, "a testcase per step: {xml}");
    assert!(
        good.test_cases
            .iter()
            .any(|case| case.name.as_str().starts_with("Upgrade 6")
                && matches!(case.status, TestCaseStatus::Skipped { .. })),
        "steps 6 and 7 are skipped, as their `when` says: {xml}"
    );
    let bad = suite("broken");
    let case = bad
        .test_cases
        .iter()
        .find(|case| case.name.as_str().starts_with("Upgrade 2:"))
        .expect("the failing step's testcase");
    match &case.status {
        TestCaseStatus::NonSuccess {
            kind: NonSuccessKind::Failure,
            message,
            description,
            ..
        } => {
            let message = message.as_ref().expect("a message").as_str();
            assert!(message.contains("tab \"Profiles\""), "{message}");
            assert!(message.contains("the page showed"), "{message}");
            let description = description.as_ref().expect("a description").as_str();
            assert!(
                description.contains(&format!("broken.toml:{broken_line}:")),
                "{description}"
            );
        }
        other => panic!("a failure, not {other:?}"),
    }
    let system_out = case.system_out.as_ref().expect("system-out").as_str();
    let screenshot = system_out
        .lines()
        .find_map(|line| line.strip_prefix("[[ATTACHMENT|"))
        .and_then(|rest| rest.strip_suffix("]]"))
        .filter(|path| path.ends_with("failures/upgrade-2.png"))
        .unwrap_or_else(|| panic!("the failure screenshot attached: {system_out}"));
    assert!(Path::new(screenshot).is_file(), "{screenshot} exists");
    assert!(!xml.contains(PASSWORD), "no password in the JUnit XML");
}

#[test]
fn json_events_stream_one_per_line_and_a_shard_runs_its_part_of_the_list() {
    let folder = tempfile::tempdir().expect("scenarios");
    quick_scenarios(folder.path());
    let out = tempfile::tempdir().expect("out");
    let mut command = binary();
    with_credentials(&mut command);
    let stdout = run_expecting(
        command
            .arg("run")
            .arg(folder.path().join("a-first.toml"))
            .arg(folder.path().join("b-second.toml"))
            .args(["--shard", "2/2", "--reporter", "json"])
            .arg("--out")
            .arg(out.path())
            .arg("--snapshots")
            .arg(out.path().join("snapshot-store")),
        0,
    );
    let events: Vec<serde_json::Value> = stdout
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|error| panic!("{error}: {line:?}")))
        .collect();
    assert!(
        events.iter().all(|event| event["scenario"] == "b-second"),
        "shard 2/2 of two runs the second only: {stdout}"
    );
    let kinds: Vec<&str> = events
        .iter()
        .filter_map(|event| event["event"].as_str())
        .collect();
    assert_eq!(kinds.first(), Some(&"scenario-started"), "{stdout}");
    assert_eq!(kinds.last(), Some(&"scenario-finished"), "{stdout}");
    assert_eq!(
        kinds
            .iter()
            .filter(|kind| **kind == "action-passed")
            .count(),
        3,
        "{stdout}"
    );
    assert_eq!(events.last().expect("events")["outcome"], "passed");
    assert!(
        !out.path().join("a-first").exists(),
        "shard 1's scenario did not run"
    );
}

/// Chromedriver processes whose `TMPDIR` lies in `dir`: this test's run's (each driver gets its
/// own temp folder inside the harness's).
fn drivers_under(dir: &str) -> Vec<i32> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").expect("/proc").flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<i32>() else {
            continue;
        };
        let cmdline = std::fs::read(entry.path().join("cmdline")).unwrap_or_default();
        let environ = std::fs::read(entry.path().join("environ")).unwrap_or_default();
        let program = cmdline.split(|byte| *byte == 0).next().unwrap_or_default();
        let mine = environ
            .split(|byte| *byte == 0)
            .any(|variable| variable.starts_with(format!("TMPDIR={dir}").as_bytes()));
        if mine && String::from_utf8_lossy(program).ends_with("chromedriver") {
            found.push(pid);
        }
    }
    found
}

/// Processes whose command line or environment mentions `dir`.
fn processes_under(dir: &str) -> Vec<String> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").expect("/proc").flatten() {
        let cmdline = std::fs::read(entry.path().join("cmdline")).unwrap_or_default();
        let environ = std::fs::read(entry.path().join("environ")).unwrap_or_default();
        let cmdline = String::from_utf8_lossy(&cmdline).replace('\0', " ");
        if cmdline.contains(dir) || String::from_utf8_lossy(&environ).contains(dir) {
            found.push(format!(
                "{}: {cmdline}",
                entry.file_name().to_string_lossy()
            ));
        }
    }
    found
}

#[test]
fn a_driver_killed_in_one_of_two_workers_fails_that_scenario_only_and_leaves_nothing_running() {
    let temp = tempfile::tempdir().expect("temp");
    let dir = temp.path().to_string_lossy().into_owned();
    let folder = temp.path().join("scenarios");
    std::fs::create_dir_all(&folder).expect("folder");
    let shipped = std::fs::read_to_string(SCENARIO).expect("scenario");
    let scenarios: Vec<PathBuf> = ["first", "second"]
        .iter()
        .map(|name| {
            let path = folder.join(format!("{name}.toml"));
            std::fs::write(&path, &shipped).expect("write");
            path
        })
        .collect();
    let out = temp.path().join("out");
    let mut command = binary();
    with_credentials(&mut command);
    let mut child = command
        .arg("run")
        .args(&scenarios)
        .args(["--workers", "2", "--lock-seconds", "6", "--timeout", "20s"])
        .arg("--out")
        .arg(&out)
        .arg("--snapshots")
        .arg(out.join("snapshot-store"))
        .env("TMPDIR", temp.path())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("harness starts");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    // Once the second scenario has logged in, both browsers run.
    let mut seen = Vec::new();
    for line in lines.by_ref() {
        let line = line.expect("utf-8");
        seen.push(line.clone());
        if seen.iter().filter(|line| line.contains("✓ log in")).count() == 2 {
            break;
        }
    }
    let drivers = drivers_under(&dir);
    assert_eq!(drivers.len(), 2, "two drivers: {}", seen.join("\n"));
    // Kill one driver's whole process group, browser included, as a crash would.
    // SAFETY: signalling a process group this test's child started.
    unsafe { libc::kill(-drivers[0], libc::SIGKILL) };
    seen.extend(lines.map_while(Result::ok));
    let status = child.wait().expect("wait");
    let printed = seen.join("\n");
    assert_eq!(status.code(), Some(1), "{printed}");
    let outcomes: Vec<String> = ["first", "second"]
        .iter()
        .map(|name| {
            report(&out.join(name))["outcome"]
                .as_str()
                .unwrap_or_default()
                .to_string()
        })
        .collect();
    let mut sorted = outcomes.clone();
    sorted.sort();
    assert_eq!(sorted, ["failed", "passed"], "{printed}");
    assert!(
        printed.contains("You are using the latest version"),
        "{printed}"
    );

    let deadline = Instant::now() + Duration::from_secs(10);
    while !processes_under(&dir).is_empty() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(
        processes_under(&dir),
        Vec::<String>::new(),
        "processes left behind"
    );
}

#[test]
fn on_a_terminal_two_workers_show_a_status_line_each_under_the_lines_they_print() {
    let folder = tempfile::tempdir().expect("scenarios");
    let files: Vec<String> = quick_scenarios(folder.path())
        .iter()
        .map(|path| path.display().to_string())
        .collect();
    let out = tempfile::tempdir().expect("out");
    // `script` gives the harness a pseudo-terminal and copies what it draws to stdout.
    let line = format!(
        "{} run {} --workers 2 --out {} --snapshots {}",
        env!("CARGO_BIN_EXE_palette-harness"),
        files.join(" "),
        out.path().join("out").display(),
        out.path().join("snapshot-store").display()
    );
    let mut command = std::process::Command::new("script");
    command
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("CI")
        .args(["-qfec", &line, "/dev/null"]);
    with_credentials(&mut command);
    let drawn = run_expecting(&mut command, 0);
    // Each redraw clears the area (ESC [ J) and writes it again: some frame shows both
    // workers' lines at once, under the lines printed above them.
    let frames: Vec<&str> = drawn.split("\x1b[J").collect();
    assert!(
        frames
            .iter()
            .any(|frame| frame.contains("◦ [a-first]") && frame.contains("◦ [b-second]")),
        "{drawn:?}"
    );
    assert!(drawn.contains("[a-first] ■ a-first passed"), "{drawn:?}");
    assert!(drawn.contains("[b-second] ■ b-second passed"), "{drawn:?}");
    // Once both are done the area is empty: the last frame holds no status line.
    let last = frames.last().expect("frames");
    assert!(!last.contains('◦'), "{last:?}");
}

#[test]
fn against_one_console_a_scenario_that_changes_it_runs_alone() {
    let console = ConsoleProcess::start(&[]);
    let folder = tempfile::tempdir().expect("scenarios");
    // The rehearsal changes the console (--apply); the two short ones only read it.
    let rehearsal = folder.path().join("rehearsal.toml");
    std::fs::copy(SCENARIO, &rehearsal).expect("copy");
    let readers = quick_scenarios(folder.path());
    let out = tempfile::tempdir().expect("out");
    let mut command = binary();
    with_credentials(&mut command);
    let stdout = run_expecting(
        command
            .arg("run")
            .arg(&readers[0])
            .arg(&rehearsal)
            .arg(&readers[1])
            .args(["--workers", "3", "--apply", "--console", &console.url])
            .args(["--timeout", "20s"])
            .arg("--out")
            .arg(out.path())
            .arg("--snapshots")
            .arg(out.path().join("snapshot-store")),
        0,
    );
    let at = |needle: &str| {
        stdout
            .lines()
            .position(|line| line.contains(needle))
            .unwrap_or_else(|| panic!("{needle:?} in:\n{stdout}"))
    };
    let span = |name: &str| {
        (
            at(&format!("[{name}] ▶ {name}")),
            at(&format!("[{name}] ■ {name}")),
        )
    };
    let (start, end) = span("rehearsal");
    for reader in ["a-first", "b-second"] {
        let (reader_start, reader_end) = span(reader);
        assert!(
            reader_end < start || reader_start > end,
            "{reader} ran while the rehearsal changed the console:\n{stdout}"
        );
    }
    assert!(
        stdout.contains("You are using the latest version of Palette"),
        "{stdout}"
    );
}
