//! Consumers of runner events: the terminal display and the JSON report. The only code that
//! prints progress or writes reports.

mod json;
mod terminal;

pub use json::JsonReport;
pub use terminal::TerminalReporter;
