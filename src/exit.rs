//! The one map from how a command ended to its exit code. The README's table of exit codes is
//! this list:
//!
//! | code | meaning |
//! | ---: | --- |
//! | 0 | every scenario passed (or stopped, without `--apply`, before the first step that changes the console); images are the same; every guide image is made by a step; a command did what it was asked |
//! | 1 | a scenario failed; images differ; a guide image is made by no step; or an unexpected error (a bug, a worker that died), said with its context |
//! | 2 | usage or configuration: a bad flag, a malformed scenario (file:line:column), an unreachable console or driver, an unreadable file |
//! | 3 | the run ended, but a report, the docs manifest or a file it writes is not complete on disk |
//! | 129, 130, 143 | stopped by SIGHUP, SIGINT (Ctrl-C) or SIGTERM, after stopping every child process |

use crate::compare::image::DiffError;
use crate::docs::check::DocsCheckError;
use crate::harness::record::RecordError;
use crate::harness::HarnessError;
use crate::image_file::ImageFileError;
use crate::scenario::{NoScenarioFiles, ScenarioError};
use crate::settings::SettingsError;
use crate::snapshot::StoreError;

/// How a command ended, as its exit code says it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    Passed,
    Failed,
    Usage,
    ReportsIncomplete,
    HangUp,
    Interrupted,
    Terminated,
}

impl Exit {
    pub fn code(self) -> u8 {
        match self {
            Exit::Passed => 0,
            Exit::Failed => 1,
            Exit::Usage => 2,
            Exit::ReportsIncomplete => 3,
            Exit::HangUp => 129,
            Exit::Interrupted => 130,
            Exit::Terminated => 143,
        }
    }

    /// Passed or failed, by whether what was checked held.
    pub fn passed_if(held: bool) -> Exit {
        if held {
            Exit::Passed
        } else {
            Exit::Failed
        }
    }
}

impl From<Exit> for std::process::ExitCode {
    fn from(exit: Exit) -> Self {
        std::process::ExitCode::from(exit.code())
    }
}

/// The exit code of an error a command returned: every typed error of the input, the
/// configuration or the environment is a usage error (2); anything else, such as a worker that
/// died, is unexpected (1).
pub fn of_error(error: &anyhow::Error) -> Exit {
    if let Some(harness) = error.downcast_ref::<HarnessError>() {
        return match harness {
            HarnessError::WorkerDied(_) => Exit::Failed,
            _ => Exit::Usage,
        };
    }
    if let Some(recording) = error.downcast_ref::<RecordError>() {
        return match recording {
            RecordError::Harness(HarnessError::WorkerDied(_)) => Exit::Failed,
            RecordError::ReplayFailed { .. } => Exit::Failed,
            _ => Exit::Usage,
        };
    }
    let usage = error.is::<SettingsError>()
        || error.is::<ScenarioError>()
        || error.is::<NoScenarioFiles>()
        || error.is::<DocsCheckError>()
        || error.is::<StoreError>()
        || error.is::<ImageFileError>()
        || error.is::<DiffError>()
        || error.is::<UsageError>();
    if usage {
        Exit::Usage
    } else {
        Exit::Failed
    }
}

/// A problem with what the user asked for that no module's own error type describes (a port
/// already taken, a folder that cannot be written): exit code 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// How an error is said: a typed error by its own sentence (which names its causes); an
/// unexpected one with every layer of context added on the way up.
pub fn describe(error: &anyhow::Error) -> String {
    if of_error(error) == Exit::Usage {
        error.to_string()
    } else {
        format!("{error:#}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_errors_are_usage_errors_and_anything_else_is_unexpected() {
        let usage = anyhow::Error::new(SettingsError::Workers(40));
        assert_eq!(of_error(&usage), Exit::Usage);
        assert_eq!(
            describe(&usage),
            "--workers: expected a number of browser sessions from 1 to 16, found `40`"
        );
        let died = anyhow::Error::new(HarnessError::WorkerDied("a.toml".to_string()));
        assert_eq!(of_error(&died), Exit::Failed);
        let bug = anyhow::anyhow!("index out of range").context("reading the report");
        assert_eq!(of_error(&bug), Exit::Failed);
        assert_eq!(describe(&bug), "reading the report: index out of range");
    }

    #[test]
    fn every_exit_code_is_the_documented_one() {
        let codes: Vec<u8> = [
            Exit::Passed,
            Exit::Failed,
            Exit::Usage,
            Exit::ReportsIncomplete,
            Exit::HangUp,
            Exit::Interrupted,
            Exit::Terminated,
        ]
        .iter()
        .map(|exit| exit.code())
        .collect();
        assert_eq!(codes, [0, 1, 2, 3, 129, 130, 143]);
        assert_eq!(Exit::passed_if(false), Exit::Failed);
    }
}
