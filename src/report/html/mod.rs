//! `report.html` in the run's output folder: every scenario and step with its outcome, failures
//! with their screenshots, and every snapshot check: coloured line diffs for pages; side by side,
//! diff and an overlay slider for images. Self-contained (inline CSS and JS, images by relative
//! path), so it works offline and can be archived with the folder. Rewritten atomically after
//! every step.

use crate::html::escape;
use std::path::{Path, PathBuf};

mod render;

use super::file::ReportFiles;
use super::interruption::{name_promoted, Interruption};
use super::json::Rehearsal;
use super::slots::Slots;
use crate::event::{
    ArtifactKind, Event, Outcome, Reporter, SnapshotCheck, StepFailure, UnwrittenReport,
};

struct StepEntry {
    title: String,
    guide: String,
    status: &'static str,
    /// Earlier attempts that failed before a retry, oldest first.
    failed_attempts: Vec<StepFailure>,
    /// Attempts made so far.
    attempts: u32,
    failure: Option<StepFailure>,
    /// Why a failed step was not retried although retries were allowed.
    not_retried: Option<String>,
    snapshots: Vec<SnapshotCheck>,
    /// The guide's screenshots this step took, shown inline.
    screenshots: Vec<PathBuf>,
    seconds: Option<f64>,
}

struct ScenarioEntry {
    name: String,
    title: String,
    console: String,
    outcome: Option<Outcome>,
    steps: Vec<StepEntry>,
    /// What became of the first-time snapshots, once the outcome is known.
    new_snapshots: Option<String>,
    rehearsal: Rehearsal,
    seconds: Option<f64>,
    /// Why the run stopped before this scenario finished.
    interrupted: Option<String>,
    /// Where this scenario is, to say where a run stopped midway.
    interruption: Interruption,
    /// 1, or which run of the whole scenario this is (`--scenario-retries`).
    attempt: u32,
    /// This attempt failed and the scenario ran again (the next attempt's folder): it no
    /// longer counts as a failure of the run.
    retried_in: Option<PathBuf>,
    /// Why a failed attempt was not run again although retries were allowed.
    not_retried: Option<String>,
}

impl StepEntry {
    /// A step the harness did not walk (skipped by `when`, done outside the console).
    fn not_run(title: String, guide: String, status: &'static str) -> StepEntry {
        StepEntry {
            title,
            guide,
            status,
            failed_attempts: Vec::new(),
            attempts: 0,
            failure: None,
            not_retried: None,
            snapshots: Vec::new(),
            screenshots: Vec::new(),
            seconds: None,
        }
    }
}

pub struct HtmlReport {
    /// The run's output folder; the report sits at its top and links files below it.
    root: PathBuf,
    scenarios: Vec<ScenarioEntry>,
    /// The scenario the event at hand is about.
    slots: Slots,
    files: ReportFiles,
}

impl HtmlReport {
    pub fn new(root: PathBuf) -> Self {
        HtmlReport {
            root,
            scenarios: Vec::new(),
            slots: Slots::default(),
            files: ReportFiles::default(),
        }
    }

    fn write(&mut self) {
        let path = self.root.join("report.html");
        let html = self.render();
        // Once every scenario has ended (or was interrupted), this is the report's last word.
        let ended = self
            .scenarios
            .iter()
            .all(|scenario| scenario.outcome.is_some() || scenario.interrupted.is_some());
        if ended {
            self.files.write_last(&path, html.as_bytes());
        } else {
            self.files.write(&path, html.as_bytes());
        }
    }

    /// The scenario the event at hand is about.
    fn active(&mut self) -> Option<&mut ScenarioEntry> {
        self.scenarios.get_mut(self.slots.active)
    }

    /// That scenario's step under way.
    fn active_step(&mut self) -> Option<&mut StepEntry> {
        self.active().and_then(|scenario| scenario.steps.last_mut())
    }

    fn link(&self, path: &Path) -> String {
        let relative = path.strip_prefix(&self.root).unwrap_or(path);
        escape(&relative.to_string_lossy())
    }
}

impl Reporter for HtmlReport {
    fn on_event_in(&mut self, slot: usize, event: &Event) {
        self.slots.enter(slot);
        self.on_event(event);
        self.slots.leave(slot, event);
    }

    fn on_event(&mut self, event: &Event) {
        if let Some(scenario) = self.active() {
            scenario.interruption.observe(event);
        }
        match event {
            Event::ScenarioStarted {
                scenario,
                title,
                console_url,
                attempt,
                ..
            } => {
                self.scenarios.push(ScenarioEntry {
                    name: scenario.clone(),
                    title: title.clone(),
                    console: console_url.clone(),
                    outcome: None,
                    steps: Vec::new(),
                    new_snapshots: None,
                    rehearsal: Rehearsal::default(),
                    seconds: None,
                    interrupted: None,
                    interruption: Interruption::default(),
                    attempt: *attempt,
                    retried_in: None,
                    not_retried: None,
                });
                self.slots.active = self.scenarios.len() - 1;
                self.write();
            }
            Event::StepStarted {
                step: title,
                guide_words,
            } => {
                if let Some(scenario) = self.active() {
                    scenario.steps.push(StepEntry {
                        title: title.clone(),
                        guide: guide_words.clone(),
                        status: "running",
                        failed_attempts: Vec::new(),
                        attempts: 1,
                        failure: None,
                        not_retried: None,
                        snapshots: Vec::new(),
                        screenshots: Vec::new(),
                        seconds: None,
                    });
                }
            }
            Event::ArtifactWritten {
                kind: ArtifactKind::Screenshot,
                path,
            } => {
                if let Some(step) = self.active_step() {
                    step.screenshots.push(path.clone());
                }
            }
            Event::StepOutside {
                step,
                place,
                guide_words,
            } => {
                if let Some(scenario) = self.active() {
                    scenario.steps.push(StepEntry::not_run(
                        format!("{step} (outside the console: {place})"),
                        guide_words.clone(),
                        "outside",
                    ));
                }
                self.write();
            }
            Event::StepSkipped { step, reason } => {
                if let Some(scenario) = self.active() {
                    scenario.rehearsal.absorb(event);
                    scenario.steps.push(StepEntry::not_run(
                        step.clone(),
                        reason.clone(),
                        "skipped",
                    ));
                }
                self.write();
            }
            Event::Fact(_) => {
                if let Some(scenario) = self.active() {
                    scenario.rehearsal.absorb(event);
                }
            }
            Event::SnapshotChecked(check) => {
                if let Some(step) = self.active_step() {
                    step.snapshots.push(check.clone());
                }
            }
            Event::StepRetrying {
                failure, attempt, ..
            } => {
                if let Some(step) = self.active_step() {
                    step.failed_attempts.push(failure.clone());
                    step.attempts = attempt + 1;
                    // The next attempt checks every snapshot again.
                    step.snapshots.clear();
                }
                self.write();
            }
            Event::StepPassed { elapsed, .. } => {
                if let Some(step) = self.active_step() {
                    step.seconds = Some(elapsed.as_secs_f64());
                    step.status = if step
                        .snapshots
                        .iter()
                        .any(|check| check.verdict.is_failure())
                    {
                        "failed: snapshot"
                    } else {
                        "passed"
                    };
                }
                self.write();
            }
            Event::StepFailed {
                failure,
                attempts,
                not_retried,
            } => {
                if let Some(step) = self.active_step() {
                    step.status = "failed";
                    step.failure = Some(failure.clone());
                    step.attempts = *attempts;
                    step.not_retried = not_retried.clone();
                }
                self.write();
            }
            Event::StoppedBeforeMutation { .. } => {
                if let Some(step) = self.active_step() {
                    step.status = "stopped";
                }
            }
            Event::NewSnapshotsSettled {
                recorded,
                left_pending,
                folder,
                promoted,
            } => {
                if let Some(scenario) = self.active() {
                    name_promoted(
                        scenario
                            .steps
                            .iter_mut()
                            .flat_map(|step| step.snapshots.iter_mut()),
                        promoted,
                    );
                    scenario.new_snapshots = Some(if *left_pending > 0 {
                        format!("{left_pending} new snapshot(s) left pending in {} because the scenario failed", folder.display())
                    } else {
                        format!(
                            "{recorded} new snapshot(s) recorded as baselines in {}",
                            folder.display()
                        )
                    });
                }
            }
            Event::ScenarioFinished {
                outcome, elapsed, ..
            } => {
                if let Some(scenario) = self.active() {
                    scenario.outcome = Some(*outcome);
                    scenario.seconds = Some(elapsed.as_secs_f64());
                }
                self.write();
            }
            Event::ScenarioRetrying {
                next_output_dir, ..
            } => {
                if let Some(scenario) = self.active() {
                    scenario.retried_in = Some(next_output_dir.clone());
                }
                self.write();
            }
            Event::ScenarioNotRetried { reason, .. } => {
                if let Some(scenario) = self.active() {
                    scenario.not_retried = Some(reason.clone());
                }
                self.write();
            }
            // Nothing this report shows (the rest of a kind shown above).
            Event::ArtifactWritten { .. }
            | Event::ActionStarted { .. }
            | Event::Waiting { .. }
            | Event::ActionPassed { .. }
            | Event::DocsImage(_) => {}
        }
    }

    fn unwritten(&self) -> Vec<UnwrittenReport> {
        self.files.unwritten()
    }
}

impl Drop for HtmlReport {
    /// A run stopped midway says so, for each scenario under way.
    fn drop(&mut self) {
        let mut any = false;
        for scenario in &mut self.scenarios {
            if scenario.outcome.is_some() {
                continue;
            }
            any = true;
            let step = scenario.steps.last().map(|step| step.title.clone());
            scenario.interrupted = Some(scenario.interruption.describe(step.as_deref()));
            if let Some(step) = scenario.steps.last_mut() {
                if step.status == "running" {
                    step.status = "interrupted";
                }
            }
        }
        if any {
            self.write();
        }
    }
}
