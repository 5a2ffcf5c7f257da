//! What a rename asks of the files that quote the old label: the scenario's lines that target
//! it, the guide's lines that name it in bold, and the images that show it, as patches and a
//! list a person applies (or not). Nothing here writes a file.

use super::Rename;
use crate::scenario::{ActionKind, Scenario, Target};

/// Lines of context around each change, as `diff -u` gives.
const CONTEXT: usize = 3;

/// The scenario's text with every target of the renamed role and label (`button "Update"`,
/// wherever it is written: a click, an expect, a highlight, a scope) renamed, as a unified diff
/// of `path`; `None` when no line names it.
pub fn scenario_patch(path: &str, text: &str, rename: &Rename) -> Option<String> {
    let old = format!("{} \"{}\"", rename.role, rename.old);
    let new = format!("{} \"{}\"", rename.role, rename.new);
    unified_diff(path, text, |line| line.replace(&old, &new))
}

/// The guide's text with every bold quote of the old label (`**Update**`) renamed, as a
/// unified diff of `path`; `None` when no line quotes it.
pub fn guide_patch(path: &str, text: &str, rename: &Rename) -> Option<String> {
    let old = format!("**{}**", rename.old);
    let new = format!("**{}**", rename.new);
    unified_diff(path, text, |line| line.replace(&old, &new))
}

/// An image the rename makes stale, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StaleImage {
    pub image: String,
    /// The step that shoots it (`Upgrade 4`).
    pub step: String,
    pub why: String,
}

/// The images of the steps that show the old label: a step whose actions name it (clicks,
/// expects, highlights), or one whose page snapshot's baseline (`baselines`: name, outline) had
/// an element of that role with that name.
pub fn stale_images(
    scenario: &Scenario,
    rename: &Rename,
    baselines: &[(String, String)],
) -> Vec<StaleImage> {
    let names_old = |target: &Target| {
        target.levels().any(|level| {
            level.role == rename.role
                && level
                    .label
                    .as_deref()
                    .is_some_and(|label| label.eq_ignore_ascii_case(&rename.old))
        })
    };
    let roles = super::outline_roles(rename.role);
    // The page snapshots whose baseline showed the old label, each baseline read once.
    let showed_old: Vec<&str> = baselines
        .iter()
        .filter(|(_, outline)| {
            super::parse_outline(outline).iter().any(|node| {
                roles.contains(&node.role.as_str())
                    && node
                        .name
                        .as_deref()
                        .is_some_and(|name| name.eq_ignore_ascii_case(&rename.old))
            })
        })
        .map(|(name, _)| name.as_str())
        .collect();
    let shown_in_baseline = |snapshot: &str| showed_old.contains(&snapshot);
    let mut stale = Vec::new();
    for step in &scenario.steps {
        let targeted = step
            .actions
            .iter()
            .any(|action| action.kind.targets().iter().any(names_old));
        let snapshot = step.actions.iter().find_map(|action| match &action.kind {
            ActionKind::Snapshot { name } if shown_in_baseline(name) => Some(name.clone()),
            _ => None,
        });
        let why = match (targeted, snapshot) {
            (true, _) => format!("the step names {} \"{}\"", rename.role, rename.old),
            (false, Some(snapshot)) => format!(
                "the page snapshot {snapshot} showed {} \"{}\"",
                rename.role, rename.old
            ),
            (false, None) => continue,
        };
        for action in &step.actions {
            if let ActionKind::Screenshot(shot) = &action.kind {
                stale.push(StaleImage {
                    image: shot.image_name.clone(),
                    step: step.title(),
                    why: why.clone(),
                });
            }
        }
    }
    stale
}

/// A unified diff (`git apply` reads it) of `path` from `text` to `text` with each line
/// rewritten by `rewrite`; `None` when no line changes.
pub fn unified_diff(path: &str, text: &str, rewrite: impl Fn(&str) -> String) -> Option<String> {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let changed: Vec<(usize, String)> = lines
        .iter()
        .enumerate()
        .filter_map(|(index, line)| {
            let new = rewrite(line);
            (new != *line).then_some((index, new))
        })
        .collect();
    if changed.is_empty() {
        return None;
    }
    // Changes whose contexts touch share a hunk.
    let mut hunks: Vec<(usize, usize)> = Vec::new();
    for (index, _) in &changed {
        let start = index.saturating_sub(CONTEXT);
        let end = (index + CONTEXT + 1).min(lines.len());
        match hunks.last_mut() {
            Some(last) if start <= last.1 => last.1 = end,
            _ => hunks.push((start, end)),
        }
    }
    let mut diff = format!("--- a/{path}\n+++ b/{path}\n");
    for (start, end) in hunks {
        let count = end - start;
        diff.push_str(&format!(
            "@@ -{},{count} +{},{count} @@\n",
            start + 1,
            start + 1
        ));
        for (index, line) in lines.iter().enumerate().take(end).skip(start) {
            match changed.iter().find(|(at, _)| *at == index) {
                Some((_, new)) => {
                    push_line(&mut diff, '-', line);
                    push_line(&mut diff, '+', new);
                }
                None => push_line(&mut diff, ' ', line),
            }
        }
    }
    Some(diff)
}

/// One diff line; a last line without its newline is marked as diff marks it.
fn push_line(diff: &mut String, mark: char, line: &str) {
    diff.push(mark);
    diff.push_str(line);
    if !line.ends_with('\n') {
        diff.push_str("\n\\ No newline at end of file\n");
    }
}
