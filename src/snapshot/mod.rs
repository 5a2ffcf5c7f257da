//! The on-disk snapshot store, in insta's `.snap` format so `cargo insta review` works on it.
//!
//! A page snapshot is a text `.snap` (header, then the page outline). An image snapshot is a
//! binary `.snap` (header only, `extension: png`, `snapshot_kind: binary`) with its PNG beside it
//! in `.snap.png`. Pending changes sit next to the baseline as `.snap.new` (and `.snap.new.png`).
//! Every write is atomic, the image before its metadata, so a reviewer never sees metadata that
//! points at half an image. Nothing here overwrites a baseline unless asked to by name: `write`
//! with [`Slot::Baseline`] is only called for recording, an explicit update, or `accept`, as
//! [`policy::decide`] says.

mod locked;
pub mod policy;

pub use locked::LockedStore;

use std::path::{Path, PathBuf};

use crate::artifacts::write_atomically;

/// Which file of a snapshot to write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Slot {
    Baseline,
    Pending,
}

/// One snapshot's identity: `<scenario>__<name>[@<variant>]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SnapshotId {
    pub scenario: String,
    pub name: String,
    /// For image snapshots: browser and viewport (`chrome156-1280x800`), so renders from
    /// different browsers never collide.
    pub variant: Option<String>,
}

impl SnapshotId {
    pub fn stem(&self) -> String {
        let base = format!("{}__{}", self.scenario, self.name);
        match &self.variant {
            Some(variant) => format!("{base}@{variant}"),
            None => base,
        }
    }
}

/// Header fields, written in insta's order. Harness-specific facts go under `info`, which insta
/// keeps when it accepts a snapshot.
#[derive(Clone, Debug, Default)]
pub struct Metadata {
    /// The scenario file, relative to the project root.
    pub source: String,
    /// The scenario line of the snapshot action; written only in pending files, as insta does.
    pub line: Option<usize>,
    pub description: String,
    pub info: Vec<(String, String)>,
}

#[derive(Debug, thiserror::Error)]
#[error("cannot {action} {}: {source}", path.display())]
pub struct StoreError {
    action: &'static str,
    path: PathBuf,
    #[source]
    source: std::io::Error,
}

/// A pending snapshot found in the store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pending {
    /// The `.snap.new` file.
    pub path: PathBuf,
    /// The `.snap.new.png` beside it, for image snapshots.
    pub image: Option<PathBuf>,
}

impl Pending {
    pub fn baseline_path(&self) -> PathBuf {
        PathBuf::from(self.path.to_string_lossy().trim_end_matches(".new"))
    }

    /// Where the baseline's image sits (`….snap.png`).
    pub fn baseline_image_path(&self) -> PathBuf {
        PathBuf::from(format!("{}.png", self.baseline_path().display()))
    }

    pub fn stem(&self) -> String {
        let name = self
            .path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        name.trim_end_matches(".snap.new").to_string()
    }
}

#[derive(Clone, Debug)]
pub struct SnapshotStore {
    root: PathBuf,
    /// Says that a change waits for another run's (the store never prints itself).
    notice: fn(&str),
}

/// Held while baselines change: an OS lock on the store's folder, released when dropped and when
/// its process dies however it dies, so a killed run never leaves the store locked.
pub struct BaselinesLock {
    _file: std::fs::File,
}

impl SnapshotStore {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        SnapshotStore {
            root: root.into(),
            notice: |_| {},
        }
    }

    /// The same store, saying through `notice` when it waits for another run's change.
    pub fn with_notices(self, notice: fn(&str)) -> Self {
        SnapshotStore { notice, ..self }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Takes the store's baselines lock, waiting (and saying so) while another run promotes,
    /// accepts or records baselines in the same folder: each such change is short.
    pub fn lock_baselines(&self) -> Result<BaselinesLock, StoreError> {
        let failed = |source| StoreError {
            action: "lock",
            path: self.root.clone(),
            source,
        };
        std::fs::create_dir_all(&self.root).map_err(failed)?;
        // The folder itself is locked (flock on its descriptor): no lock file appears in a
        // snapshot folder under version control, or anywhere else.
        let file = std::fs::File::open(&self.root).map_err(failed)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                (self.notice)(&format!(
                    "waiting for another palette-harness to finish changing baselines in {}",
                    self.root.display()
                ));
                file.lock().map_err(failed)?;
            }
            Err(std::fs::TryLockError::Error(error)) => return Err(failed(error)),
        }
        Ok(BaselinesLock { _file: file })
    }

    pub fn path(&self, id: &SnapshotId, slot: Slot) -> PathBuf {
        let suffix = match slot {
            Slot::Baseline => "snap",
            Slot::Pending => "snap.new",
        };
        self.root.join(format!("{}.{suffix}", id.stem()))
    }

    pub fn image_path(&self, id: &SnapshotId, slot: Slot) -> PathBuf {
        PathBuf::from(format!("{}.png", self.path(id, slot).display()))
    }

    /// The body of a text snapshot, trailing whitespace trimmed as insta compares it.
    /// The pending files `id` has (or would have) in this store, for `accept` and `reject`.
    pub fn pending_of(&self, id: &SnapshotId) -> Pending {
        Pending {
            path: self.path(id, Slot::Pending),
            image: id
                .variant
                .as_ref()
                .map(|_| self.image_path(id, Slot::Pending)),
        }
    }

    pub fn read_text(&self, id: &SnapshotId, slot: Slot) -> Option<String> {
        let content = std::fs::read_to_string(self.path(id, slot)).ok()?;
        Some(body_of(&content).trim_end().replace("\r\n", "\n"))
    }

    /// The PNG bytes of an image snapshot; `None` unless both metadata and image exist.
    pub fn read_image(&self, id: &SnapshotId, slot: Slot) -> Option<Vec<u8>> {
        if !self.path(id, slot).is_file() {
            return None;
        }
        std::fs::read(self.image_path(id, slot)).ok()
    }

    pub fn write_text(
        &self,
        id: &SnapshotId,
        slot: Slot,
        metadata: &Metadata,
        body: &str,
    ) -> Result<PathBuf, StoreError> {
        let _lock = self.lock_if_baseline(slot)?;
        let path = self.path(id, slot);
        let mut content = header(metadata, slot, false);
        content.push_str(body.trim_end());
        content.push('\n');
        write(&path, content.as_bytes(), "write the snapshot")?;
        Ok(path)
    }

    pub fn write_image(
        &self,
        id: &SnapshotId,
        slot: Slot,
        metadata: &Metadata,
        png: &[u8],
    ) -> Result<PathBuf, StoreError> {
        let _lock = self.lock_if_baseline(slot)?;
        write(&self.image_path(id, slot), png, "write the snapshot image")?;
        let path = self.path(id, slot);
        write(
            &path,
            header(metadata, slot, true).as_bytes(),
            "write the snapshot",
        )?;
        Ok(path)
    }

    fn lock_if_baseline(&self, slot: Slot) -> Result<Option<BaselinesLock>, StoreError> {
        match slot {
            Slot::Baseline => self.lock_baselines().map(Some),
            Slot::Pending => Ok(None),
        }
    }

    /// Removes a pending snapshot (a passing comparison makes a stale one meaningless).
    pub fn remove_pending(&self, id: &SnapshotId) {
        let _ = std::fs::remove_file(self.path(id, Slot::Pending));
        let _ = std::fs::remove_file(self.image_path(id, Slot::Pending));
    }

    /// Every pending snapshot under the store, sorted, optionally only those whose name
    /// contains `filter`.
    pub fn pending(&self, filter: Option<&str>) -> Vec<Pending> {
        let mut found = Vec::new();
        for path in self.files() {
            if path.to_string_lossy().ends_with(".snap.new") {
                let image = PathBuf::from(format!("{}.png", path.display()));
                let plain_file = std::fs::symlink_metadata(&image)
                    .is_ok_and(|metadata| metadata.file_type().is_file());
                let pending = Pending {
                    image: plain_file.then_some(image),
                    path,
                };
                if filter.is_none_or(|filter| pending.stem().contains(filter)) {
                    found.push(pending);
                }
            }
        }
        found.sort_by(|a, b| a.path.cmp(&b.path));
        found
    }

    /// Every file under the store. A symbolic link to a folder is not followed: nothing outside
    /// the store's folder is listed, recovered or accepted through one.
    fn files(&self) -> Vec<PathBuf> {
        let mut files = Vec::new();
        let mut folders = vec![self.root.clone()];
        while let Some(folder) = folders.pop() {
            let Ok(entries) = std::fs::read_dir(&folder) else {
                continue;
            };
            // The store writes only plain files and folders: a symbolic link, which could lead
            // outside the folder, is neither listed nor followed.
            for entry in entries.flatten() {
                let path = entry.path();
                match entry.file_type() {
                    Ok(kind) if kind.is_dir() => folders.push(path),
                    Ok(kind) if kind.is_file() => files.push(path),
                    _ => {}
                }
            }
        }
        files
    }

    /// Makes a pending snapshot the baseline: the image first, then the metadata without
    /// `assertion_line`, then the pending file goes; under the baselines lock.
    pub fn accept(&self, pending: &Pending) -> Result<PathBuf, StoreError> {
        let _lock = self.lock_baselines()?;
        self.accept_locked(pending)
    }

    /// Accepts several pending snapshots under one hold of the baselines lock, so that another
    /// run never sees half of the set promoted. The outer error: the lock could not be taken.
    pub fn accept_all(
        &self,
        pending: &[Pending],
    ) -> Result<Vec<Result<PathBuf, StoreError>>, StoreError> {
        let _lock = self.lock_baselines()?;
        Ok(pending
            .iter()
            .map(|pending| self.accept_locked(pending))
            .collect())
    }

    fn accept_locked(&self, pending: &Pending) -> Result<PathBuf, StoreError> {
        let baseline = pending.baseline_path();
        if let Some(image) = &pending.image {
            std::fs::rename(image, pending.baseline_image_path()).map_err(|source| StoreError {
                action: "accept",
                path: image.clone(),
                source,
            })?;
        }
        let content = std::fs::read_to_string(&pending.path).map_err(|source| StoreError {
            action: "read",
            path: pending.path.clone(),
            source,
        })?;
        write(&baseline, as_baseline(&content).as_bytes(), "accept")?;
        std::fs::remove_file(&pending.path).map_err(|source| StoreError {
            action: "remove",
            path: pending.path.clone(),
            source,
        })?;
        Ok(baseline)
    }

    pub fn reject(&self, pending: &Pending) -> Result<(), StoreError> {
        self.while_locked(|locked| locked.reject(pending))?
    }
}

/// A pending snapshot's text as its baseline holds it: without `assertion_line`.
fn as_baseline(content: &str) -> String {
    content
        .split_inclusive('\n')
        .enumerate()
        .filter(|(index, line)| {
            !(*index < header_end(content) && line.starts_with("assertion_line:"))
        })
        .map(|(_, line)| line)
        .collect()
}

impl SnapshotStore {
    /// Finishes what an interrupted run left half done, so that promoting a baseline is all or
    /// nothing: a temporary file of a process that is gone is removed; a pending snapshot whose
    /// image was already moved to the baseline (an accept stopped between its two files) is
    /// accepted to its end; a pending snapshot its baseline already equals is removed. Returns
    /// what it did, one line each.
    pub fn recover(&self) -> Vec<String> {
        let mut done = Vec::new();
        // A store that does not exist has nothing to recover; one that cannot be locked is left
        // as it is rather than changed under another run.
        if !self.root.is_dir() {
            return done;
        }
        let Ok(_lock) = self.lock_baselines() else {
            return done;
        };
        for path in self.files() {
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            if let Some(pid) = temporary_of(&name) {
                if !crate::os::process_exists(pid) && std::fs::remove_file(&path).is_ok() {
                    done.push(format!("removed {}, left by a stopped run", path.display()));
                }
            }
        }
        for pending in self.pending(None) {
            if pending.image.is_some() {
                continue;
            }
            let baseline = pending.baseline_path();
            let Ok(content) = std::fs::read_to_string(&pending.path) else {
                continue;
            };
            let is_image = pending.path.to_string_lossy().contains('@');
            let finished =
                std::fs::read_to_string(&baseline).is_ok_and(|text| text == as_baseline(&content));
            if finished {
                if std::fs::remove_file(&pending.path).is_ok() {
                    done.push(format!(
                        "removed {}: its baseline already holds it",
                        pending.path.display()
                    ));
                }
            } else if is_image
                && pending.baseline_image_path().is_file()
                && self.accept_locked(&pending).is_ok()
            {
                done.push(format!("finished accepting {}", pending.path.display()));
            }
        }
        done
    }
}

/// The pid in `.NAME.tmp-PID`, the name `write_atomically` gives its temporary files.
fn temporary_of(name: &str) -> Option<u32> {
    let (_, pid) = name.strip_prefix('.')?.rsplit_once(".tmp-")?;
    pid.parse().ok()
}

fn write(path: &Path, bytes: &[u8], action: &'static str) -> Result<(), StoreError> {
    write_atomically(path, bytes).map_err(|source| StoreError {
        action,
        path: path.to_path_buf(),
        source,
    })
}

fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".to_string())
}

fn header(metadata: &Metadata, slot: Slot, binary: bool) -> String {
    let mut header = String::from("---\n");
    header.push_str(&format!("source: {}\n", quoted(&metadata.source)));
    if let (Slot::Pending, Some(line)) = (slot, metadata.line) {
        header.push_str(&format!("assertion_line: {line}\n"));
    }
    header.push_str(&format!("description: {}\n", quoted(&metadata.description)));
    if !metadata.info.is_empty() {
        header.push_str("info:\n");
        for (key, value) in &metadata.info {
            header.push_str(&format!("  {key}: {}\n", quoted(value)));
        }
    }
    if binary {
        header.push_str("extension: png\nsnapshot_kind: binary\n");
    }
    header.push_str("---\n");
    header
}

/// Index of the line that closes the header (`---`), or 0 when there is none.
fn header_end(content: &str) -> usize {
    content
        .lines()
        .enumerate()
        .skip(1)
        .find(|(_, line)| line.trim_end() == "---")
        .map(|(index, _)| index)
        .unwrap_or(0)
}

/// The body of a text snapshot file (what follows its header), empty when it cannot be read.
pub fn read_body(path: &Path) -> String {
    std::fs::read_to_string(path)
        .map(|content| body_of(&content))
        .unwrap_or_default()
}

fn body_of(content: &str) -> String {
    let end = header_end(content);
    if end == 0 {
        return content.to_string();
    }
    content.lines().skip(end + 1).collect::<Vec<_>>().join("\n")
}

#[cfg(test)]
mod tests;
