//! Executes a scenario's steps in a browser: finds each target the way a person would, waits
//! until it can be acted on (visible, enabled, stable, not covered) within the step's deadline,
//! acts, and reports every step through [`Event`]s. It never prints; reporters do.
//!
//! Failures become a [`StepFailure`] with the scenario location, what was expected, what the
//! page showed, a screenshot and the page's HTML. Secrets never reach an event or a file.

pub mod event;
mod snapshot;

use std::collections::HashMap;
use std::future::Future;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::artifacts::{slug, write_atomically};
use crate::browser::{Browser, BrowserError, ElementHandle};
use crate::carry;
use crate::locate::{self, Candidate, NoSingleMatch};
use crate::redact::Redactor;
use crate::scenario::{Action, ActionKind, Role, Scenario, Step, Target};
pub use event::{
    ArtifactKind, Event, Outcome, Reporter, Reporters, SnapshotCheck, SnapshotKind, StepFailure,
    Verdict,
};
pub use snapshot::SnapshotSettings;

const POLL_INTERVAL: Duration = Duration::from_millis(100);
/// Screenshots taken at most, until two consecutive ones are identical.
const STABLE_SHOTS: usize = 5;
const UNSETTLED: &str =
    "the page never held still for two screenshots in a row; the last one was kept";

/// A screenshot and whether the page held still for it.
struct StableShot {
    png: Vec<u8>,
    settled: bool,
}
/// How long two elements may match equally before that is an error rather than a page in motion.
const AMBIGUITY_GRACE: Duration = Duration::from_secs(1);
/// How long the lock wait gives the console to show that it locked at all.
const LOCK_APPEARANCE: Duration = Duration::from_secs(30);

/// Login credentials; the password is only ever typed into a password field.
#[derive(Clone)]
pub struct Credentials {
    pub username: String,
    pub password: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Credentials {{ username: {:?}, password: <redacted> }}",
            self.username
        )
    }
}

/// Everything the runner needs besides the scenario and the browser.
#[derive(Clone, Debug)]
pub struct RunnerSettings {
    pub console_url: String,
    /// True for the built-in console or with `--apply`: mutating steps may run.
    pub may_mutate: bool,
    pub step_timeout: Duration,
    /// The whole scenario's deadline; a step never waits past it, whatever its own timeout.
    pub scenario_timeout: Duration,
    /// How many times a failed step may be retried, if nothing in it has changed the console.
    pub retries: u32,
    pub credentials: Credentials,
    /// This scenario's output folder.
    pub output_dir: PathBuf,
    pub redactor: Redactor,
    pub snapshots: SnapshotSettings,
}

/// Why an action did not complete.
#[derive(Debug)]
struct ActionFailure {
    expected: String,
    page_showed: String,
}

impl From<BrowserError> for ActionFailure {
    fn from(error: BrowserError) -> Self {
        ActionFailure {
            expected: "the browser to carry out the action".to_string(),
            page_showed: error.to_string(),
        }
    }
}

/// How one attempt at a step ended.
enum StepAttempt {
    Passed,
    StoppedBeforeMutation,
    Failed {
        failure: StepFailure,
        /// A mutating action had started: repeating the step could repeat the change.
        changed_console: bool,
    },
}

/// One poll of a condition.
enum Attempt<T> {
    Done(T),
    /// Not yet; what the page shows instead.
    NotYet(String),
    /// Several elements match; an error once it persists.
    Ambiguous(String),
    /// Will never succeed: fail now.
    Fail(String),
}

/// Runs one scenario to its end and returns its outcome; never panics on page or browser trouble.
pub async fn run_scenario(
    browser: &Browser,
    scenario: &Scenario,
    settings: &RunnerSettings,
    reporter: &mut dyn Reporter,
) -> Outcome {
    let started = Instant::now();
    reporter.on_event(&Event::ScenarioStarted {
        scenario: scenario.name(),
        file: scenario.file.clone(),
        title: scenario.title.clone(),
        console_url: settings.console_url.clone(),
        output_dir: settings.output_dir.clone(),
    });
    let mut run = ScenarioRun {
        browser,
        settings,
        reporter,
        scenario_name: scenario.name(),
        backups: HashMap::new(),
        last_layer: None,
        snapshot_failures: 0,
        new_snapshots: Vec::new(),
        attempt: 1,
        scenario_deadline: started + settings.scenario_timeout,
    };
    let outcome = run.steps(scenario).await;
    run.settle_new_snapshots(&outcome);
    run.reporter.on_event(&Event::ScenarioFinished {
        scenario: scenario.name(),
        outcome: outcome.clone(),
        elapsed: started.elapsed(),
    });
    outcome
}

struct ScenarioRun<'a> {
    browser: &'a Browser,
    settings: &'a RunnerSettings,
    reporter: &'a mut dyn Reporter,
    scenario_name: String,
    /// Layer name → the configuration saved by `back up layer` in this run.
    backups: HashMap<String, String>,
    /// The layer most recently selected, to name merge artifacts.
    last_layer: Option<String>,
    /// Snapshots that changed or had no baseline; the scenario fails at its end if any did.
    snapshot_failures: usize,
    /// Snapshots seen for the first time, written as pending until the scenario's outcome is known.
    new_snapshots: Vec<crate::snapshot::SnapshotId>,
    /// The current step's attempt, from 1; later attempts never write baselines.
    attempt: u32,
    /// No wait goes past this, whatever a step or action allows.
    scenario_deadline: Instant,
}

impl ScenarioRun<'_> {
    async fn steps(&mut self, scenario: &Scenario) -> Outcome {
        if let Err(error) = self.browser.goto(&self.settings.console_url).await {
            let first = &scenario.steps[0];
            self.reporter.on_event(&Event::StepStarted {
                step: first.title(),
                guide_words: first.guide_words.clone(),
            });
            let failure = self
                .failure_report(
                    &scenario.steps[0],
                    &scenario.steps[0].actions[0],
                    ActionFailure {
                        expected: format!("the console to load at {}", self.settings.console_url),
                        page_showed: error.to_string(),
                    },
                )
                .await;
            self.reporter.on_event(&Event::StepFailed {
                failure,
                attempts: 1,
                not_retried: None,
            });
            return Outcome::Failed;
        }
        for step in &scenario.steps {
            let step_started = Instant::now();
            self.reporter.on_event(&Event::StepStarted {
                step: step.title(),
                guide_words: step.guide_words.clone(),
            });
            let max_attempts = self.settings.retries.saturating_add(1);
            self.attempt = 1;
            loop {
                let snapshot_failures_before = self.snapshot_failures;
                let new_snapshots_before = self.new_snapshots.len();
                match self.attempt_step(step).await {
                    StepAttempt::Passed => break,
                    StepAttempt::StoppedBeforeMutation => {
                        return if self.snapshot_failures > 0 {
                            Outcome::Failed
                        } else {
                            Outcome::StoppedBeforeMutation
                        };
                    }
                    StepAttempt::Failed {
                        failure,
                        changed_console,
                    } => {
                        let not_retried = if changed_console {
                            Some("the step had already changed the console".to_string())
                        } else if Instant::now() >= self.scenario_deadline {
                            Some("the scenario's time is up".to_string())
                        } else {
                            None
                        };
                        if self.attempt >= max_attempts || not_retried.is_some() {
                            self.reporter.on_event(&Event::StepFailed {
                                failure,
                                attempts: self.attempt,
                                not_retried: not_retried.filter(|_| max_attempts > 1),
                            });
                            return Outcome::Failed;
                        }
                        self.reporter.on_event(&Event::StepRetrying {
                            failure,
                            attempt: self.attempt,
                            max_attempts,
                        });
                        // What the failed attempt checked is superseded by the next attempt.
                        self.snapshot_failures = snapshot_failures_before;
                        self.new_snapshots.truncate(new_snapshots_before);
                        self.attempt += 1;
                    }
                }
            }
            self.reporter.on_event(&Event::StepPassed {
                step: step.title(),
                elapsed: step_started.elapsed(),
                attempts: self.attempt,
            });
        }
        if self.snapshot_failures > 0 {
            Outcome::Failed
        } else {
            Outcome::Passed
        }
    }

    /// One attempt at a step: its actions in order, from the first.
    async fn attempt_step(&mut self, step: &Step) -> StepAttempt {
        let step_timeout = step.timeout.unwrap_or(self.settings.step_timeout);
        let mut deadline = (Instant::now() + step_timeout).min(self.scenario_deadline);
        // A step marked mutating stops before its first mutating action, or before it starts
        // when no action says which one changes the console.
        let stop_at_any_action = !step.actions.iter().any(|action| action.mutating);
        let mut changed_console = false;
        for action in &step.actions {
            let mutates = step.mutating && (action.mutating || stop_at_any_action);
            if mutates && !self.settings.may_mutate {
                self.reporter.on_event(&Event::StoppedBeforeMutation {
                    step: step.title(),
                    action: action.text.clone(),
                });
                return StepAttempt::StoppedBeforeMutation;
            }
            // From here on a retry could repeat a change, so this step is not retried.
            changed_console |= mutates;
            self.reporter.on_event(&Event::ActionStarted {
                action: action.text.clone(),
            });
            let action_started = Instant::now();
            match self.perform(step, action, deadline).await {
                Ok(note) => {
                    self.reporter.on_event(&Event::ActionPassed {
                        action: action.text.clone(),
                        elapsed: action_started.elapsed(),
                        note: note.map(|note| self.settings.redactor.redact(&note)),
                    });
                    // A wait with its own time (the lock) does not eat the rest of the step's.
                    if let ActionKind::WaitUntilUnlocked { within: Some(_) } = action.kind {
                        deadline = (Instant::now() + step_timeout).min(self.scenario_deadline);
                    }
                }
                Err(failure) => {
                    let failure = self.failure_report(step, action, failure).await;
                    return StepAttempt::Failed {
                        failure,
                        changed_console,
                    };
                }
            }
        }
        StepAttempt::Passed
    }

    /// Leaves a screenshot and the page's HTML beside the report and describes the failure.
    async fn failure_report(
        &mut self,
        step: &Step,
        action: &Action,
        failure: ActionFailure,
    ) -> StepFailure {
        // Every attempt keeps its own evidence: `upgrade-2`, then `upgrade-2-attempt-2`, ...
        let stem = match self.attempt {
            1 => format!("{}-{}", slug(&step.section), step.number),
            attempt => format!("{}-{}-attempt-{attempt}", slug(&step.section), step.number),
        };
        let folder = self.settings.output_dir.join("failures");
        let screenshot = match self.browser.screenshot().await {
            Ok(png) => self.save(
                ArtifactKind::FailureScreenshot,
                folder.join(format!("{stem}.png")),
                &png,
            ),
            Err(_) => None,
        };
        let page_html = match self.browser.html().await {
            Ok(html) => {
                let html = self.settings.redactor.redact(&html);
                self.save(
                    ArtifactKind::FailurePage,
                    folder.join(format!("{stem}.html")),
                    html.as_bytes(),
                )
            }
            Err(_) => None,
        };
        let redact = |text: &str| self.settings.redactor.redact(text);
        StepFailure {
            step: step.title(),
            location: action.location.to_string(),
            action: action.text.clone(),
            expected: redact(&failure.expected),
            page_showed: redact(&failure.page_showed),
            screenshot,
            page_html,
        }
    }

    fn save(&mut self, kind: ArtifactKind, path: PathBuf, bytes: &[u8]) -> Option<PathBuf> {
        match write_atomically(&path, bytes) {
            Ok(()) => {
                self.reporter.on_event(&Event::ArtifactWritten {
                    kind,
                    path: path.clone(),
                });
                Some(path)
            }
            Err(_) => None,
        }
    }

    fn save_or_fail(
        &mut self,
        kind: ArtifactKind,
        path: PathBuf,
        bytes: &[u8],
    ) -> Result<PathBuf, ActionFailure> {
        write_atomically(&path, bytes).map_err(|error| ActionFailure {
            expected: format!("to write {}", path.display()),
            page_showed: error.to_string(),
        })?;
        self.reporter.on_event(&Event::ArtifactWritten {
            kind,
            path: path.clone(),
        });
        Ok(path)
    }

    /// Runs one action; `Ok` carries an optional note for the report.
    async fn perform(
        &mut self,
        step: &Step,
        action: &Action,
        deadline: Instant,
    ) -> Result<Option<String>, ActionFailure> {
        match &action.kind {
            ActionKind::Snapshot { name } => self.snapshot(step, action, name, deadline).await,
            ActionKind::LogIn => self.log_in(action, deadline).await,
            ActionKind::Click(target) => {
                self.click(action, target, deadline).await?;
                if target.role == Role::Layer {
                    self.last_layer = target.label.clone();
                }
                Ok(None)
            }
            ActionKind::Expect(Target {
                role: Role::Text,
                label: Some(text),
                within: None,
            }) => self
                .expect_text(action, text, deadline)
                .await
                .map(|()| None),
            ActionKind::Expect(target) => {
                self.wait_for(action, target, Need::Visible, deadline)
                    .await?;
                Ok(None)
            }
            ActionKind::Screenshot { image_name } => {
                let shot = self.stable_screenshot().await?;
                let stem = image_name
                    .rsplit_once('.')
                    .map(|(stem, _)| stem)
                    .unwrap_or(image_name);
                let path = self
                    .settings
                    .output_dir
                    .join("screenshots")
                    .join(format!("{stem}.png"));
                self.save_or_fail(ArtifactKind::Screenshot, path, &shot.png)?;
                Ok((!shot.settled).then(|| UNSETTLED.to_string()))
            }
            ActionKind::BackUpLayer { layer } => {
                let values = self.open_layer(action, layer, deadline).await?;
                let path = self
                    .settings
                    .output_dir
                    .join("backups")
                    .join(format!("{}.yaml", slug(layer)));
                self.save_or_fail(ArtifactKind::Backup, path.clone(), values.as_bytes())?;
                let lines = values.lines().count();
                self.backups.insert(layer.clone(), values);
                Ok(Some(format!("{lines} lines saved to {}", path.display())))
            }
            ActionKind::Merge {
                from,
                into,
                keeping,
            } => self.merge(action, from, into, keeping, deadline).await,
            ActionKind::CheckLayerKept { layer, keys } => {
                self.check_kept(action, layer, keys, deadline).await
            }
            ActionKind::Type { text, into } => {
                let (field, _) = self
                    .wait_for(action, into, Need::Clickable, deadline)
                    .await?;
                self.browser.type_into(&field, text).await?;
                Ok(None)
            }
            ActionKind::WaitUntilUnlocked { within } => {
                // The lock has its own time; every other action keeps the step's.
                let deadline = match within {
                    Some(within) => (Instant::now() + *within).min(self.scenario_deadline),
                    None => deadline,
                };
                self.wait_until_unlocked(action, deadline).await
            }
        }
    }

    /// Polls `attempt` until it is done, fails, or the deadline passes, reporting progress.
    async fn poll<T, F, Fut>(
        &mut self,
        action: &Action,
        waiting_for: &str,
        deadline: Instant,
        mut attempt: F,
    ) -> Result<T, ActionFailure>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<Attempt<T>, BrowserError>>,
    {
        let started = Instant::now();
        let timeout = deadline.saturating_duration_since(started);
        let mut ambiguous_since: Option<Instant> = None;
        let mut last_report = 0;
        loop {
            let attempt = match attempt().await {
                Err(error) if error.is_stale() => {
                    Attempt::NotYet("the page re-rendered while it was being read".to_string())
                }
                other => other?,
            };
            let page_showed = match attempt {
                Attempt::Done(value) => return Ok(value),
                Attempt::Fail(reason) => {
                    return Err(ActionFailure {
                        expected: waiting_for.to_string(),
                        page_showed: reason,
                    })
                }
                Attempt::Ambiguous(reason) => {
                    let since = *ambiguous_since.get_or_insert_with(Instant::now);
                    if since.elapsed() >= AMBIGUITY_GRACE {
                        return Err(ActionFailure {
                            expected: waiting_for.to_string(),
                            page_showed: reason,
                        });
                    }
                    reason
                }
                Attempt::NotYet(reason) => {
                    ambiguous_since = None;
                    reason
                }
            };
            let elapsed = started.elapsed();
            if Instant::now() >= deadline {
                // An error the console shows usually explains a missing element best.
                let alerts = self.browser.alerts().await.unwrap_or_default();
                let page_showed = match alerts.as_slice() {
                    [] => page_showed,
                    alerts => format!(
                        "{page_showed}; the page says \"{}\"",
                        alerts.join("\" / \"")
                    ),
                };
                return Err(ActionFailure {
                    expected: format!("{waiting_for} (waited {:.1} s)", elapsed.as_secs_f64()),
                    page_showed,
                });
            }
            if elapsed.as_secs() > last_report {
                last_report = elapsed.as_secs();
                self.reporter.on_event(&Event::Waiting {
                    action: action.text.clone(),
                    waiting_for: waiting_for.to_string(),
                    elapsed,
                    timeout,
                    page_says: Some(self.settings.redactor.redact(&page_showed)),
                });
            }
            // A poll interval between checks of a condition, not a wait for the page.
            tokio::time::sleep(POLL_INTERVAL).await;
        }
    }

    async fn wait_for(
        &mut self,
        action: &Action,
        target: &Target,
        need: Need,
        deadline: Instant,
    ) -> Result<(ElementHandle, Candidate), ActionFailure> {
        let browser = self.browser;
        let waiting_for = match need {
            Need::Visible => format!("{target} to be visible"),
            Need::Clickable => format!("{target} to be visible, enabled, stable and not covered"),
        };
        // The element's box at the previous poll: an element is stable when it has not moved.
        let previous_rect = std::cell::Cell::new(None);
        let previous_rect = &previous_rect;
        self.poll(action, &waiting_for, deadline, || async move {
            let (element, candidate) = match find(browser, target).await? {
                Found::One(element, candidate) => (element, candidate),
                Found::Missing(reason) => return Ok(Attempt::NotYet(reason)),
                Found::Ambiguous(reason) => return Ok(Attempt::Ambiguous(reason)),
            };
            let probe = browser.probe(&element).await?;
            let before = previous_rect.replace(probe.rect);
            if !probe.visible {
                let shown = candidate.display_name().to_string();
                return Ok(Attempt::NotYet(format!(
                    "{target} (\"{shown}\") is on the page but hidden"
                )));
            }
            if need == Need::Visible {
                return Ok(Attempt::Done((element, candidate)));
            }
            if !probe.enabled {
                return Ok(Attempt::NotYet(format!("{target} is disabled")));
            }
            if let Some(cover) = probe.covered_by {
                return Ok(Attempt::NotYet(format!("{target} is covered by {cover}")));
            }
            if probe.rect.is_none() || probe.rect != before {
                return Ok(Attempt::NotYet(format!("{target} is still moving")));
            }
            Ok(Attempt::Done((element, candidate)))
        })
        .await
    }

    /// Clicks a target once it can be clicked; when the target shows a selected state (tabs,
    /// layers), waits until the click has selected it.
    async fn click(
        &mut self,
        action: &Action,
        target: &Target,
        deadline: Instant,
    ) -> Result<(), ActionFailure> {
        loop {
            let (element, candidate) = self
                .wait_for(action, target, Need::Clickable, deadline)
                .await?;
            match self.browser.click(&element).await {
                Ok(()) => {
                    if candidate.selected == Some(false) {
                        self.wait_selected(action, target, deadline).await?;
                    }
                    return Ok(());
                }
                // The page moved or re-rendered between the check and the click: check again.
                Err(_) if Instant::now() < deadline => continue,
                Err(error) => return Err(BrowserError::from(error).into()),
            }
        }
    }

    async fn wait_selected(
        &mut self,
        action: &Action,
        target: &Target,
        deadline: Instant,
    ) -> Result<(), ActionFailure> {
        let browser = self.browser;
        let waiting_for = format!("{target} to become selected after the click");
        self.poll(action, &waiting_for, deadline, || async move {
            Ok(match find(browser, target).await? {
                Found::One(_, candidate) if candidate.selected != Some(false) => Attempt::Done(()),
                Found::One(_, _) => Attempt::NotYet(format!("{target} is not selected")),
                // The click navigated away: nothing left to check.
                Found::Missing(_) => Attempt::Done(()),
                Found::Ambiguous(reason) => Attempt::Ambiguous(reason),
            })
        })
        .await
    }

    async fn expect_text(
        &mut self,
        action: &Action,
        text: &str,
        deadline: Instant,
    ) -> Result<(), ActionFailure> {
        let browser = self.browser;
        let wanted = collapse(text);
        let wanted = &wanted;
        self.poll(
            action,
            &format!("the page to show the text \"{text}\""),
            deadline,
            || async move {
                let page = browser.page_text().await?;
                if collapse(&page).contains(wanted.as_str()) {
                    return Ok(Attempt::Done(()));
                }
                Ok(Attempt::NotYet(closest_lines(wanted, &page)))
            },
        )
        .await
    }

    /// Retakes the screenshot until two consecutive shots are byte-identical, at most
    /// [`STABLE_SHOTS`] times; `settled` says whether two ever agreed.
    async fn stable_screenshot(&mut self) -> Result<StableShot, ActionFailure> {
        let mut previous = self.browser.screenshot().await?;
        for _ in 1..STABLE_SHOTS {
            let next = self.browser.screenshot().await?;
            if next == previous {
                return Ok(StableShot {
                    png: next,
                    settled: true,
                });
            }
            previous = next;
        }
        Ok(StableShot {
            png: previous,
            settled: false,
        })
    }

    /// Reads an editor's text once two consecutive reads agree.
    async fn read_stable(
        &mut self,
        action: &Action,
        editor: &EditorQuery,
        deadline: Instant,
    ) -> Result<String, ActionFailure> {
        let browser = self.browser;
        let previous = std::cell::RefCell::new(None::<String>);
        let previous = &previous;
        self.poll(
            action,
            &format!("{editor} to show a settled text"),
            deadline,
            || async move {
                let element = match editor.find(browser).await? {
                    Found::One(element, _) => element,
                    Found::Missing(reason) => return Ok(Attempt::NotYet(reason)),
                    Found::Ambiguous(reason) => return Ok(Attempt::Ambiguous(reason)),
                };
                let text = browser.read_text(&element).await?;
                let before = previous.replace(Some(text.clone()));
                Ok(if before.as_deref() == Some(text.as_str()) {
                    Attempt::Done(text)
                } else {
                    Attempt::NotYet(format!("{editor} is still changing"))
                })
            },
        )
        .await
    }

    /// Selects a profile layer and returns the text of the page's editor.
    async fn open_layer(
        &mut self,
        action: &Action,
        layer: &str,
        deadline: Instant,
    ) -> Result<String, ActionFailure> {
        let target = Target {
            role: Role::Layer,
            label: Some(layer.to_string()),
            within: None,
        };
        let editor = EditorQuery::OfLayer(layer.to_string());
        // A console may show a layer to click, or every layer's values at once, each editor
        // titled with its layer: a person reads the right one without clicking anything.
        let browser = self.browser;
        let (target_ref, editor_ref) = (&target, &editor);
        let opening = self
            .poll(
                action,
                &format!("layer \"{layer}\" to be selectable or its values visible"),
                deadline,
                || async move {
                    Ok(match find(browser, target_ref).await? {
                        Found::One(..) => Attempt::Done(LayerOpening::Click),
                        Found::Ambiguous(reason) => Attempt::Ambiguous(reason),
                        Found::Missing(reason) => match editor_ref.find(browser).await? {
                            Found::One(..)
                                if browser
                                    .collect(Role::Editor.script_name(), None)
                                    .await?
                                    .len()
                                    > 1 =>
                            {
                                Attempt::Done(LayerOpening::AlreadyShown)
                            }
                            _ => Attempt::NotYet(reason),
                        },
                    })
                },
            )
            .await?;
        if opening == LayerOpening::Click {
            self.click(action, &target, deadline).await?;
        }
        self.last_layer = Some(layer.to_string());
        self.read_stable(action, &editor, deadline).await
    }

    async fn merge(
        &mut self,
        action: &Action,
        from: &Target,
        into: &Target,
        keeping: &[String],
        deadline: Instant,
    ) -> Result<Option<String>, ActionFailure> {
        let incoming = self
            .read_stable(action, &EditorQuery::Target(from.clone()), deadline)
            .await?;
        let current = self
            .read_stable(action, &EditorQuery::Target(into.clone()), deadline)
            .await?;
        let merged = carry::merge(&incoming, &current, keeping);
        let (element, _) = self.wait_for(action, into, Need::Visible, deadline).await?;
        self.browser.write_text(&element, &merged.text).await?;
        let written = self
            .read_stable(action, &EditorQuery::Target(into.clone()), deadline)
            .await?;
        // Rich editors may add blank lines or trailing spaces around pasted text; YAML does not care.
        if meaningful_lines(&written) != meaningful_lines(&merged.text) {
            return Err(ActionFailure {
                expected: format!("{into} to hold the merged configuration after pasting it"),
                page_showed: format!(
                    "{into} holds {} lines instead of {}",
                    written.lines().count(),
                    merged.text.lines().count()
                ),
            });
        }
        let name = slug(self.last_layer.as_deref().unwrap_or("layer"));
        let folder = self.settings.output_dir.join("merges");
        self.save_or_fail(
            ArtifactKind::Merge,
            folder.join(format!("{name}.incoming.yaml")),
            incoming.as_bytes(),
        )?;
        self.save_or_fail(
            ArtifactKind::Merge,
            folder.join(format!("{name}.current.yaml")),
            current.as_bytes(),
        )?;
        self.save_or_fail(
            ArtifactKind::Merge,
            folder.join(format!("{name}.merged.yaml")),
            merged.text.as_bytes(),
        )?;
        let mut notes: Vec<String> = merged
            .carried
            .iter()
            .map(|carried| match &carried.incoming_value {
                Some(incoming) => format!(
                    "kept {} = {} (incoming {})",
                    carried.path, carried.kept_value, incoming
                ),
                None => format!("kept {} = {} (added)", carried.path, carried.kept_value),
            })
            .collect();
        if !merged.absent.is_empty() {
            notes.push(format!(
                "not set in the current configuration: {}",
                merged.absent.join(", ")
            ));
        }
        if notes.is_empty() {
            notes.push("incoming configuration taken as is".to_string());
        }
        Ok(Some(notes.join("; ")))
    }

    async fn check_kept(
        &mut self,
        action: &Action,
        layer: &str,
        keys: &[String],
        deadline: Instant,
    ) -> Result<Option<String>, ActionFailure> {
        let Some(backup) = self.backups.get(layer).cloned() else {
            return Err(ActionFailure {
                expected: format!("a backup of layer \"{layer}\" taken earlier in this run"),
                page_showed: format!(
                    "no backup was taken; add `back up layer \"{layer}\"` before the upgrade"
                ),
            });
        };
        let now = self.open_layer(action, layer, deadline).await?;
        let before = carry::values_of(&backup, keys);
        let after = carry::values_of(&now, keys);
        let mut lost = Vec::new();
        let mut kept = Vec::new();
        for ((key, old), (_, new)) in before.iter().zip(&after) {
            match (old, new) {
                (None, _) => kept.push(format!("{key} (not set before the upgrade)")),
                (Some(old), Some(new)) if old == new => kept.push(format!("{key} = {new}")),
                (Some(old), new) => lost.push(format!(
                    "{key} was {old} before the upgrade and is now {}",
                    new.as_deref().unwrap_or("missing")
                )),
            }
        }
        if lost.is_empty() {
            Ok(Some(format!("kept {}", kept.join(", "))))
        } else {
            Err(ActionFailure {
                expected: format!("layer \"{layer}\" to keep {}", keys.join(", ")),
                page_showed: lost.join("; "),
            })
        }
    }

    /// Logs in through whatever login form the console shows; does nothing when logged in.
    async fn log_in(
        &mut self,
        action: &Action,
        deadline: Instant,
    ) -> Result<Option<String>, ActionFailure> {
        let browser = self.browser;
        let page = self
            .poll(
                action,
                "a login form or the Main Menu",
                deadline,
                || async move {
                    if browser.login_form().await?.has_password_field {
                        return Ok(Attempt::Done(true));
                    }
                    if main_menu_usable(browser).await? {
                        return Ok(Attempt::Done(false));
                    }
                    Ok(Attempt::NotYet(page_summary(browser).await?))
                },
            )
            .await?;
        if !page {
            return Ok(Some("already logged in".to_string()));
        }
        loop {
            let username_field = self
                .find_field(
                    action,
                    &["Username", "Email", "Email address", "User name"],
                    deadline,
                )
                .await?;
            let password_field = self.find_field(action, &["Password"], deadline).await?;
            self.browser
                .type_into(&username_field, &self.settings.credentials.username)
                .await?;
            self.browser
                .type_into(&password_field, &self.settings.credentials.password)
                .await?;
            self.browser.submit_form_of(&password_field).await?;
            let answer = self
                .poll(action, "the console to accept the login", deadline, || async move {
                    let form = browser.login_form().await?;
                    if !form.has_password_field {
                        return Ok(Attempt::Done(LoginAnswer::Accepted));
                    }
                    if asks_for_new_password(browser).await? {
                        return Ok(Attempt::Fail(
                            "the console accepted the login but asks for a new password (a first login): set one in \
                             the console, then pass it in PALETTE_PASSWORD"
                                .to_string(),
                        ));
                    }
                    if form.alert.is_empty() {
                        return Ok(Attempt::NotYet("the login form is still shown".to_string()));
                    }
                    // A console that is still locked refuses logins until it unlocks: try again.
                    if form.alert.to_lowercase().contains("lock") {
                        return Ok(Attempt::Done(LoginAnswer::Locked(form.alert)));
                    }
                    Ok(Attempt::Fail(format!(
                        "the console refused the login: \"{}\"; check PALETTE_USERNAME and PALETTE_PASSWORD",
                        form.alert
                    )))
                })
                .await?;
            match answer {
                LoginAnswer::Accepted => return Ok(Some("logged in".to_string())),
                LoginAnswer::Locked(alert) if Instant::now() >= deadline => {
                    return Err(ActionFailure {
                        expected: "the console to accept the login".to_string(),
                        page_showed: format!("the console is still locked: \"{alert}\""),
                    })
                }
                LoginAnswer::Locked(alert) => {
                    self.reporter.on_event(&Event::Waiting {
                        action: action.text.clone(),
                        waiting_for: "the console to accept logins".to_string(),
                        elapsed: Duration::ZERO,
                        timeout: deadline.saturating_duration_since(Instant::now()),
                        page_says: Some(alert),
                    });
                    // Poll interval before the next attempt, not a wait for the page.
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
            }
        }
    }

    /// The first of `labels` that names a visible field.
    async fn find_field(
        &mut self,
        action: &Action,
        labels: &[&str],
        deadline: Instant,
    ) -> Result<ElementHandle, ActionFailure> {
        let browser = self.browser;
        let waiting_for = format!(
            "a field labelled {}",
            labels
                .iter()
                .map(|label| format!("\"{label}\""))
                .collect::<Vec<_>>()
                .join(" or ")
        );
        self.poll(action, &waiting_for, deadline, || async move {
            let candidates = browser.collect(Role::Field.script_name(), None).await?;
            let names: Vec<Candidate> = candidates
                .iter()
                .map(|(_, candidate)| candidate.clone())
                .collect();
            let mut last_miss = String::new();
            for label in labels {
                match locate::choose(Some(label), &names) {
                    Ok(index) => return Ok(Attempt::Done(candidates[index].0.clone())),
                    Err(miss) => last_miss = miss.explain(&format!("field \"{label}\"")),
                }
            }
            Ok(Attempt::NotYet(last_miss))
        })
        .await
    }

    /// Waits through the upgrade lock: first for the console to lock (or log out), then until a
    /// login form or a usable Main Menu is back, reporting the lock screen's progress.
    async fn wait_until_unlocked(
        &mut self,
        action: &Action,
        deadline: Instant,
    ) -> Result<Option<String>, ActionFailure> {
        let browser = self.browser;
        let started = Instant::now();
        let appearance_deadline = deadline.min(Instant::now() + LOCK_APPEARANCE);
        let saw_lock = self
            .poll(
                action,
                "the console to lock for the upgrade",
                appearance_deadline,
                || async move {
                    if browser.login_form().await?.has_password_field
                        || browser.blocking_status().await?.is_some()
                        || !main_menu_usable(browser).await?
                    {
                        return Ok(Attempt::Done(()));
                    }
                    Ok(Attempt::NotYet("the console is still usable".to_string()))
                },
            )
            .await
            .is_ok();
        self.poll(action, "the console to unlock", deadline, || async move {
            let busy = browser.blocking_status().await?;
            if busy.is_none()
                && (browser.login_form().await?.has_password_field
                    || main_menu_usable(browser).await?)
            {
                return Ok(Attempt::Done(()));
            }
            Ok(Attempt::NotYet(match busy {
                Some(status) => status,
                None => page_summary(browser).await?,
            }))
        })
        .await?;
        let seconds = started.elapsed().as_secs_f64();
        Ok(Some(if saw_lock {
            format!("the console was locked and unlocked after {seconds:.1} s")
        } else {
            format!(
                "the console never showed a lock within {} s",
                LOCK_APPEARANCE.as_secs()
            )
        }))
    }
}

/// A first login's password change: a visible field named "New password".
async fn asks_for_new_password(browser: &Browser) -> Result<bool, BrowserError> {
    let fields = browser.collect(Role::Field.script_name(), None).await?;
    Ok(fields.iter().any(|(_, field)| {
        field
            .names
            .iter()
            .any(|name| name.to_lowercase().contains("new password"))
    }))
}

/// A person could use the Main Menu now: some menu item is visible and nothing covers it.
async fn main_menu_usable(browser: &Browser) -> Result<bool, BrowserError> {
    let items = browser.collect(Role::MenuItem.script_name(), None).await?;
    for (element, _) in items.iter().take(3) {
        let probe = browser.probe(element).await?;
        if probe.visible && probe.covered_by.is_none() {
            return Ok(true);
        }
    }
    Ok(false)
}

/// The first line or two of what the page says, for progress and failure messages.
async fn page_summary(browser: &Browser) -> Result<String, BrowserError> {
    let text = browser.page_text().await?;
    let summary: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .take(3)
        .collect();
    Ok(if summary.is_empty() {
        format!(
            "an empty page at {}",
            browser.current_url().await.unwrap_or_default()
        )
    } else {
        format!("the page shows \"{}\"", summary.join(" / "))
    })
}

fn meaningful_lines(text: &str) -> Vec<&str> {
    text.lines()
        .map(str::trim_end)
        .filter(|line| !line.is_empty())
        .collect()
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The page's lines most like `wanted`, for a failed text expectation.
fn closest_lines(wanted: &str, page: &str) -> String {
    let lines = page.lines().map(|line| line.trim().to_string());
    let closest = locate::most_similar(wanted, lines, 3);
    if closest.is_empty() {
        return "the text is not on the page, which shows no text".to_string();
    }
    format!(
        "the text is not on the page; closest lines: {}",
        closest
            .iter()
            .map(|line| format!("\"{line}\""))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum LayerOpening {
    /// The layer is an element to click, after which its values show.
    Click,
    /// Several editors are shown at once and one is titled with the layer.
    AlreadyShown,
}

enum LoginAnswer {
    Accepted,
    /// The console refused because it is locked; the alert says so.
    Locked(String),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Need {
    Visible,
    Clickable,
}

enum Found {
    One(ElementHandle, Candidate),
    Missing(String),
    Ambiguous(String),
}

/// Which editor to read.
enum EditorQuery {
    Target(Target),
    /// The editor showing a profile layer: the only visible editor, or, when several are
    /// visible, the one titled with the layer's name.
    OfLayer(String),
}

impl std::fmt::Display for EditorQuery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EditorQuery::Target(target) => write!(f, "{target}"),
            EditorQuery::OfLayer(layer) => write!(f, "the editor of layer \"{layer}\""),
        }
    }
}

impl EditorQuery {
    async fn find(&self, browser: &Browser) -> Result<Found, BrowserError> {
        let layer = match self {
            EditorQuery::Target(target) => return find(browser, target).await,
            EditorQuery::OfLayer(layer) => layer,
        };
        let mut editors = browser.collect(Role::Editor.script_name(), None).await?;
        if editors.len() == 1 {
            let (element, candidate) = editors.remove(0);
            return Ok(Found::One(element, candidate));
        }
        let names: Vec<Candidate> = editors
            .iter()
            .map(|(_, candidate)| candidate.clone())
            .collect();
        let described = format!("editor \"{layer}\"");
        Ok(
            match choose_with_aliases(Role::Layer, Some(layer), &names) {
                Ok(index) => {
                    let (element, candidate) = editors.swap_remove(index);
                    Found::One(element, candidate)
                }
                Err(miss @ NoSingleMatch::Ambiguous { .. }) => {
                    Found::Ambiguous(miss.explain(&described))
                }
                Err(miss) => Found::Missing(miss.explain(&described)),
            },
        )
    }
}

/// [`locate::choose`], trying a layer's other names (Calico for CNI, ...) when its own matches nothing.
fn choose_with_aliases(
    role: Role,
    label: Option<&str>,
    names: &[Candidate],
) -> Result<usize, NoSingleMatch> {
    let first = locate::choose(label, names);
    let (Err(NoSingleMatch::NotFound { .. }), Role::Layer, Some(label)) = (&first, role, label)
    else {
        return first;
    };
    for alias in locate::layer_aliases(label) {
        if let Ok(index) = locate::choose(Some(alias), names) {
            return Ok(index);
        }
    }
    first
}

/// Resolves a target, scope by scope, without waiting.
async fn find(browser: &Browser, target: &Target) -> Result<Found, BrowserError> {
    let mut chain = vec![target];
    while let Some(within) = chain.last().and_then(|target| target.within.as_deref()) {
        chain.push(within);
    }
    let mut scope: Option<ElementHandle> = None;
    let mut found = None;
    for current in chain.into_iter().rev() {
        let candidates = browser
            .collect(current.role.script_name(), scope.as_ref())
            .await?;
        let names: Vec<Candidate> = candidates
            .iter()
            .map(|(_, candidate)| candidate.clone())
            .collect();
        let described = describe_without_scope(current);
        match choose_with_aliases(current.role, current.label.as_deref(), &names) {
            Ok(index) => {
                let (element, candidate) = candidates
                    .into_iter()
                    .nth(index)
                    .expect("index from choose");
                scope = Some(element.clone());
                found = Some((element, candidate));
            }
            Err(miss @ NoSingleMatch::Ambiguous { .. }) => {
                return Ok(Found::Ambiguous(miss.explain(&described)))
            }
            Err(miss) => return Ok(Found::Missing(miss.explain(&described))),
        }
    }
    Ok(match found {
        Some((element, candidate)) => Found::One(element, candidate),
        None => Found::Missing(format!("no {target}")),
    })
}

fn describe_without_scope(target: &Target) -> String {
    Target {
        role: target.role,
        label: target.label.clone(),
        within: None,
    }
    .to_string()
}
