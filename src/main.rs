//! The entry point: parse the command line, run the command, map how it ended to an exit code
//! (`palette_harness::exit` holds the one map and the README's table).

use clap::Parser;
use palette_harness::exit;
use palette_harness::{cli::Cli, command, report::say};

fn main() -> std::process::ExitCode {
    let exit = match command::run(Cli::parse()) {
        Ok(exit) => exit,
        Err(error) => {
            say::error(&exit::describe(&error));
            exit::of_error(&error)
        }
    };
    exit.into()
}
