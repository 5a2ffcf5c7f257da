//! `report.html` in the run's output folder: every scenario and step with its outcome, failures
//! with their screenshots, and every snapshot check: coloured line diffs for pages; side by side,
//! diff and an overlay slider for images. Self-contained (inline CSS and JS, images by relative
//! path), so it works offline and can be archived with the folder. Rewritten atomically after
//! every step.

use crate::html::escape;
use std::path::{Path, PathBuf};

mod render;

use super::file::ReportFiles;
use super::model::RunModel;
use crate::event::{Event, Reporter, UnwrittenReport};

pub struct HtmlReport {
    /// The run's output folder; the report sits at its top and links files below it.
    root: PathBuf,
    /// Every scenario attempt of the run, as the events told it.
    run: RunModel,
    files: ReportFiles,
}

impl HtmlReport {
    pub fn new(root: PathBuf) -> Self {
        HtmlReport {
            root,
            run: RunModel::default(),
            files: ReportFiles::default(),
        }
    }

    fn write(&mut self) {
        let path = self.root.join("report.html");
        let html = self.render();
        // Once every scenario has ended (or was interrupted), this is the report's last word.
        let ended = self
            .run
            .scenarios
            .iter()
            .all(|scenario| scenario.outcome.is_some() || scenario.interrupted.is_some());
        if ended {
            self.files.write_last(&path, html.as_bytes());
        } else {
            self.files.write(&path, html.as_bytes());
        }
    }

    fn link(&self, path: &Path) -> String {
        let relative = path.strip_prefix(&self.root).unwrap_or(path);
        escape(&relative.to_string_lossy())
    }
}

impl Reporter for HtmlReport {
    fn on_event_in(&mut self, slot: usize, event: &Event) {
        if self.run.fold_in(slot, event) {
            self.write();
        }
    }

    fn on_event(&mut self, event: &Event) {
        if self.run.fold(event) {
            self.write();
        }
    }

    fn unwritten(&self) -> Vec<UnwrittenReport> {
        self.files.unwritten()
    }
}

impl Drop for HtmlReport {
    /// A run stopped midway says so, for each scenario under way.
    fn drop(&mut self) {
        if self.run.interrupt() {
            self.write();
        }
    }
}
