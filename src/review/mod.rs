//! `review`, `accept` and `reject`: the pending snapshots in the snapshot folder, each shown
//! against its baseline (a line diff for pages, a pixel count for images), and the explicit acts
//! that turn them into baselines or throw them away; and `review --serve` (`serve`), the same
//! acts from a page in the browser or a bot's JSON, with undo.

pub mod api;
pub mod group;
pub mod guard;
pub mod journal;
pub mod listing;
pub mod report_files;
pub mod serve;

use std::fmt::Write as _;
use std::path::Path;

use crate::compare::image::{diff, DiffOptions, Image};
use crate::compare::text::{diff_lines, unified};
use crate::image_file::decode_rgba;
use crate::snapshot::{read_body, Pending, SnapshotStore, StoreError};

/// Which pending snapshots a command takes: those whose name contains `filter` (all without
/// one), or with `exact` only the one whose id (its path in the snapshot folder without
/// `.snap.new`, as `review --serve` and report.html name it) is `filter`.
pub fn selected(store: &SnapshotStore, filter: Option<&str>, exact: bool) -> Vec<Pending> {
    match (filter, exact) {
        (Some(wanted), true) => store
            .pending(None)
            .into_iter()
            .filter(|pending| listing::id_of(store.root(), pending).as_deref() == Some(wanted))
            .collect(),
        _ => store.pending(filter),
    }
}

/// The command that accepts one pending snapshot, as report.html and the review page show it.
pub fn accept_command(folder: &Path, id: &str) -> String {
    format!(
        "palette-harness accept --snapshots {} --exact {}",
        crate::artifacts::shell_word(&folder.to_string_lossy()),
        crate::artifacts::shell_word(id)
    )
}

/// The command that accepts the pending snapshot written at `pending` (a `.snap.new`), with the
/// folder it sits in as `--snapshots`; `None` for any other file.
pub fn accept_command_for(pending: &Path) -> Option<String> {
    let id = pending.file_name()?.to_str()?.strip_suffix(".snap.new")?;
    let folder = pending
        .parent()
        .filter(|folder| !folder.as_os_str().is_empty());
    Some(accept_command(folder.unwrap_or(Path::new(".")), id))
}

/// A readable account of every pending snapshot matching `filter`.
pub fn describe_pending(store: &SnapshotStore, filter: Option<&str>, exact: bool) -> String {
    let pending = selected(store, filter, exact);
    if pending.is_empty() {
        return format!("no pending snapshots in {}\n", store.root().display());
    }
    let mut out = format!(
        "{} pending snapshot(s) in {}\n",
        pending.len(),
        store.root().display()
    );
    for snapshot in &pending {
        let _ = writeln!(out, "\n{}", snapshot.stem());
        let _ = writeln!(out, "  pending:  {}", snapshot.path.display());
        let baseline = snapshot.baseline_path();
        let has_baseline = baseline.is_file();
        let _ = writeln!(
            out,
            "  baseline: {}",
            if has_baseline {
                baseline.display().to_string()
            } else {
                "none (new snapshot)".to_string()
            }
        );
        match &snapshot.image {
            Some(image) => {
                let _ = writeln!(out, "  image:    {}", image.display());
                if has_baseline {
                    let _ = writeln!(out, "  {}", image_change(snapshot));
                }
            }
            None => {
                let new = read_body(&snapshot.path);
                let old = if has_baseline {
                    read_body(&baseline)
                } else {
                    String::new()
                };
                for line in unified(&diff_lines(&old, &new), 2).lines() {
                    let _ = writeln!(out, "    {line}");
                }
            }
        }
    }
    // The hints work when copied as printed: they name the folder this review read.
    let folder = crate::artifacts::shell_word(&store.root().display().to_string());
    let _ = writeln!(
        out,
        "\naccept with `palette-harness accept --snapshots {folder} [FILTER]`, reject with `palette-harness reject --snapshots {folder} [FILTER]`, or review them in the browser with `palette-harness review --serve --snapshots {folder}`"
    );
    out
}

fn image_change(snapshot: &Pending) -> String {
    let baseline_image = snapshot.baseline_image_path();
    let read = |path: &Path| {
        std::fs::read(path)
            .ok()
            .and_then(|bytes| decode_rgba(&bytes).ok())
    };
    let (Some(old), Some(new)) = (
        read(&baseline_image),
        snapshot.image.as_deref().and_then(read),
    ) else {
        return "change: cannot decode one of the images".to_string();
    };
    let options = DiffOptions {
        detect_antialiasing: true,
        ..DiffOptions::default()
    };
    match diff(Image::from(&old), Image::from(&new), &options, None) {
        Ok(counts) => format!(
            "change:   {} pixels differ ({:.2}%)",
            counts.different,
            counts.ratio() * 100.0
        ),
        Err(error) => format!("change:   {error}"),
    }
}

/// Accepts every pending snapshot matching `filter`; returns one line per snapshot.
pub fn accept(
    store: &SnapshotStore,
    filter: Option<&str>,
    exact: bool,
) -> Result<Vec<String>, StoreError> {
    store
        .accept_all(&selected(store, filter, exact))?
        .into_iter()
        .map(|accepted| accepted.map(|baseline| format!("accepted {}", baseline.display())))
        .collect()
}

/// Rejects every pending snapshot matching `filter`; returns one line per snapshot.
pub fn reject(
    store: &SnapshotStore,
    filter: Option<&str>,
    exact: bool,
) -> Result<Vec<String>, StoreError> {
    selected(store, filter, exact)
        .iter()
        .map(|pending| {
            store
                .reject(pending)
                .map(|()| format!("rejected {}", pending.path.display()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::snapshot::{Metadata, Slot, SnapshotId};

    #[test]
    fn the_accept_command_quotes_what_a_shell_would_split_and_takes_only_its_snapshot() {
        assert_eq!(
            accept_command(Path::new("snapshots/reference-console"), "upgrade__summary"),
            "palette-harness accept --snapshots snapshots/reference-console --exact upgrade__summary"
        );
        assert_eq!(
            accept_command(Path::new("/tmp/my snaps"), "it's"),
            "palette-harness accept --snapshots '/tmp/my snaps' --exact 'it'\\''s'"
        );
        assert_eq!(
            accept_command_for(Path::new("snapshots/test/upgrade__a@chrome-1x1.snap.new"))
                .as_deref(),
            Some("palette-harness accept --snapshots snapshots/test --exact upgrade__a@chrome-1x1")
        );
        assert_eq!(
            accept_command_for(Path::new("snapshots/test/upgrade__a.snap")),
            None
        );
        let dir = tempfile::tempdir().unwrap();
        let store = SnapshotStore::new(dir.path());
        for name in ["summary", "summary-2"] {
            let id = SnapshotId {
                scenario: "upgrade".to_string(),
                name: name.to_string(),
                variant: None,
            };
            store
                .write_text(&id, Slot::Pending, &Metadata::default(), "new")
                .unwrap();
        }
        assert_eq!(selected(&store, Some("upgrade__summary"), false).len(), 2);
        let exact = selected(&store, Some("upgrade__summary"), true);
        assert_eq!(exact.len(), 1);
        assert!(exact[0].path.ends_with("upgrade__summary.snap.new"));
    }
}
