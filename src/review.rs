//! `review`, `accept` and `reject`: the pending snapshots in the snapshot folder, each shown
//! against its baseline (a line diff for pages, a pixel count for images), and the explicit acts
//! that turn them into baselines or throw them away.

use std::fmt::Write as _;

use crate::compare::image::{diff, DiffOptions, Image};
use crate::compare::text::{diff_lines, unified};
use crate::image_file::decode_rgba;
use crate::snapshot::{read_body, Pending, SnapshotStore, StoreError};

/// A readable account of every pending snapshot matching `filter`.
pub fn describe_pending(store: &SnapshotStore, filter: Option<&str>) -> String {
    let pending = store.pending(filter);
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
    // The hint works when copied as printed: it names the folder this review read.
    let folder = crate::artifacts::shell_word(&store.root().display().to_string());
    let _ = writeln!(
        out,
        "\naccept with `palette-harness accept --snapshots {folder} [FILTER]`, reject with `palette-harness reject --snapshots {folder} [FILTER]`"
    );
    out
}

fn image_change(snapshot: &Pending) -> String {
    let baseline_image = snapshot.baseline_image_path();
    let read = |path: &std::path::Path| {
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
pub fn accept(store: &SnapshotStore, filter: Option<&str>) -> Result<Vec<String>, StoreError> {
    store
        .accept_all(&store.pending(filter))?
        .into_iter()
        .map(|accepted| accepted.map(|baseline| format!("accepted {}", baseline.display())))
        .collect()
}

/// Rejects every pending snapshot matching `filter`; returns one line per snapshot.
pub fn reject(store: &SnapshotStore, filter: Option<&str>) -> Result<Vec<String>, StoreError> {
    store
        .pending(filter)
        .iter()
        .map(|pending| {
            store
                .reject(pending)
                .map(|()| format!("rejected {}", pending.path.display()))
        })
        .collect()
}
