//! Report files rewritten as the run goes, each write atomic. A write that fails does not stop
//! the run, but is said on stderr (once per file) and remembered until a later write of the
//! same file succeeds, so that the run can end with a loud error and its own exit code.

use std::path::{Path, PathBuf};

use crate::artifacts::write_atomically;
use crate::event::UnwrittenReport;

#[derive(Default)]
pub struct ReportFiles {
    unwritten: Vec<UnwrittenReport>,
}

impl ReportFiles {
    /// Writes `bytes` to `path` atomically; on failure the earlier copy stays.
    pub fn write(&mut self, path: &Path, bytes: &[u8]) {
        match write_atomically(path, bytes) {
            Ok(()) => self.unwritten.retain(|unwritten| unwritten.path != path),
            Err(error) => self.failed(path, error.to_string()),
        }
    }

    /// The write that says how a scenario or run ended. If it fails, the earlier copy no longer
    /// tells the truth (it would say the run is still going), so it is removed, and that said.
    pub fn write_last(&mut self, path: &Path, bytes: &[u8]) {
        if let Err(error) = write_atomically(path, bytes) {
            let removed = std::fs::remove_file(path).is_ok();
            let reason = if removed {
                format!(
                    "{error}; its earlier copy, which said the run was still going, was removed"
                )
            } else {
                error.to_string()
            };
            self.failed(path, reason);
        } else {
            self.unwritten.retain(|unwritten| unwritten.path != path);
        }
    }

    fn failed(&mut self, path: &Path, reason: String) {
        match self
            .unwritten
            .iter_mut()
            .find(|unwritten| unwritten.path == path)
        {
            Some(unwritten) => unwritten.reason = reason,
            None => {
                super::say::error(&format!("cannot write {}: {reason}", path.display()));
                self.unwritten.push(UnwrittenReport {
                    path: PathBuf::from(path),
                    reason,
                });
            }
        }
    }

    /// The report files whose latest version is not on disk.
    pub fn unwritten(&self) -> Vec<UnwrittenReport> {
        self.unwritten.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_write_is_remembered_until_a_later_write_succeeds() {
        let folder = tempfile::tempdir().unwrap();
        let blocked = folder.path().join("not-a-folder");
        std::fs::write(&blocked, "a file where a folder should be").unwrap();
        let path = blocked.join("report.json");
        let mut files = ReportFiles::default();
        files.write(&path, b"{}");
        assert_eq!(files.unwritten().len(), 1);
        assert!(
            files.unwritten()[0].reason.contains("exists"),
            "the reason the system gave: {:?}",
            files.unwritten()
        );
        std::fs::remove_file(&blocked).unwrap();
        files.write(&path, b"{}");
        assert!(files.unwritten().is_empty());
        assert_eq!(std::fs::read(&path).unwrap(), b"{}");
    }

    #[test]
    fn a_last_write_that_fails_removes_the_copy_that_no_longer_tells_the_truth() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("report.json");
        let mut files = ReportFiles::default();
        files.write(&path, b"{\"outcome\": \"running\"}");
        // A folder where the temporary file would go makes the atomic write fail.
        let temporary = folder
            .path()
            .join(format!(".report.json.tmp-{}", std::process::id()));
        std::fs::create_dir(&temporary).unwrap();
        std::fs::write(temporary.join("x"), "keeps the folder from being removed").unwrap();
        files.write_last(&path, b"{\"outcome\": \"passed\"}");
        assert!(!path.exists(), "the stale copy is gone");
        let unwritten = files.unwritten();
        assert_eq!(unwritten.len(), 1);
        assert!(unwritten[0].reason.contains("was removed"), "{unwritten:?}");
    }
}
