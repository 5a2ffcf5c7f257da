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
use super::slots::Slots;
use crate::event::{Event, Reporter, StepFailure, UnwrittenReport, Verdict};

pub struct JunitReport {
    path: PathBuf,
    suites: Vec<Suite>,
    /// The suite the event at hand is about.
    slots: Slots,
    files: ReportFiles,
}

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
    /// The scenario failed this attempt and runs again: its next `ScenarioStarted` continues
    /// this suite.
    retrying: bool,
    /// Failures of earlier attempts, by testcase name, not yet given to the same step's case
    /// in a later attempt.
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
            suites: Vec::new(),
            slots: Slots::default(),
            files: ReportFiles::default(),
        }
    }

    fn case(&mut self) -> Option<&mut Case> {
        self.suites
            .get_mut(self.slots.active)
            .and_then(|suite| suite.cases.last_mut())
    }

    fn push_case(&mut self, name: String, status: CaseStatus) {
        if let Some(suite) = self.suites.get_mut(self.slots.active) {
            // This step's failures in earlier attempts at the scenario come first.
            let (earlier, later): (Vec<_>, Vec<_>) = std::mem::take(&mut suite.earlier_failures)
                .into_iter()
                .partition(|(case, _)| *case == name);
            suite.earlier_failures = later;
            suite.cases.push(Case {
                classname: suite.name.clone(),
                name,
                status,
                reruns: earlier.into_iter().map(|(_, failure)| failure).collect(),
                log: Vec::new(),
                attachments: Vec::new(),
                seconds: None,
            });
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
        for suite in &self.suites {
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
        self.slots.enter(slot);
        self.on_event(event);
        self.slots.leave(slot, event);
    }

    fn on_event(&mut self, event: &Event) {
        match event {
            Event::ScenarioStarted {
                scenario,
                file,
                attempt,
                ..
            } => {
                let again = self
                    .suites
                    .iter()
                    .position(|suite| suite.retrying && suite.name == *scenario);
                match again {
                    Some(index) => {
                        let suite = &mut self.suites[index];
                        suite.retrying = false;
                        suite.finished = false;
                        suite.attempt = *attempt;
                        self.slots.active = index;
                    }
                    None => {
                        self.suites.push(Suite {
                            name: scenario.clone(),
                            file: file.clone(),
                            cases: Vec::new(),
                            snapshots: Vec::new(),
                            seconds: None,
                            finished: false,
                            attempt: *attempt,
                            retrying: false,
                            earlier_failures: Vec::new(),
                        });
                        self.slots.active = self.suites.len() - 1;
                    }
                }
            }
            Event::ScenarioRetrying { .. } => {
                if let Some(suite) = self.suites.get_mut(self.slots.active) {
                    // The failed attempt's steps become the earlier failures of the next one;
                    // its snapshot verdicts are superseded by the next attempt's.
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
                    suite.retrying = true;
                }
            }
            Event::StepStarted { step, guide_words } => {
                let words: String = guide_words.replace("**", "").chars().take(100).collect();
                self.push_case(format!("{step}: {words}"), CaseStatus::Running);
            }
            Event::ActionPassed {
                action,
                elapsed,
                note,
            } => {
                if let Some(case) = self.case() {
                    let note = note
                        .as_deref()
                        .map(|note| format!(" — {note}"))
                        .unwrap_or_default();
                    case.log
                        .push(format!("✓ {action} ({:.1}s){note}", elapsed.as_secs_f64()));
                }
            }
            Event::ArtifactWritten { path, .. } => {
                if let Some(case) = self.case() {
                    case.attachments.push(path.clone());
                }
            }
            Event::StepRetrying { failure, .. } => {
                if let Some(case) = self.case() {
                    case.log
                        .push(format!("✗ attempt failed: {}", failure_message(failure)));
                    case.reruns.push(failure.clone());
                }
            }
            Event::StepPassed { elapsed, .. } => {
                if let Some(case) = self.case() {
                    case.status = CaseStatus::Passed;
                    case.seconds = Some(elapsed.as_secs_f64());
                }
            }
            Event::StepFailed { failure, .. } => {
                if let Some(case) = self.case() {
                    for path in [&failure.screenshot, &failure.page_html]
                        .into_iter()
                        .flatten()
                    {
                        if !case.attachments.contains(path) {
                            case.attachments.push(path.clone());
                        }
                    }
                    case.status = CaseStatus::Failed(failure.clone());
                }
            }
            Event::StepSkipped { step, reason } => {
                self.push_case(
                    step.clone(),
                    CaseStatus::Skipped(format!("skipped: {reason}")),
                );
            }
            Event::StepOutside { step, place, .. } => {
                self.push_case(
                    step.clone(),
                    CaseStatus::Skipped(format!("done outside the console ({place})")),
                );
            }
            Event::StoppedBeforeMutation { action, .. } => {
                if let Some(case) = self.case() {
                    case.status = CaseStatus::Skipped(format!(
                        "stopped before `{action}`, which changes the console: --apply was not given"
                    ));
                }
            }
            Event::SnapshotChecked(check)
                if matches!(
                    check.verdict,
                    Verdict::Changed | Verdict::Missing | Verdict::NotRecorded
                ) =>
            {
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
                if let Some(suite) = self.suites.get_mut(self.slots.active) {
                    suite.snapshots.push(Case {
                        classname: suite.name.clone(),
                        name,
                        status: CaseStatus::SnapshotFailed(detail),
                        reruns: Vec::new(),
                        log: Vec::new(),
                        attachments,
                        seconds: None,
                    });
                }
            }
            Event::ScenarioFinished { elapsed, .. } => {
                if let Some(suite) = self.suites.get_mut(self.slots.active) {
                    suite.seconds = Some(elapsed.as_secs_f64());
                    suite.finished = true;
                }
                let all_finished = self.suites.iter().all(|suite| suite.finished);
                self.write(all_finished);
            }
            // Nothing this report shows (the rest of a kind shown above).
            Event::SnapshotChecked(_)
            | Event::ActionStarted { .. }
            | Event::Waiting { .. }
            | Event::NewSnapshotsSettled { .. }
            | Event::Fact(_)
            | Event::DocsImage(_)
            | Event::ScenarioNotRetried { .. } => {}
        }
    }

    fn unwritten(&self) -> Vec<UnwrittenReport> {
        self.files.unwritten()
    }
}

impl Drop for JunitReport {
    /// A run stopped midway still leaves its JUnit file, the step under way as an error.
    fn drop(&mut self) {
        if self.suites.iter().any(|suite| !suite.finished) {
            self.write(true);
        }
    }
}
