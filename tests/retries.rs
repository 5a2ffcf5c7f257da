//! `--retries`: a step that fails once on a console that is still warming up passes on its retry,
//! the failed attempt's evidence is kept, a retried step never records a baseline, and a step that
//! had already changed the console is never repeated.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;

/// Upgrade 2 of the guide with a short timeout, so a failed first attempt costs seconds.
const PROFILE_SCENARIO: &str = r#"title = "Profile tab"

[[step]]
section = "Upgrade"
number = 1
guide = "Log in to the Palette system console."
do = ['log in']

[[step]]
section = "Upgrade"
number = 2
guide = "From the left **Main Menu**, select **Enterprise Cluster** and then select the **Profile** tab."
timeout = "3s"
do = ['click menu item "Enterprise Cluster"', 'click tab "Profile"', 'expect text "Enterprise Cluster profile"']
"#;

/// A step that clicks **Update** (it changes the console) and then fails.
const UPDATE_SCENARIO: &str = r#"title = "Update"

[[step]]
section = "Upgrade"
number = 1
guide = "Log in to the Palette system console."
do = ['log in']

[[step]]
section = "Upgrade"
number = 4
guide = "From the left **Main Menu**, select **Update Management** and click **Update**."
mutating = true
timeout = "2s"
do = ['click menu item "Update Management"', 'click button "Update"', 'expect text "A message no console shows"']
"#;

fn write_scenario(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("scenario written");
    path
}

/// PROFILE_SCENARIO with a snapshot of the Profile tab at the end of Upgrade 2.
fn write_profile_scenario_with_snapshot(dir: &Path) -> PathBuf {
    write_scenario(
        dir,
        "profile-tab.toml",
        &PROFILE_SCENARIO.replace(
            "'expect text \"Enterprise Cluster profile\"']",
            "'expect text \"Enterprise Cluster profile\"', 'snapshot \"profile\"']",
        ),
    )
}

fn run_on(console: &ConsoleProcess, scenario: &Path, out: &Path, extra: &[&str]) -> Command {
    let mut command = binary();
    with_credentials(&mut command)
        .arg("run")
        .arg(scenario)
        .args(["--console", &console.url, "--console-name", "test-console"])
        .args(extra)
        .arg("--out")
        .arg(out);
    command
}

#[test]
fn a_step_that_fails_once_passes_on_its_retry_and_keeps_the_failed_attempt() {
    let dir = tempfile::tempdir().expect("temp dir");
    let scenario = write_scenario(dir.path(), "profile-tab.toml", PROFILE_SCENARIO);

    // Without retries the console's transient error fails the run at Upgrade 2.
    let flaky = ConsoleProcess::start(&["--fault", "flaky-profile"]);
    let stdout = run_expecting(
        &mut run_on(&flaky, &scenario, &dir.path().join("once"), &[]),
        1,
    );
    assert!(stdout.contains("FAILED at Upgrade 2"), "{stdout}");
    assert!(
        stdout.contains("The cluster profile service is starting"),
        "the failure shows what the page said:\n{stdout}"
    );

    // With one retry the same console passes, and the run says which step was flaky.
    let flaky = ConsoleProcess::start(&["--fault", "flaky-profile"]);
    let out = dir.path().join("retried");
    let stdout = run_expecting(&mut run_on(&flaky, &scenario, &out, &["--retries", "1"]), 0);
    assert!(
        stdout.contains("attempt 1 of 2 failed at Upgrade 2"),
        "{stdout}"
    );
    assert!(
        stdout.contains("Upgrade 2 passed on attempt 2 (flaky)"),
        "{stdout}"
    );

    let scenario_out = out.join("profile-tab");
    let report = report(&scenario_out);
    assert_eq!(report["outcome"], "passed");
    let step = &report["steps"][1];
    assert_eq!(step["status"], "passed");
    assert_eq!(step["attempts"], 2);
    let failed = step["failed_attempts"].as_array().expect("failed attempts");
    assert_eq!(failed.len(), 1, "{step}");
    let screenshot = failed[0]["screenshot"]
        .as_str()
        .expect("the failed attempt's screenshot");
    assert!(Path::new(screenshot).is_file(), "{screenshot}");
    assert!(scenario_out.join("failures/upgrade-2.html").is_file());
    let html = std::fs::read_to_string(out.join("report.html")).expect("report.html");
    assert!(html.contains("flaky: passed on attempt 2"), "{html}");
}

#[test]
fn a_retried_step_never_records_a_baseline() {
    let dir = tempfile::tempdir().expect("temp dir");
    let scenario = write_profile_scenario_with_snapshot(dir.path());
    let store = dir.path().join("store");
    let store_arg = store.to_string_lossy().into_owned();
    let record = [
        "--retries",
        "1",
        "--update-snapshots",
        "all",
        "--snapshots",
        &store_arg,
    ];

    // Even `all`, which rewrites every baseline, records nothing from a retried step.
    let flaky = ConsoleProcess::start(&["--fault", "flaky-profile"]);
    let stdout = run_expecting(
        &mut run_on(&flaky, &scenario, &dir.path().join("flaky"), &record),
        1,
    );
    assert!(
        stdout.contains("Upgrade 2 passed on attempt 2 (flaky)"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "snapshot \"profile\" has no baseline, and a retried step or scenario records none"
        ),
        "{stdout}"
    );
    let stored = files_under(&store);
    assert!(
        !stored
            .iter()
            .any(|path| path.to_string_lossy().ends_with(".snap")),
        "no baseline may be written: {stored:?}"
    );
    assert!(
        stored
            .iter()
            .any(|path| path.to_string_lossy().ends_with("profile.snap.new")),
        "the capture is kept for review: {stored:?}"
    );
    let html = std::fs::read_to_string(dir.path().join("flaky/report.html")).expect("report.html");
    assert!(html.contains("flaky: passed on attempt 2"), "{html}");
    assert!(html.contains("not recorded"), "{html}");

    // The same step on a healthy console passes at once and records its baselines.
    let healthy = ConsoleProcess::start(&[]);
    let stdout = run_expecting(
        &mut run_on(&healthy, &scenario, &dir.path().join("healthy"), &record),
        0,
    );
    assert!(!stdout.contains("flaky"), "{stdout}");
    let stored = files_under(&store);
    assert_eq!(
        stored
            .iter()
            .filter(|path| path.to_string_lossy().ends_with(".snap"))
            .count(),
        2,
        "a page and an image baseline: {stored:?}"
    );
}

#[test]
fn a_step_that_changed_the_console_is_not_retried() {
    let dir = tempfile::tempdir().expect("temp dir");
    let scenario = write_scenario(dir.path(), "update.toml", UPDATE_SCENARIO);
    let console = ConsoleProcess::start(&[]);
    let out = dir.path().join("out");
    let stdout = run_expecting(
        &mut run_on(&console, &scenario, &out, &["--apply", "--retries", "2"]),
        1,
    );
    assert!(stdout.contains("FAILED at Upgrade 4"), "{stdout}");
    assert!(
        stdout.contains("not retried: the step had already changed the console"),
        "{stdout}"
    );
    assert!(!stdout.contains("retrying the step"), "{stdout}");
    let report = report(&out.join("update"));
    assert_eq!(report["steps"][1]["attempts"], 1);
}

/// `--scenario-retries`: a scenario that failed runs again from its start in a fresh browser;
/// the run passes, each attempt keeps its own folder, and the reports say it was flaky.
#[test]
fn a_failed_scenario_runs_again_from_its_start_and_each_attempt_keeps_its_folder() {
    let dir = tempfile::tempdir().expect("temp dir");
    let scenario = write_scenario(dir.path(), "profile-tab.toml", PROFILE_SCENARIO);
    let flaky = ConsoleProcess::start(&["--fault", "flaky-profile"]);
    let out = dir.path().join("out");
    let junit = dir.path().join("junit.xml");
    let junit_arg = junit.to_string_lossy().into_owned();
    let stdout = run_expecting(
        &mut run_on(
            &flaky,
            &scenario,
            &out,
            &["--scenario-retries", "2", "--junit", &junit_arg],
        ),
        0,
    );
    assert!(stdout.contains("FAILED at Upgrade 2"), "{stdout}");
    assert!(
        stdout.contains("profile-tab: attempt 1 of 3 failed; running it again from the start"),
        "{stdout}"
    );
    assert!(
        stdout.contains("▶ profile-tab: Profile tab (attempt 2)"),
        "{stdout}"
    );
    // Passed on its second attempt: no third.
    assert_eq!(stdout.matches("▶ profile-tab").count(), 2, "{stdout}");

    // The failed attempt's folder is kept as it was; the second attempt wrote beside it.
    let first = report(&out.join("profile-tab"));
    assert_eq!(first["outcome"], "failed");
    assert_eq!(first["attempt"], 1);
    assert!(
        first["retried_in"]
            .as_str()
            .is_some_and(|next| next.ends_with("profile-tab-retry1")),
        "{first}"
    );
    assert!(out.join("profile-tab/failures/upgrade-2.png").is_file());
    let second = report(&out.join("profile-tab-retry1"));
    assert_eq!(second["outcome"], "passed");
    assert_eq!(second["attempt"], 2);
    assert!(!out.join("profile-tab-retry2").exists());

    let html = std::fs::read_to_string(out.join("report.html")).expect("report.html");
    assert!(
        html.contains("0 failed"),
        "the retried attempt is no failure of the run"
    );
    assert!(html.contains("failed, then run again"), "{html}");
    assert!(html.contains("flaky: passed"), "{html}");

    // JUnit: one testsuite, no failure, Upgrade 2's first failure as a flakyFailure.
    let xml = std::fs::read_to_string(&junit).expect("junit.xml");
    let report = quick_junit::Report::deserialize_from_str(&xml).expect("JUnit XML parses");
    assert_eq!(report.test_suites.len(), 1, "{xml}");
    let suite = &report.test_suites[0];
    assert_eq!(suite.failures, 0, "{xml}");
    let step = suite
        .test_cases
        .iter()
        .find(|case| case.name.as_str().starts_with("Upgrade 2"))
        .expect("Upgrade 2's testcase");
    match &step.status {
        quick_junit::TestCaseStatus::Success { flaky_runs } => {
            assert_eq!(flaky_runs.len(), 1, "{xml}")
        }
        other => panic!("Upgrade 2 should pass with a flaky run: {other:?}\n{xml}"),
    }
}

/// Against a `--console`, a scenario whose failed attempt had begun changing the console is
/// not run again: that could repeat the change.
#[test]
fn a_scenario_that_changed_a_given_console_is_not_run_again() {
    let dir = tempfile::tempdir().expect("temp dir");
    let scenario = write_scenario(dir.path(), "update.toml", UPDATE_SCENARIO);
    let console = ConsoleProcess::start(&[]);
    let out = dir.path().join("out");
    let stdout = run_expecting(
        &mut run_on(
            &console,
            &scenario,
            &out,
            &["--apply", "--scenario-retries", "2"],
        ),
        1,
    );
    assert!(stdout.contains("FAILED at Upgrade 4"), "{stdout}");
    assert!(
        stdout.contains("update was not run again: its attempt 1 had begun changing the console"),
        "{stdout}"
    );
    assert_eq!(stdout.matches("▶ update").count(), 1, "{stdout}");
    assert!(!out.join("update-retry1").exists());
    let report = report(&out.join("update"));
    assert!(
        report["not_retried"]
            .as_str()
            .is_some_and(|why| why.contains("could repeat that change")),
        "{report}"
    );
}

/// A scenario's later attempt, like a step's retry, is not trusted to define the truth: even
/// `--update-snapshots all` records no baseline from it.
#[test]
fn a_scenario_run_again_never_records_a_baseline() {
    let dir = tempfile::tempdir().expect("temp dir");
    let scenario = write_profile_scenario_with_snapshot(dir.path());
    let store = dir.path().join("store");
    let store_arg = store.to_string_lossy().into_owned();
    let flaky = ConsoleProcess::start(&["--fault", "flaky-profile"]);
    let stdout = run_expecting(
        &mut run_on(
            &flaky,
            &scenario,
            &dir.path().join("out"),
            &[
                "--scenario-retries",
                "1",
                "--update-snapshots",
                "all",
                "--snapshots",
                &store_arg,
            ],
        ),
        1,
    );
    assert!(stdout.contains("(attempt 2)"), "{stdout}");
    assert!(
        stdout.contains(
            "snapshot \"profile\" has no baseline, and a retried step or scenario records none"
        ),
        "{stdout}"
    );
    let stored = files_under(&store);
    assert!(
        !stored
            .iter()
            .any(|path| path.to_string_lossy().ends_with(".snap")),
        "no baseline may be written: {stored:?}"
    );
}
