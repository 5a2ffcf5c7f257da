//! Thin entry point: parse arguments, call the library, map results to exit codes.
//! 0: every scenario passed (or stopped before changing a console without --apply), or images
//! are the same; 1: a scenario failed, or images differ; 2: usage or configuration error;
//! 129, 130, 143: stopped by SIGHUP, SIGINT (Ctrl-C) or SIGTERM, after stopping every child.

use std::future::Future;
use std::io::IsTerminal;
use std::io::Write as _;
use std::process::ExitCode;

use clap::Parser;
use palette_harness::browser::{BrowserOptions, CertificateTrust};
use palette_harness::cli::{
    CheckArgs, Cli, Command, ConsoleArgs, DocsCheckArgs, DocsCommand, OutlineArgs, RunArgs,
    ShootArgs,
};
use palette_harness::console::{self, ConsoleConfig};
use palette_harness::diff_command::{self, DiffRequest};
use palette_harness::docs::DocsOutput;
use palette_harness::snapshot::{SnapshotStore, StoreError};
use palette_harness::{harness, review, settings};

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Run(args) => in_runtime(run_scenarios(args, None)),
        Command::Shoot(args) => in_runtime(shoot(args)),
        Command::Docs(DocsCommand::Check(args)) => check_docs(&args),
        Command::Console(args) => in_runtime(serve_console(args)),
        Command::Outline(args) => in_runtime(print_outline(args)),
        Command::Diff(args) => {
            match DiffRequest::from_args(&args).map_err(|message| message.to_string()) {
                Ok(request) => match diff_command::run(&request) {
                    Ok(answer) => {
                        println!("{}", answer.summary);
                        ExitCode::from(u8::from(answer.different))
                    }
                    Err(error) => usage_error(error),
                },
                Err(message) => usage_error(message),
            }
        }
        Command::Check(args) => check_scenarios(&args),
        Command::Review(args) => {
            let store = recovered(&args.snapshots);
            print!(
                "{}",
                review::describe_pending(&store, args.filter.as_deref())
            );
            ExitCode::SUCCESS
        }
        Command::Accept(args) => print_lines(review::accept(
            &recovered(&args.snapshots),
            args.filter.as_deref(),
        )),
        Command::Reject(args) => print_lines(review::reject(
            &recovered(&args.snapshots),
            args.filter.as_deref(),
        )),
    }
}

/// The snapshot store, with what an interrupted run left half done finished (said on stdout).
fn recovered(folder: &std::path::Path) -> SnapshotStore {
    let store = SnapshotStore::new(folder);
    for line in store.recover() {
        println!("{line}");
    }
    store
}

/// `--format text` (false) or `--format json` (true), for `check` and `docs check`.
fn wants_json(format: &str) -> Result<bool, String> {
    match format {
        "text" => Ok(false),
        "json" => Ok(true),
        other => Err(format!("--format: expected text or json, found `{other}`")),
    }
}

/// `check`: every scenario parsed and validated as `run` would, without a browser.
fn check_scenarios(args: &CheckArgs) -> ExitCode {
    let json = match wants_json(&args.format) {
        Ok(json) => json,
        Err(message) => return usage_error(message),
    };
    let files = if args.scenarios.is_empty() {
        match settings::scenario_files(std::path::Path::new("scenarios")) {
            Ok(files) => files,
            Err(error) => return usage_error(error),
        }
    } else {
        args.scenarios.clone()
    };
    let mut all_valid = true;
    let mut results = Vec::new();
    for file in &files {
        let result = match palette_harness::scenario::load(file) {
            Ok(scenario) => {
                let actions: usize = scenario.steps.iter().map(|step| step.actions.len()).sum();
                serde_json::json!({
                    "file": file, "valid": true, "steps": scenario.steps.len(), "actions": actions,
                })
            }
            Err(palette_harness::scenario::ScenarioError::Malformed { location, message }) => {
                all_valid = false;
                serde_json::json!({
                    "file": file, "valid": false, "line": location.line, "column": location.column,
                    "message": message, "error": format!("{location}: {message}"),
                })
            }
            Err(error) => {
                all_valid = false;
                serde_json::json!({ "file": file, "valid": false, "error": error.to_string() })
            }
        };
        results.push(result);
    }
    if json {
        println!("{}", serde_json::Value::Array(results));
    } else {
        for result in &results {
            match result["error"].as_str() {
                Some(error) => eprintln!("{error}"),
                None => println!(
                    "{}: valid ({} steps, {} actions)",
                    result["file"].as_str().unwrap_or_default(),
                    result["steps"],
                    result["actions"]
                ),
            }
        }
    }
    if all_valid {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    }
}

fn usage_error(error: impl std::fmt::Display) -> ExitCode {
    eprintln!("error: {error}");
    ExitCode::from(2)
}

fn in_runtime(work: impl Future<Output = ExitCode>) -> ExitCode {
    match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime.block_on(work),
        Err(error) => {
            eprintln!("error: cannot start the async runtime: {error}");
            ExitCode::from(1)
        }
    }
}

/// `docs check`: exit 0 when every image of every guide is made by a scenario step, 1 when one
/// is missing, 2 when a guide or scenario cannot be read.
fn check_docs(args: &DocsCheckArgs) -> ExitCode {
    let json = match wants_json(&args.format) {
        Ok(json) => json,
        Err(message) => return usage_error(message),
    };
    match palette_harness::docs::check::run(&args.guides, &args.scenarios) {
        Ok(check) => {
            if json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&check.json).unwrap_or_default()
                );
            } else {
                print!("{}", check.text);
            }
            if check.missing > 0 {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(error) => usage_error(error),
    }
}

/// `shoot`: `run` in docs mode.
async fn shoot(args: ShootArgs) -> ExitCode {
    if !(args.scale >= 1.0 && args.scale <= 4.0) {
        return usage_error(format!(
            "--scale: expected a device scale from 1 to 4 such as 2, found {}",
            args.scale
        ));
    }
    if !(0.0..=1.0).contains(&args.max_diff_ratio) {
        return usage_error(format!(
            "--max-diff-ratio: expected a fraction from 0 to 1 such as 0.001, found {}",
            args.max_diff_ratio
        ));
    }
    if !args.docs_root.is_dir() {
        return usage_error(format!(
            "--docs-root: expected the docs checkout's folder, found no folder at {}",
            args.docs_root.display()
        ));
    }
    let docs = DocsOutput::new(&args.docs_root, args.manifest.clone(), args.max_diff_ratio);
    run_scenarios(args.run, Some((docs, args.scale))).await
}

async fn run_scenarios(args: RunArgs, docs: Option<(DocsOutput, f64)>) -> ExitCode {
    let mut settings = match settings::resolve(&args, |name| std::env::var(name).ok()) {
        Ok(settings) => settings,
        Err(error) => return usage_error(error),
    };
    if let Some((docs, scale)) = docs {
        settings.docs = Some(docs);
        settings.browser.device_scale = scale;
    }
    let live = std::io::stdout().is_terminal();
    // With `--reporter json` stdout holds JSON lines only; what is left to say goes to stderr.
    let json_events = settings.reporter == settings::ReporterKind::Json;
    // What an interrupted run left half done in the snapshot folder is finished first; on CI
    // nothing is written there.
    if !settings.on_ci {
        recovered(&settings.snapshots_dir);
    }
    tokio::select! {
        result = harness::run(settings, live) => match result {
            Ok(summary) => exit_code_of(&summary, json_events),
            Err(error) => usage_error(error),
        },
        // Dropping the run future drops the browser, which kills the driver's process group.
        code = termination() => {
            eprintln!("interrupted: the browser and driver were stopped; reports hold the steps finished so far");
            code
        }
    }
}

/// Prints what a finished run leaves to say (`shoot`'s table of images, files that could not
/// be written) and gives its exit code: 0 passed, 1 failed, 3 a report or the manifest is not
/// complete on disk.
fn exit_code_of(summary: &harness::RunSummary, json_events: bool) -> ExitCode {
    let mut unwritten: Vec<String> = summary
        .unwritten_reports
        .iter()
        .map(|unwritten| format!("{}: {}", unwritten.path.display(), unwritten.reason))
        .collect();
    if let Some(docs) = &summary.docs {
        let manifest = match &docs.manifest_written {
            Ok(true) => format!("manifest written: {}", docs.manifest.display()),
            Ok(false) => format!("manifest unchanged: {}", docs.manifest.display()),
            Err(error) => {
                unwritten.push(format!("{}: {error}", docs.manifest.display()));
                format!("manifest NOT written: {}", docs.manifest.display())
            }
        };
        let table = palette_harness::docs::table::render(&docs.images, &manifest);
        if json_events {
            eprint!("{table}");
        } else {
            print!("{table}");
        }
    }
    if !unwritten.is_empty() {
        eprintln!("error: this run's reports are not complete on disk:");
        for line in &unwritten {
            eprintln!("  {line}");
        }
        eprintln!(
            "  the outcome printed above stands ({}); free space or fix the folder's permissions and run again",
            if summary.all_passed() { "passed" } else { "failed" }
        );
        return ExitCode::from(3);
    }
    if summary.all_passed() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// Resolves when the process is asked to stop (Ctrl-C, `kill`, a closed terminal) with the
/// conventional exit code, so the caller can drop its work, and with it every child process,
/// instead of dying with them still running.
async fn termination() -> ExitCode {
    use tokio::signal::unix::{signal, SignalKind};
    let (Ok(mut terminate), Ok(mut hang_up)) = (
        signal(SignalKind::terminate()),
        signal(SignalKind::hangup()),
    ) else {
        let _ = tokio::signal::ctrl_c().await;
        return ExitCode::from(130);
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => ExitCode::from(130),
        _ = terminate.recv() => ExitCode::from(143),
        _ = hang_up.recv() => ExitCode::from(129),
    }
}

async fn print_outline(args: OutlineArgs) -> ExitCode {
    let options = BrowserOptions {
        webdriver_url: args.webdriver,
        chromedriver: args.chromedriver,
        certificates: if args.insecure {
            CertificateTrust::AcceptAny
        } else {
            CertificateTrust::Verify
        },
        ..BrowserOptions::default()
    };
    tokio::select! {
        outline = harness::outline(&args.url, &options) => match outline {
            Ok(outline) => {
                println!("{outline}");
                ExitCode::SUCCESS
            }
            Err(error) => usage_error(format!("{}: {error}", args.url)),
        },
        code = termination() => code,
    }
}

async fn serve_console(args: ConsoleArgs) -> ExitCode {
    let config = match ConsoleConfig::from_args(&args, |name| std::env::var(name).ok()) {
        Ok(config) => config,
        Err(message) => return usage_error(message),
    };
    let username = config.username.clone();
    let started = if args.https {
        console::start_https(config, args.port).await
    } else {
        console::start(config, args.port).await
    };
    let running = match started {
        Ok(running) => running,
        Err(error) => {
            return usage_error(format!(
                "cannot listen on 127.0.0.1:{}: {error}; pick another --port (0 picks a free one)",
                args.port
            ))
        }
    };
    println!(
        "Reference console listening on {} (log in as {username})",
        running.url()
    );
    if let Some(pem) = running.ca_pem() {
        if let Err(error) =
            palette_harness::artifacts::write_atomically(&args.ca_out, pem.as_bytes())
        {
            return usage_error(format!(
                "--ca-out: cannot write {}: {error}",
                args.ca_out.display()
            ));
        }
        // Whoever started the console may read only its first line.
        let _ = writeln!(
            std::io::stdout(),
            "Its certificate is signed by a CA made for it alone, written to {}: run with --ca-cert {}",
            args.ca_out.display(),
            args.ca_out.display()
        );
    }
    let _ = tokio::signal::ctrl_c().await;
    ExitCode::SUCCESS
}

fn print_lines(result: Result<Vec<String>, StoreError>) -> ExitCode {
    match result {
        Ok(lines) if lines.is_empty() => {
            println!("no pending snapshots matched");
            ExitCode::SUCCESS
        }
        Ok(lines) => {
            for line in lines {
                println!("{line}");
            }
            ExitCode::SUCCESS
        }
        Err(error) => usage_error(error),
    }
}
