//! The authoring commands' settings: `record`, `outline`, `docs draft` and `guide`, each from
//! its arguments (and, for the two that open a console, the environment).

use std::path::{Path, PathBuf};

use super::*;
use crate::cli::{DocsDraftArgs, GuideArgs, OutlineArgs, RecordArgs};
use crate::scenario::{Action, Location};

/// `record`: the console and browser as `run` would have them (headed), the file to write, and
/// the scenario and step recording starts at.
pub struct RecordSettings {
    pub run: RunSettings,
    pub out_file: PathBuf,
    /// `--from` and `--at`: the scenario, and the step (section, number) recording starts at.
    pub from: Option<(PathBuf, String, u32)>,
    /// The password came from the environment: the file is masked for it. The built-in
    /// console's default (`admin`) is public, and masking it would cut labels such as
    /// "admin email".
    pub mask_password: bool,
}

/// `record`: `run`'s settings with every flag `record` does not have at its default, the
/// browser headed. Without `--from`, nothing logs in for the person, so a `--console` needs no
/// credentials.
pub fn resolve_record(
    args: &RecordArgs,
    environment: impl Fn(&str) -> Option<String>,
) -> Result<RecordSettings, SettingsError> {
    use clap::{Args as _, FromArgMatches as _};
    let defaults = RunArgs::augment_args(clap::Command::new("record"))
        .no_binary_name(true)
        .try_get_matches_from(std::iter::empty::<String>())
        .and_then(|matches| RunArgs::from_arg_matches(&matches));
    let Ok(mut run) = defaults else {
        unreachable!("every flag of `run` has a default");
    };
    // `run` would list ./scenarios without one: the recording's own list is set below.
    run.scenarios = vec![args.out.clone()];
    run.console = args.console.clone();
    run.webdriver = args.webdriver.clone();
    run.chromedriver = args.chromedriver.clone();
    run.out = args.run_out.clone();
    run.headed = true;
    run.apply = true;
    run.lock_seconds = args.lock_seconds;
    run.ca_cert = args.ca_cert.clone();
    run.trust_cert = args.trust_cert.clone();
    run.insecure = args.insecure;
    let replays = args.from.is_some();
    let credentials = |name: &str| {
        environment(name).or_else(|| {
            let credential = name == USERNAME_VARIABLE || name == PASSWORD_VARIABLE;
            (credential && !replays).then(|| "(typed by the person recording)".to_string())
        })
    };
    let mut resolved = resolve(&run, credentials)?;
    resolved.scenarios = args.from.iter().cloned().collect();
    let from = match (&args.from, &args.at) {
        (Some(file), Some(at)) => {
            let (section, number) = at
                .trim()
                .rsplit_once(' ')
                .and_then(|(section, number)| Some((section.trim(), number.parse().ok()?)))
                .filter(|(section, _)| !section.is_empty())
                .ok_or_else(|| SettingsError::At(at.clone()))?;
            Some((file.clone(), section.to_string(), number))
        }
        _ => None,
    };
    Ok(RecordSettings {
        run: resolved,
        out_file: args.out.clone(),
        from,
        mask_password: environment(PASSWORD_VARIABLE).is_some_and(|password| !password.is_empty()),
    })
}

/// `outline`: the page to outline, what to do on it first and the browser to do it with.
pub struct OutlineSettings {
    pub page: OutlinePage,
    /// `--do`'s actions, in order, each located at its place on the command line.
    pub actions: Vec<Action>,
    /// Typed into a login form the page shows: from the environment, or the built-in console's.
    pub credentials: Option<Credentials>,
    /// `--do` may press a button that changes the console (the built-in one, or `--apply`).
    pub may_mutate: bool,
    pub browser: BrowserOptions,
}

/// Which page `outline` reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OutlinePage {
    /// A fresh built-in reference console, started for the outline.
    BuiltIn,
    Address(String),
}

impl OutlinePage {
    pub fn describe(&self) -> String {
        match self {
            OutlinePage::BuiltIn => "the built-in reference console".to_string(),
            OutlinePage::Address(url) => url.clone(),
        }
    }
}

/// `outline [URL] [--do ACTION]...`: an http, https or file URL (none: the built-in console);
/// each action in the scenario language; `--webdriver`, when given, an http(s) URL.
pub fn resolve_outline(
    args: &OutlineArgs,
    environment: impl Fn(&str) -> Option<String>,
) -> Result<OutlineSettings, SettingsError> {
    let page = match &args.url {
        None => OutlinePage::BuiltIn,
        Some(url) => {
            let parsed = url::Url::parse(url).map_err(|error| SettingsError::OutlineUrl {
                url: url.clone(),
                reason: error.to_string(),
            })?;
            if !matches!(parsed.scheme(), "http" | "https" | "file") {
                return Err(SettingsError::OutlineUrl {
                    url: url.clone(),
                    reason: format!("the scheme is {}, not http, https or file", parsed.scheme()),
                });
            }
            OutlinePage::Address(url.clone())
        }
    };
    if let Some(webdriver) = &args.webdriver {
        let parsed = url::Url::parse(webdriver).map_err(|error| SettingsError::WebdriverUrl {
            url: webdriver.clone(),
            reason: error.to_string(),
        })?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(SettingsError::WebdriverUrl {
                url: webdriver.clone(),
                reason: format!("the scheme is {}, not http or https", parsed.scheme()),
            });
        }
    }
    let may_mutate = page == OutlinePage::BuiltIn || args.apply;
    let mut actions = Vec::new();
    for (index, text) in args.actions.iter().enumerate() {
        let place = format!("--do #{}", index + 1);
        let kind = crate::scenario::action::parse_action(text).map_err(|error| {
            SettingsError::OutlineAction {
                place: place.clone(),
                column: text[..error.offset.min(text.len())].chars().count() + 1,
                text: text.clone(),
                message: error.message,
            }
        })?;
        let mutating = crate::scenario::action::is_mutating(&kind);
        if mutating && !may_mutate {
            return Err(SettingsError::OutlineMutates {
                place,
                text: text.clone(),
            });
        }
        actions.push(Action {
            kind,
            text: text.clone(),
            mutating,
            location: Location {
                file: PathBuf::from(place),
                line: 1,
                column: 1,
            },
        });
    }
    let username = environment(USERNAME_VARIABLE).filter(|value| !value.is_empty());
    let password = environment(PASSWORD_VARIABLE).filter(|value| !value.is_empty());
    let credentials = match (&page, username, password) {
        (_, Some(username), Some(password)) => Some(Credentials { username, password }),
        (OutlinePage::BuiltIn, username, password) => {
            Some(built_in_credentials(username, password))
        }
        (OutlinePage::Address(_), _, _) => None,
    };
    Ok(OutlineSettings {
        page,
        actions,
        credentials,
        may_mutate,
        browser: BrowserOptions {
            webdriver_url: args.webdriver.clone(),
            chromedriver: args.chromedriver.clone(),
            certificates: if args.insecure {
                CertificateTrust::AcceptAny
            } else {
                CertificateTrust::Verify
            },
            ..BrowserOptions::default()
        },
    })
}

/// `docs draft`: the guide to read, its path in the docs repository, where the draft goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DraftSettings {
    pub guide: PathBuf,
    /// Written as the scenario's `guide = "…"`, which `docs check` matches against the end of
    /// a guide's path.
    pub docs_path: String,
    /// `None`: stdout.
    pub out: Option<PathBuf>,
}

pub fn resolve_draft(args: &DocsDraftArgs) -> Result<DraftSettings, SettingsError> {
    let docs_path = match &args.docs_path {
        Some(given) => {
            let trimmed = given.trim().trim_start_matches('/');
            if trimmed.is_empty() || trimmed.contains('\\') {
                return Err(SettingsError::DocsPath(given.clone()));
            }
            trimmed.to_string()
        }
        None => docs_path_of(&args.guide),
    };
    Ok(DraftSettings {
        guide: args.guide.clone(),
        docs_path,
        out: out_file(args.out.as_ref())?,
    })
}

/// A guide's path in the docs repository: what follows `docs-content/` in a librarium
/// checkout, else the path as given (without `./`).
fn docs_path_of(guide: &Path) -> String {
    let text = guide.to_string_lossy().replace('\\', "/");
    match text.rfind("docs-content/") {
        Some(at) => text[at + "docs-content/".len()..].to_string(),
        None => text.trim_start_matches("./").to_string(),
    }
}

/// `guide`: the scenario to write as a guide and where the guide goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GuideSettings {
    pub scenario: PathBuf,
    /// `None`: stdout.
    pub out: Option<PathBuf>,
}

pub fn resolve_guide(args: &GuideArgs) -> Result<GuideSettings, SettingsError> {
    Ok(GuideSettings {
        scenario: args.scenario.clone(),
        out: out_file(args.out.as_ref())?,
    })
}

/// `--out FILE` of the authoring commands: a file, never a folder.
fn out_file(out: Option<&PathBuf>) -> Result<Option<PathBuf>, SettingsError> {
    match out {
        Some(path) if path.is_dir() => Err(SettingsError::OutFolder(path.clone())),
        other => Ok(other.cloned()),
    }
}
