//! `--junit PATH`: the run as JUnit XML, which CI systems read (quick-junit, the serializer
//! cargo-nextest uses). One testsuite per scenario, one testcase per guide step:
//!
//! - a failed step is a `<failure>` whose message is what was expected and what the page
//!   showed, with the scenario file:line:column in its text;
//! - a step that failed and then passed on a retry is a success with `<flakyFailure>`s, one
//!   per failed attempt; a step that failed after retries carries `<rerunFailure>`s;
//! - steps skipped by `when`, done outside the console or not reached before a stop are
//!   `<skipped>` with the reason;
//! - a snapshot that differs from its baseline is its own failed testcase (it fails the
//!   scenario, not the step);
//! - a scenario run again after a failure (`--scenario-retries`) stays one testsuite, its
//!   last attempt's: a step that failed in an earlier attempt carries that failure as a
//!   `<flakyFailure>` (it passed this time) or `<rerunFailure>` (it failed again); failures of
//!   steps the last attempt never reached are listed in the suite's `<system-out>`;
//! - the files a step left (screenshots, failure screenshot and page) are attachments in its
//!   `<system-out>`, as `[[ATTACHMENT|/absolute/path]]`, the line Jenkins and GitLab pick up.
//!
//! Rewritten atomically after every scenario, and once more if the run is stopped midway.

use std::path::{Path, PathBuf};
use std::time::Duration;

use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestRerun, TestSuite};

use super::file::ReportFiles;
use super::model::{RunModel, ScenarioModel, StepHistory, StepModel, StepStatus};
use crate::event::{Event, Reporter, SnapshotCheck, StepFailure, UnwrittenReport};

pub struct JunitReport {
    path: PathBuf,
    /// Every scenario attempt of the run, as the events told it.
    run: RunModel,
    files: ReportFiles,
}

/// One testsuite: a scenario's last attempt, with what its earlier attempts left.
struct Suite {
    name: String,
    file: PathBuf,
    cases: Vec<Case>,
    /// Snapshots that fail the scenario, listed after its steps.
    snapshots: Vec<Case>,
    seconds: Option<f64>,
    finished: bool,
    /// Which attempt at the whole scenario the cases are from (`--scenario-retries`).
    attempt: u32,
    /// Failures of earlier attempts, by testcase name, that no step of a later attempt took.
    earlier_failures: Vec<(String, StepFailure)>,
}

struct Case {
    name: String,
    classname: String,
    status: CaseStatus,
    /// Failed attempts before the last one.
    reruns: Vec<StepFailure>,
    log: Vec<String>,
    attachments: Vec<PathBuf>,
    seconds: Option<f64>,
}

enum CaseStatus {
    Running,
    Passed,
    Failed(StepFailure),
    /// A snapshot that differs from its baseline, or none may be recorded.
    SnapshotFailed(String),
    Skipped(String),
}

impl JunitReport {
    pub fn new(path: PathBuf) -> Self {
        JunitReport {
            path,
            run: RunModel::default(),
            files: ReportFiles::default(),
        }
    }

    fn write(&mut self, last: bool) {
        let report = self.render();
        let Ok(xml) = report.to_string() else {
            return;
        };
        if let Some(parent) = self.path.parent() {
            let _ = std::fs::create_dir_all(parent);
        }
        let path = self.path.clone();
        if last {
            self.files.write_last(&path, xml.as_bytes());
        } else {
            self.files.write(&path, xml.as_bytes());
        }
    }

    fn render(&self) -> Report {
        let mut report = Report::new("palette-harness");
        for suite in suites_of(&self.run.scenarios) {
            let mut junit = TestSuite::new(suite.name.as_str());
            junit.add_property(("file", suite.file.to_string_lossy().as_ref()));
            if suite.attempt > 1 {
                junit.add_property(("attempts", suite.attempt.to_string().as_str()));
            }
            if !suite.earlier_failures.is_empty() {
                let lines: Vec<String> = suite
                    .earlier_failures
                    .iter()
                    .map(|(_, failure)| format!("earlier attempt: {}", failure_text(failure)))
                    .collect();
                junit.set_system_out(lines.join("\n"));
            }
            if let Some(seconds) = suite.seconds {
                junit.set_time(Duration::from_secs_f64(seconds));
            }
            for case in suite.cases.iter().chain(&suite.snapshots) {
                junit.add_test_case(render_case(case, suite.finished));
            }
            report.add_test_suite(junit);
        }
        report
    }
}

/// The testsuites of a run: one per scenario, its last attempt's steps; a scenario run again
/// after a failure continues its suite, each step carrying its failures in earlier attempts.
fn suites_of(scenarios: &[ScenarioModel]) -> Vec<Suite> {
    let mut suites: Vec<Suite> = Vec::new();
    // Index of the suite whose attempt failed and runs again, by scenario name.
    let mut retrying: Vec<(String, usize)> = Vec::new();
    for scenario in scenarios {
        let continued = retrying
            .iter()
            .position(|(name, _)| *name == scenario.name)
            .map(|at| retrying.remove(at).1);
        let mut earlier = match continued {
            Some(index) => std::mem::take(&mut suites[index].earlier_failures),
            None => Vec::new(),
        };
        let mut cases = Vec::new();
        for step in &scenario.steps {
            let name = case_name(step);
            // This step's failures in earlier attempts at the scenario come first.
            let (before, later): (Vec<_>, Vec<_>) = std::mem::take(&mut earlier)
                .into_iter()
                .partition(|(case, _)| *case == name);
            earlier = later;
            let mut reruns: Vec<StepFailure> =
                before.into_iter().map(|(_, failure)| failure).collect();
            reruns.extend(step.failed_attempts.iter().cloned());
            cases.push(Case {
                classname: scenario.name.clone(),
                name,
                status: case_status(&step.status, step.failure.as_ref()),
                reruns,
                log: step.history.iter().map(history_line).collect(),
                attachments: step.files.clone(),
                seconds: match step.status {
                    StepStatus::Passed | StepStatus::SnapshotFailed => step.seconds,
                    _ => None,
                },
            });
        }
        let snapshots = scenario
            .failing_snapshots
            .iter()
            .map(|check| snapshot_case(&scenario.name, check))
            .collect();
        let suite = Suite {
            name: scenario.name.clone(),
            file: scenario.file.clone(),
            cases,
            snapshots,
            seconds: scenario.seconds,
            finished: scenario.outcome.is_some(),
            attempt: scenario.attempt,
            earlier_failures: earlier,
        };
        let index = match continued {
            Some(index) => {
                suites[index] = suite;
                index
            }
            None => {
                suites.push(suite);
                suites.len() - 1
            }
        };
        if scenario.retried_in.is_some() {
            // The failed attempt's steps become the earlier failures of the next one.
            let suite = &mut suites[index];
            for case in std::mem::take(&mut suite.cases) {
                let name = case.name;
                let failures = case.reruns.into_iter().chain(match case.status {
                    CaseStatus::Failed(failure) => Some(failure),
                    _ => None,
                });
                suite
                    .earlier_failures
                    .extend(failures.map(|failure| (name.clone(), failure)));
            }
            suite.snapshots.clear();
            retrying.push((scenario.name.clone(), index));
        }
    }
    suites
}

/// `Upgrade 4: From the left Main Menu, select …` for a step walked; the step alone otherwise.
fn case_name(step: &StepModel) -> String {
    match step.status {
        StepStatus::Skipped { .. } | StepStatus::Outside { .. } => step.title.clone(),
        _ => {
            let words: String = step.guide.replace("**", "").chars().take(100).collect();
            format!("{}: {words}", step.title)
        }
    }
}

fn case_status(status: &StepStatus, failure: Option<&StepFailure>) -> CaseStatus {
    match (status, failure) {
        (StepStatus::Running | StepStatus::Interrupted, _) => CaseStatus::Running,
        (StepStatus::Passed | StepStatus::SnapshotFailed, _) => CaseStatus::Passed,
        (StepStatus::Failed, Some(failure)) => CaseStatus::Failed(failure.clone()),
        (StepStatus::Failed, None) => CaseStatus::Running,
        (StepStatus::Skipped { reason }, _) => CaseStatus::Skipped(format!("skipped: {reason}")),
        (StepStatus::Outside { place }, _) => {
            CaseStatus::Skipped(format!("done outside the console ({place})"))
        }
        (StepStatus::StoppedBeforeMutation { action }, _) => CaseStatus::Skipped(format!(
            "stopped before `{action}`, which changes the console: --apply was not given"
        )),
    }
}

fn history_line(entry: &StepHistory) -> String {
    match entry {
        StepHistory::Passed(action) => {
            let note = action
                .note
                .as_deref()
                .map(|note| format!(" — {note}"))
                .unwrap_or_default();
            format!("✓ {} ({:.1}s){note}", action.action, action.seconds)
        }
        StepHistory::AttemptFailed(failure) => {
            format!("✗ attempt failed: {}", failure_message(failure))
        }
    }
}

/// A snapshot that fails the scenario: a testcase of its own.
fn snapshot_case(scenario: &str, check: &SnapshotCheck) -> Case {
    let name = format!(
        "{}: snapshot {} ({})",
        check.step,
        check.name,
        check.kind.word()
    );
    let mut detail = format!("{} {}: {}", check.kind.word(), check.name, check.detail);
    if let Some(diff) = &check.text_diff {
        detail.push('\n');
        detail.push_str(diff);
    }
    let attachments: Vec<PathBuf> = [
        check.baseline.clone(),
        Some(check.actual.clone()),
        check.diff_image.clone(),
    ]
    .into_iter()
    .flatten()
    .collect();
    Case {
        classname: scenario.to_string(),
        name,
        status: CaseStatus::SnapshotFailed(detail),
        reruns: Vec::new(),
        log: Vec::new(),
        attachments,
        seconds: None,
    }
}

fn render_case(case: &Case, suite_finished: bool) -> TestCase {
    let reruns = case.reruns.iter().map(|failure| {
        let mut rerun = TestRerun::new(NonSuccessKind::Failure);
        rerun
            .set_message(failure_message(failure))
            .set_description(failure_text(failure));
        rerun
    });
    let status = match &case.status {
        CaseStatus::Passed => {
            let mut status = TestCaseStatus::success();
            status.add_reruns(reruns);
            status
        }
        CaseStatus::Failed(failure) => {
            let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
            status
                .set_message(failure_message(failure))
                .set_type("step failed")
                .set_description(failure_text(failure));
            status.add_reruns(reruns);
            status
        }
        CaseStatus::SnapshotFailed(detail) => {
            let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
            status.set_message(detail.as_str()).set_type("snapshot");
            status
        }
        CaseStatus::Skipped(reason) => {
            let mut status = TestCaseStatus::skipped();
            status.set_message(reason.as_str());
            status
        }
        CaseStatus::Running if suite_finished => {
            let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
            status.set_message("the scenario ended while this step was running");
            status
        }
        CaseStatus::Running => {
            let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
            status.set_message("the run was stopped during this step");
            status
        }
    };
    let mut junit = TestCase::new(case.name.as_str(), status);
    junit.set_classname(case.classname.as_str());
    if let Some(seconds) = case.seconds {
        junit.set_time(Duration::from_secs_f64(seconds));
    }
    let mut out = case.log.join("\n");
    for path in &case.attachments {
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&format!("[[ATTACHMENT|{}]]", absolute(path).display()));
    }
    if !out.is_empty() {
        junit.set_system_out(out);
    }
    junit
}

/// One line: what was expected and what the page showed.
fn failure_message(failure: &StepFailure) -> String {
    format!(
        "expected {}; the page showed {}",
        failure.expected, failure.page_showed
    )
}

fn failure_text(failure: &StepFailure) -> String {
    let mut text = format!(
        "{} at {}\n  action:      {}\n  expected:    {}\n  page showed: {}",
        failure.step, failure.location, failure.action, failure.expected, failure.page_showed
    );
    if let Some(path) = &failure.screenshot {
        text.push_str(&format!("\n  screenshot:  {}", path.display()));
    }
    if let Some(path) = &failure.page_html {
        text.push_str(&format!("\n  page HTML:   {}", path.display()));
    }
    text
}

fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

impl Reporter for JunitReport {
    fn on_event_in(&mut self, slot: usize, event: &Event) {
        self.run.fold_in(slot, event);
        self.written_after(event);
    }

    fn on_event(&mut self, event: &Event) {
        self.run.fold(event);
        self.written_after(event);
    }

    fn unwritten(&self) -> Vec<UnwrittenReport> {
        self.files.unwritten()
    }
}

impl JunitReport {
    /// Rewritten after every scenario, the last word once every scenario has ended.
    fn written_after(&mut self, event: &Event) {
        if let Event::ScenarioFinished { .. } = event {
            let all_finished = self
                .run
                .scenarios
                .iter()
                .all(|scenario| scenario.outcome.is_some());
            self.write(all_finished);
        }
    }
}

impl Drop for JunitReport {
    /// A run stopped midway still leaves its JUnit file, the step under way as an error.
    fn drop(&mut self) {
        if self
            .run
            .scenarios
            .iter()
            .any(|scenario| scenario.outcome.is_none())
        {
            self.write(true);
        }
    }
}
