//! `report.json` in the scenario's output folder, rewritten atomically after every step so a run
//! that dies midway still leaves a report of what it did.

use std::path::PathBuf;

use serde::Serialize;

use super::file::ReportFiles;
use super::model::{Rehearsal, ScenarioModel, StepModel, StepStatus};
use crate::event::{
    ArtifactKind, Event, Outcome, Reporter, SnapshotCheck, StepFailure, UnwrittenReport,
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
    scenario: Option<ScenarioModel>,
    files: ReportFiles,
}

impl JsonReport {
    pub fn new() -> Self {
        JsonReport::default()
    }

    fn write(&mut self) {
        let Some(scenario) = &self.scenario else {
            return;
        };
        let report = report_of(scenario);
        if let Ok(bytes) = serde_json::to_vec_pretty(&report) {
            if report.outcome == "running" {
                self.files.write(&self.path, &bytes);
            } else {
                self.files.write_last(&self.path, &bytes);
            }
        }
    }
}

impl Drop for JsonReport {
    /// A run stopped midway (a signal drops it) says so: during which step, and whether that
    /// step had begun to change the console.
    fn drop(&mut self) {
        if self.scenario.as_mut().is_some_and(ScenarioModel::interrupt) {
            self.write();
        }
    }
}

fn secs(seconds: f64) -> f64 {
    (seconds * 1000.0).round() / 1000.0
}

/// `report.json` of a scenario as the model holds it.
fn report_of(scenario: &ScenarioModel) -> Report {
    let outcome = match (scenario.outcome, &scenario.interrupted) {
        (Some(Outcome::Passed), _) => "passed",
        (Some(Outcome::Failed), _) => "failed",
        (Some(Outcome::StoppedBeforeMutation), _) => "stopped-before-mutation",
        (None, Some(_)) => "interrupted",
        (None, None) => "running",
    };
    Report {
        scenario: scenario.name.clone(),
        file: scenario.file.clone(),
        title: scenario.title.clone(),
        console: scenario.console.clone(),
        attempt: scenario.attempt,
        outcome: outcome.to_string(),
        seconds: secs(scenario.seconds.unwrap_or(0.0)),
        steps: scenario.steps.iter().map(step_report).collect(),
        artifacts: scenario
            .artifacts
            .iter()
            .map(|(kind, path)| Artifact {
                kind: kind.clone(),
                path: path.clone(),
            })
            .collect(),
        new_snapshots: scenario.new_snapshots.as_ref().map(|settled| NewSnapshots {
            recorded: settled.recorded,
            left_pending: settled.left_pending,
            folder: settled.folder.clone(),
        }),
        rehearsal: scenario.rehearsal.clone(),
        interrupted: scenario.interrupted.clone(),
        retried_in: scenario.retried_in.clone(),
        not_retried: scenario.not_retried.clone(),
    }
}

fn step_report(step: &StepModel) -> StepReport {
    let status = match &step.status {
        StepStatus::Running => "running".to_string(),
        StepStatus::Passed => "passed".to_string(),
        StepStatus::SnapshotFailed => "failed: snapshot".to_string(),
        StepStatus::Failed => "failed".to_string(),
        StepStatus::Skipped { reason } => format!("skipped: {reason}"),
        StepStatus::Outside { place } => format!("outside the console: {place}"),
        StepStatus::StoppedBeforeMutation { .. } => {
            "not run: changes the console (use --apply)".to_string()
        }
        StepStatus::Interrupted => "interrupted".to_string(),
    };
    StepReport {
        step: step.title.clone(),
        guide: step.guide.clone(),
        status,
        seconds: secs(step.seconds.unwrap_or(0.0)),
        attempts: step.attempts,
        failed_attempts: step.failed_attempts.clone(),
        not_retried: step.not_retried.clone(),
        actions: step
            .actions
            .iter()
            .map(|action| ActionReport {
                action: action.action.clone(),
                seconds: secs(action.seconds),
                note: action.note.clone(),
            })
            .collect(),
        failure: step.failure.clone(),
        snapshots: step.snapshots.clone(),
    }
}

impl Reporter for JsonReport {
    fn on_event(&mut self, event: &Event) {
        if let Some(started) = ScenarioModel::started(event) {
            if let Event::ScenarioStarted { output_dir, .. } = event {
                self.path = output_dir.join("report.json");
            }
            self.scenario = Some(started);
            self.write();
            return;
        }
        let changed = self
            .scenario
            .as_mut()
            .is_some_and(|scenario| scenario.fold(event));
        if changed {
            self.write();
        }
    }

    fn unwritten(&self) -> Vec<UnwrittenReport> {
        self.files.unwritten()
    }
}
