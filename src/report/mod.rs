//! Consumers of runner events: the terminal display and the JSON report. The only code that
//! prints progress or writes reports.

mod file;
mod html;
mod interruption;
mod json;
mod terminal;

pub use html::HtmlReport;
pub use json::JsonReport;
pub use terminal::TerminalReporter;
