//! Executes a scenario's steps in a browser: finds each target the way a person would, waits
//! until it can be acted on (visible, enabled, stable, not covered) within the step's deadline,
//! acts, and reports every step through [`Event`]s. It never prints; reporters do.
//!
//! Failures become a [`StepFailure`] with the scenario location, what was expected, what the
//! page showed, a screenshot and the page's HTML. Secrets never reach an event or a file.

mod drift;
mod failure;
#[cfg(test)]
mod fake_page;
mod find;
mod layers;
mod page;
mod rehearsal;
#[cfg(test)]
mod runs_on_a_fake_page;
mod session;
mod shots;
mod snapshot;
mod wait;

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::artifacts::{slug, write_atomically};
use crate::browser::{Browser, BrowserError};
use crate::event::{ArtifactKind, Event, Fact, Outcome, Reporter, StepFailure};
use crate::redact::{Credentials, Redactor};
use crate::scenario::{Action, ActionKind, Role, Scenario, Step, Target};
use crate::trace::ActionRecord;
pub use snapshot::SnapshotSettings;

use find::Need;
use page::Page;
use wait::UNSETTLED;

/// How long `wait until unlocked` waits when the scenario does not say: the guide's "couple of
/// minutes", with room for a slow install.
const DEFAULT_LOCK_DEADLINE: Duration = Duration::from_secs(30 * 60);

/// Everything the runner needs besides the scenario and the browser.
#[derive(Clone, Debug)]
pub struct RunnerSettings {
    pub console: crate::settings::ConsoleAddress,
    /// True for the built-in console or with `--apply`: mutating steps may run.
    pub may_mutate: bool,
    pub step_timeout: Duration,
    /// The whole scenario's deadline; a step never waits past it, whatever its own timeout.
    pub scenario_timeout: Duration,
    /// How many times a failed step may be retried, if nothing in it has changed the console.
    pub retries: u32,
    /// Which attempt at the whole scenario this is, from 1 (`--scenario-retries`). Captures of
    /// a later attempt, like those of a step's retry, never become baselines.
    pub scenario_attempt: u32,
    pub credentials: Credentials,
    /// This scenario's output folder.
    pub output_dir: PathBuf,
    pub redactor: Redactor,
    pub snapshots: SnapshotSettings,
    /// Go on when `check upgrade path` finds a path the docs do not support.
    pub allow_unsupported_path: bool,
    /// One YAML file per layer (`kubernetes.yaml`, …) with the values support sent.
    pub support_values: Option<PathBuf>,
    /// How the console's certificate was checked, for the report; `None` over http.
    pub certificate: Option<String>,
    /// Docs mode (`shoot`): where the guides' images go.
    pub docs: Option<crate::docs::DocsOutput>,
    /// `--propose-fixes`: where a renamed label's patches go, and the docs checkout whose guide
    /// quotes it.
    pub propose_fixes: Option<crate::settings::ProposeFixes>,
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

/// Runs one scenario to its end in a browser and returns its outcome; never panics on page or
/// browser trouble.
pub async fn run_scenario(
    browser: &Browser,
    scenario: &Scenario,
    settings: &RunnerSettings,
    reporter: &mut dyn Reporter,
) -> Outcome {
    run_scenario_on(browser, scenario, settings, reporter).await
}

/// [`run_scenario`] on any page the runner can drive.
async fn run_scenario_on(
    browser: &impl Page,
    scenario: &Scenario,
    settings: &RunnerSettings,
    reporter: &mut dyn Reporter,
) -> Outcome {
    let started = Instant::now();
    reporter.on_event(&Event::ScenarioStarted {
        scenario: scenario.name(),
        file: scenario.file.clone(),
        title: scenario.title.clone(),
        console_url: settings.console.url.clone(),
        output_dir: settings.output_dir.clone(),
        attempt: settings.scenario_attempt,
    });
    if let Some(verdict) = &settings.certificate {
        reporter.on_event(&Event::Fact(Fact::Certificate {
            verdict: verdict.clone(),
        }));
    }
    let mut run = ScenarioRun {
        browser,
        scenario,
        settings,
        reporter,
        scenario_name: scenario.name(),
        backups: HashMap::new(),
        merges: HashMap::new(),
        captured: rehearsal::CapturedValues::new(),
        last_layer: None,
        snapshot_failures: 0,
        new_snapshots: Vec::new(),
        attempt: 1,
        scenario_deadline: started + settings.scenario_timeout,
        console_version: None,
        highlight_style: scenario.highlight,
    };
    let outcome = run.steps(scenario).await;
    run.settle_new_snapshots(&outcome);
    run.reporter.on_event(&Event::ScenarioFinished {
        scenario: scenario.name(),
        outcome,
        elapsed: started.elapsed(),
    });
    outcome
}

struct ScenarioRun<'a, P: Page> {
    browser: &'a P,
    scenario: &'a Scenario,
    settings: &'a RunnerSettings,
    reporter: &'a mut dyn Reporter,
    scenario_name: String,
    /// Layer name → the configuration saved by `back up layer` in this run.
    backups: HashMap<String, String>,
    /// Layer name → what `merge … keeping customizations` carried, for the check after the upgrade.
    merges: HashMap<String, layers::LayerMerge>,
    /// Versions read from the console, for `when` conditions.
    captured: rehearsal::CapturedValues,
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
    /// The Palette version the console last showed, as the run read it (for the docs manifest).
    console_version: Option<String>,
    /// How screenshots draw highlights (the scenario's `[highlight]`).
    highlight_style: crate::scenario::HighlightStyle,
}

impl<P: Page> ScenarioRun<'_, P> {
    async fn steps(&mut self, scenario: &Scenario) -> Outcome {
        if let Some(page_showed) = self.open_console().await {
            // The first step done in the console (the parser makes sure there is one).
            let first = scenario
                .steps
                .iter()
                .find(|step| !step.actions.is_empty())
                .unwrap_or(&scenario.steps[0]);
            self.reporter.on_event(&Event::StepStarted {
                step: first.title(),
                guide_words: first.guide_words.clone(),
            });
            let failure = self
                .failure_report(
                    first,
                    &first.actions[0],
                    ActionFailure {
                        expected: format!("the console to load at {}", self.settings.console.url),
                        page_showed,
                    },
                    &[],
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
            if let Some(place) = &step.outside {
                self.reporter.on_event(&Event::StepOutside {
                    step: step.title(),
                    place: place.clone(),
                    guide_words: step.guide_words.clone(),
                });
                continue;
            }
            if let Some(condition) = &step.when {
                match self.condition_holds(condition) {
                    Ok((true, _)) => {}
                    Ok((false, reason)) => {
                        self.reporter.on_event(&Event::StepSkipped {
                            step: step.title(),
                            reason: format!("`when = \"{condition}\"` does not hold: {reason}"),
                        });
                        continue;
                    }
                    Err(reason) => {
                        self.reporter.on_event(&Event::StepStarted {
                            step: step.title(),
                            guide_words: step.guide_words.clone(),
                        });
                        let failure = ActionFailure {
                            expected: format!("the values `when = \"{condition}\"` compares"),
                            page_showed: reason,
                        };
                        let failure = self
                            .failure_report(step, &step.actions[0], failure, &[])
                            .await;
                        self.reporter.on_event(&Event::StepFailed {
                            failure,
                            attempts: 1,
                            not_retried: None,
                        });
                        return Outcome::Failed;
                    }
                }
            }
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

    /// Opens the console's URL; `Some` says why the console's page is not what the browser shows.
    async fn open_console(&mut self) -> Option<String> {
        if let Err(error) = self.browser.goto(&self.settings.console.url).await {
            if error.is_insecure_certificate() {
                let mut explained = "the browser's answer, insecure certificate. The browser refused the console's certificate, before any credential was typed".to_string();
                explained.push_str(&self.how_to_trust().await);
                return Some(explained);
            }
            let said = error.to_string();
            if said.to_lowercase().contains("timed out") || said.to_lowercase().contains("timeout")
            {
                return Some(format!(
                    "the console at {} accepted the connection but sent no page within {} s (the page-load timeout, which --timeout sets); the browser said: {said}",
                    self.settings.console.url,
                    self.settings.step_timeout.as_secs()
                ));
            }
            return Some(said);
        }
        if let Ok(Some(status)) = self.browser.response_status().await {
            if status >= 400 {
                let page = self.browser.page_text().await.unwrap_or_default();
                let first_line = page
                    .lines()
                    .map(str::trim)
                    .find(|line| !line.is_empty())
                    .unwrap_or("");
                return Some(format!(
                    "the console at {} answered HTTP {status}: \"{}\"",
                    self.settings.console.url,
                    first_line.chars().take(160).collect::<String>()
                ));
            }
        }
        match self.browser.error_page().await {
            Ok(None) => None,
            Ok(Some(text)) => {
                let mut explained = explain_error_page(&text);
                if is_certificate_error(&explained) {
                    explained.push_str(&self.how_to_trust().await);
                }
                Some(explained)
            }
            Err(error) => Some(error.to_string()),
        }
    }

    /// The pin of the certificate the console presents, and the flags that trust it.
    async fn how_to_trust(&self) -> String {
        let (host, port) = (&self.settings.console.host, self.settings.console.port);
        let pin = match crate::tls::presented_certificate(host, port).await {
            Ok(presented) => format!(
                "; it presents a certificate whose key is sha256/{}: rerun with --trust-cert sha256/{} to trust exactly that certificate, ",
                presented.pin, presented.pin
            ),
            Err(error) => format!("; its certificate could not be read ({error}): rerun "),
        };
        format!("{pin}with --ca-cert FILE naming your console's CA, or with --insecure to accept any certificate unchecked")
    }

    /// One attempt at a step: its actions in order, from the first.
    async fn attempt_step(&mut self, step: &Step) -> StepAttempt {
        let step_timeout = step.timeout.unwrap_or(self.settings.step_timeout);
        let mut deadline = (Instant::now() + step_timeout).min(self.scenario_deadline);
        // A step marked mutating stops before its first mutating action, or before it starts
        // when no action says which one changes the console.
        let stop_at_any_action = !step.actions.iter().any(|action| action.mutating);
        let mut changed_console = false;
        let attempt_started = Instant::now();
        let mut records: Vec<ActionRecord> = Vec::new();
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
                mutating: mutates,
            });
            let action_started = Instant::now();
            let record = |status, note: Option<String>| ActionRecord {
                action: action.text.clone(),
                location: action.location.to_string(),
                started_at: action_started.duration_since(attempt_started).as_secs_f64(),
                seconds: action_started.elapsed().as_secs_f64(),
                status,
                note,
            };
            match self.perform(step, action, deadline).await {
                Ok(note) => {
                    let note = note.map(|note| self.settings.redactor.redact(&note));
                    records.push(record("passed", note.clone()));
                    self.reporter.on_event(&Event::ActionPassed {
                        action: action.text.clone(),
                        elapsed: action_started.elapsed(),
                        note,
                    });
                    // A wait with its own time (the lock) does not eat the rest of the step's.
                    if let ActionKind::WaitUntilUnlocked { .. } = action.kind {
                        deadline = (Instant::now() + step_timeout).min(self.scenario_deadline);
                    }
                }
                Err(failure) => {
                    records.push(record("failed", None));
                    let failure = self.failure_report(step, action, failure, &records).await;
                    return StepAttempt::Failed {
                        failure,
                        changed_console,
                    };
                }
            }
        }
        StepAttempt::Passed
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

    /// `backups/manifest.json`: every backup of this run with its size and SHA-256, written
    /// atomically and synced before the scenario goes on (and so before any change).
    fn write_backup_manifest(&mut self) -> Result<(), ActionFailure> {
        #[derive(serde::Serialize)]
        struct Entry<'a> {
            layer: &'a str,
            file: String,
            bytes: usize,
            sha256: String,
        }
        let mut entries: Vec<Entry> = self
            .backups
            .iter()
            .map(|(layer, values)| Entry {
                layer,
                file: format!("{}.yaml", slug(layer)),
                bytes: values.len(),
                sha256: sha256_hex(values.as_bytes()),
            })
            .collect();
        entries.sort_by(|a, b| a.layer.cmp(b.layer));
        let manifest = serde_json::to_vec_pretty(&entries).unwrap_or_default();
        let path = self
            .settings
            .output_dir
            .join("backups")
            .join("manifest.json");
        self.save_or_fail(ArtifactKind::Backup, path, &manifest)?;
        Ok(())
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
            ActionKind::Expect(Target {
                role: Role::Text,
                label: Some(text),
                within: Some(scope),
            }) => self
                .expect_text_within(action, text, scope, deadline)
                .await
                .map(|()| None),
            ActionKind::Expect(target) => {
                self.wait_for(action, target, Need::Visible, deadline)
                    .await?;
                Ok(None)
            }
            ActionKind::Screenshot(shot) => {
                let style = self.highlight_style;
                self.screenshot(step, action, shot, &style, deadline).await
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
                let sha256 = sha256_hex(values.as_bytes());
                self.reporter.on_event(&Event::Fact(Fact::Backup {
                    layer: layer.clone(),
                    path: path.clone(),
                    bytes: values.len() as u64,
                    sha256: sha256.clone(),
                }));
                self.backups.insert(layer.clone(), values);
                self.write_backup_manifest()?;
                Ok(Some(format!(
                    "{lines} lines saved to {} (SHA-256 {})",
                    path.display(),
                    &sha256[..12]
                )))
            }
            ActionKind::Merge {
                from,
                into,
                keeping,
            } => self.merge(action, from, into, keeping, deadline).await,
            ActionKind::CheckLayerKept { layer, keeping } => {
                self.check_kept(action, layer, keeping, deadline).await
            }
            ActionKind::ReadInstalledVersion => self.read_installed_version(action, deadline).await,
            ActionKind::CheckUpgradePath => self.check_upgrade_path(action, deadline).await,
            ActionKind::ExpectUpgradedVersion => {
                self.expect_upgraded_version(action, deadline).await
            }
            ActionKind::ReplaceWithSupportValues { layer } => {
                self.replace_with_support_values(action, layer, deadline)
                    .await
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
                let own = Instant::now() + within.unwrap_or(DEFAULT_LOCK_DEADLINE);
                let ended_by = if own > self.scenario_deadline {
                    "the scenario's deadline, --scenario-timeout"
                } else if within.is_some() {
                    "the lock's deadline, `wait until unlocked within …`"
                } else {
                    "the lock's deadline, 30 minutes unless `wait until unlocked within …` says otherwise"
                };
                self.wait_until_unlocked(action, own.min(self.scenario_deadline), ended_by)
                    .await
            }
        }
    }
}

fn pretty_json<T: serde::Serialize + ?Sized>(value: &T) -> Vec<u8> {
    serde_json::to_vec_pretty(value).unwrap_or_default()
}

/// Lower-case hex SHA-256, as `sha256sum` prints it.
fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// The browser's error page in one line, with what to do about a refused certificate.
fn explain_error_page(text: &str) -> String {
    let code = text
        .split_whitespace()
        .find(|word| {
            word.contains("ERR_") || word.contains("SEC_ERROR") || word.contains("SSL_ERROR")
        })
        .map(|word| {
            word.trim_matches(|character: char| {
                !character.is_ascii_alphanumeric() && character != '_' && character != ':'
            })
        });
    let mut explained = match code {
        Some(code) => format!("the browser's own error page, {code}"),
        None => format!("the browser's own error page: \"{text}\""),
    };
    if code.is_some_and(|code| {
        code.contains("CERT") || code.contains("SSL") || code.contains("SEC_ERROR")
    }) {
        explained.push_str(
            ". The browser refused the console's certificate, before any credential was typed",
        );
    }
    explained
}

fn is_certificate_error(explained: &str) -> bool {
    explained.contains("refused the console's certificate")
}

#[cfg(test)]
mod tests {
    use super::{explain_error_page, is_certificate_error};

    #[test]
    fn a_refused_certificate_is_named_with_its_fix() {
        let explained = explain_error_page(
            "Your connection is not private Attackers might be trying to steal your information \
             from 127.0.0.1 NET::ERR_CERT_AUTHORITY_INVALID Advanced Back to safety",
        );
        assert!(
            explained.starts_with("the browser's own error page, NET::ERR_CERT_AUTHORITY_INVALID."),
            "{explained}"
        );
        assert!(is_certificate_error(&explained), "{explained}");
    }

    #[test]
    fn other_error_pages_are_quoted() {
        let explained = explain_error_page("This site can't be reached ERR_CONNECTION_REFUSED");
        assert_eq!(
            explained,
            "the browser's own error page, ERR_CONNECTION_REFUSED"
        );
    }
}
