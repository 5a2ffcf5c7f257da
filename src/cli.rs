//! Command-line arguments as clap structs: no I/O and no defaults that need the environment.
//! `settings` turns them into the one resolved configuration the rest of the program takes.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "palette-harness",
    version,
    about = "Walks the Palette system console through its documented click paths in a real browser."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run scenarios against a console (the built-in reference console unless --console is given).
    Run(RunArgs),
    /// Serve the reference console on loopback until Ctrl-C.
    Console(ConsoleArgs),
    /// Compare two images: prints the differing pixel count first; exit 0 same, 1 different, 2 unreadable.
    Diff(DiffArgs),
    /// Print the page outline a page snapshot would compare, for a URL (to write masks against).
    Outline(OutlineArgs),
    /// List pending snapshots with their changes against the baselines; with --serve, review
    /// them in the browser (accept, reject, undo) on 127.0.0.1 until Ctrl-C.
    Review(ReviewServeArgs),
    /// Make pending snapshots (all, or those whose name contains FILTER) the baselines.
    Accept(ReviewArgs),
    /// Delete pending snapshots (all, or those whose name contains FILTER).
    Reject(ReviewArgs),
    /// Run scenarios in docs mode: every `screenshot` writes the guide's image (lossless WebP at
    /// its name) into DOCS_ROOT/static/assets/docs/images, only when its pixels changed.
    Shoot(ShootArgs),
    /// Guides and scenarios: `docs check GUIDE.md...`, `docs draft GUIDE.md`.
    #[command(subcommand)]
    Docs(DocsCommand),
    /// Write a scenario as a guide in the docs' Markdown: its steps numbered under their
    /// sections, labels in bold, an image line for each screenshot.
    Guide(GuideArgs),
    /// Check scenario files without running them (no browser): exit 0 when all are valid, 2 when
    /// one is not, each problem as file:line:column: expected ….
    Check(CheckArgs),
    /// Open a headed browser at the console and write what a person does there as a scenario:
    /// clicks, choices and typing as actions, Alt+click as expectations. Ctrl-C or closing the
    /// browser stops it.
    Record(RecordArgs),
}

#[derive(Debug, Args)]
pub struct RecordArgs {
    /// The console URL as users know it. Without it the built-in reference console starts on a
    /// free loopback port.
    #[arg(long, value_name = "URL")]
    pub console: Option<String>,
    /// The scenario file written as you go (rewritten after every action).
    #[arg(long, value_name = "FILE", default_value = "recorded.toml")]
    pub out: PathBuf,
    /// A scenario whose steps before --at run first, in the same browser; the file written holds
    /// them as they were and the recorded steps after them.
    #[arg(long, value_name = "SCENARIO", requires = "at")]
    pub from: Option<PathBuf>,
    /// The step of --from recording starts at, as `SECTION NUMBER` (`"Upgrade 5"`).
    #[arg(long, value_name = "STEP", requires = "from")]
    pub at: Option<String>,
    /// A running WebDriver server. Without it chromedriver is started.
    #[arg(long, value_name = "URL")]
    pub webdriver: Option<String>,
    /// The chromedriver program to start.
    #[arg(long, value_name = "PATH", default_value = "chromedriver")]
    pub chromedriver: PathBuf,
    /// Where the --from steps leave their screenshots, backups and merges.
    #[arg(long, value_name = "DIR", default_value = "palette-harness-output")]
    pub run_out: PathBuf,
    /// How long the built-in console stays locked while it applies the upgrade.
    #[arg(long, value_name = "SECONDS", default_value_t = 8)]
    pub lock_seconds: u64,
    /// Trust the console's certificate if it chains to this CA (or is this certificate), PEM.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["trust_cert", "insecure"])]
    pub ca_cert: Option<PathBuf>,
    /// Trust exactly this certificate: sha256/BASE64 of its public key.
    #[arg(long, value_name = "sha256/…", conflicts_with = "insecure")]
    pub trust_cert: Option<String>,
    /// Accept any certificate the console presents, unchecked.
    #[arg(long)]
    pub insecure: bool,
}

#[derive(Debug, Subcommand)]
pub enum DocsCommand {
    /// Per guide: each image with the scenario step that makes it, missing images, orphan
    /// shots, steps not accounted for, bold labels never targeted. Exit 1 when an image is
    /// missing.
    Check(DocsCheckArgs),
    /// Draft a scenario from a guide's numbered steps: one [[step]] per step, the actions its
    /// bold labels ask for, a screenshot for each image, TODOs where no rule applies.
    Draft(DocsDraftArgs),
}

#[derive(Debug, Args)]
pub struct DocsDraftArgs {
    /// The guide's Markdown file.
    pub guide: PathBuf,
    /// Write the scenario here instead of to stdout.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// The guide's path in the docs repository, written as the scenario's `guide = "…"`;
    /// default: the part of GUIDE after `docs-content/`, else GUIDE as given.
    #[arg(long, value_name = "PATH")]
    pub docs_path: Option<String>,
}

#[derive(Debug, Args)]
pub struct GuideArgs {
    /// The scenario file.
    pub scenario: PathBuf,
    /// Write the guide here instead of to stdout.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct DocsCheckArgs {
    /// Guide Markdown files, as in the docs checkout.
    #[arg(required = true)]
    pub guides: Vec<PathBuf>,
    /// The folder of scenario files; a scenario follows a guide when its `guide = "…"` ends the
    /// guide's path.
    #[arg(long, value_name = "DIR", default_value = "scenarios")]
    pub scenarios: PathBuf,
    /// `text` (for a person) or `json` (one object: every guide's images, missing images,
    /// steps outside the console, unaccounted steps, drift; the orphans), for CI tools.
    #[arg(long, value_name = "FORMAT", default_value = "text")]
    pub format: String,
}

#[derive(Debug, Args)]
pub struct ShootArgs {
    #[command(flatten)]
    pub run: RunArgs,
    /// Device pixels per CSS pixel: 2 for sharp images on high-density screens.
    #[arg(long, value_name = "N", default_value = "1")]
    pub scale: f64,
    /// Where the shots manifest goes; default: beside the images, palette-harness-shots.json.
    #[arg(long, value_name = "PATH")]
    pub manifest: Option<PathBuf>,
    /// Differing pixels tolerated before an image is rewritten, as a fraction (0.001 = 0.1 %);
    /// anti-aliasing never counts.
    #[arg(long, value_name = "RATIO", default_value = "0")]
    pub max_diff_ratio: f64,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Scenario files; default: every .toml file in ./scenarios.
    pub scenarios: Vec<PathBuf>,
    /// `text` (one line a file) or `json` (an array, for editors and CI tools).
    #[arg(long, value_name = "FORMAT", default_value = "text")]
    pub format: String,
}

#[derive(Debug, Args)]
pub struct OutlineArgs {
    /// The page to outline; without it, the built-in reference console (started for the
    /// purpose, credentials from PALETTE_USERNAME/PALETTE_PASSWORD or admin/admin).
    pub url: Option<String>,
    /// An action to take, in the scenario language, before the outline is read, such as
    /// `--do 'click menu item "Tenant Management"'`; repeat it for several, in order. A console
    /// showing its login page is logged in first (PALETTE_USERNAME, PALETTE_PASSWORD).
    #[arg(long = "do", value_name = "ACTION")]
    pub actions: Vec<String>,
    /// Let `--do` press a button that changes a console other than the built-in one.
    #[arg(long)]
    pub apply: bool,
    /// A running WebDriver server; without it chromedriver is started.
    #[arg(long, value_name = "URL")]
    pub webdriver: Option<String>,
    /// The chromedriver program to start.
    #[arg(long, value_name = "PATH", default_value = "chromedriver")]
    pub chromedriver: PathBuf,
    /// Accept any certificate the page presents, even while logging in.
    #[arg(long)]
    pub insecure: bool,
}

#[derive(Debug, Args)]
pub struct ReviewArgs {
    /// Only snapshots whose name contains this text.
    pub filter: Option<String>,
    /// The snapshot folder.
    #[arg(long, value_name = "DIR", default_value = "snapshots")]
    pub snapshots: PathBuf,
    /// FILTER is a snapshot's whole id (its path in the snapshot folder without `.snap.new`),
    /// as report.html's and the review page's commands name it.
    #[arg(long, requires = "filter")]
    pub exact: bool,
}

#[derive(Debug, Args)]
pub struct ReviewServeArgs {
    #[command(flatten)]
    pub select: ReviewArgs,
    /// Serve the review page and its JSON API on 127.0.0.1 (the URL with its token is printed)
    /// until Ctrl-C.
    #[arg(long)]
    pub serve: bool,
    /// The run's output folder, whose report.html the page names.
    #[arg(long, value_name = "DIR", requires = "serve")]
    pub out: Option<PathBuf>,
    /// The port to serve on (0, the default, picks a free one).
    #[arg(long, value_name = "PORT", requires = "serve")]
    pub port: Option<u16>,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    pub left: PathBuf,
    pub right: PathBuf,
    /// Colour distance from 0 (exact) to 1 below which pixels count as equal.
    #[arg(long, default_value_t = 0.1)]
    pub threshold: f64,
    /// Leave pixels that look like anti-aliasing out of the count.
    #[arg(long)]
    pub antialiasing: bool,
    /// Write the diff image (PNG) here when pixels differ (removed when none do).
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// A region x,y,width,height to leave out of the comparison; repeatable.
    #[arg(long, value_name = "X,Y,W,H")]
    pub ignore: Vec<String>,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// Scenario files; default: every .toml file in ./scenarios.
    pub scenarios: Vec<PathBuf>,
    /// The docs checkout: `shoot` writes the guides' images into its
    /// `static/assets/docs/images` (required there); `--propose-fixes` patches its guides.
    #[arg(long, value_name = "DIR")]
    pub docs_root: Option<PathBuf>,
    /// When a target is missing because the console renamed its label (its baseline page
    /// snapshot had it where the page now shows one other name), write into DIR a patch for the
    /// scenario, one for the guide (under --docs-root) and the images the rename makes stale.
    /// Nothing is applied.
    #[arg(long, value_name = "DIR")]
    pub propose_fixes: Option<PathBuf>,
    /// The console URL as users know it, e.g. https://palette.example.com/system. Without it the
    /// built-in reference console starts on a free loopback port.
    #[arg(long, value_name = "URL")]
    pub console: Option<String>,
    /// A running WebDriver server (chromedriver, Selenium Grid). Without it chromedriver is started.
    #[arg(long, value_name = "URL")]
    pub webdriver: Option<String>,
    /// Where screenshots, backups, merges and reports go, one folder per scenario.
    #[arg(long, value_name = "DIR", default_value = "palette-harness-output")]
    pub out: PathBuf,
    /// Let steps that change the console (Update, Confirm, Save) run against a --console.
    #[arg(long)]
    pub apply: bool,
    /// Show the browser window instead of running headless.
    #[arg(long)]
    pub headed: bool,
    /// Default time each step may take, e.g. 30s or 2m; steps may set their own.
    #[arg(long, value_name = "DURATION", default_value = "30s")]
    pub timeout: String,
    /// The most a whole scenario may take, lock waits included.
    #[arg(long, value_name = "DURATION", default_value = "60m")]
    pub scenario_timeout: String,
    /// Retry a failed step up to N times, from its first action, as long as nothing in it has
    /// changed the console yet. A step that needed a retry never records a baseline.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub retries: u32,
    /// Run a failed scenario again from its start, up to N times, each time in a fresh browser
    /// and a fresh built-in console (as Playwright's retries do); each attempt keeps its own
    /// folder (`<out>/<scenario>-retry1`, …). Against a --console, a scenario whose failed
    /// attempt had begun changing the console is not run again.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub scenario_retries: u32,
    /// Browser capabilities JSON; default: ./webdriver/chromium.json when it exists, else the
    /// copy built into the binary.
    #[arg(long, value_name = "FILE")]
    pub capabilities: Option<PathBuf>,
    /// The chromedriver program to start.
    #[arg(long, value_name = "PATH", default_value = "chromedriver")]
    pub chromedriver: PathBuf,
    /// `chromium` (through chromedriver) or `firefox` (Firefox ESR through geckodriver).
    #[arg(long, value_name = "BROWSER", default_value = "chromium")]
    pub browser: String,
    /// The geckodriver program to start for `--browser firefox`.
    #[arg(long, value_name = "PATH", default_value = "geckodriver")]
    pub geckodriver: PathBuf,
    /// Viewport size as WIDTHxHEIGHT.
    #[arg(long, value_name = "WxH", default_value = "1280x800")]
    pub viewport: String,
    /// How long the built-in console stays locked while it applies the upgrade.
    #[arg(long, value_name = "SECONDS", default_value_t = 8)]
    pub lock_seconds: u64,
    /// Which baselines this run may write: none, missing, changed or all. Default: missing,
    /// or none when the CI variable is set.
    #[arg(long, value_name = "WHICH")]
    pub update_snapshots: Option<String>,
    /// The snapshot folder; each console's baselines sit in a subfolder named after it.
    #[arg(long, value_name = "DIR", default_value = "snapshots")]
    pub snapshots: PathBuf,
    /// Go on when `check upgrade path` finds an upgrade path the docs do not support or do not
    /// list (the run is then a rehearsal of an unsupported path, and the report says so).
    #[arg(long)]
    pub allow_unsupported_path: bool,
    /// A folder with the values support sent for this upgrade, one YAML file per layer named
    /// after it (`kubernetes.yaml`, `cni.yaml`, `csi.yaml`, `os.yaml`).
    #[arg(long, value_name = "DIR")]
    pub support_values: Option<PathBuf>,
    /// Trust the console's certificate if it chains to this CA (or is this certificate), PEM.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["trust_cert", "insecure"])]
    pub ca_cert: Option<PathBuf>,
    /// Trust exactly this certificate: sha256/BASE64 of its public key, as the harness prints
    /// when it refuses one.
    #[arg(long, value_name = "sha256/…", conflicts_with = "insecure")]
    pub trust_cert: Option<String>,
    /// Accept any certificate the console presents, unchecked; the report says so.
    #[arg(long)]
    pub insecure: bool,
    /// The console's name in the snapshot folder. Default: `reference-console` for the built-in
    /// one, else the --console URL's host (and port, when not the scheme's default).
    #[arg(long, value_name = "NAME")]
    pub console_name: Option<String>,
    /// Also write the run as JUnit XML here (a testsuite per scenario, a testcase per step).
    #[arg(long, value_name = "PATH")]
    pub junit: Option<PathBuf>,
    /// `terminal` (progress for a person) or `json` (one JSON event per line on stdout).
    #[arg(long, value_name = "KIND", default_value = "terminal")]
    pub reporter: String,
    /// Run up to N scenarios at once, each in its own browser session.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub workers: usize,
    /// Run only the K-th of N equal parts of the scenario list, e.g. 2/3, for CI matrices.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<String>,
}

#[derive(Debug, Args)]
pub struct ConsoleArgs {
    /// Port on 127.0.0.1; 0 picks a free one.
    #[arg(long, default_value_t = 8443)]
    pub port: u16,
    /// The installed Palette version.
    #[arg(long, default_value = "4.8.21")]
    pub from: String,
    /// The version Update Management offers.
    #[arg(long, default_value = "4.8.33")]
    pub to: String,
    /// How long the console stays locked while it applies the upgrade.
    #[arg(long, value_name = "SECONDS", default_value_t = 8)]
    pub lock_seconds: u64,
    /// Serve over https with a fresh certificate signed by a fresh CA, written to --ca-out.
    #[arg(long)]
    pub https: bool,
    /// Where `--https` writes its CA certificate (PEM), for `run --ca-cert`.
    #[arg(long, value_name = "FILE", default_value = "reference-console-ca.pem")]
    pub ca_out: PathBuf,
    /// A deliberate defect for testing the harness: `skip-upgrade` locks and unlocks but never
    /// upgrades; `reworded-summary` words the Summary page's health message differently;
    /// `flaky-profile` fails the first request for the Enterprise Cluster profile.
    #[arg(long, value_name = "FAULT")]
    pub fault: Option<String>,
    /// `palette` or `vertex` (Palette VerteX): the product name every page says.
    #[arg(long, value_name = "PRODUCT", default_value = "palette")]
    pub product: String,
    /// An airgap installation: the update is offered only after Administration > Pack
    /// Registries > spectro-packs > Sync.
    #[arg(long)]
    pub airgap: bool,
    /// How long a pack registry sync takes.
    #[arg(long, value_name = "SECONDS", default_value_t = 3)]
    pub sync_seconds: u64,
    /// Show a label under another name, as a console whose UI renamed it since the baselines
    /// were recorded: `--rename Update=Upgrade` (repeatable; whole texts only).
    #[arg(long, value_name = "OLD=NEW")]
    pub rename: Vec<String>,
}
