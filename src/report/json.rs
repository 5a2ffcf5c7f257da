//! `report.json` in the scenario's output folder, rewritten atomically after every step so a run
//! that dies midway still leaves a report of what it did.

use std::path::PathBuf;
use std::time::Duration;

use serde::Serialize;

use crate::artifacts::write_atomically;
use crate::runner::{ArtifactKind, Event, Outcome, Reporter, SnapshotCheck, StepFailure};

#[derive(Serialize)]
struct Report {
    scenario: String,
    file: PathBuf,
    title: String,
    console: String,
    /// `running` until the scenario finishes.
    outcome: String,
    seconds: f64,
    steps: Vec<StepReport>,
    artifacts: Vec<Artifact>,
    /// First-time snapshots: made baselines when the scenario passed, else left pending.
    #[serde(skip_serializing_if = "Option::is_none")]
    new_snapshots: Option<NewSnapshots>,
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
}

impl JsonReport {
    pub fn new() -> Self {
        JsonReport::default()
    }

    fn write(&self) {
        if let Some(report) = &self.report {
            if let Ok(bytes) = serde_json::to_vec_pretty(report) {
                // A report that cannot be written must not stop the run; the terminal still shows it.
                let _ = write_atomically(&self.path, &bytes);
            }
        }
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
        } = event
        {
            self.path = output_dir.join("report.json");
            self.report = Some(Report {
                scenario: scenario.clone(),
                file: file.clone(),
                title: title.clone(),
                console: console_url.clone(),
                outcome: "running".to_string(),
                seconds: 0.0,
                steps: Vec::new(),
                artifacts: Vec::new(),
                new_snapshots: None,
            });
            self.write();
            return;
        }
        let Some(report) = self.report.as_mut() else {
            return;
        };
        let mut changed_step = false;
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
            } => {
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
            _ => {}
        }
        if changed_step {
            self.write();
        }
    }
}
