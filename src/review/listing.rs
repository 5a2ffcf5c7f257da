//! The pending snapshots a review shows, each under an id the store's own listing gives it (its
//! path inside the snapshot folder without `.snap.new`), with a version that changes whenever
//! one of its files does, and what changed: the line diff of a page, the pixel diff of an image
//! (count, share, the box that holds the differing pixels, the diff mask), and its group key.
//! Nothing here takes a path from a request: a request names an id, which is looked up here.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::group::{hex, ChangeKey};
use crate::compare::image::{changed_box, diff, DiffOptions, Image, Region};
use crate::compare::text::{diff_lines, Line};
use crate::image_file::{decode_rgba, encode_png};
use crate::snapshot::{read_body, Pending, SnapshotStore};

/// A pending snapshot as a review addresses it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Listed {
    /// `reference-console/upgrade__validate-2-summary@chrome156-1280x800`: the pending file's
    /// path inside the snapshot folder, without `.snap.new`.
    pub id: String,
    /// The id up to `__`: the scenario (and the console's folder) it belongs to.
    pub scenario: String,
    pub pending: Pending,
}

impl Listed {
    pub fn is_image(&self) -> bool {
        self.pending.image.is_some() || self.id.rsplit('/').next().unwrap_or("").contains('@')
    }

    /// The four files an accept, a reject or an undo may change, images before their
    /// metadata: baseline image, baseline, pending image, pending.
    pub fn files(&self) -> [PathBuf; 4] {
        let pending_image = PathBuf::from(format!("{}.png", self.pending.path.display()));
        [
            self.pending.baseline_image_path(),
            self.pending.baseline_path(),
            pending_image,
            self.pending.path.clone(),
        ]
    }
}

/// The id of a pending file under `root`, if it is a plain UTF-8 path below it.
pub fn id_of(root: &Path, pending: &Pending) -> Option<String> {
    let relative = pending.path.strip_prefix(root).ok()?;
    let text = relative.to_str()?;
    Some(text.strip_suffix(".snap.new")?.to_string())
}

/// Every pending snapshot of the store whose files are its own: regular files (no symbolic
/// link) in a folder that is inside the snapshot folder once links are resolved. Sorted by id.
pub fn list(store: &SnapshotStore, filter: Option<&str>) -> Vec<Listed> {
    let Ok(root) = store.root().canonicalize() else {
        return Vec::new();
    };
    let mut listed: Vec<Listed> = store
        .pending(filter)
        .into_iter()
        .filter_map(|pending| {
            let id = id_of(store.root(), &pending)?;
            let folder = pending.path.parent()?.canonicalize().ok()?;
            if !folder.starts_with(&root) {
                return None;
            }
            let listed = Listed {
                scenario: id.split("__").next().unwrap_or(&id).to_string(),
                id,
                pending,
            };
            let own = listed.files().iter().all(|file| {
                std::fs::symlink_metadata(file)
                    .map(|metadata| metadata.file_type().is_file())
                    .unwrap_or(true)
            });
            own.then_some(listed)
        })
        .collect();
    listed.sort_by(|a, b| a.id.cmp(&b.id));
    listed
}

/// A digest of one file's bytes (16 hex digits), `-` for a file that does not exist.
pub fn file_digest(path: &Path) -> String {
    match std::fs::read(path) {
        Ok(bytes) => hex(&Sha256::digest(&bytes)[..8]),
        Err(_) => "-".to_string(),
    }
}

/// A snapshot's version: the digests of its four files, in [`Listed::files`]' order, joined by
/// dots. The page sends it back with each action, so a file changed since it was shown is found
/// (and named) before anything is written.
pub fn version(listed: &Listed) -> String {
    listed
        .files()
        .iter()
        .map(|file| file_digest(file))
        .collect::<Vec<_>>()
        .join(".")
}

/// The first file whose bytes are not those `shown` (a version) was made from.
pub fn changed_since(listed: &Listed, shown: &str) -> Option<PathBuf> {
    let shown: Vec<&str> = shown.split('.').collect();
    listed
        .files()
        .into_iter()
        .enumerate()
        .find(|(index, file)| shown.get(*index).copied() != Some(file_digest(file).as_str()))
        .map(|(_, file)| file)
}

/// What changed in one pending snapshot.
#[derive(Clone, Debug)]
pub struct Analysis {
    pub key: ChangeKey,
    pub has_baseline: bool,
    /// A page snapshot's line diff, baseline first.
    pub lines: Option<Vec<Line>>,
    pub image: Option<ImageChange>,
    /// Why the change could not be measured (an image that does not decode).
    pub problem: Option<String>,
}

#[derive(Clone, Debug)]
pub struct ImageChange {
    pub width: u32,
    pub height: u32,
    pub different: u64,
    pub share: f64,
    /// The box that holds every differing pixel.
    pub region: Option<Region>,
    /// `1280x800 → 1280x900` when the sizes differ (then nothing is counted).
    pub size_change: Option<String>,
    /// The diff mask as PNG: faded where equal, red where different.
    pub diff_png: Option<Vec<u8>>,
}

/// Measures a pending snapshot against its baseline with the project's own diffs.
pub fn analyse(listed: &Listed) -> Analysis {
    let has_baseline = listed.pending.baseline_path().is_file();
    if !listed.is_image() {
        let new = read_body(&listed.pending.path);
        let old = if has_baseline {
            read_body(&listed.pending.baseline_path())
        } else {
            String::new()
        };
        let lines = diff_lines(&old, &new);
        return Analysis {
            key: ChangeKey::of_page(&lines),
            has_baseline,
            lines: Some(lines),
            image: None,
            problem: None,
        };
    }
    let read = |path: &Path| {
        std::fs::read(path)
            .map_err(|error| format!("cannot read {}: {error}", path.display()))
            .and_then(|bytes| {
                decode_rgba(&bytes).map_err(|error| format!("{}: {error}", path.display()))
            })
    };
    let new = match read(&listed.files()[2]) {
        Ok(new) => new,
        Err(problem) => {
            return Analysis {
                key: ChangeKey::Page(vec![format!("unreadable {}", listed.id)]),
                has_baseline,
                lines: None,
                image: None,
                problem: Some(problem),
            }
        }
    };
    let old = if has_baseline {
        read(&listed.pending.baseline_image_path()).ok()
    } else {
        None
    };
    let (width, height) = (new.width(), new.height());
    let mut change = ImageChange {
        width,
        height,
        different: u64::from(width) * u64::from(height),
        share: 1.0,
        region: None,
        size_change: None,
        diff_png: None,
    };
    match old {
        Some(old) if (old.width(), old.height()) == (width, height) => {
            let options = DiffOptions {
                detect_antialiasing: true,
                ..DiffOptions::default()
            };
            let mut mask = image::RgbaImage::new(width, height);
            if let Ok(counts) = diff(
                Image::from(&old),
                Image::from(&new),
                &options,
                Some(&mut *mask),
            ) {
                change.different = counts.different;
                change.share = counts.ratio();
                change.region = changed_box(&mask, width, options.diff_color);
                change.diff_png = encode_png(&mask).ok();
            }
        }
        Some(old) => {
            change.size_change = Some(format!(
                "{}x{} → {width}x{height}",
                old.width(),
                old.height()
            ));
        }
        None => {}
    }
    let key_region = if change.size_change.is_some() || !has_baseline {
        None
    } else {
        change.region
    };
    Analysis {
        key: ChangeKey::of_image(Image::from(&new), key_region),
        has_baseline,
        lines: None,
        image: Some(change),
        problem: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::snapshot::{Metadata, Slot, SnapshotId};

    fn id(name: &str, variant: Option<&str>) -> SnapshotId {
        SnapshotId {
            scenario: "upgrade".to_string(),
            name: name.to_string(),
            variant: variant.map(str::to_string),
        }
    }

    #[test]
    fn ids_are_the_stores_paths_and_versions_name_the_file_that_changed() {
        let dir = tempfile::tempdir().unwrap();
        let store = SnapshotStore::new(dir.path().join("console"));
        let page = id("summary", None);
        store
            .write_text(&page, Slot::Baseline, &Metadata::default(), "old")
            .unwrap();
        store
            .write_text(&page, Slot::Pending, &Metadata::default(), "new")
            .unwrap();
        let listed = list(&store, None);
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].id, "upgrade__summary");
        assert_eq!(listed[0].scenario, "upgrade");
        let shown = version(&listed[0]);
        assert_eq!(changed_since(&listed[0], &shown), None);
        store
            .write_text(&page, Slot::Pending, &Metadata::default(), "newer")
            .unwrap();
        assert_eq!(
            changed_since(&listed[0], &shown),
            Some(store.path(&page, Slot::Pending))
        );
        let analysis = analyse(&listed[0]);
        assert_eq!(
            analysis.key,
            ChangeKey::Page(vec!["- old".to_string(), "+ newer".to_string()])
        );
    }

    #[test]
    fn a_pending_snapshot_behind_a_symbolic_link_is_not_listed() {
        let dir = tempfile::tempdir().unwrap();
        let outside = SnapshotStore::new(dir.path().join("outside"));
        outside
            .write_text(
                &id("secret", None),
                Slot::Pending,
                &Metadata::default(),
                "x",
            )
            .unwrap();
        let root = dir.path().join("store");
        std::fs::create_dir_all(&root).unwrap();
        std::os::unix::fs::symlink(dir.path().join("outside"), root.join("linked")).unwrap();
        std::os::unix::fs::symlink(
            outside.path(&id("secret", None), Slot::Pending),
            root.join("upgrade__file.snap.new"),
        )
        .unwrap();
        let store = SnapshotStore::new(&root);
        assert_eq!(
            store.pending(None).len(),
            0,
            "the store neither follows a linked folder nor lists a linked file"
        );
        assert_eq!(list(&store, None), Vec::new());
    }
}
