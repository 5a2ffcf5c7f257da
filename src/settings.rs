//! The one resolved configuration of a run, built from the command line and the environment.
//! Everything that can be wrong with the input is found here, before a browser starts.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::browser::{BrowserKind, BrowserOptions, CertificateTrust};
use crate::cli::{ConsoleArgs, DiffArgs, ReviewServeArgs, RunArgs, ShootArgs};
use crate::console::{ConsoleConfig, Fault};
use crate::diff_command::{parse_region, DiffRequest};
use crate::redact::Credentials;
use crate::scenario::{parse_duration, scenario_files, NoScenarioFiles};
use crate::snapshot::policy::UpdatePolicy;

pub const USERNAME_VARIABLE: &str = "PALETTE_USERNAME";
/// Browser capabilities, edited in place; the binary carries a copy for runs elsewhere.
pub const DEFAULT_CAPABILITIES_FILE: &str = "webdriver/chromium.json";
/// The same for `--browser firefox`.
pub const DEFAULT_FIREFOX_CAPABILITIES_FILE: &str = "webdriver/firefox.json";
pub const PASSWORD_VARIABLE: &str = "PALETTE_PASSWORD";

/// Usage and configuration problems: exit code 2.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("--workers: expected a number of browser sessions from 1 to 16, found `{0}`")]
    Workers(usize),
    #[error("--shard: expected K/N with 1 <= K <= N (e.g. 2/3), found `{0}`")]
    Shard(String),
    #[error("--reporter: expected terminal or json, found `{0}`")]
    Reporter(String),
    #[error("--browser: expected chromium or firefox, found `{0}`")]
    Browser(String),
    #[error(transparent)]
    NoScenarios(#[from] NoScenarioFiles),
    #[error("--timeout: {0}")]
    Timeout(crate::scenario::InvalidDuration),
    #[error("--scenario-timeout: {0}")]
    ScenarioTimeout(crate::scenario::InvalidDuration),
    #[error("--update-snapshots: {0}")]
    UpdateSnapshots(crate::snapshot::policy::UnknownPolicy),
    #[error("--console-name: expected letters, digits, `.`, `-` or `_`, found `{0}`")]
    ConsoleName(String),
    #[error("--viewport: expected WIDTHxHEIGHT such as 1280x800, found `{0}`")]
    Viewport(String),
    #[error("--console: `{url}` is not a console URL ({reason}); expected something like https://palette.example.com/system")]
    ConsoleUrl { url: String, reason: String },
    #[error("--support-values: `{}` is not a folder; expected a folder with one YAML file per layer (kubernetes.yaml, cni.yaml, ...)", .0.display())]
    SupportValues(PathBuf),
    #[error("--ca-cert: cannot read `{}` ({reason}); expected the console's CA certificate in PEM", path.display())]
    CaCert { path: PathBuf, reason: String },
    #[error("--trust-cert: expected sha256/ and the base64 SHA-256 of the certificate's public key (44 characters), found `{0}`")]
    TrustCert(String),
    #[error("{USERNAME_VARIABLE} and {PASSWORD_VARIABLE} must be set to log in to {url}; the built-in defaults only apply to the built-in console")]
    MissingCredentials { url: String },
    #[error("--format: expected text or json, found `{0}`")]
    Format(String),
    #[error("--scale: expected a device scale from 1 to 4 such as 2, found {0}")]
    Scale(f64),
    #[error("--max-diff-ratio: expected a fraction from 0 to 1 such as 0.001, found {0}")]
    MaxDiffRatio(f64),
    #[error("--rename: expected OLD=NEW, such as Update=Upgrade, found `{0}`")]
    Rename(String),
    #[error("shoot needs --docs-root DIR: the docs checkout the guides' images are written into")]
    NoDocsRoot,
    #[error("--propose-fixes: expected a folder for the proposed fixes, found a file at {}", .0.display())]
    ProposeFixes(PathBuf),
    #[error("--docs-root: expected the docs checkout's folder, found no folder at {}", .0.display())]
    DocsRoot(PathBuf),
    #[error("--fault: {0}")]
    Fault(crate::console::state::UnknownFault),
    #[error("--out: expected a run's output folder, found no folder at {}", .0.display())]
    ReviewOut(PathBuf),
    #[error("--exact: not with --serve, whose page shows every pending snapshot FILTER matches")]
    ExactWithServe,
    #[error("--product: {0}")]
    Product(crate::console::state::UnknownProduct),
    #[error("--threshold must be between 0 and 1, found {0}")]
    Threshold(f64),
    #[error("--ignore: {0}")]
    Ignore(crate::diff_command::InvalidRegion),
    #[error("`{url}` is not a page address ({reason}); expected something like https://palette.example.com/system or file:///path/trace.html")]
    OutlineUrl { url: String, reason: String },
    #[error("{place}: `{text}`, column {column}: {message}")]
    OutlineAction {
        place: String,
        text: String,
        column: usize,
        message: String,
    },
    #[error("{place}: `{text}` would change the console; outline only reads a console other than the built-in one unless --apply is given")]
    OutlineMutates { place: String, text: String },
    #[error("--webdriver: `{url}` is not a WebDriver server's URL ({reason}); expected something like http://127.0.0.1:4444")]
    WebdriverUrl { url: String, reason: String },
    #[error("--out: expected a file to write, found the folder {}", .0.display())]
    OutFolder(PathBuf),
    #[error("--docs-path: expected the guide's path in the docs repository, such as enterprise-version/upgrade/upgrade-vmware/airgap.md, found `{0}`")]
    DocsPath(String),
    #[error("--at: expected a step as SECTION NUMBER, such as \"Upgrade 5\", found `{0}`")]
    At(String),
}

/// How `check` and `docs check` print their verdicts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputFormat {
    Text,
    Json,
}

/// `--format text` or `--format json`.
pub fn output_format(text: &str) -> Result<OutputFormat, SettingsError> {
    match text {
        "text" => Ok(OutputFormat::Text),
        "json" => Ok(OutputFormat::Json),
        other => Err(SettingsError::Format(other.to_string())),
    }
}

/// `shoot`: `run`'s settings in docs mode, the guides' images going into a docs checkout.
pub fn resolve_shoot(
    args: &ShootArgs,
    environment: impl Fn(&str) -> Option<String>,
) -> Result<RunSettings, SettingsError> {
    if !(args.scale >= 1.0 && args.scale <= 4.0) {
        return Err(SettingsError::Scale(args.scale));
    }
    if !(0.0..=1.0).contains(&args.max_diff_ratio) {
        return Err(SettingsError::MaxDiffRatio(args.max_diff_ratio));
    }
    let Some(docs_root) = &args.run.docs_root else {
        return Err(SettingsError::NoDocsRoot);
    };
    let mut settings = resolve(&args.run, environment)?;
    settings.docs = Some(crate::docs::DocsOutput::new(
        docs_root,
        args.manifest.clone(),
        args.max_diff_ratio,
    ));
    settings.browser.device_scale = args.scale;
    Ok(settings)
}

/// The `console` command's reference console; credentials from `PALETTE_USERNAME` and
/// `PALETTE_PASSWORD`, admin/admin by default.
pub fn resolve_console(
    args: &ConsoleArgs,
    environment: impl Fn(&str) -> Option<String>,
) -> Result<ConsoleConfig, SettingsError> {
    let fault = args
        .fault
        .as_deref()
        .map(str::parse::<Fault>)
        .transpose()
        .map_err(SettingsError::Fault)?;
    Ok(ConsoleConfig {
        from_version: args.from.clone(),
        to_version: args.to.clone(),
        lock_duration: Duration::from_secs(args.lock_seconds),
        username: environment(USERNAME_VARIABLE).unwrap_or_else(|| "admin".to_string()),
        password: environment(PASSWORD_VARIABLE).unwrap_or_else(|| "admin".to_string()),
        fault,
        product: args.product.parse().map_err(SettingsError::Product)?,
        airgap: args.airgap,
        sync_duration: Duration::from_secs(args.sync_seconds),
        renames: args
            .rename
            .iter()
            .map(|pair| match pair.split_once('=') {
                Some((old, new)) if !old.is_empty() && !new.is_empty() => {
                    Ok((old.to_string(), new.to_string()))
                }
                _ => Err(SettingsError::Rename(pair.clone())),
            })
            .collect::<Result<_, _>>()?,
    })
}

/// `review --serve`: the snapshot folder, which pending snapshots, the run's report and port.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReviewServeSettings {
    pub snapshots: PathBuf,
    pub filter: Option<String>,
    /// `--out`: the run's output folder, whose report the server serves.
    pub out: Option<PathBuf>,
    pub port: u16,
}

pub fn resolve_review_serve(args: &ReviewServeArgs) -> Result<ReviewServeSettings, SettingsError> {
    if args.select.exact {
        return Err(SettingsError::ExactWithServe);
    }
    let out = match &args.out {
        Some(out) if !out.is_dir() => return Err(SettingsError::ReviewOut(out.clone())),
        Some(out) => Some(std::path::absolute(out).unwrap_or_else(|_| out.clone())),
        None => None,
    };
    Ok(ReviewServeSettings {
        snapshots: args.select.snapshots.clone(),
        filter: args.select.filter.clone(),
        out,
        port: args.port.unwrap_or(0),
    })
}

/// `diff`: the two images and how to compare them; the error names the flag at fault.
pub fn resolve_diff(args: &DiffArgs) -> Result<DiffRequest, SettingsError> {
    if !(0.0..=1.0).contains(&args.threshold) {
        return Err(SettingsError::Threshold(args.threshold));
    }
    let ignore = args
        .ignore
        .iter()
        .map(|text| parse_region(text).map_err(SettingsError::Ignore))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(DiffRequest {
        left: args.left.clone(),
        right: args.right.clone(),
        threshold: args.threshold,
        detect_antialiasing: args.antialiasing,
        output: args.output.clone(),
        ignore,
    })
}

/// A console's address, parsed once: the URL as given, its host (an IPv6 address without its
/// brackets) and port (the scheme's default where the URL gives none).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsoleAddress {
    pub url: String,
    pub host: String,
    pub port: u16,
}

/// Why a text is no console address.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct InvalidConsoleAddress(String);

impl ConsoleAddress {
    /// An http or https URL with a host; the error says what is wrong with anything else.
    pub fn parse(url: &str) -> Result<ConsoleAddress, InvalidConsoleAddress> {
        let parsed =
            url::Url::parse(url).map_err(|error| InvalidConsoleAddress(error.to_string()))?;
        let not_a_console =
            || InvalidConsoleAddress("it must be an http or https URL with a host".to_string());
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(not_a_console());
        }
        let host = parsed
            .host_str()
            .ok_or_else(not_a_console)?
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_string();
        Ok(ConsoleAddress {
            url: url.to_string(),
            host,
            port: parsed.port_or_known_default().ok_or_else(not_a_console)?,
        })
    }

    pub fn is_https(&self) -> bool {
        self.url.starts_with("https:")
    }

    /// `host:port` to connect to, an IPv6 address in brackets.
    pub fn socket_address(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }
}

/// Which console a run drives.
#[derive(Clone, Debug)]
pub enum ConsoleTarget {
    /// Start the reference console on a free loopback port.
    BuiltIn {
        lock: Duration,
    },
    External {
        address: ConsoleAddress,
    },
}

#[derive(Clone, Debug)]
pub struct RunSettings {
    pub scenarios: Vec<PathBuf>,
    pub console: ConsoleTarget,
    pub browser: BrowserOptions,
    pub out_dir: PathBuf,
    pub apply: bool,
    pub step_timeout: Duration,
    pub scenario_timeout: Duration,
    /// How many times a failed step may be retried (`--retries`).
    pub retries: u32,
    /// How many times a failed scenario is run again from its start (`--scenario-retries`).
    pub scenario_retries: u32,
    pub credentials: Credentials,
    /// This console's snapshot folder: `--snapshots` joined with the console's name, so the
    /// baselines of different consoles never meet.
    pub snapshots_dir: PathBuf,
    pub update_snapshots: UpdatePolicy,
    /// The CI variable is set: nothing is written into the snapshot folder.
    pub on_ci: bool,
    pub allow_unsupported_path: bool,
    pub support_values: Option<PathBuf>,
    /// How the console's TLS certificate is checked.
    pub trust: Trust,
    /// Docs mode (`shoot`): the guides' images go into a docs checkout.
    pub docs: Option<crate::docs::DocsOutput>,
    /// `--propose-fixes DIR`: what a renamed label asks of the scenario, guide and images.
    pub propose_fixes: Option<ProposeFixes>,
    /// `--junit PATH`: the run as JUnit XML.
    pub junit: Option<PathBuf>,
    pub reporter: ReporterKind,
    /// Scenarios run at once, each in its own browser session (`--workers`).
    pub workers: usize,
    /// `GITHUB_ACTIONS` is set: failures are also written as workflow annotations.
    pub github_actions: bool,
}

/// `--propose-fixes DIR [--docs-root DOCS]`: where a renamed label's patches go, and the docs
/// checkout whose guide quotes it.
#[derive(Clone, Debug)]
pub struct ProposeFixes {
    pub folder: PathBuf,
    pub docs_root: Option<PathBuf>,
}

/// What goes to stdout while a run goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReporterKind {
    /// Progress for a person (a live status line on a terminal).
    Terminal,
    /// One JSON object per event and line.
    Json,
}

/// The `k`-th of `n` contiguous, near-equal parts of `items` (1-based), as Playwright shards.
pub fn shard_of<T: Clone>(items: &[T], k: usize, n: usize) -> Vec<T> {
    let start = (k - 1) * items.len() / n;
    let end = k * items.len() / n;
    items[start..end].to_vec()
}

/// `2/3` → (2, 3).
pub fn parse_shard(text: &str) -> Option<(usize, usize)> {
    let (k, n) = text.split_once('/')?;
    let (k, n): (usize, usize) = (k.trim().parse().ok()?, n.trim().parse().ok()?);
    (k >= 1 && k <= n).then_some((k, n))
}

/// How a console served over https is trusted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Trust {
    /// The browser's own verification (the default).
    Verify,
    /// Certificates that chain to this PEM file's CA (or are the certificate in it).
    CaCert(PathBuf),
    /// Exactly the certificate whose public key hashes to this (`sha256/BASE64`).
    Pin(String),
    /// Anything, unchecked.
    Insecure,
}

/// The built-in console's credentials: those the environment gives, admin/admin for what it
/// leaves out.
pub(crate) fn built_in_credentials(
    username: Option<String>,
    password: Option<String>,
) -> Credentials {
    Credentials {
        username: username.unwrap_or_else(|| "admin".to_string()),
        password: password.unwrap_or_else(|| "admin".to_string()),
    }
}

/// Resolves `run` arguments; `environment` looks up a variable (the process environment in
/// production, a map in tests).
pub fn resolve(
    args: &RunArgs,
    environment: impl Fn(&str) -> Option<String>,
) -> Result<RunSettings, SettingsError> {
    let scenarios = if args.scenarios.is_empty() {
        scenario_files(Path::new("scenarios"))?
    } else {
        args.scenarios.clone()
    };
    // `--shard K/N`: the scenario list becomes that shard's part.
    let scenarios = match &args.shard {
        Some(text) => {
            let (k, n) = parse_shard(text).ok_or_else(|| SettingsError::Shard(text.clone()))?;
            shard_of(&scenarios, k, n)
        }
        None => scenarios,
    };
    if !(1..=16).contains(&args.workers) {
        return Err(SettingsError::Workers(args.workers));
    }
    let reporter = match args.reporter.as_str() {
        "terminal" => ReporterKind::Terminal,
        "json" => ReporterKind::Json,
        other => return Err(SettingsError::Reporter(other.to_string())),
    };
    let (browser, driver, default_capabilities) = match args.browser.as_str() {
        "chromium" | "chrome" => (
            BrowserKind::Chromium,
            args.chromedriver.clone(),
            DEFAULT_CAPABILITIES_FILE,
        ),
        "firefox" => (
            BrowserKind::Firefox,
            args.geckodriver.clone(),
            DEFAULT_FIREFOX_CAPABILITIES_FILE,
        ),
        other => return Err(SettingsError::Browser(other.to_string())),
    };
    let step_timeout = parse_duration(&args.timeout).map_err(SettingsError::Timeout)?;
    let scenario_timeout =
        parse_duration(&args.scenario_timeout).map_err(SettingsError::ScenarioTimeout)?;
    let on_ci = environment("CI")
        .is_some_and(|value| !value.is_empty() && value != "false" && value != "0");
    if let Some(docs_root) = args.docs_root.as_ref().filter(|root| !root.is_dir()) {
        return Err(SettingsError::DocsRoot(docs_root.clone()));
    }
    if let Some(folder) = args
        .propose_fixes
        .as_ref()
        .filter(|folder| folder.is_file())
    {
        return Err(SettingsError::ProposeFixes(folder.clone()));
    }
    let update_snapshots = match &args.update_snapshots {
        Some(text) => text.parse().map_err(SettingsError::UpdateSnapshots)?,
        None if on_ci => UpdatePolicy::None,
        None => UpdatePolicy::Missing,
    };
    let viewport = parse_viewport(&args.viewport)
        .ok_or_else(|| SettingsError::Viewport(args.viewport.clone()))?;
    let username = environment(USERNAME_VARIABLE).filter(|value| !value.is_empty());
    let password = environment(PASSWORD_VARIABLE).filter(|value| !value.is_empty());
    let (console, credentials) = match &args.console {
        None => (
            ConsoleTarget::BuiltIn {
                lock: Duration::from_secs(args.lock_seconds),
            },
            built_in_credentials(username, password),
        ),
        Some(url) => {
            let address =
                ConsoleAddress::parse(url).map_err(|invalid| SettingsError::ConsoleUrl {
                    url: url.clone(),
                    reason: invalid.to_string(),
                })?;
            let (Some(username), Some(password)) = (username, password) else {
                return Err(SettingsError::MissingCredentials { url: url.clone() });
            };
            (
                ConsoleTarget::External { address },
                Credentials { username, password },
            )
        }
    };
    let console_name = match &args.console_name {
        Some(name)
            if !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_')) =>
        {
            name.clone()
        }
        Some(name) => return Err(SettingsError::ConsoleName(name.clone())),
        None => match &console {
            ConsoleTarget::BuiltIn { .. } => "reference-console".to_string(),
            ConsoleTarget::External { address } => console_name_of(&address.url),
        },
    };
    if let Some(folder) = &args.support_values {
        if !folder.is_dir() {
            return Err(SettingsError::SupportValues(folder.clone()));
        }
    }
    let trust = if args.insecure {
        Trust::Insecure
    } else if let Some(pin) = &args.trust_cert {
        let hash = pin.strip_prefix("sha256/").unwrap_or("");
        if hash.len() != 44
            || !hash.ends_with('=')
            || !hash
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '='))
        {
            return Err(SettingsError::TrustCert(pin.clone()));
        }
        Trust::Pin(hash.to_string())
    } else if let Some(path) = &args.ca_cert {
        std::fs::read(path).map_err(|error| SettingsError::CaCert {
            path: path.clone(),
            reason: error.to_string(),
        })?;
        Trust::CaCert(path.clone())
    } else {
        Trust::Verify
    };
    Ok(RunSettings {
        scenarios,
        console,
        browser: BrowserOptions {
            webdriver_url: args.webdriver.clone(),
            browser,
            chromedriver: driver,
            // The shipped, editable file when run from the project; the built-in copy elsewhere.
            capabilities_file: args.capabilities.clone().or_else(|| {
                Some(PathBuf::from(default_capabilities)).filter(|path| path.is_file())
            }),
            headed: args.headed,
            viewport,
            // Decided per console by the harness, from `trust`.
            certificates: Default::default(),
            page_load_timeout: Some(step_timeout),
            device_scale: 1.0,
        },
        out_dir: args.out.clone(),
        apply: args.apply,
        step_timeout,
        scenario_timeout,
        retries: args.retries,
        scenario_retries: args.scenario_retries,
        credentials,
        snapshots_dir: args.snapshots.join(console_name),
        update_snapshots,
        on_ci,
        allow_unsupported_path: args.allow_unsupported_path,
        support_values: args.support_values.clone(),
        trust,
        docs: None,
        propose_fixes: args.propose_fixes.as_ref().map(|folder| ProposeFixes {
            folder: folder.clone(),
            docs_root: args.docs_root.clone(),
        }),
        junit: args.junit.clone(),
        reporter,
        workers: args.workers,
        github_actions: environment("GITHUB_ACTIONS").is_some_and(|value| value == "true"),
    })
}

/// `https://palette.example.com/system` → `palette.example.com`; `http://127.0.0.1:8443/system` →
/// `127.0.0.1-8443`.
fn console_name_of(url: &str) -> String {
    let Ok(parsed) = url::Url::parse(url) else {
        return "console".to_string();
    };
    let host: String = parsed
        .host_str()
        .unwrap_or("console")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    match parsed.port() {
        Some(port) => format!("{host}-{port}"),
        None => host,
    }
}

fn parse_viewport(text: &str) -> Option<(u32, u32)> {
    let (width, height) = text.split_once('x')?;
    let size = (width.trim().parse().ok()?, height.trim().parse().ok()?);
    (size.0 >= 200 && size.1 >= 200).then_some(size)
}

mod authoring;

pub use authoring::*;

#[cfg(test)]
mod tests;
