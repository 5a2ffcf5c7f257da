//! A target not found because the console renamed it: the page's outline now against the
//! console's baseline outlines (`crate::drift`), and, with `--propose-fixes`, the patches and the
//! list of stale images written for the user to apply.

use std::path::{Path, PathBuf};

use super::page::Page;
use super::ScenarioRun;
use crate::artifacts::write_atomically;
use crate::drift::{self, fixes, Rename};
use crate::scenario::{Action, ActionKind, Step, Target};
use crate::snapshot::{Slot, SnapshotId};

impl<P: Page> ScenarioRun<'_, P> {
    /// The rename behind `action`'s miss on the page whose outline is `page`, said in a sentence
    /// (and its fixes written where the run was asked to propose them); `None` when no baseline
    /// explains the miss.
    pub(super) fn label_drift(&self, step: &Step, action: &Action, page: &str) -> Option<String> {
        let baselines = self.page_baselines(step);
        if baselines.is_empty() {
            return None;
        }
        let targets = action.kind.targets();
        let rename = targets
            .iter()
            .flat_map(Target::levels)
            .filter_map(|target| Some((target.role, target.label.as_deref()?)))
            .find_map(|(role, label)| drift::find_rename(role, label, &baselines, page))?;
        let mut said = format!(
            "the console renamed it: {} (the baseline {} had it there)",
            rename.sentence(),
            rename.baseline
        );
        if let Some(propose) = self.settings.propose_fixes.clone() {
            said.push_str(&match self.write_fixes(
                &rename,
                &baselines,
                &propose.folder,
                propose.docs_root.as_deref(),
            ) {
                Ok(written) => format!(
                    "; proposed fixes, applied to nothing: {}",
                    written.join(", ")
                ),
                Err(error) => format!("; the proposed fixes could not be written: {error}"),
            });
        }
        Some(said)
    }

    /// The scenario's page snapshots' baselines on this console (name, outline): the step's own
    /// first, then the others in the scenario's order.
    fn page_baselines(&self, step: &Step) -> Vec<(String, String)> {
        let snapshot_names = |step: &Step| -> Vec<String> {
            step.actions
                .iter()
                .filter_map(|action| match &action.kind {
                    ActionKind::Snapshot { name } => Some(name.clone()),
                    _ => None,
                })
                .collect()
        };
        let mut names = snapshot_names(step);
        for other in &self.scenario.steps {
            for name in snapshot_names(other) {
                if !names.contains(&name) {
                    names.push(name);
                }
            }
        }
        names
            .into_iter()
            .filter_map(|name| {
                let id = SnapshotId {
                    scenario: self.scenario_name.clone(),
                    name: name.clone(),
                    variant: None,
                };
                let outline = self
                    .settings
                    .snapshots
                    .store
                    .read_text(&id, Slot::Baseline)?;
                Some((name, outline))
            })
            .collect()
    }

    /// Writes `scenario.patch`, `guide.patch` (where the guide is found under `docs_root`) and
    /// `stale-images.txt` into `folder`; returns the files written.
    fn write_fixes(
        &self,
        rename: &Rename,
        baselines: &[(String, String)],
        folder: &Path,
        docs_root: Option<&Path>,
    ) -> std::io::Result<Vec<String>> {
        std::fs::create_dir_all(folder)?;
        let mut written = Vec::new();
        let mut write = |name: &str, text: &str| -> std::io::Result<()> {
            let path = folder.join(name);
            write_atomically(&path, text.as_bytes())?;
            written.push(path.display().to_string());
            Ok(())
        };
        let scenario_file = &self.scenario.file;
        let scenario_text = std::fs::read_to_string(scenario_file)?;
        if let Some(patch) =
            fixes::scenario_patch(&patch_path(scenario_file), &scenario_text, rename)
        {
            write("scenario.patch", &patch)?;
        }
        if let (Some(root), Some(guide)) = (docs_root, &self.scenario.guide) {
            // A librarium checkout keeps the guides under docs/docs-content.
            let guide_path = [
                Path::new("docs/docs-content").join(guide),
                PathBuf::from(guide),
            ]
            .into_iter()
            .find(|relative| root.join(relative).is_file());
            if let Some(relative) = guide_path {
                let text = std::fs::read_to_string(root.join(&relative))?;
                if let Some(patch) = fixes::guide_patch(&relative.to_string_lossy(), &text, rename)
                {
                    write("guide.patch", &patch)?;
                }
            }
        }
        let stale = fixes::stale_images(self.scenario, rename, baselines);
        let mut list = format!(
            "# Images that show {} \"{}\", which the console now calls \"{}\": shoot them again.\n",
            rename.role, rename.old, rename.new
        );
        for image in &stale {
            list.push_str(&format!("{}\t{}\t{}\n", image.image, image.step, image.why));
        }
        write("stale-images.txt", &list)?;
        Ok(written)
    }
}

/// The scenario's path as a patch names it: relative to the working folder where it lies
/// inside it (where `git apply` is run), else as given.
fn patch_path(file: &Path) -> String {
    let relative = std::env::current_dir()
        .ok()
        .and_then(|here| file.strip_prefix(&here).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| file.to_path_buf());
    relative
        .to_string_lossy()
        .trim_start_matches("./")
        .to_string()
}
