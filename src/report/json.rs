//! `report.json` in the scenario's output folder, rewritten atomically after every step so a run
//! that dies midway still leaves a report of what it did.

use std::path::PathBuf;
use std::time::Duration;

use serde::Serialize;

use super::file::ReportFiles;
use super::interruption::{name_promoted, Interruption};
use crate::event::{
    ArtifactKind, Event, Fact, KeptRow, Outcome, Reporter, SnapshotCheck, StepFailure,
    UnwrittenReport,
};

#[derive(Serialize)]
struct Report {
    scenario: String,
    file: PathBuf,
    title: String,
    console: String,
    /// 1, or which run of the whole scenario this is (`--scenario-retries`).
    attempt: u32,
    /// `running` until the scenario finishes.
    outcome: String,
    seconds: f64,
    steps: Vec<StepReport>,
    artifacts: Vec<Artifact>,
    /// First-time snapshots: made baselines when the scenario passed, else left pending.
    #[serde(skip_serializing_if = "Option::is_none")]
    new_snapshots: Option<NewSnapshots>,
    /// What a reviewer signs off: versions, backups, customizations, what was kept.
    rehearsal: Rehearsal,
    /// Why the run stopped before the scenario finished (Ctrl-C, SIGTERM, SIGHUP).
    #[serde(skip_serializing_if = "Option::is_none")]
    interrupted: Option<String>,
    /// This attempt failed and the scenario ran again, writing there.
    #[serde(skip_serializing_if = "Option::is_none")]
    retried_in: Option<PathBuf>,
    /// This attempt failed and was not run again although retries were allowed, and why.
    #[serde(skip_serializing_if = "Option::is_none")]
    not_retried: Option<String>,
}

/// The facts of a rehearsal, gathered from `Event::Fact`s as they come.
#[derive(Serialize, Default)]
pub(super) struct Rehearsal {
    /// The installed and offered versions and the preflight's verdict.
    pub preflight: Option<Fact>,
    /// How the console's certificate was trusted.
    pub certificate: Option<String>,
    pub lock: Option<Fact>,
    pub backups: Vec<Fact>,
    /// Per layer, every difference between current and incoming configuration, classified.
    pub customizations: Vec<Fact>,
    /// Layer, key, before, after, kept.
    pub preservation: Vec<KeptRow>,
    /// Steps whose `when` did not hold, with why.
    pub skipped: Vec<Skipped>,
}

#[derive(Serialize, Clone)]
pub(super) struct Skipped {
    pub step: String,
    pub reason: String,
}

impl Rehearsal {
    /// Takes in what an event establishes; false when it establishes nothing.
    pub(super) fn absorb(&mut self, event: &Event) -> bool {
        match event {
            Event::Fact(fact @ Fact::Preflight { .. }) => self.preflight = Some(fact.clone()),
            Event::Fact(fact @ Fact::Lock { .. }) => self.lock = Some(fact.clone()),
            Event::Fact(fact @ Fact::Backup { layer, .. }) => {
                // A layer backed up again (a retried step) replaces its earlier record.
                self.backups.retain(
                    |other| !matches!(other, Fact::Backup { layer: other, .. } if other == layer),
                );
                self.backups.push(fact.clone());
            }
            Event::Fact(fact @ Fact::Proposal { layer, .. }) => {
                self.customizations.retain(
                    |other| !matches!(other, Fact::Proposal { layer: other, .. } if other == layer),
                );
                self.customizations.push(fact.clone());
            }
            Event::Fact(Fact::Preserved { rows }) => {
                for row in rows {
                    self.preservation
                        .retain(|other| !(other.layer == row.layer && other.key == row.key));
                    self.preservation.push(row.clone());
                }
            }
            Event::Fact(Fact::Certificate { verdict }) => self.certificate = Some(verdict.clone()),
            Event::StepSkipped { step, reason } => self.skipped.push(Skipped {
                step: step.clone(),
                reason: reason.clone(),
            }),
            _ => return false,
        }
        true
    }
}

#[derive(Serialize)]
struct NewSnapshots {
    recorded: usize,
    left_pending: usize,
    folder: PathBuf,
}

#[derive(Serialize)]
struct StepReport {
    step: String,
    guide: String,
    status: String,
    seconds: f64,
    /// 1 unless the step was retried (`--retries`): more means it passed or failed on a retry.
    attempts: u32,
    /// Why each earlier attempt failed, with its screenshot and page HTML.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    failed_attempts: Vec<StepFailure>,
    /// Why a failed step was not retried although retries were allowed.
    #[serde(skip_serializing_if = "Option::is_none")]
    not_retried: Option<String>,
    /// The actions of the last attempt.
    actions: Vec<ActionReport>,
    #[serde(skip_serializing_if = "Option::is_none")]
    failure: Option<StepFailure>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    snapshots: Vec<SnapshotCheck>,
}

#[derive(Serialize)]
struct ActionReport {
    action: String,
    seconds: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<String>,
}

impl StepReport {
    /// A step the harness did not walk (skipped by `when`, done outside the console).
    fn not_run(step: String, guide: String, status: String) -> StepReport {
        StepReport {
            step,
            guide,
            status,
            seconds: 0.0,
            attempts: 0,
            failed_attempts: Vec::new(),
            not_retried: None,
            actions: Vec::new(),
            failure: None,
            snapshots: Vec::new(),
        }
    }
}

#[derive(Serialize)]
struct Artifact {
    kind: ArtifactKind,
    path: PathBuf,
}

/// Writes `report.json` into each scenario's output folder, as named by `ScenarioStarted`.
#[derive(Default)]
pub struct JsonReport {
    path: PathBuf,
    report: Option<Report>,
    interruption: Interruption,
    files: ReportFiles,
}

impl JsonReport {
    pub fn new() -> Self {
        JsonReport::default()
    }

    fn write(&mut self) {
        if let Some(report) = &self.report {
            if let Ok(bytes) = serde_json::to_vec_pretty(report) {
                if report.outcome == "running" {
                    self.files.write(&self.path, &bytes);
                } else {
                    self.files.write_last(&self.path, &bytes);
                }
            }
        }
    }
}

impl Drop for JsonReport {
    /// A run stopped midway (a signal drops it) says so: during which step, and whether that
    /// step had begun to change the console.
    fn drop(&mut self) {
        let Some(report) = self.report.as_mut() else {
            return;
        };
        if report.outcome != "running" {
            return;
        }
        let step = report.steps.last().map(|step| step.step.clone());
        report.outcome = "interrupted".to_string();
        report.interrupted = Some(self.interruption.describe(step.as_deref()));
        if let Some(step) = report.steps.last_mut() {
            if step.status == "running" {
                step.status = "interrupted".to_string();
            }
        }
        self.write();
    }
}

fn secs(duration: &Duration) -> f64 {
    (duration.as_secs_f64() * 1000.0).round() / 1000.0
}

impl Reporter for JsonReport {
    fn on_event(&mut self, event: &Event) {
        if let Event::ScenarioStarted {
            scenario,
            file,
            title,
            console_url,
            output_dir,
            attempt,
        } = event
        {
            self.path = output_dir.join("report.json");
            self.report = Some(Report {
                scenario: scenario.clone(),
                file: file.clone(),
                title: title.clone(),
                console: console_url.clone(),
                attempt: *attempt,
                outcome: "running".to_string(),
                seconds: 0.0,
                steps: Vec::new(),
                artifacts: Vec::new(),
                new_snapshots: None,
                rehearsal: Rehearsal::default(),
                interrupted: None,
                retried_in: None,
                not_retried: None,
            });
            self.interruption.observe(event);
            self.write();
            return;
        }
        let Some(report) = self.report.as_mut() else {
            return;
        };
        let mut changed_step = report.rehearsal.absorb(event);
        self.interruption.observe(event);
        match event {
            Event::StepStarted { step, guide_words } => report.steps.push(StepReport {
                step: step.clone(),
                guide: guide_words.clone(),
                status: "running".to_string(),
                seconds: 0.0,
                attempts: 1,
                failed_attempts: Vec::new(),
                not_retried: None,
                actions: Vec::new(),
                failure: None,
                snapshots: Vec::new(),
            }),
            Event::NewSnapshotsSettled {
                recorded,
                left_pending,
                folder,
                promoted,
            } => {
                name_promoted(
                    report
                        .steps
                        .iter_mut()
                        .flat_map(|step| step.snapshots.iter_mut()),
                    promoted,
                );
                report.new_snapshots = Some(NewSnapshots {
                    recorded: *recorded,
                    left_pending: *left_pending,
                    folder: folder.clone(),
                });
            }
            Event::SnapshotChecked(check) => {
                if let Some(step) = report.steps.last_mut() {
                    step.snapshots.push(check.clone());
                }
            }
            Event::ActionPassed {
                action,
                elapsed,
                note,
            } => {
                if let Some(step) = report.steps.last_mut() {
                    step.actions.push(ActionReport {
                        action: action.clone(),
                        seconds: secs(elapsed),
                        note: note.clone(),
                    });
                }
            }
            Event::ArtifactWritten { kind, path } => report.artifacts.push(Artifact {
                kind: kind.clone(),
                path: path.clone(),
            }),
            Event::StepRetrying {
                failure, attempt, ..
            } => {
                if let Some(step) = report.steps.last_mut() {
                    step.failed_attempts.push(failure.clone());
                    step.attempts = attempt + 1;
                    // The next attempt checks everything again.
                    step.actions.clear();
                    step.snapshots.clear();
                }
                changed_step = true;
            }
            Event::StepPassed { elapsed, .. } => {
                if let Some(step) = report.steps.last_mut() {
                    let snapshot_failed = step
                        .snapshots
                        .iter()
                        .any(|check| check.verdict.is_failure());
                    step.status = if snapshot_failed {
                        "failed: snapshot"
                    } else {
                        "passed"
                    }
                    .to_string();
                    step.seconds = secs(elapsed);
                }
                changed_step = true;
            }
            Event::StepFailed {
                failure,
                attempts,
                not_retried,
            } => {
                if let Some(step) = report.steps.last_mut() {
                    step.status = "failed".to_string();
                    step.failure = Some(failure.clone());
                    step.attempts = *attempts;
                    step.not_retried = not_retried.clone();
                }
                changed_step = true;
            }
            Event::StepOutside {
                step,
                place,
                guide_words,
            } => {
                report.steps.push(StepReport::not_run(
                    step.clone(),
                    guide_words.clone(),
                    format!("outside the console: {place}"),
                ));
                changed_step = true;
            }
            Event::StepSkipped { step, reason } => {
                report.steps.push(StepReport::not_run(
                    step.clone(),
                    String::new(),
                    format!("skipped: {reason}"),
                ));
                changed_step = true;
            }
            Event::StoppedBeforeMutation { .. } => {
                if let Some(step) = report.steps.last_mut() {
                    step.status = "not run: changes the console (use --apply)".to_string();
                }
                changed_step = true;
            }
            Event::ScenarioFinished {
                outcome, elapsed, ..
            } => {
                report.outcome = match outcome {
                    Outcome::Passed => "passed",
                    Outcome::Failed => "failed",
                    Outcome::StoppedBeforeMutation => "stopped-before-mutation",
                }
                .to_string();
                report.seconds = secs(elapsed);
                changed_step = true;
            }
            Event::ScenarioRetrying {
                next_output_dir, ..
            } => {
                report.retried_in = Some(next_output_dir.clone());
                changed_step = true;
            }
            Event::ScenarioNotRetried { reason, .. } => {
                report.not_retried = Some(reason.clone());
                changed_step = true;
            }
            // Nothing this report shows.
            Event::ScenarioStarted { .. }
            | Event::ActionStarted { .. }
            | Event::Waiting { .. }
            | Event::Fact(_)
            | Event::DocsImage(_) => {}
        }
        if changed_step {
            self.write();
        }
    }

    fn unwritten(&self) -> Vec<UnwrittenReport> {
        self.files.unwritten()
    }
}
