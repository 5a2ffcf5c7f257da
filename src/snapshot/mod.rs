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
                let pending = Pending {
                    image: image.is_file().then_some(image),
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
            for entry in entries.flatten() {
                let path = entry.path();
                if entry.file_type().is_ok_and(|kind| kind.is_dir()) {
                    folders.push(path);
                } else {
                    files.push(path);
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
mod tests {
    use super::*;

    fn id(variant: Option<&str>) -> SnapshotId {
        SnapshotId {
            scenario: "upgrade".to_string(),
            name: "summary".to_string(),
            variant: variant.map(str::to_string),
        }
    }

    fn metadata() -> Metadata {
        Metadata {
            source: "scenarios/upgrade.toml".to_string(),
            line: Some(42),
            description: "Validate 2 › summary: page".to_string(),
            info: vec![("step".to_string(), "Validate 2".to_string())],
        }
    }

    #[test]
    fn an_interrupted_promotion_is_finished_or_cleaned_up_and_stray_temporaries_go() {
        let dir = tempfile::tempdir().unwrap();
        let store = SnapshotStore::new(dir.path());
        // A page snapshot whose baseline was written but whose pending file was not removed.
        let page = id(None);
        store
            .write_text(&page, Slot::Pending, &metadata(), "- text: \"ok\"\n")
            .unwrap();
        let pending = store.pending_of(&page);
        std::fs::write(
            pending.baseline_path(),
            as_baseline(&std::fs::read_to_string(&pending.path).unwrap()),
        )
        .unwrap();
        // An image snapshot whose image was moved to the baseline, its metadata not yet.
        let image = id(Some("chrome156-1280x800"));
        store
            .write_image(&image, Slot::Pending, &metadata(), b"png")
            .unwrap();
        let image_pending = store.pending_of(&image);
        std::fs::rename(
            image_pending.image.clone().unwrap(),
            image_pending.baseline_image_path(),
        )
        .unwrap();
        // A temporary file of a process that is gone (pid 4194304 is above Linux's pid_max).
        let stray = dir.path().join(".x.snap.tmp-4194304");
        std::fs::write(&stray, b"half").unwrap();

        let done = store.recover();
        assert_eq!(done.len(), 3, "{done:?}");
        assert!(store.pending(None).is_empty(), "no pending file is left");
        assert!(!stray.exists());
        assert!(
            image_pending.baseline_path().is_file(),
            "the image's baseline is complete"
        );
        assert!(store.read_text(&page, Slot::Baseline).is_some());
        assert!(store.recover().is_empty(), "nothing more to do");
    }

    #[test]
    fn text_snapshots_round_trip_through_insta() {
        let dir = tempfile::tempdir().unwrap();
        let store = SnapshotStore::new(dir.path());
        let path = store
            .write_text(
                &id(None),
                Slot::Pending,
                &metadata(),
                "- heading \"Summary\"\n- text: \"ok\"\n",
            )
            .unwrap();
        let parsed = insta::Snapshot::from_file(&path).expect("insta reads our pending snapshot");
        assert_eq!(parsed.metadata().source(), Some("scenarios/upgrade.toml"));
        assert_eq!(parsed.metadata().assertion_line(), Some(42));
        assert_eq!(
            parsed.metadata().description(),
            Some("Validate 2 › summary: page")
        );
        let insta::internals::SnapshotContents::Text(contents) = parsed.contents() else {
            panic!("not text")
        };
        assert_eq!(
            contents.to_string(),
            "- heading \"Summary\"\n- text: \"ok\""
        );
        assert_eq!(
            store.read_text(&id(None), Slot::Pending).as_deref(),
            Some("- heading \"Summary\"\n- text: \"ok\"")
        );
    }

    #[test]
    fn image_snapshots_are_binary_snapshots_insta_can_read() {
        let dir = tempfile::tempdir().unwrap();
        let store = SnapshotStore::new(dir.path());
        let path = store
            .write_image(
                &id(Some("chrome156-1280x800")),
                Slot::Baseline,
                &metadata(),
                b"\x89PNG fake",
            )
            .unwrap();
        assert!(path.ends_with("upgrade__summary@chrome156-1280x800.snap"));
        let parsed = insta::Snapshot::from_file(&path).expect("insta reads our binary snapshot");
        assert!(
            parsed.metadata().assertion_line().is_none(),
            "baselines carry no assertion line"
        );
        assert!(matches!(
            parsed.contents(),
            insta::internals::SnapshotContents::Binary(_)
        ));
        assert_eq!(
            store
                .read_image(&id(Some("chrome156-1280x800")), Slot::Baseline)
                .unwrap(),
            b"\x89PNG fake"
        );
    }

    /// A text baseline "old", its pending "new", and a pending image with no baseline.
    fn store_with_a_baseline_and_two_pending() -> (tempfile::TempDir, SnapshotStore) {
        let dir = tempfile::tempdir().unwrap();
        let store = SnapshotStore::new(dir.path());
        store
            .write_text(&id(None), Slot::Baseline, &metadata(), "old")
            .unwrap();
        store
            .write_text(&id(None), Slot::Pending, &metadata(), "new")
            .unwrap();
        store
            .write_image(&id(Some("v")), Slot::Pending, &metadata(), b"png")
            .unwrap();
        (dir, store)
    }

    #[test]
    fn promoting_waits_while_another_holder_changes_the_baselines() {
        let (_dir, store) = store_with_a_baseline_and_two_pending();
        let held = store.lock_baselines().unwrap();
        let (done, finished) = std::sync::mpsc::channel();
        let promoting = store.clone();
        let worker = std::thread::spawn(move || {
            let pending = promoting.pending(None);
            let accepted = promoting.accept_all(&pending).unwrap();
            done.send(accepted.iter().filter(|result| result.is_ok()).count())
                .unwrap();
        });
        // While the lock is held, nothing is promoted.
        assert!(finished
            .recv_timeout(std::time::Duration::from_millis(300))
            .is_err());
        assert_eq!(
            store.pending(None).len(),
            2,
            "nothing promoted under the lock"
        );
        assert_eq!(
            store.read_text(&id(None), Slot::Baseline).as_deref(),
            Some("old")
        );
        drop(held);
        assert_eq!(finished.recv().unwrap(), 2);
        worker.join().unwrap();
        assert!(store.pending(None).is_empty());
        assert_eq!(
            store.read_text(&id(None), Slot::Baseline).as_deref(),
            Some("new")
        );
    }

    #[test]
    fn accepting_makes_the_pending_snapshot_the_baseline_without_its_line() {
        let (_dir, store) = store_with_a_baseline_and_two_pending();
        let pending = store.pending(None);
        assert_eq!(pending.len(), 2);
        for snapshot in &pending {
            store.accept(snapshot).unwrap();
        }
        assert_eq!(
            store.read_text(&id(None), Slot::Baseline).as_deref(),
            Some("new")
        );
        let baseline = std::fs::read_to_string(store.path(&id(None), Slot::Baseline)).unwrap();
        assert!(!baseline.contains("assertion_line"), "{baseline}");
        assert_eq!(
            store.read_image(&id(Some("v")), Slot::Baseline).unwrap(),
            b"png"
        );
        assert!(store.pending(None).is_empty());
    }

    #[test]
    fn rejecting_deletes_only_the_pending_files_matching_the_filter() {
        let (_dir, store) = store_with_a_baseline_and_two_pending();
        let matching = store.pending(Some("summary@v"));
        assert_eq!(matching.len(), 1);
        store.reject(&matching[0]).unwrap();
        assert_eq!(store.pending(None).len(), 1);
        assert_eq!(
            store.read_text(&id(None), Slot::Baseline).as_deref(),
            Some("old")
        );
    }
}
