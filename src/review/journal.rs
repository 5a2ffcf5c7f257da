//! Accept, reject and undo for `review --serve`, each under one hold of the baselines lock:
//! first every snapshot's version is checked against what the page was shown (nothing is
//! written if one file changed), then the bytes of every file the action will change are kept
//! in memory, then the store acts. An undo puts those bytes back, but only while the files are
//! still as the action left them.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::listing::{changed_since, file_digest, Listed};
use crate::snapshot::{SnapshotStore, StoreError};

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Act {
    Accepted,
    Rejected,
}

/// One action on one snapshot, and how to take it back.
#[derive(Clone, Debug)]
pub struct Entry {
    /// The action it was part of (one click on a group is one action).
    pub action: u64,
    pub act: Act,
    pub listed: Listed,
    pub group: String,
    /// Each file the action could change, with its bytes before (`None`: it did not exist).
    before: Vec<(PathBuf, Option<Vec<u8>>)>,
    /// The same files' digests after the action, to tell whether anything changed them since.
    after: Vec<String>,
}

/// Why an action or an undo was refused; nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum ActionError {
    #[error("{} changed since the page showed it: reload to review what it holds now", file.display())]
    Changed { id: String, file: PathBuf },
    #[error("no version was sent for {id}: send the version /api/pending gave it")]
    NoVersion { id: String },
    #[error("{0}")]
    NothingSelected(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Every action taken in this review, per snapshot id, most recent last.
#[derive(Debug, Default)]
pub struct Journal {
    entries: BTreeMap<String, Vec<Entry>>,
    actions: u64,
}

impl Journal {
    /// The latest action on `id` still to be undone.
    pub fn last(&self, id: &str) -> Option<&Entry> {
        self.entries.get(id).and_then(|entries| entries.last())
    }

    /// Every snapshot with an action to undo, in id order.
    pub fn undoable(&self) -> impl Iterator<Item = &Entry> {
        self.entries.values().filter_map(|entries| entries.last())
    }

    /// The ids the most recent action (not yet undone) touched.
    pub fn last_action(&self) -> Vec<String> {
        let latest = self.undoable().map(|entry| entry.action).max();
        self.undoable()
            .filter(|entry| Some(entry.action) == latest)
            .map(|entry| entry.listed.id.clone())
            .collect()
    }

    /// Accepts or rejects `targets` (each with its group and the version the page showed) as
    /// one action: all of them, or nothing when one changed since it was shown.
    pub fn act(
        &mut self,
        store: &SnapshotStore,
        act: Act,
        targets: &[(Listed, String, Option<String>)],
    ) -> Result<Vec<String>, ActionError> {
        if targets.is_empty() {
            return Err(ActionError::NothingSelected(
                "no pending snapshot matches".to_string(),
            ));
        }
        self.actions += 1;
        let action = self.actions;
        store.while_locked(|locked| {
            for (listed, _, shown) in targets {
                let shown = shown.as_deref().ok_or_else(|| ActionError::NoVersion {
                    id: listed.id.clone(),
                })?;
                if let Some(file) = changed_since(listed, shown) {
                    return Err(ActionError::Changed {
                        id: listed.id.clone(),
                        file,
                    });
                }
            }
            let mut done = Vec::new();
            for (listed, group, _) in targets {
                let before = listed
                    .files()
                    .into_iter()
                    .map(|file| {
                        let bytes = std::fs::read(&file).ok();
                        (file, bytes)
                    })
                    .collect();
                let result = match act {
                    Act::Accepted => locked.accept(&listed.pending).map(|_| ()),
                    Act::Rejected => locked.reject(&listed.pending),
                };
                // Kept even when the store failed halfway, so an undo can put it back.
                self.entries
                    .entry(listed.id.clone())
                    .or_default()
                    .push(Entry {
                        action,
                        act,
                        listed: listed.clone(),
                        group: group.clone(),
                        before,
                        after: listed
                            .files()
                            .iter()
                            .map(|file| file_digest(file))
                            .collect(),
                    });
                result?;
                done.push(listed.id.clone());
            }
            Ok(done)
        })?
    }

    /// Puts back the files of each id's latest action as they were before it: all of them, or
    /// nothing when one was changed since by someone else.
    pub fn undo(
        &mut self,
        store: &SnapshotStore,
        ids: &[String],
    ) -> Result<Vec<String>, ActionError> {
        let entries: Vec<&Entry> = ids.iter().filter_map(|id| self.last(id)).collect();
        if entries.is_empty() {
            return Err(ActionError::NothingSelected("nothing to undo".to_string()));
        }
        let undone = store.while_locked(|locked| {
            for entry in &entries {
                let now: Vec<String> = entry
                    .listed
                    .files()
                    .iter()
                    .map(|file| file_digest(file))
                    .collect();
                if let Some((file, _)) = entry
                    .listed
                    .files()
                    .into_iter()
                    .zip(now)
                    .zip(&entry.after)
                    .find(|((_, now), after)| now != *after)
                    .map(|(pair, _)| pair)
                {
                    return Err(ActionError::Changed {
                        id: entry.listed.id.clone(),
                        file,
                    });
                }
            }
            for entry in &entries {
                for (file, bytes) in &entry.before {
                    locked.restore(file, bytes.as_deref())?;
                }
            }
            Ok(entries
                .iter()
                .map(|entry| entry.listed.id.clone())
                .collect::<Vec<_>>())
        })??;
        for id in &undone {
            if let Some(stack) = self.entries.get_mut(id) {
                stack.pop();
                if stack.is_empty() {
                    self.entries.remove(id);
                }
            }
        }
        Ok(undone)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::review::listing::{list, version};
    use crate::snapshot::{Metadata, Slot, SnapshotId};

    fn store_with_two_changes() -> (tempfile::TempDir, SnapshotStore) {
        let dir = tempfile::tempdir().unwrap();
        let store = SnapshotStore::new(dir.path().join("store"));
        for (name, variant) in [("summary", None), ("summary", Some("chrome-1x1"))] {
            let id = SnapshotId {
                scenario: "upgrade".to_string(),
                name: name.to_string(),
                variant: variant.map(str::to_string),
            };
            match variant {
                None => {
                    store
                        .write_text(&id, Slot::Baseline, &Metadata::default(), "old")
                        .unwrap();
                    store
                        .write_text(&id, Slot::Pending, &Metadata::default(), "new")
                        .unwrap();
                }
                Some(_) => {
                    store
                        .write_image(&id, Slot::Baseline, &Metadata::default(), b"old png")
                        .unwrap();
                    store
                        .write_image(&id, Slot::Pending, &Metadata::default(), b"new png")
                        .unwrap();
                }
            }
        }
        (dir, store)
    }

    fn snapshot_of(store: &SnapshotStore) -> BTreeMap<PathBuf, Vec<u8>> {
        let mut files = BTreeMap::new();
        for entry in std::fs::read_dir(store.root()).unwrap().flatten() {
            files.insert(entry.path(), std::fs::read(entry.path()).unwrap());
        }
        files
    }

    fn targets(store: &SnapshotStore) -> Vec<(Listed, String, Option<String>)> {
        list(store, None)
            .into_iter()
            .map(|listed| {
                let shown = version(&listed);
                (listed, "g".to_string(), Some(shown))
            })
            .collect()
    }

    #[test]
    fn an_undone_accept_puts_back_every_byte_and_a_second_undo_has_nothing_to_do() {
        let (_dir, store) = store_with_two_changes();
        let before = snapshot_of(&store);
        let mut journal = Journal::default();
        let done = journal
            .act(&store, Act::Accepted, &targets(&store))
            .unwrap();
        assert_eq!(done.len(), 2);
        assert!(store.pending(None).is_empty());
        assert_ne!(snapshot_of(&store), before);
        assert_eq!(journal.last_action().len(), 2);
        journal.undo(&store, &journal.last_action()).unwrap();
        assert_eq!(snapshot_of(&store), before);
        assert!(journal
            .undo(&store, &["upgrade__summary".to_string()])
            .is_err());
    }

    #[test]
    fn a_file_changed_since_it_was_shown_refuses_the_whole_action() {
        let (_dir, store) = store_with_two_changes();
        let targets = targets(&store);
        let changed = &targets[1].0.pending.path;
        std::fs::write(changed, "changed underneath").unwrap();
        let before = snapshot_of(&store);
        let mut journal = Journal::default();
        let refused = journal.act(&store, Act::Rejected, &targets).unwrap_err();
        assert!(
            matches!(&refused, ActionError::Changed { file, .. } if file == changed),
            "{refused}"
        );
        assert_eq!(snapshot_of(&store), before, "nothing was written");
        let mut without_version = targets.clone();
        without_version[0].2 = None;
        assert!(matches!(
            journal.act(&store, Act::Rejected, &without_version),
            Err(ActionError::NoVersion { .. })
        ));
    }

    #[test]
    fn an_undo_is_refused_once_another_run_changed_the_files() {
        let (_dir, store) = store_with_two_changes();
        let mut journal = Journal::default();
        let targets = targets(&store);
        journal.act(&store, Act::Rejected, &targets[..1]).unwrap();
        let baseline = targets[0].0.pending.baseline_path();
        std::fs::write(&baseline, "rewritten by another run").unwrap();
        let refused = journal
            .undo(&store, &[targets[0].0.id.clone()])
            .unwrap_err();
        assert!(refused.to_string().contains("changed since"), "{refused}");
        assert!(store.pending(None).len() == 1, "nothing restored");
    }
}
