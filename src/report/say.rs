//! What a command says on the terminal outside a run's event stream (a check's verdicts, a
//! listing, an error): the one place besides the reporters that writes to stdout and stderr.
//! A closed stdout (the reader took only the first line) is no error of the command's.

use std::io::Write as _;

/// Writes `text` to stdout as it is (no newline added).
pub fn out(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
}

/// Writes `text` and a newline to stdout.
pub fn line(text: &str) {
    out(&format!("{text}\n"));
}

/// Writes `text` to stderr as it is (no newline added).
pub fn err(text: &str) {
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

/// Writes `text` and a newline to stderr.
pub fn err_line(text: &str) {
    err(&format!("{text}\n"));
}

/// `error: …` on stderr.
pub fn error(text: &str) {
    err_line(&format!("error: {text}"));
}
