//! Thin entry point: parse arguments, call the library, map results to exit codes.
//! 0: every scenario passed (or stopped before changing a console without --apply);
//! 1: a scenario failed; 2: usage or configuration error; 130: interrupted.

use std::io::IsTerminal;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use palette_harness::browser::{Browser, BrowserOptions};
use palette_harness::cli::{Cli, Command, ConsoleArgs, DiffArgs, OutlineArgs};
use palette_harness::console::{self, ConsoleConfig, Fault};
use palette_harness::snapshot::{SnapshotStore, StoreError};
use palette_harness::{diff_command, harness, review, settings};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match &cli.command {
        Command::Diff(args) => return compare_images(args),
        Command::Review(args) => {
            print!(
                "{}",
                review::describe_pending(
                    &SnapshotStore::new(&args.snapshots),
                    args.filter.as_deref()
                )
            );
            return ExitCode::SUCCESS;
        }
        Command::Accept(args) => {
            return print_lines(review::accept(
                &SnapshotStore::new(&args.snapshots),
                args.filter.as_deref(),
            ))
        }
        Command::Reject(args) => {
            return print_lines(review::reject(
                &SnapshotStore::new(&args.snapshots),
                args.filter.as_deref(),
            ))
        }
        Command::Run(_) | Command::Console(_) | Command::Outline(_) => {}
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the async runtime: {error}");
            return ExitCode::from(1);
        }
    };
    runtime.block_on(async {
        match cli.command {
            Command::Run(args) => {
                let settings = match settings::resolve(&args, |name| std::env::var(name).ok()) {
                    Ok(settings) => settings,
                    Err(error) => {
                        eprintln!("error: {error}");
                        return ExitCode::from(2);
                    }
                };
                let live = std::io::stdout().is_terminal();
                tokio::select! {
                    result = harness::run(settings, live) => match result {
                        Ok(summary) if summary.all_passed() => ExitCode::SUCCESS,
                        Ok(_) => ExitCode::from(1),
                        Err(error) => {
                            eprintln!("error: {error}");
                            ExitCode::from(2)
                        }
                    },
                    // Dropping the run future drops the browser, which kills the driver's group.
                    _ = tokio::signal::ctrl_c() => {
                        eprintln!("interrupted: the browser and driver were stopped; reports hold the steps finished so far");
                        ExitCode::from(130)
                    }
                }
            }
            Command::Console(args) => serve_console(args).await,
            Command::Outline(args) => print_outline(args).await,
            Command::Diff(_) | Command::Review(_) | Command::Accept(_) | Command::Reject(_) => {
                unreachable!("handled before the runtime starts")
            }
        }
    })
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
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(2)
        }
    }
}

/// `diff` needs no async runtime: it is decode, compare, encode.
fn compare_images(args: &DiffArgs) -> ExitCode {
    if !(0.0..=1.0).contains(&args.threshold) {
        eprintln!(
            "error: --threshold must be between 0 and 1, found {}",
            args.threshold
        );
        return ExitCode::from(2);
    }
    let ignore = match args
        .ignore
        .iter()
        .map(|text| diff_command::parse_region(text))
        .collect::<Result<Vec<_>, _>>()
    {
        Ok(ignore) => ignore,
        Err(error) => {
            eprintln!("error: --ignore: {error}");
            return ExitCode::from(2);
        }
    };
    let request = diff_command::DiffRequest {
        left: args.left.clone(),
        right: args.right.clone(),
        threshold: args.threshold,
        detect_antialiasing: args.antialiasing,
        output: args.output.clone(),
        ignore,
    };
    match diff_command::run(&request) {
        Ok(answer) => {
            println!("{}", answer.summary);
            ExitCode::from(u8::from(answer.different))
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(2)
        }
    }
}

async fn print_outline(args: OutlineArgs) -> ExitCode {
    let options = BrowserOptions {
        webdriver_url: args.webdriver,
        chromedriver: args.chromedriver,
        ..BrowserOptions::default()
    };
    let browser = match Browser::start(&options).await {
        Ok(browser) => browser,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(2);
        }
    };
    let outline = match browser.goto(&args.url).await {
        Ok(()) => browser.page_outline().await,
        Err(error) => Err(error),
    };
    browser.close().await;
    match outline {
        Ok(outline) => {
            println!("{outline}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {}: {error}", args.url);
            ExitCode::from(2)
        }
    }
}

async fn serve_console(args: ConsoleArgs) -> ExitCode {
    let fault = match args.fault.as_deref().map(str::parse::<Fault>).transpose() {
        Ok(fault) => fault,
        Err(error) => {
            eprintln!("error: --fault: {error}");
            return ExitCode::from(2);
        }
    };
    let config = ConsoleConfig {
        from_version: args.from,
        to_version: args.to,
        lock_duration: Duration::from_secs(args.lock_seconds),
        username: std::env::var(settings::USERNAME_VARIABLE)
            .unwrap_or_else(|_| "admin".to_string()),
        password: std::env::var(settings::PASSWORD_VARIABLE)
            .unwrap_or_else(|_| "admin".to_string()),
        fault,
    };
    let username = config.username.clone();
    let running = match console::start(config, args.port).await {
        Ok(running) => running,
        Err(error) => {
            eprintln!("error: cannot listen on 127.0.0.1:{}: {error}; pick another --port (0 picks a free one)", args.port);
            return ExitCode::from(2);
        }
    };
    println!(
        "Reference console listening on {} (log in as {username})",
        running.url()
    );
    let _ = tokio::signal::ctrl_c().await;
    ExitCode::SUCCESS
}
