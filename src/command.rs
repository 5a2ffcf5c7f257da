//! Each subcommand, from its resolved settings to how it ended: `main` parses the command line,
//! calls [`run`], and maps the answer to an exit code (`exit`). What a command says goes
//! through `report` (`report::say` for a check's verdicts and listings, the reporters for a run).

use std::future::Future;
use std::io::IsTerminal;
use std::path::Path;

use anyhow::Context as _;

use crate::cli::{CheckArgs, Cli, Command, ConsoleArgs, DocsCheckArgs, DocsCommand, ReviewArgs};
use crate::exit::{Exit, UsageError};
use crate::report::say;
use crate::settings::{self, OutputFormat, RunSettings};
use crate::settings::{DraftSettings, GuideSettings};
use crate::snapshot::{SnapshotStore, StoreError};
use crate::{console, diff_command, harness, review};

/// Runs the command the user asked for; an `Err` is a typed error (usage, 2) or an unexpected
/// one (1), as `exit::of_error` maps it.
pub fn run(cli: Cli) -> anyhow::Result<Exit> {
    let environment = |name: &str| std::env::var(name).ok();
    match cli.command {
        Command::Run(args) => {
            let settings = settings::resolve(&args, environment)?;
            in_runtime(run_scenarios(settings))
        }
        Command::Shoot(args) => {
            let settings = settings::resolve_shoot(&args, environment)?;
            in_runtime(run_scenarios(settings))
        }
        Command::Docs(DocsCommand::Check(args)) => check_docs(&args),
        Command::Docs(DocsCommand::Draft(args)) => draft_scenario(&settings::resolve_draft(&args)?),
        Command::Guide(args) => write_guide(&settings::resolve_guide(&args)?),
        Command::Console(args) => {
            let config = settings::resolve_console(&args, environment)?;
            in_runtime(serve_console(args, config))
        }
        Command::Outline(args) => {
            let settings = settings::resolve_outline(&args, environment)?;
            in_runtime(print_outline(settings))
        }
        Command::Diff(args) => {
            let request = settings::resolve_diff(&args)?;
            let answer = diff_command::run(&request)?;
            say::line(&answer.summary);
            Ok(Exit::passed_if(!answer.different))
        }
        Command::Check(args) => check_scenarios(&args),
        Command::Record(args) => {
            let settings = settings::resolve_record(&args, environment)?;
            in_runtime(record(settings))
        }
        Command::Review(args) if args.serve => {
            let settings = settings::resolve_review_serve(&args)?;
            in_runtime(serve_review(settings))
        }
        Command::Review(args) => {
            let ReviewArgs {
                filter,
                snapshots,
                exact,
            } = &args.select;
            let store = recovered(snapshots);
            say::out(&review::describe_pending(&store, filter.as_deref(), *exact));
            Ok(Exit::Passed)
        }
        Command::Accept(args) => print_lines(review::accept(
            &recovered(&args.snapshots),
            args.filter.as_deref(),
            args.exact,
        )),
        Command::Reject(args) => print_lines(review::reject(
            &recovered(&args.snapshots),
            args.filter.as_deref(),
            args.exact,
        )),
    }
}

/// The snapshot store, with what an interrupted run left half done finished (said on stdout).
fn recovered(folder: &Path) -> SnapshotStore {
    let store = SnapshotStore::new(folder).with_notices(say::err_line);
    for line in store.recover() {
        say::line(&line);
    }
    store
}

/// `check`: every scenario parsed and validated as `run` would, without a browser; 2 when one
/// is not valid.
fn check_scenarios(args: &CheckArgs) -> anyhow::Result<Exit> {
    let format = settings::output_format(&args.format)?;
    let files = if args.scenarios.is_empty() {
        crate::scenario::scenario_files(Path::new("scenarios"))?
    } else {
        args.scenarios.clone()
    };
    let mut all_valid = true;
    let mut results = Vec::new();
    for file in &files {
        let result = match crate::scenario::load(file) {
            Ok(scenario) => {
                let actions: usize = scenario.steps.iter().map(|step| step.actions.len()).sum();
                serde_json::json!({
                    "file": file, "valid": true, "steps": scenario.steps.len(), "actions": actions,
                })
            }
            Err(crate::scenario::ScenarioError::Malformed { location, message }) => {
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
    match format {
        OutputFormat::Json => say::line(&serde_json::Value::Array(results).to_string()),
        OutputFormat::Text => {
            for result in &results {
                match result["error"].as_str() {
                    Some(error) => say::err_line(error),
                    None => say::line(&format!(
                        "{}: valid ({} steps, {} actions)",
                        result["file"].as_str().unwrap_or_default(),
                        result["steps"],
                        result["actions"]
                    )),
                }
            }
        }
    }
    Ok(if all_valid { Exit::Passed } else { Exit::Usage })
}

fn in_runtime(work: impl Future<Output = anyhow::Result<Exit>>) -> anyhow::Result<Exit> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?
        .block_on(work)
}

/// `docs check`: 0 when every image of every guide is made by a scenario step, 1 when one is
/// missing, 2 when a guide or scenario cannot be read.
fn check_docs(args: &DocsCheckArgs) -> anyhow::Result<Exit> {
    let format = settings::output_format(&args.format)?;
    let check = crate::docs::check::run(&args.guides, &args.scenarios)?;
    match format {
        OutputFormat::Json => {
            say::line(&serde_json::to_string_pretty(&check.json).context("the check as JSON")?)
        }
        OutputFormat::Text => say::out(&check.text),
    }
    Ok(Exit::passed_if(check.missing == 0))
}

/// `docs draft`: the guide's draft scenario on stdout (what became of the steps on stderr) or in
/// `--out`. The draft is parsed as `check` would before it is written: one that does not pass is
/// a bug of the draft's (exit 1), never a file left for the user to find out.
fn draft_scenario(settings: &DraftSettings) -> anyhow::Result<Exit> {
    let path = &settings.guide;
    let text = std::fs::read_to_string(path).map_err(|error| {
        UsageError(format!("cannot read the guide {}: {error}", path.display()))
    })?;
    let guide = crate::docs::guide::read(&text);
    let title = guide.title.clone().unwrap_or_else(|| {
        path.file_stem()
            .map(|stem| stem.to_string_lossy().into_owned())
            .unwrap_or_default()
    });
    let draft =
        crate::docs::draft::draft(&guide, &title, &settings.docs_path).map_err(|error| {
            let line = guide.steps.first().map_or(1, |step| step.line);
            UsageError(format!("{}:{line}: {error}", path.display()))
        })?;
    let named = settings.out.clone().unwrap_or_else(|| "the draft".into());
    crate::scenario::parse(&named, &draft.toml)
        .context("the draft does not pass `check`: a bug of `docs draft`, please report it")?;
    let summary = format!(
        "{}: {} steps drafted, {} click actions, {} outside the console, {} TODO steps, {} TODO sentences",
        path.display(),
        draft.steps,
        draft.clicks,
        draft.outside_steps,
        draft.todo_steps,
        draft.todo_sentences
    );
    written(settings.out.as_deref(), &draft.toml, &summary)
}

/// `guide`: the scenario as the docs write a guide, on stdout or in `--out`.
fn write_guide(settings: &GuideSettings) -> anyhow::Result<Exit> {
    let scenario = crate::scenario::load(&settings.scenario)?;
    let markdown = crate::docs::write_guide::write(&scenario);
    let images: usize = scenario
        .steps
        .iter()
        .flat_map(|step| &step.actions)
        .filter(|action| matches!(action.kind, crate::scenario::ActionKind::Screenshot(_)))
        .count();
    let summary = format!(
        "{}: {} steps, {images} image lines",
        settings.scenario.display(),
        scenario.steps.len()
    );
    written(settings.out.as_deref(), &markdown, &summary)
}

/// Writes what an authoring command made: to `out` atomically (the summary on stdout), else to
/// stdout (the summary on stderr, so that stdout holds the file alone).
fn written(out: Option<&Path>, text: &str, summary: &str) -> anyhow::Result<Exit> {
    match out {
        Some(out) => {
            crate::artifacts::write_atomically(out, text.as_bytes()).map_err(|error| {
                UsageError(format!("--out: cannot write {}: {error}", out.display()))
            })?;
            say::line(&format!("{summary}; written to {}", out.display()));
        }
        None => {
            say::out(text);
            say::err_line(summary);
        }
    }
    Ok(Exit::Passed)
}

/// `run` and `shoot`: the scenarios, stopped cleanly (browsers and drivers killed) on a signal.
async fn run_scenarios(settings: RunSettings) -> anyhow::Result<Exit> {
    let live = std::io::stdout().is_terminal();
    // With `--reporter json` stdout holds JSON lines only; what is left to say goes to stderr.
    let json_events = settings.reporter == settings::ReporterKind::Json;
    // What an interrupted run left half done in the snapshot folder is finished first; on CI
    // nothing is written there.
    if !settings.on_ci {
        recovered(&settings.snapshots_dir);
    }
    tokio::select! {
        result = harness::run(settings, live) => Ok(finish_run(&result?, json_events)),
        // Dropping the run future drops the browser, which kills the driver's process group.
        exit = termination() => {
            say::err_line("interrupted: the browser and driver were stopped; reports hold the steps finished so far");
            Ok(exit)
        }
    }
}

/// Resolves when the process is asked to stop (Ctrl-C, `kill`, a closed terminal), so the
/// caller can drop its work, and with it every child process, instead of dying with them still
/// running.
async fn termination() -> Exit {
    use tokio::signal::unix::{signal, SignalKind};
    let (Ok(mut terminate), Ok(mut hang_up)) = (
        signal(SignalKind::terminate()),
        signal(SignalKind::hangup()),
    ) else {
        let _ = tokio::signal::ctrl_c().await;
        return Exit::Interrupted;
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => Exit::Interrupted,
        _ = terminate.recv() => Exit::Terminated,
        _ = hang_up.recv() => Exit::HangUp,
    }
}

/// `record`: ends with 0 when stopped by a signal or by closing the browser, which is how a
/// recording is meant to end; the file holds every action recorded until then.
async fn record(settings: settings::RecordSettings) -> anyhow::Result<Exit> {
    let stop = async {
        termination().await;
    };
    let recorded = harness::record::record(settings, stop).await?;
    let todos = match recorded.todos {
        0 => String::new(),
        1 => " and 1 TODO".to_string(),
        todos => format!(" and {todos} TODOs"),
    };
    say::line(&format!(
        "recording ended ({}): {} action{}{todos} written to {}",
        recorded.ended,
        recorded.actions,
        if recorded.actions == 1 { "" } else { "s" },
        recorded.file.display()
    ));
    Ok(Exit::Passed)
}

async fn print_outline(settings: settings::OutlineSettings) -> anyhow::Result<Exit> {
    tokio::select! {
        read = harness::outline(&settings) => {
            let read = read.map_err(|error| UsageError(format!("{}: {error}", settings.page.describe())))?;
            match read {
                harness::OutlineRead::Outline(outline) => {
                    say::line(&outline);
                    Ok(Exit::Passed)
                }
                harness::OutlineRead::ActionFailed(failure) => {
                    say::error(&failure);
                    Ok(Exit::Failed)
                }
            }
        }
        exit = termination() => Ok(exit),
    }
}

async fn serve_console(args: ConsoleArgs, config: console::ConsoleConfig) -> anyhow::Result<Exit> {
    let username = config.username.clone();
    let started = if args.https {
        console::start_https(config, args.port).await
    } else {
        console::start(config, args.port).await
    };
    let running = started.map_err(|error| {
        UsageError(format!(
            "cannot listen on 127.0.0.1:{}: {error}; pick another --port (0 picks a free one)",
            args.port
        ))
    })?;
    say::line(&format!(
        "Reference console listening on {} (log in as {username})",
        running.url()
    ));
    if let Some(pem) = running.ca_pem() {
        crate::artifacts::write_atomically(&args.ca_out, pem.as_bytes()).map_err(|error| {
            UsageError(format!(
                "--ca-out: cannot write {}: {error}",
                args.ca_out.display()
            ))
        })?;
        // Whoever started the console may read only its first line.
        say::line(&format!(
            "Its certificate is signed by a CA made for it alone, written to {}: run with --ca-cert {}",
            args.ca_out.display(),
            args.ca_out.display()
        ));
    }
    let _ = tokio::signal::ctrl_c().await;
    Ok(Exit::Passed)
}

/// `review --serve`: the review page until Ctrl-C, `kill` or a closed terminal, which end it
/// as they end every command. Its URL (with the token) is the first line on stdout.
async fn serve_review(settings: settings::ReviewServeSettings) -> anyhow::Result<Exit> {
    // What an interrupted run left half done is finished first, said on stderr: stdout's first
    // line is the URL, for whoever started the server to read.
    let store = SnapshotStore::new(&settings.snapshots).with_notices(say::err_line);
    for line in store.recover() {
        say::err_line(&line);
    }
    let port = settings.port;
    let server = review::serve::start(review::serve::ServeOptions {
        store,
        filter: settings.filter,
        out: settings.out,
        port,
    })
    .await
    .map_err(|error| {
        UsageError(format!(
            "cannot listen on 127.0.0.1:{port}: {error}; pick another --port (0 picks a free one)"
        ))
    })?;
    say::line(&server.url());
    say::err_line("review the pending snapshots at the URL above; Ctrl-C stops the server");
    let exit = termination().await;
    drop(server);
    Ok(exit)
}

fn print_lines(result: Result<Vec<String>, StoreError>) -> anyhow::Result<Exit> {
    let lines = result?;
    if lines.is_empty() {
        say::line("no pending snapshots matched");
    }
    for line in lines {
        say::line(&line);
    }
    Ok(Exit::Passed)
}

/// Says what a finished run leaves to say (`shoot`'s table of images, files that could not be
/// written) and how it ended: passed, failed, or its reports not complete on disk.
fn finish_run(summary: &harness::RunSummary, json_events: bool) -> Exit {
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
        let table = crate::report::docs_table::render(&docs.images, &manifest);
        // With `--reporter json` stdout holds JSON lines only.
        if json_events {
            say::err(&table);
        } else {
            say::out(&table);
        }
    }
    if !unwritten.is_empty() {
        say::err_line("error: this run's reports are not complete on disk:");
        for line in &unwritten {
            say::err_line(&format!("  {line}"));
        }
        say::err_line(&format!(
            "  the outcome printed above stands ({}); free space or fix the folder's permissions and run again",
            if summary.all_passed() { "passed" } else { "failed" }
        ));
        return Exit::ReportsIncomplete;
    }
    Exit::passed_if(summary.all_passed())
}
