//! The store's changes that must happen under one hold of the baselines lock: a review in the
//! browser checks what the page was shown, keeps the bytes an action replaces, and acts, all
//! while no other run can change the folder. [`LockedStore`] exists only inside
//! [`SnapshotStore::while_locked`], so its operations cannot be called without the lock.

use std::path::{Path, PathBuf};

use super::{write, Pending, SnapshotStore, StoreError};

/// The store while its baselines lock is held.
pub struct LockedStore<'a> {
    store: &'a SnapshotStore,
}

impl SnapshotStore {
    /// Runs `change` while holding the baselines lock (waiting, and saying so, for another
    /// run's change first). The outer error: the lock could not be taken.
    pub fn while_locked<T>(
        &self,
        change: impl FnOnce(&LockedStore<'_>) -> T,
    ) -> Result<T, StoreError> {
        let _lock = self.lock_baselines()?;
        Ok(change(&LockedStore { store: self }))
    }
}

impl LockedStore<'_> {
    pub fn root(&self) -> &Path {
        self.store.root()
    }

    /// [`SnapshotStore::accept`], under the lock already held.
    pub fn accept(&self, pending: &Pending) -> Result<PathBuf, StoreError> {
        self.store.accept_locked(pending)
    }

    /// Deletes a pending snapshot: its image first, then its metadata.
    pub fn reject(&self, pending: &Pending) -> Result<(), StoreError> {
        if let Some(image) = &pending.image {
            let _ = std::fs::remove_file(image);
        }
        std::fs::remove_file(&pending.path).map_err(|source| StoreError {
            action: "reject",
            path: pending.path.clone(),
            source,
        })
    }

    /// Puts a file of the store back as it was: `Some(bytes)` written atomically, `None`
    /// removed (a file that did not exist). Only paths inside the store's folder.
    pub fn restore(&self, path: &Path, bytes: Option<&[u8]>) -> Result<(), StoreError> {
        if !path.starts_with(self.store.root()) {
            return Err(StoreError {
                action: "restore",
                path: path.to_path_buf(),
                source: std::io::Error::other("the file is outside the snapshot folder"),
            });
        }
        match bytes {
            Some(bytes) => write(path, bytes, "restore"),
            None => match std::fs::remove_file(path) {
                Err(error) if error.kind() != std::io::ErrorKind::NotFound => Err(StoreError {
                    action: "restore",
                    path: path.to_path_buf(),
                    source: error,
                }),
                _ => Ok(()),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_restore_writes_or_removes_only_inside_the_store() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("store");
        let store = SnapshotStore::new(&root);
        let inside = root.join("a.snap");
        let outside = dir.path().join("outside.snap");
        store
            .while_locked(|locked| {
                locked.restore(&inside, Some(b"old")).unwrap();
                assert!(locked.restore(&outside, Some(b"x")).is_err());
                locked.restore(&root.join("never.snap"), None).unwrap();
            })
            .unwrap();
        assert_eq!(std::fs::read(&inside).unwrap(), b"old");
        assert!(!outside.exists());
        store
            .while_locked(|locked| locked.restore(&inside, None))
            .unwrap()
            .unwrap();
        assert!(!inside.exists());
    }
}
