//! `record`: a headed browser at the console (the built-in one unless `--console` names one),
//! whose WebDriver server and session are said so another client can drive the same browser;
//! with `--from` and `--at`, the scenario's earlier steps run first through the runner. Then a
//! poll loop drains what the page's recorder queued (`Browser::drain_recording`), asks whether
//! the console is locked (the runner's blocking-status detection), turns both into steps
//! (`record::recording`) and rewrites the scenario file atomically after every change. It ends
//! when the stop future resolves (Ctrl-C, SIGTERM, a closed terminal) or the browser is gone;
//! the browser and driver are closed (and killed with their process group on every path).

use std::future::Future;
use std::path::PathBuf;
use std::time::Duration;

use super::output::prepare_output;
use super::trust::{check_reachable, establish_trust};
use super::{start_built_in, HarnessError};
use crate::browser::{Browser, BrowserOptions};
use crate::event::Outcome;
use crate::record::recording::{Drained, Recording};
use crate::record::write::{fresh_head, render, text_before_step, Numbering, StepsNotFound};
use crate::redact::Redactor;
use crate::report::{say, TerminalReporter};
use crate::runner::{self, RunnerSettings, SnapshotSettings};
use crate::scenario::{self, Scenario};
use crate::settings::{ConsoleTarget, RecordSettings};
use crate::snapshot::policy::UpdatePolicy;
use crate::snapshot::SnapshotStore;

/// The pause between two looks at what the page recorded: the runner's longest poll pause.
const POLL_PAUSE: Duration = Duration::from_millis(100);

/// Problems particular to `record` (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    #[error(transparent)]
    Harness(#[from] HarnessError),
    #[error("--at: {} has no step \"{at}\"; its steps are {steps}", file.display())]
    NoSuchStep {
        file: PathBuf,
        at: String,
        steps: String,
    },
    #[error(transparent)]
    StepsNotFound(#[from] StepsNotFound),
    #[error("cannot read {}: {source}", file.display())]
    Unreadable {
        file: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "the steps of {} before \"{at}\" did not pass, so recording did not start; its report is in {}",
        file.display(),
        out.display()
    )]
    ReplayFailed {
        file: PathBuf,
        at: String,
        out: PathBuf,
    },
    #[error("cannot write the recording to {}: {source}", file.display())]
    Write {
        file: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl From<crate::browser::BrowserError> for RecordError {
    fn from(error: crate::browser::BrowserError) -> Self {
        RecordError::Harness(HarnessError::Browser(error))
    }
}

impl From<scenario::ScenarioError> for RecordError {
    fn from(error: scenario::ScenarioError) -> Self {
        RecordError::Harness(HarnessError::Scenario(error))
    }
}

/// What a recording left.
#[derive(Debug)]
pub struct Recorded {
    pub file: PathBuf,
    pub actions: usize,
    pub todos: usize,
    /// Why it ended, in a person's words.
    pub ended: &'static str,
}

/// The `--from` scenario up to the step recording starts at.
struct Replay {
    scenario: Scenario,
    index: usize,
    head: String,
    at: String,
}

fn replay_of(file: &PathBuf, section: &str, number: u32) -> Result<Replay, RecordError> {
    let scenario = scenario::load(file)?;
    let at = format!("{section} {number}");
    let index = scenario
        .steps
        .iter()
        .position(|step| step.section.eq_ignore_ascii_case(section) && step.number == number)
        .ok_or_else(|| RecordError::NoSuchStep {
            file: file.clone(),
            at: at.clone(),
            steps: scenario
                .steps
                .iter()
                .map(|step| format!("\"{}\"", step.title()))
                .collect::<Vec<_>>()
                .join(", "),
        })?;
    let source = std::fs::read_to_string(file).map_err(|source| RecordError::Unreadable {
        file: file.clone(),
        source,
    })?;
    let head = text_before_step(file, &source, scenario.steps.len(), index)?;
    Ok(Replay {
        scenario,
        index,
        head,
        at,
    })
}

pub async fn record(
    settings: RecordSettings,
    stop: impl Future<Output = ()>,
) -> Result<Recorded, RecordError> {
    let run = &settings.run;
    // Everything that can be wrong with the files is found before a browser starts.
    let replay = match &settings.from {
        Some((file, section, number)) => Some(replay_of(file, section, *number)?),
        None => None,
    };
    let reference = replay
        .as_ref()
        .map(|replay| replay.scenario.reference_console)
        .unwrap_or_default();
    let (console, _built_in, (certificates, certificate_verdict)) = match &run.console {
        ConsoleTarget::External { address } => {
            check_reachable(address).await?;
            let trust = establish_trust(address, &run.trust).await?;
            (address.clone(), None, trust)
        }
        ConsoleTarget::BuiltIn { lock } => {
            let (running, address, trust) = start_built_in(run, *lock, reference).await?;
            (address, Some(running), trust)
        }
    };
    let browser = Browser::start(&BrowserOptions {
        certificates,
        ..run.browser.clone()
    })
    .await?;
    let session = browser.session_id().await;
    let result = match session {
        Ok(session) => {
            say::line(&format!("webdriver: {}", browser.webdriver_url()));
            say::line(&format!("session: {session}"));
            say::line(&format!("console: {}", console.url));
            let redactor = Redactor::new(
                settings
                    .mask_password
                    .then(|| run.credentials.password.clone()),
            );
            let session = Session {
                browser: &browser,
                settings: &settings,
                redactor,
                console_url: console.url.clone(),
            };
            tokio::pin!(stop);
            match replay {
                Some(replay) => {
                    let runner_settings = RunnerSettings {
                        console: console.clone(),
                        may_mutate: true,
                        step_timeout: run.step_timeout,
                        scenario_timeout: run.scenario_timeout,
                        retries: 0,
                        scenario_attempt: 1,
                        credentials: run.credentials.clone(),
                        output_dir: run.out_dir.join(replay.scenario.name()),
                        // As `run` masks it: in the replay's reports, always.
                        redactor: Redactor::new([run.credentials.password.clone()]),
                        // Its own store: a replay records where it is, it is no regression check.
                        snapshots: SnapshotSettings {
                            store: SnapshotStore::new(run.out_dir.join("record-snapshots"))
                                .with_notices(say::err_line),
                            policy: UpdatePolicy::Missing,
                            pending_allowed: true,
                        },
                        allow_unsupported_path: run.allow_unsupported_path,
                        support_values: run.support_values.clone(),
                        certificate: certificate_verdict,
                        docs: None,
                        propose_fixes: None,
                    };
                    session
                        .replay_then_record(replay, &runner_settings, stop.as_mut())
                        .await
                }
                None => match browser.goto(&console.url).await {
                    Ok(()) => session.record(None, stop.as_mut()).await,
                    Err(error) => Err(error.into()),
                },
            }
        }
        Err(error) => Err(error.into()),
    };
    browser.close().await;
    result
}

/// One recording's browser, files and what it redacts.
struct Session<'a> {
    browser: &'a Browser,
    settings: &'a RecordSettings,
    redactor: Redactor,
    console_url: String,
}

impl Session<'_> {
    fn stopped_before_recording(&self) -> Recorded {
        Recorded {
            file: self.settings.out_file.clone(),
            actions: 0,
            todos: 0,
            ended: "stopped before recording began",
        }
    }

    async fn replay_then_record(
        &self,
        replay: Replay,
        runner_settings: &RunnerSettings,
        mut stop: impl Future<Output = ()> + Unpin,
    ) -> Result<Recorded, RecordError> {
        let before = Scenario {
            steps: replay.scenario.steps[..replay.index].to_vec(),
            ..replay.scenario.clone()
        };
        if !before.steps.is_empty() {
            prepare_output(&runner_settings.output_dir)?;
            say::line(&format!(
                "running the steps of {} before \"{}\"",
                replay.scenario.file.display(),
                replay.at
            ));
            let mut reporter = TerminalReporter::new(false, Box::new(std::io::stdout()));
            let outcome = tokio::select! {
                outcome = runner::run_scenario(self.browser, &before, runner_settings, &mut reporter) => outcome,
                () = &mut stop => return Ok(self.stopped_before_recording()),
            };
            if outcome == Outcome::Failed {
                return Err(RecordError::ReplayFailed {
                    file: replay.scenario.file.clone(),
                    at: replay.at,
                    out: runner_settings.output_dir.clone(),
                });
            }
        } else {
            self.browser.goto(&self.console_url).await?;
        }
        self.record(Some(replay), stop).await
    }

    /// Polls the page until `stop` resolves or the browser is gone, writing the file after
    /// every change.
    async fn record(
        &self,
        replay: Option<Replay>,
        stop: impl Future<Output = ()>,
    ) -> Result<Recorded, RecordError> {
        let (head, head_has_steps, numbering) = match &replay {
            Some(replay) => {
                let step = &replay.scenario.steps[replay.index];
                (
                    replay.head.clone(),
                    replay.index > 0,
                    Numbering {
                        section: step.section.clone(),
                        first: step.number,
                        first_guide: Some(step.guide_words.clone()),
                    },
                )
            }
            None => (
                fresh_head(&self.console_url),
                false,
                Numbering {
                    section: "Recorded".to_string(),
                    first: 1,
                    first_guide: None,
                },
            ),
        };
        let mut recording = Recording::default();
        let write = |recording: &Recording| -> Result<(), RecordError> {
            let Some(text) = render(&head, head_has_steps, &numbering, recording.steps()) else {
                return Ok(());
            };
            let file = &self.settings.out_file;
            crate::artifacts::write_atomically(file, self.redactor.redact(&text).as_bytes())
                .map_err(|source| RecordError::Write {
                    file: file.clone(),
                    source,
                })
        };
        // The earlier steps alone are a scenario already.
        write(&recording)?;
        self.browser.start_recording().await?;
        say::line(&format!(
            "recording into {}; press Ctrl-C or close the browser to stop",
            self.settings.out_file.display()
        ));
        tokio::pin!(stop);
        let mut stopping = false;
        let ended = loop {
            // Asked to stop, the page is drained once more: what was done right before counts.
            if stopping {
                break "stopped";
            }
            tokio::select! {
                () = &mut stop => stopping = true,
                () = tokio::time::sleep(POLL_PAUSE) => {}
            }
            let drained = match self.browser.drain_recording().await {
                Ok(drained) => drained,
                Err(error) if Browser::is_gone(&error) => break "the browser was closed",
                // A page unloading while the script ran: the next look sees the new one.
                Err(_) => continue,
            };
            let drained: Drained = match serde_json::from_value(drained) {
                Ok(drained) => drained,
                Err(error) => {
                    say::err_line(&format!("the page's recording could not be read: {error}"));
                    continue;
                }
            };
            let locked = match self.browser.blocking_status(Duration::ZERO).await {
                Ok(status) => status.is_some(),
                Err(error) if Browser::is_gone(&error) => break "the browser was closed",
                Err(_) => false,
            };
            if recording.take(drained, locked) {
                write(&recording)?;
            }
        };
        Ok(Recorded {
            file: self.settings.out_file.clone(),
            actions: recording.actions(),
            todos: recording.todos(),
            ended,
        })
    }
}
