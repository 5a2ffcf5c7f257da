//! Consumers of runner events: the terminal display and the JSON report. The only code that
//! prints progress or writes reports.

mod docs_table;
mod file;
mod github;
mod html;
mod interruption;
mod json;
mod json_lines;
mod junit;
pub mod say;
mod slots;
mod terminal;
mod workers;

pub use github::GithubAnnotations;
pub use html::HtmlReport;
pub use json::JsonReport;
pub use json_lines::JsonLinesReporter;
pub use junit::JunitReport;
pub use terminal::TerminalReporter;
pub use workers::{AreaWriter, LiveArea, WorkerStatus};

/// Says what a finished run leaves to say (`shoot`'s table of images, files that could not be
/// written) and how it ended: passed, failed, or its reports not complete on disk.
pub fn finish_run(summary: &crate::harness::RunSummary, json_events: bool) -> crate::exit::Exit {
    use crate::exit::Exit;
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
        let table = docs_table::render(&docs.images, &manifest);
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
