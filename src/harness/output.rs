//! The run's output folder: `--out`'s lock (one run per folder), each scenario's folder and
//! attempt folders, cleared of an earlier run's files.

use std::path::{Path, PathBuf};

use super::HarnessError;

/// `--out`'s lock file, holding the pid of the run that uses the folder; removed when dropped. A
/// lock whose process is gone (a killed run) is taken over.
pub(super) struct OutputLock {
    path: PathBuf,
}

impl OutputLock {
    pub(super) fn take(folder: &Path) -> Result<OutputLock, HarnessError> {
        let failed = |source| HarnessError::Output {
            path: folder.to_path_buf(),
            source,
        };
        std::fs::create_dir_all(folder).map_err(failed)?;
        let path = folder.join(".palette-harness.lock");
        for _ in 0..2 {
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(mut file) => {
                    use std::io::Write;
                    file.write_all(std::process::id().to_string().as_bytes())
                        .map_err(failed)?;
                    return Ok(OutputLock { path });
                }
                Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {
                    let holder = std::fs::read_to_string(&path)
                        .ok()
                        .and_then(|text| text.trim().parse::<u32>().ok());
                    match holder {
                        Some(pid) if crate::os::process_exists(pid) => {
                            return Err(HarnessError::OutputInUse {
                                path: folder.to_path_buf(),
                                pid,
                            })
                        }
                        _ => {
                            let _ = std::fs::remove_file(&path);
                        }
                    }
                }
                Err(error) => return Err(failed(error)),
            }
        }
        Err(failed(std::io::Error::other(
            "its lock file could not be taken",
        )))
    }
}

impl Drop for OutputLock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Where attempt `attempt` at a scenario writes: `<out>/<scenario>`, then, for the runs again
/// after a failure, `<out>/<scenario>-retry1`, `-retry2`, … (Playwright's names).
pub(super) fn attempt_folder(out_dir: &Path, scenario: &str, attempt: u32) -> PathBuf {
    match attempt {
        0 | 1 => out_dir.join(scenario),
        later => out_dir.join(format!("{scenario}-retry{}", later - 1)),
    }
}

/// The retry folders an earlier run left for this scenario (recognised by their report), so a
/// run never shows another run's attempts as its own.
pub(super) fn remove_earlier_retries(out_dir: &Path, scenario: &str) {
    for attempt in 2.. {
        let folder = attempt_folder(out_dir, scenario, attempt);
        if !folder.join("report.json").exists() {
            return;
        }
        let _ = std::fs::remove_dir_all(&folder);
    }
}

/// Clears what an earlier run left in this scenario's folder (recognised by its report), so old
/// screenshots are never mistaken for new ones; anything else is left alone.
pub(super) fn prepare_output(folder: &Path) -> Result<(), HarnessError> {
    let failed = |source| HarnessError::Output {
        path: folder.to_path_buf(),
        source,
    };
    if folder.join("report.json").exists() {
        std::fs::remove_dir_all(folder).map_err(failed)?;
    }
    std::fs::create_dir_all(folder).map_err(failed)
}
