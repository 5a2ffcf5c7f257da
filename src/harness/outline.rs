//! The `outline` command: a page's outline as a snapshot would read it, behind the console's
//! login and after the actions a user names, so the labels of any page can be read before a
//! scenario is written.

use std::path::PathBuf;
use std::time::Duration;

use crate::browser::{Browser, BrowserError};
use crate::console::{self, ConsoleConfig};
use crate::event::{Event, Reporter};
use crate::redact::{Credentials, Redactor};
use crate::runner::{self, RunnerSettings, SnapshotSettings};
use crate::scenario::{
    Action, ActionKind, HighlightStyle, Location, ReferenceConsole, Scenario, SnapshotOptions, Step,
};
use crate::settings::{ConsoleAddress, OutlinePage, OutlineSettings};
use crate::snapshot::policy::UpdatePolicy;
use crate::snapshot::SnapshotStore;

/// How long each of the outline's actions (the login among them) may wait for the page.
const ACTION_TIMEOUT: Duration = Duration::from_secs(15);

/// Why no outline could be read: each says what was tried.
#[derive(Debug, thiserror::Error)]
pub enum OutlineError {
    #[error("{0}")]
    Browser(#[from] BrowserError),
    #[error("the built-in reference console did not start: {0}")]
    ConsoleStart(std::io::Error),
    #[error("{url} shows a login form; set PALETTE_USERNAME and PALETTE_PASSWORD to read the pages behind it")]
    NoCredentials { url: String },
    #[error("the output folder for the actions' evidence could not be made: {0}")]
    Folder(std::io::Error),
}

/// What `outline` found: the outline, or the action that could not be done and why.
pub enum OutlineRead {
    Outline(String),
    ActionFailed(String),
}

/// Opens the page (a fresh built-in console when none is given), logs in when it shows a login
/// form, takes `settings.actions` in order through the runner (the same locating and waiting a
/// scenario gets) and reads the outline of the page they lead to.
pub async fn outline(settings: &OutlineSettings) -> Result<OutlineRead, OutlineError> {
    let (url, _built_in) = match &settings.page {
        OutlinePage::Address(url) => (url.clone(), None),
        OutlinePage::BuiltIn => {
            let credentials = credentials_or_none(settings);
            let running = console::start(
                ConsoleConfig {
                    username: credentials.username,
                    password: credentials.password,
                    ..ConsoleConfig::default()
                },
                0,
            )
            .await
            .map_err(OutlineError::ConsoleStart)?;
            (running.url(), Some(running))
        }
    };
    let browser = Browser::start(&settings.browser).await?;
    let read = read_outline(&browser, &url, settings).await;
    browser.close().await;
    read
}

async fn read_outline(
    browser: &Browser,
    url: &str,
    settings: &OutlineSettings,
) -> Result<OutlineRead, OutlineError> {
    browser.goto(url).await?;
    let mut actions = Vec::new();
    if browser.login_form().await?.has_password_field {
        if settings.credentials.is_none() {
            return Err(OutlineError::NoCredentials {
                url: url.to_string(),
            });
        }
        actions.push(Action {
            kind: ActionKind::LogIn,
            text: "log in".to_string(),
            mutating: false,
            location: Location {
                file: PathBuf::from("outline"),
                line: 1,
                column: 1,
            },
        });
    }
    actions.extend(settings.actions.iter().cloned());
    // The page as it was before the last action: its outline must change from it (a click
    // answered by a fetch shows the new page only later).
    let Some(last) = actions.pop() else {
        return Ok(OutlineRead::Outline(browser.page_outline().await?));
    };
    if !actions.is_empty() {
        if let Some(failure) = take_actions(browser, url, actions, settings).await? {
            return Ok(OutlineRead::ActionFailed(failure));
        }
    }
    let before = browser.page_outline().await?;
    if let Some(failure) = take_actions(browser, url, vec![last], settings).await? {
        return Ok(OutlineRead::ActionFailed(failure));
    }
    Ok(OutlineRead::Outline(
        settled_outline(browser, &before).await?,
    ))
}

/// How long the page may take to show what the last action led to.
const SETTLE_WITHIN: Duration = Duration::from_secs(5);
/// How long an outline must stay the same to count as the page's.
const STILL_FOR: Duration = Duration::from_millis(300);
/// The pause between two reads of the outline.
const READ_PAUSE: Duration = Duration::from_millis(50);

/// The outline once it differs from `before` and has stayed the same for [`STILL_FOR`]; after
/// [`SETTLE_WITHIN`], whatever the page shows (an action that changes nothing it outlines).
async fn settled_outline(browser: &Browser, before: &str) -> Result<String, BrowserError> {
    let deadline = tokio::time::Instant::now() + SETTLE_WITHIN;
    let mut latest = browser.page_outline().await?;
    let mut same_since = tokio::time::Instant::now();
    loop {
        let now = tokio::time::Instant::now();
        if (latest != before && now - same_since >= STILL_FOR) || now >= deadline {
            return Ok(latest);
        }
        tokio::time::sleep(READ_PAUSE).await;
        let read = browser.page_outline().await?;
        if read != latest {
            latest = read;
            same_since = tokio::time::Instant::now();
        }
    }
}

/// Runs the actions as a one-step scenario; `Some(message)` when one of them failed.
async fn take_actions(
    browser: &Browser,
    url: &str,
    actions: Vec<Action>,
    settings: &OutlineSettings,
) -> Result<Option<String>, OutlineError> {
    let evidence = tempfile::tempdir().map_err(OutlineError::Folder)?;
    let credentials = credentials_or_none(settings);
    let console = ConsoleAddress::parse(url).unwrap_or_else(|_| ConsoleAddress {
        url: url.to_string(),
        host: String::new(),
        port: 0,
    });
    let scenario = Scenario {
        file: PathBuf::from("outline"),
        title: "outline".to_string(),
        guide: None,
        steps: vec![Step {
            section: "Outline".to_string(),
            number: 1,
            guide_words: String::new(),
            note: None,
            mutating: actions.iter().any(|action| action.mutating),
            actions,
            timeout: Some(ACTION_TIMEOUT),
            when: None,
            snapshot: SnapshotOptions::default(),
            outside: None,
            location: Location {
                file: PathBuf::from("outline"),
                line: 1,
                column: 1,
            },
        }],
        highlight: HighlightStyle::default(),
        reference_console: ReferenceConsole::default(),
    };
    let runner_settings = RunnerSettings {
        console,
        may_mutate: settings.may_mutate,
        step_timeout: ACTION_TIMEOUT,
        scenario_timeout: ACTION_TIMEOUT * 10,
        retries: 0,
        scenario_attempt: 1,
        redactor: Redactor::new([credentials.password.clone()]),
        credentials,
        output_dir: evidence.path().to_path_buf(),
        snapshots: SnapshotSettings {
            store: SnapshotStore::new(evidence.path().join("snapshots")),
            policy: UpdatePolicy::None,
            pending_allowed: false,
        },
        allow_unsupported_path: false,
        support_values: None,
        certificate: None,
        docs: None,
        propose_fixes: None,
    };
    let mut failures = FailureCollector::default();
    runner::run_scenario(browser, &scenario, &runner_settings, &mut failures).await;
    Ok(failures.message)
}

/// The credentials to type, or empty ones where the page asked for none.
fn credentials_or_none(settings: &OutlineSettings) -> Credentials {
    settings.credentials.clone().unwrap_or(Credentials {
        username: String::new(),
        password: String::new(),
    })
}

/// Keeps the first failure a run of the outline's actions reports, in the words a run says it.
#[derive(Default)]
struct FailureCollector {
    message: Option<String>,
}

impl Reporter for FailureCollector {
    fn on_event(&mut self, event: &Event) {
        match event {
            Event::StepFailed { failure, .. } if self.message.is_none() => {
                self.message = Some(format!(
                    "{} `{}`: expected {}; the page showed {}",
                    failure.location, failure.action, failure.expected, failure.page_showed
                ));
            }
            Event::StoppedBeforeMutation { action, .. } if self.message.is_none() => {
                self.message = Some(format!(
                    "`{action}` would change the console; give --apply to let it"
                ));
            }
            _ => {}
        }
    }
}
