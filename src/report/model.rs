//! The one model of a run that every report renders (`report.json`, `report.html`, JUnit):
//! each scenario attempt with its steps, what they did and left, and the rehearsal's facts,
//! folded once from the events. The fold matches every event, so a new event is a compile
//! error here rather than something a report drops in silence.

use std::path::PathBuf;

use super::interruption::{name_promoted, Interruption};
use super::slots::Slots;
use serde::Serialize;

use crate::event::{ArtifactKind, Event, Fact, KeptRow, Outcome, SnapshotCheck, StepFailure};

/// Every scenario attempt of a run, in the order they started, and which one the event at
/// hand is about (`--workers` interleaves them).
#[derive(Default)]
pub(super) struct RunModel {
    pub scenarios: Vec<ScenarioModel>,
    slots: Slots,
}

impl RunModel {
    /// Folds an event of the scenario running in `slot`; whether the model changed in a way a
    /// report shows.
    pub fn fold_in(&mut self, slot: usize, event: &Event) -> bool {
        self.slots.enter(slot);
        let changed = self.fold(event);
        self.slots.leave(slot, event);
        changed
    }

    /// Folds an event of the scenario under way.
    pub fn fold(&mut self, event: &Event) -> bool {
        if let Some(started) = ScenarioModel::started(event) {
            self.scenarios.push(started);
            self.slots.active = self.scenarios.len() - 1;
            return true;
        }
        match self.scenarios.get_mut(self.slots.active) {
            Some(scenario) => scenario.fold(event),
            None => false,
        }
    }

    /// A run stopped midway: every scenario under way says where it stopped.
    pub fn interrupt(&mut self) -> bool {
        let mut any = false;
        for scenario in &mut self.scenarios {
            any |= scenario.interrupt();
        }
        any
    }
}

/// How a step stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum StepStatus {
    Running,
    Passed,
    /// Its actions passed, a snapshot it took differs from its baseline.
    SnapshotFailed,
    Failed,
    /// Its `when` did not hold.
    Skipped {
        reason: String,
    },
    /// Done outside the console, by a person.
    Outside {
        place: String,
    },
    /// Not run: it changes the console and `--apply` was not given.
    StoppedBeforeMutation {
        action: String,
    },
    /// The run was stopped during it.
    Interrupted,
}

/// One action of a step's last attempt.
#[derive(Clone, Debug)]
pub(super) struct ActionModel {
    pub action: String,
    pub seconds: f64,
    pub note: Option<String>,
}

/// What happened in a step, in order, over all its attempts.
#[derive(Clone, Debug)]
pub(super) enum StepHistory {
    Passed(ActionModel),
    AttemptFailed(StepFailure),
}

#[derive(Clone, Debug)]
pub(super) struct StepModel {
    /// `Upgrade 4`.
    pub title: String,
    /// The guide's words for the step.
    pub guide: String,
    pub status: StepStatus,
    pub seconds: Option<f64>,
    /// Attempts made so far (0 for a step the harness did not walk).
    pub attempts: u32,
    /// Earlier attempts that failed before a retry, oldest first.
    pub failed_attempts: Vec<StepFailure>,
    pub failure: Option<StepFailure>,
    /// Why a failed step was not retried although retries were allowed.
    pub not_retried: Option<String>,
    /// The actions of the last attempt.
    pub actions: Vec<ActionModel>,
    /// Every action passed and every attempt failed, in order.
    pub history: Vec<StepHistory>,
    /// The snapshots the last attempt checked.
    pub snapshots: Vec<SnapshotCheck>,
    /// The guide's screenshots it took.
    pub screenshots: Vec<PathBuf>,
    /// Every file it left (screenshots, backups, a failure's screenshot and page).
    pub files: Vec<PathBuf>,
}

impl StepModel {
    fn new(title: String, guide: String, status: StepStatus, attempts: u32) -> StepModel {
        StepModel {
            title,
            guide,
            status,
            seconds: None,
            attempts,
            failed_attempts: Vec::new(),
            failure: None,
            not_retried: None,
            actions: Vec::new(),
            history: Vec::new(),
            snapshots: Vec::new(),
            screenshots: Vec::new(),
            files: Vec::new(),
        }
    }
}

/// First-time snapshots, once the scenario's outcome is known.
#[derive(Clone, Debug)]
pub(super) struct NewSnapshots {
    pub recorded: usize,
    pub left_pending: usize,
    pub folder: PathBuf,
}

pub(super) struct ScenarioModel {
    pub name: String,
    pub file: PathBuf,
    pub title: String,
    pub console: String,
    /// 1, or which run of the whole scenario this is (`--scenario-retries`).
    pub attempt: u32,
    pub outcome: Option<Outcome>,
    pub seconds: Option<f64>,
    pub steps: Vec<StepModel>,
    /// Every file written, in order.
    pub artifacts: Vec<(ArtifactKind, PathBuf)>,
    pub new_snapshots: Option<NewSnapshots>,
    /// What a reviewer signs off: versions, backups, customizations, what was kept.
    pub rehearsal: Rehearsal,
    /// Snapshot checks that fail the scenario, in order, over every attempt of every step.
    pub failing_snapshots: Vec<SnapshotCheck>,
    /// Where the scenario is, to say where a run stopped midway.
    interruption: Interruption,
    /// Why the run stopped before this scenario finished.
    pub interrupted: Option<String>,
    /// This attempt failed and the scenario ran again, writing there.
    pub retried_in: Option<PathBuf>,
    /// Why a failed attempt was not run again although retries were allowed.
    pub not_retried: Option<String>,
}

impl ScenarioModel {
    /// The model a `ScenarioStarted` begins; `None` for any other event.
    pub fn started(event: &Event) -> Option<ScenarioModel> {
        let Event::ScenarioStarted {
            scenario,
            file,
            title,
            console_url,
            attempt,
            ..
        } = event
        else {
            return None;
        };
        let mut interruption = Interruption::default();
        interruption.observe(event);
        Some(ScenarioModel {
            name: scenario.clone(),
            file: file.clone(),
            title: title.clone(),
            console: console_url.clone(),
            attempt: *attempt,
            outcome: None,
            seconds: None,
            steps: Vec::new(),
            artifacts: Vec::new(),
            new_snapshots: None,
            rehearsal: Rehearsal::default(),
            failing_snapshots: Vec::new(),
            interruption,
            interrupted: None,
            retried_in: None,
            not_retried: None,
        })
    }

    fn step(&mut self) -> Option<&mut StepModel> {
        self.steps.last_mut()
    }

    /// Folds one event of this scenario; whether it changed what a report shows of a step or
    /// of the scenario (an action's progress alone does not).
    pub fn fold(&mut self, event: &Event) -> bool {
        self.interruption.observe(event);
        let mut changed = self.rehearsal.absorb(event);
        match event {
            Event::StepStarted { step, guide_words } => {
                self.steps.push(StepModel::new(
                    step.clone(),
                    guide_words.clone(),
                    StepStatus::Running,
                    1,
                ));
                changed = true;
            }
            Event::ActionPassed {
                action,
                elapsed,
                note,
            } => {
                if let Some(step) = self.step() {
                    let passed = ActionModel {
                        action: action.clone(),
                        seconds: elapsed.as_secs_f64(),
                        note: note.clone(),
                    };
                    step.history.push(StepHistory::Passed(passed.clone()));
                    step.actions.push(passed);
                }
            }
            Event::ArtifactWritten { kind, path } => {
                self.artifacts.push((kind.clone(), path.clone()));
                if let Some(step) = self.step() {
                    if *kind == ArtifactKind::Screenshot {
                        step.screenshots.push(path.clone());
                    }
                    step.files.push(path.clone());
                }
            }
            Event::SnapshotChecked(check) => {
                if check.verdict.is_failure() {
                    self.failing_snapshots.push(check.clone());
                }
                if let Some(step) = self.step() {
                    step.snapshots.push(check.clone());
                }
            }
            Event::NewSnapshotsSettled {
                recorded,
                left_pending,
                folder,
                promoted,
            } => {
                name_promoted(
                    self.steps
                        .iter_mut()
                        .flat_map(|step| step.snapshots.iter_mut()),
                    promoted,
                );
                self.new_snapshots = Some(NewSnapshots {
                    recorded: *recorded,
                    left_pending: *left_pending,
                    folder: folder.clone(),
                });
            }
            Event::StepRetrying {
                failure, attempt, ..
            } => {
                if let Some(step) = self.step() {
                    step.failed_attempts.push(failure.clone());
                    step.history
                        .push(StepHistory::AttemptFailed(failure.clone()));
                    step.attempts = attempt + 1;
                    // The next attempt does and checks everything again.
                    step.actions.clear();
                    step.snapshots.clear();
                }
                changed = true;
            }
            Event::StepPassed { elapsed, .. } => {
                if let Some(step) = self.step() {
                    let snapshot_failed = step
                        .snapshots
                        .iter()
                        .any(|check| check.verdict.is_failure());
                    step.status = if snapshot_failed {
                        StepStatus::SnapshotFailed
                    } else {
                        StepStatus::Passed
                    };
                    step.seconds = Some(elapsed.as_secs_f64());
                }
                changed = true;
            }
            Event::StepFailed {
                failure,
                attempts,
                not_retried,
            } => {
                if let Some(step) = self.step() {
                    step.status = StepStatus::Failed;
                    for path in [&failure.screenshot, &failure.page_html]
                        .into_iter()
                        .flatten()
                    {
                        if !step.files.contains(path) {
                            step.files.push(path.clone());
                        }
                    }
                    step.failure = Some(failure.clone());
                    step.attempts = *attempts;
                    step.not_retried = not_retried.clone();
                }
                changed = true;
            }
            Event::StepOutside {
                step,
                place,
                guide_words,
            } => {
                self.steps.push(StepModel::new(
                    step.clone(),
                    guide_words.clone(),
                    StepStatus::Outside {
                        place: place.clone(),
                    },
                    0,
                ));
                changed = true;
            }
            Event::StepSkipped { step, reason } => {
                self.steps.push(StepModel::new(
                    step.clone(),
                    String::new(),
                    StepStatus::Skipped {
                        reason: reason.clone(),
                    },
                    0,
                ));
                changed = true;
            }
            Event::StoppedBeforeMutation { action, .. } => {
                if let Some(step) = self.step() {
                    step.status = StepStatus::StoppedBeforeMutation {
                        action: action.clone(),
                    };
                }
                changed = true;
            }
            Event::ScenarioFinished {
                outcome, elapsed, ..
            } => {
                self.outcome = Some(*outcome);
                self.seconds = Some(elapsed.as_secs_f64());
                changed = true;
            }
            Event::ScenarioRetrying {
                next_output_dir, ..
            } => {
                self.retried_in = Some(next_output_dir.clone());
                changed = true;
            }
            Event::ScenarioNotRetried { reason, .. } => {
                self.not_retried = Some(reason.clone());
                changed = true;
            }
            // What the reports do not show: progress within an action, the rehearsal's facts
            // (the rehearsal took them in above), the docs images (the docs table's), and a
            // second start (the run model begins a new scenario for it).
            Event::ScenarioStarted { .. }
            | Event::ActionStarted { .. }
            | Event::Waiting { .. }
            | Event::Fact(_)
            | Event::DocsImage(_) => {}
        }
        changed
    }

    /// A run stopped before this scenario finished: it says where; false when it had finished.
    pub fn interrupt(&mut self) -> bool {
        if self.outcome.is_some() || self.interrupted.is_some() {
            return false;
        }
        let step = self.steps.last().map(|step| step.title.clone());
        self.interrupted = Some(self.interruption.describe(step.as_deref()));
        if let Some(step) = self.steps.last_mut() {
            if step.status == StepStatus::Running {
                step.status = StepStatus::Interrupted;
            }
        }
        true
    }
}

/// The facts of a rehearsal, gathered from `Event::Fact`s as they come.
#[derive(Serialize, Default, Clone)]
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
