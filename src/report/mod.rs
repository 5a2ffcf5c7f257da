//! Consumers of runner events: the terminal display and the JSON report. The only code that
//! prints progress or writes reports.

pub mod docs_table;
mod file;
mod github;
mod html;
mod interruption;
mod json;
mod json_lines;
mod junit;
pub(crate) mod model;
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
