//! Runs a set of scenarios end to end: loads them all first (a malformed file stops everything
//! before a browser starts), starts the built-in console or checks the given one is reachable,
//! opens one browser session per scenario, and gives each scenario its own output folder.

mod outline;
mod output;
pub mod record;
mod trust;

pub use outline::{outline, OutlineError, OutlineRead};

use std::path::PathBuf;

use output::{attempt_folder, prepare_output, remove_earlier_retries, OutputLock};
use trust::{check_reachable, establish_trust};

use crate::browser::{Browser, BrowserError, BrowserOptions, CertificateTrust};
use crate::console::{self, ConsoleConfig, Product};
use crate::redact::Redactor;
use crate::report::{
    AreaWriter, GithubAnnotations, HtmlReport, JsonLinesReporter, JsonReport, JunitReport,
    LiveArea, TerminalReporter, WorkerStatus,
};
use std::sync::{Arc, Mutex};

use crate::docs::images::ImageChange;
use crate::docs::manifest::{Manifest, Provenance};
use crate::event::{DocsImage, Event, Outcome, Reporter, Reporters, UnwrittenReport};
use crate::runner::{self, RunnerSettings, SnapshotSettings};
use crate::scenario::{self, Scenario, ScenarioError};
use crate::settings::{ConsoleAddress, ConsoleTarget, ReporterKind, RunSettings};
use crate::snapshot::SnapshotStore;

/// Problems that stop a run before or outside any scenario step: exit code 2.
#[derive(Debug, thiserror::Error)]
pub enum HarnessError {
    #[error(transparent)]
    Scenario(#[from] ScenarioError),
    #[error("cannot start the built-in console: {0}")]
    ConsoleStart(std::io::Error),
    #[error(
        "cannot reach the console at {url}: tried a TCP connection to {address} and got: {reason}. \
         Check the --console URL, that the console is up, and that this machine can reach it"
    )]
    ConsoleUnreachable {
        url: String,
        address: String,
        reason: String,
    },
    #[error(transparent)]
    Browser(#[from] BrowserError),
    #[error("the console's certificate at {url} is not trusted: {reason}")]
    Certificate { url: String, reason: String },
    #[error("the output folder {} is in use by another run (process {pid}, still running): wait for it to end, or give this run another --out", path.display())]
    OutputInUse { path: PathBuf, pid: u32 },
    #[error("cannot prepare the output folder {}: {source}", path.display())]
    Output {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{0}: fix it or remove it, and `shoot` writes a new one")]
    Manifest(crate::docs::manifest::ManifestError),
    #[error("the worker running {0} stopped without a result (a bug: its panic is on stderr)")]
    WorkerDied(String),
}

/// Each scenario's name, outcome and output folder, and the reports that could not be written.
#[derive(Debug)]
pub struct RunSummary {
    pub results: Vec<(String, Outcome, PathBuf)>,
    /// Report files whose final version is not on disk (a full disk, a folder made read-only).
    pub unwritten_reports: Vec<UnwrittenReport>,
    /// Docs mode: what became of each guide image, and of the manifest.
    pub docs: Option<DocsSummary>,
}

/// What `shoot` made: every image in the order shot, and what became of the manifest.
#[derive(Debug)]
pub struct DocsSummary {
    pub images: Vec<DocsImage>,
    pub manifest: PathBuf,
    /// Written (true), already holding exactly this (false), or why it could not be written.
    pub manifest_written: Result<bool, String>,
}

/// Keeps every `DocsImage` event of the run for the table and the manifest.
struct DocsImages(Arc<Mutex<Vec<DocsImage>>>);

impl Reporter for DocsImages {
    fn on_event(&mut self, event: &Event) {
        if let Event::DocsImage(image) = event {
            self.0
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .push(image.clone());
        }
    }
}

impl RunSummary {
    pub fn all_passed(&self) -> bool {
        self.results
            .iter()
            .all(|(_, outcome, _)| *outcome != Outcome::Failed)
    }
}

pub async fn run(settings: RunSettings, live_progress: bool) -> Result<RunSummary, HarnessError> {
    let scenarios: Vec<Scenario> = settings
        .scenarios
        .iter()
        .map(|path| scenario::load(path))
        .collect::<Result<_, _>>()?;
    // Before any console or browser: the output folder is writable and this run's alone.
    let _output_lock = OutputLock::take(&settings.out_dir)?;
    // An unreadable shots manifest is never silently replaced.
    let mut manifest = match &settings.docs {
        Some(docs) => Some(Manifest::load(&docs.manifest).map_err(HarnessError::Manifest)?),
        None => None,
    };

    // A console given by URL is checked once, before any browser starts.
    let external = match &settings.console {
        ConsoleTarget::External { address } => {
            check_reachable(address).await?;
            Some((
                address.clone(),
                establish_trust(address, &settings.trust).await?,
            ))
        }
        ConsoleTarget::BuiltIn { .. } => None,
    };

    let redactor = Redactor::new([settings.credentials.password.clone()]);
    let snapshots = SnapshotSettings {
        store: SnapshotStore::new(&settings.snapshots_dir)
            .with_notices(crate::report::say::err_line),
        policy: settings.update_snapshots,
        pending_allowed: !settings.on_ci,
    };
    // Reports of the whole run, told each event with its scenario's slot.
    let mut run_wide: Vec<Box<dyn Reporter + Send>> =
        vec![Box::new(HtmlReport::new(settings.out_dir.clone()))];
    if let Some(path) = &settings.junit {
        run_wide.push(Box::new(JunitReport::new(path.clone())));
    }
    let docs_images = Arc::new(Mutex::new(Vec::new()));
    if let Some(docs) = &settings.docs {
        run_wide.push(Box::new(DocsImages(docs_images.clone())));
        // The first scenario listed that makes an image writes it, however workers finish.
        for scenario in &scenarios {
            for shot in shots_of(scenario) {
                docs.claim(&shot.image_name, &scenario.name());
            }
        }
    }
    // On a terminal, several workers share a status area with a line each.
    let live_area =
        (live_progress && settings.workers > 1 && settings.reporter == ReporterKind::Terminal)
            .then(|| LiveArea::new(Box::new(std::io::stdout())));
    if let Some(area) = &live_area {
        run_wide.push(Box::new(WorkerStatus::new(area.clone())));
    }
    let context = Arc::new(RunContext {
        live_area,
        settings: settings.clone(),
        external,
        redactor,
        snapshots,
        run_wide: Arc::new(Mutex::new(Reporters(run_wide))),
        console_in_use: tokio::sync::RwLock::new(()),
        live_progress: live_progress && settings.workers == 1,
    });
    let finished = run_side_by_side(&context, &scenarios, settings.workers).await;
    let mut results = Vec::new();
    let mut unwritten_reports = Vec::new();
    for result in finished {
        let result = result?;
        results.push((result.name, result.outcome, result.output_dir));
        unwritten_reports.extend(result.unwritten);
    }
    unwritten_reports.extend(context.run_wide_unwritten());
    let docs = match (&settings.docs, manifest.as_mut()) {
        (Some(docs), Some(manifest)) => {
            let images = std::mem::take(
                &mut *docs_images
                    .lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner()),
            );
            for image in &images {
                if matches!(image.change, ImageChange::MadeBy { .. }) {
                    continue;
                }
                let scenario = scenarios
                    .iter()
                    .find(|scenario| scenario.name() == image.scenario);
                manifest.images.insert(
                    image.image.clone(),
                    Provenance {
                        scenario: image.scenario.clone(),
                        scenario_file: scenario
                            .map(|scenario| scenario.file.to_string_lossy().into_owned())
                            .unwrap_or_default(),
                        step: image.step.clone(),
                        guide: scenario.and_then(|scenario| scenario.guide.clone()),
                        console_version: image.console_version.clone(),
                        browser: image.browser.clone(),
                        browser_version: image.browser_version.clone(),
                        viewport: format!(
                            "{}x{}",
                            settings.browser.viewport.0, settings.browser.viewport.1
                        ),
                        scale: settings.browser.device_scale,
                        highlighted: image.highlighted.clone(),
                        crop: image.crop.clone(),
                    },
                );
            }
            let manifest_written = if images.is_empty() {
                Ok(false)
            } else {
                manifest
                    .write_if_changed(&docs.manifest)
                    .map_err(|error| error.to_string())
            };
            Some(DocsSummary {
                images,
                manifest: docs.manifest.clone(),
                manifest_written,
            })
        }
        _ => None,
    };
    Ok(RunSummary {
        results,
        unwritten_reports,
        docs,
    })
}

/// The screenshots a scenario takes, in order.
fn shots_of(scenario: &Scenario) -> impl Iterator<Item = &scenario::Shot> {
    scenario
        .steps
        .iter()
        .flat_map(|step| &step.actions)
        .filter_map(|action| match &action.kind {
            scenario::ActionKind::Screenshot(shot) => Some(shot),
            _ => None,
        })
}

/// Runs every scenario, up to `workers` at once, each worker a thread with a runtime of its
/// own (so one scenario's image work never holds up another's browser); results in the list's
/// order. Dropping this future (Ctrl-C) tells the workers to stop and waits for them: each
/// drops its scenario, which stops its browser and driver and marks its report interrupted.
async fn run_side_by_side(
    context: &Arc<RunContext>,
    scenarios: &[Scenario],
    workers: usize,
) -> Vec<Result<ScenarioResult, HarnessError>> {
    let scenarios: Arc<Vec<Scenario>> = Arc::new(scenarios.to_vec());
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let (sender, mut receiver) = tokio::sync::mpsc::unbounded_channel();
    let mut pool = WorkerPool {
        stop,
        threads: Vec::new(),
    };
    for _ in 0..workers.min(scenarios.len()) {
        let (context, scenarios, next, sender) = (
            context.clone(),
            scenarios.clone(),
            next.clone(),
            sender.clone(),
        );
        let mut stopped = stopped.clone();
        pool.threads.push(std::thread::spawn(move || {
            let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            runtime.block_on(async move {
                loop {
                    let slot = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    let Some(scenario) = scenarios.get(slot) else {
                        return;
                    };
                    tokio::select! {
                        result = context.run_one(slot, scenario) => {
                            if sender.send((slot, result)).is_err() {
                                return;
                            }
                        }
                        _ = stopped.wait_for(|stop| *stop) => return,
                    }
                }
            });
        }));
    }
    drop(sender);
    let mut results: Vec<Option<Result<ScenarioResult, HarnessError>>> =
        scenarios.iter().map(|_| None).collect();
    while let Some((slot, result)) = receiver.recv().await {
        results[slot] = Some(result);
    }
    // A scenario without a result: its worker died (a panic, said on stderr).
    results
        .into_iter()
        .zip(scenarios.iter())
        .map(|(result, scenario)| {
            result.unwrap_or_else(|| Err(HarnessError::WorkerDied(scenario.name())))
        })
        .collect()
}

/// The worker threads of a run; dropping it stops them and waits until they have cleaned up.
struct WorkerPool {
    stop: tokio::sync::watch::Sender<bool>,
    threads: Vec<std::thread::JoinHandle<()>>,
}

impl Drop for WorkerPool {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
        for thread in self.threads.drain(..) {
            let _ = thread.join();
        }
    }
}

/// What every scenario of a run shares.
struct RunContext {
    settings: RunSettings,
    /// A console given by URL, with how its certificate is trusted.
    external: Option<(ConsoleAddress, (CertificateTrust, Option<String>))>,
    redactor: Redactor,
    snapshots: SnapshotSettings,
    run_wide: Arc<Mutex<Reporters>>,
    /// Against one `--console`, a scenario that may change it runs alone (write), the others
    /// side by side (read). Each built-in console belongs to one scenario.
    console_in_use: tokio::sync::RwLock<()>,
    live_progress: bool,
    /// The status area of several workers on a terminal; the scenarios print above it.
    live_area: Option<Arc<Mutex<LiveArea>>>,
}

/// How one scenario ended, and the report files of its own it could not write.
struct ScenarioResult {
    name: String,
    outcome: Outcome,
    output_dir: PathBuf,
    unwritten: Vec<UnwrittenReport>,
}

/// One scenario's reporters: its own (terminal lines, `report.json`, annotations) and the run's
/// (the HTML report, JUnit), which learn which scenario each event is about from its slot.
struct ScenarioReporters {
    slot: usize,
    own: Reporters,
    run_wide: Arc<Mutex<Reporters>>,
    /// A mutating action (Update, Confirm, Save) has started in this attempt.
    changed_console: bool,
}

impl Reporter for ScenarioReporters {
    fn on_event(&mut self, event: &Event) {
        if let Event::ActionStarted { mutating: true, .. } = event {
            self.changed_console = true;
        }
        self.own.on_event(event);
        self.run_wide
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .on_event_in(self.slot, event);
    }

    fn unwritten(&self) -> Vec<UnwrittenReport> {
        self.own.unwritten()
    }
}

impl RunContext {
    fn run_wide_unwritten(&self) -> Vec<UnwrittenReport> {
        self.run_wide
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .unwritten()
    }

    fn own_reporters(&self, scenario: &Scenario) -> Reporters {
        let settings = &self.settings;
        let mut own: Vec<Box<dyn Reporter + Send>> = Vec::new();
        match settings.reporter {
            ReporterKind::Terminal => {
                let output: Box<dyn std::io::Write + Send> = match &self.live_area {
                    Some(area) => Box::new(AreaWriter::new(area.clone())),
                    None => Box::new(std::io::stdout()),
                };
                let mut terminal = TerminalReporter::new(self.live_progress, output);
                if settings.workers > 1 {
                    terminal = terminal.with_prefix(format!("[{}] ", scenario.name()));
                }
                own.push(Box::new(terminal));
            }
            ReporterKind::Json => own.push(Box::new(JsonLinesReporter::new(Box::new(
                std::io::stdout(),
            )))),
        }
        own.push(Box::new(JsonReport::new()));
        if settings.github_actions {
            own.push(Box::new(GithubAnnotations::new(
                Box::new(std::io::stdout()),
            )));
        }
        Reporters(own)
    }

    /// Runs a scenario, and again from its start after a failure as `--scenario-retries`
    /// allows: each attempt in a fresh browser and (built-in) console and a folder of its own;
    /// the last attempt's outcome is the scenario's.
    async fn run_one(
        &self,
        slot: usize,
        scenario: &Scenario,
    ) -> Result<ScenarioResult, HarnessError> {
        let max_attempts = self.settings.scenario_retries.saturating_add(1);
        let folder = |attempt| attempt_folder(&self.settings.out_dir, &scenario.name(), attempt);
        remove_earlier_retries(&self.settings.out_dir, &scenario.name());
        let mut unwritten = Vec::new();
        let mut attempt = 1;
        loop {
            let (mut result, mut reporters) = self
                .run_attempt(slot, scenario, attempt, folder(attempt))
                .await?;
            unwritten.append(&mut result.unwritten);
            if result.outcome != Outcome::Failed || attempt >= max_attempts {
                return Ok(ScenarioResult {
                    unwritten,
                    ..result
                });
            }
            // A given console the attempt began to change is not changed again.
            if let (true, Some((console, _))) = (reporters.changed_console, &self.external) {
                reporters.on_event(&Event::ScenarioNotRetried {
                    scenario: scenario.name(),
                    reason: format!(
                        "its attempt {attempt} had begun changing the console at {}, and running it again could repeat that change",
                        console.url
                    ),
                });
                return Ok(ScenarioResult {
                    unwritten,
                    ..result
                });
            }
            reporters.on_event(&Event::ScenarioRetrying {
                scenario: scenario.name(),
                attempt,
                max_attempts,
                next_output_dir: folder(attempt + 1),
            });
            attempt += 1;
        }
    }

    /// One attempt at a scenario, and its reporters (which saw whether it changed the console).
    async fn run_attempt(
        &self,
        slot: usize,
        scenario: &Scenario,
        attempt: u32,
        output_dir: PathBuf,
    ) -> Result<(ScenarioResult, ScenarioReporters), HarnessError> {
        let settings = &self.settings;
        // Each scenario gets a fresh built-in console (the rehearsal upgrades it), imitating
        // what its guide drives (VerteX, airgap); kept alive until the scenario ends.
        let (console, may_mutate, _built_in, (certificates, certificate_verdict)) =
            match (&settings.console, &self.external) {
                (_, Some((address, trust))) => {
                    (address.clone(), settings.apply, None, trust.clone())
                }
                (ConsoleTarget::BuiltIn { lock }, None) => {
                    let (running, address, trust) =
                        start_built_in(settings, *lock, scenario.reference_console).await?;
                    (address, true, Some(running), trust)
                }
                (ConsoleTarget::External { .. }, None) => unreachable!("checked above"),
            };
        // A scenario that changes a shared console has it to itself.
        let changes_console = may_mutate && scenario.steps.iter().any(|step| step.mutating);
        let (_shared, _exclusive) = match (&self.external, changes_console) {
            (Some(_), true) => (None, Some(self.console_in_use.write().await)),
            (Some(_), false) => (Some(self.console_in_use.read().await), None),
            (None, _) => (None, None),
        };
        let browser_options = BrowserOptions {
            certificates,
            ..settings.browser.clone()
        };
        // The browser first: a run that cannot start one must not clear the previous results.
        let browser = Browser::start(&browser_options).await?;
        prepare_output(&output_dir)?;
        let runner_settings = RunnerSettings {
            console: console.clone(),
            may_mutate,
            step_timeout: settings.step_timeout,
            scenario_timeout: settings.scenario_timeout,
            retries: settings.retries,
            scenario_attempt: attempt,
            credentials: settings.credentials.clone(),
            output_dir: output_dir.clone(),
            redactor: self.redactor.clone(),
            snapshots: self.snapshots.clone(),
            allow_unsupported_path: settings.allow_unsupported_path,
            support_values: settings.support_values.clone(),
            certificate: certificate_verdict.clone(),
            docs: settings.docs.clone(),
            propose_fixes: settings.propose_fixes.clone(),
        };
        let mut reporters = ScenarioReporters {
            slot,
            own: self.own_reporters(scenario),
            run_wide: self.run_wide.clone(),
            changed_console: false,
        };
        let outcome =
            runner::run_scenario(&browser, scenario, &runner_settings, &mut reporters).await;
        browser.close().await;
        let unwritten = reporters.unwritten();
        Ok((
            ScenarioResult {
                name: scenario.name(),
                outcome,
                output_dir,
                unwritten,
            },
            reporters,
        ))
    }
}

/// A fresh built-in console imitating `reference` (VerteX, airgap), locking for `lock` while it
/// upgrades, with the run's credentials; its address and how its certificate is trusted.
async fn start_built_in(
    settings: &RunSettings,
    lock: std::time::Duration,
    reference: scenario::ReferenceConsole,
) -> Result<
    (
        console::RunningConsole,
        ConsoleAddress,
        (CertificateTrust, Option<String>),
    ),
    HarnessError,
> {
    let config = ConsoleConfig {
        lock_duration: lock,
        username: settings.credentials.username.clone(),
        password: settings.credentials.password.clone(),
        product: if reference.vertex {
            Product::Vertex
        } else {
            Product::Palette
        },
        airgap: reference.airgap,
        ..ConsoleConfig::default()
    };
    let running = console::start(config, 0)
        .await
        .map_err(HarnessError::ConsoleStart)?;
    let address = ConsoleAddress::parse(&running.url()).map_err(|invalid| {
        HarnessError::ConsoleStart(std::io::Error::other(format!(
            "it serves at {}, which is no console URL: {invalid}",
            running.url()
        )))
    })?;
    let trust = establish_trust(&address, &settings.trust).await?;
    Ok((running, address, trust))
}
