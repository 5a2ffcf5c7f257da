//! Carrying values from a layer's current configuration into the incoming one: what the guide
//! asks an operator to do with an external diff tool, done on the parsed documents. Each carried
//! value replaces the incoming value's bytes (or is inserted after its parent's last line), so
//! the incoming text keeps its order, comments and formatting everywhere else. The result is
//! parsed again and checked: every carried value as in the current configuration, every other
//! difference as the upgrade brings it.

use std::ops::Range;

use super::diff::{differences, node_at, shown, Change, Difference, KeyPath, Segment};
use super::tree::{parse, Kind, Node, YamlError};

/// What a merge carries over.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Keeping {
    /// The values under these keys (names or dotted suffixes), whoever changed them.
    Keys(Vec<String>),
    /// Every difference classified as this installation's customization.
    Customizations,
    /// The same, but for the values under these keys (names or dotted suffixes), which the
    /// scenario says the upgrade's values must replace.
    CustomizationsExcept(Vec<String>),
    /// What sits at these paths or under them: what an earlier merge carried, carried again.
    Paths(Vec<KeyPath>),
}

/// One difference of the proposal, as the report shows it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ProposalRow {
    pub path: String,
    pub change: Change,
    pub current: Option<String>,
    pub incoming: Option<String>,
    /// `customization` or `upgrade`.
    pub classification: &'static str,
    pub reason: &'static str,
    /// Carried into the merged configuration.
    pub carried: bool,
}

/// One value carried from the current configuration into the merged one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Carried {
    pub path: KeyPath,
    /// The incoming value it replaced; `None` for an addition.
    pub incoming_value: Option<String>,
    pub kept_value: String,
}

#[derive(Clone, Debug)]
pub struct Merge {
    pub text: String,
    pub carried: Vec<Carried>,
    /// Every difference between the two, classified, with whether it was carried.
    pub proposal: Vec<ProposalRow>,
    /// Keys asked for that the current configuration does not set.
    pub absent: Vec<String>,
    /// Customizations that could not be carried automatically, with why.
    pub not_carried: Vec<(String, String)>,
}

/// Why two configurations could not be merged.
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    #[error("the {which} is not valid YAML ({error})")]
    Unreadable {
        which: &'static str,
        error: YamlError,
    },
    #[error("the merged configuration did not come out as planned at {path}: {problem}")]
    Inconsistent { path: String, problem: String },
}

/// The incoming text with what `keeping` says carried over from `current`.
pub fn merge(incoming: &str, current: &str, keeping: &Keeping) -> Result<Merge, MergeError> {
    let incoming_root = parse(incoming).map_err(|error| MergeError::Unreadable {
        which: "incoming configuration",
        error,
    })?;
    let current_root = parse(current).map_err(|error| MergeError::Unreadable {
        which: "current configuration",
        error,
    })?;
    let (incoming_root, current_root) = (incoming_root.as_ref(), current_root.as_ref());
    let found = differences(current_root, incoming_root);
    let wanted = |difference: &Difference| match keeping {
        Keeping::Customizations => difference.class.is_customization(),
        Keeping::CustomizationsExcept(keys) => {
            difference.class.is_customization() && !is_excepted(difference, keys)
        }
        Keeping::Keys(keys) => {
            difference.change != Change::OnlyIncoming
                && keys.iter().any(|key| difference.path.is_under(key))
        }
        Keeping::Paths(paths) => {
            difference.change != Change::OnlyIncoming
                && paths
                    .iter()
                    .any(|path| difference.path.0.starts_with(&path.0))
        }
    };
    let absent = match keeping {
        Keeping::Keys(keys) => keys
            .iter()
            .filter(|key| find_key(current, current_root, &KeyPath::default(), key).is_none())
            .cloned()
            .collect(),
        Keeping::Customizations | Keeping::CustomizationsExcept(_) | Keeping::Paths(_) => {
            Vec::new()
        }
    };
    let mut edits = Vec::new();
    let mut carried = Vec::new();
    let mut not_carried = Vec::new();
    let mut proposal = Vec::new();
    for difference in &found {
        let current_node = node_at(current_root, &difference.path);
        let incoming_node = node_at(incoming_root, &difference.path);
        let mut row = ProposalRow {
            path: difference.path.to_string(),
            change: difference.change,
            current: current_node.map(|node| shown(current, node)),
            incoming: incoming_node.map(|node| shown(incoming, node)),
            classification: if difference.class.is_customization() {
                "customization"
            } else {
                "upgrade"
            },
            reason: match keeping {
                Keeping::CustomizationsExcept(keys)
                    if difference.class.is_customization() && is_excepted(difference, keys) =>
                {
                    "left to the upgrade by the scenario's `except`"
                }
                _ => difference.class.reason(),
            },
            carried: false,
        };
        if wanted(difference) {
            let plan = match current_node {
                Some(kept) => plan_edit(
                    incoming,
                    incoming_root,
                    current,
                    kept,
                    incoming_node,
                    &difference.path,
                    current_root,
                ),
                None => Err("the current configuration does not set it".to_string()),
            };
            match plan {
                Ok(edit) => {
                    edits.push(edit);
                    row.carried = true;
                    carried.push(Carried {
                        path: difference.path.clone(),
                        incoming_value: row.incoming.clone(),
                        kept_value: row.current.clone().unwrap_or_default(),
                    });
                }
                Err(reason) => not_carried.push((difference.path.to_string(), reason)),
            }
        }
        proposal.push(row);
    }
    let text = apply(incoming, edits);
    verify(&text, incoming_root, current_root, &found, &carried)?;
    Ok(Merge {
        text,
        carried,
        proposal,
        absent,
        not_carried,
    })
}

fn is_excepted(difference: &Difference, keys: &[String]) -> bool {
    keys.iter().any(|key| difference.path.is_under(key))
}

/// A replacement of `range` by `text`; insertions have an empty range.
struct Edit {
    range: Range<usize>,
    text: String,
}

fn plan_edit(
    incoming: &str,
    incoming_root: Option<&Node>,
    current: &str,
    kept: &Node,
    replaced: Option<&Node>,
    path: &KeyPath,
    current_root: Option<&Node>,
) -> Result<Edit, String> {
    if let Some(replaced) = replaced {
        let both_scalars = matches!(kept.kind, Kind::Scalar { .. })
            && matches!(replaced.kind, Kind::Scalar { .. });
        if !both_scalars {
            return Err(
                "its shape changes (a list or mapping on one side only); carry it by hand"
                    .to_string(),
            );
        }
        let delta = indentation(incoming, replaced.span.start) as isize
            - indentation(current, kept.span.start) as isize;
        return Ok(Edit {
            range: replaced.span.clone(),
            text: reindent(&current[kept.span.clone()], delta),
        });
    }
    // An addition: after the last line of its parent in the incoming text.
    let parent_path = path.parent();
    let parent = node_at(incoming_root, &parent_path);
    let current_parent = node_at(current_root, &parent_path);
    let (source_start, source_column) = match (path.0.last(), current_parent.map(|node| &node.kind))
    {
        (Some(Segment::Key(key)), Some(Kind::Map { entries, .. })) => {
            let entry = entries
                .iter()
                .find(|entry| &entry.key == key)
                .ok_or("its key is gone")?;
            (entry.key_span.start, column(current, entry.key_span.start))
        }
        (Some(Segment::Index(_) | Segment::Item { .. }), Some(Kind::Seq { .. })) => {
            let dash = current[..kept.span.start]
                .rfind('-')
                .ok_or("its list item has no dash")?;
            (dash, column(current, dash))
        }
        _ => return Err("its parent is not a mapping or list".to_string()),
    };
    let source = &current[source_start..line_end(current, kept.span.end)];
    let (at, target_column) = match parent.map(|node| (&node.kind, node)) {
        Some((Kind::Map { flow: false, entries }, node)) if !entries.is_empty() => (
            line_end(incoming, node.span.end),
            column(incoming, entries[0].key_span.start),
        ),
        Some((Kind::Seq { flow: false, items }, node)) if !items.is_empty() => {
            (line_end(incoming, node.span.end), column(incoming, node.span.start))
        }
        None if parent_path.0.is_empty() => (incoming.len(), 0),
        Some((Kind::Map { flow: true, .. } | Kind::Seq { flow: true, .. }, _)) => {
            return Err("the incoming configuration writes its parent on one line ({…} or […]); carry it by hand".to_string())
        }
        _ => return Err("the incoming configuration has no place for it".to_string()),
    };
    let delta = target_column as isize - source_column as isize;
    let mut text = format!("{}{}", " ".repeat(target_column), reindent(source, delta));
    if !text.ends_with('\n') {
        text.push('\n');
    }
    if at > 0 && !incoming[..at].ends_with('\n') {
        text.insert(0, '\n');
    }
    Ok(Edit {
        range: at..at,
        text,
    })
}

fn line_start(text: &str, at: usize) -> usize {
    text[..at]
        .rfind('\n')
        .map(|newline| newline + 1)
        .unwrap_or(0)
}

fn column(text: &str, at: usize) -> usize {
    text[line_start(text, at)..at].chars().count()
}

/// How far the line holding `at` is indented.
fn indentation(text: &str, at: usize) -> usize {
    let start = line_start(text, at);
    text[start..].len() - text[start..].trim_start_matches(' ').len()
}

/// The end of the line holding `at`, after its newline (or the text's end).
fn line_end(text: &str, at: usize) -> usize {
    if at > 0 && text.as_bytes()[at - 1] == b'\n' {
        return at;
    }
    text[at..]
        .find('\n')
        .map(|newline| at + newline + 1)
        .unwrap_or(text.len())
}

/// Every line after the first moved right (or left) by `delta` columns.
fn reindent(text: &str, delta: isize) -> String {
    if delta == 0 {
        return text.to_string();
    }
    let mut out = String::new();
    for (index, line) in text.split_inclusive('\n').enumerate() {
        if index == 0 || line.trim().is_empty() {
            out.push_str(line);
        } else if delta > 0 {
            out.push_str(&" ".repeat(delta as usize));
            out.push_str(line);
        } else {
            let spaces = line.len() - line.trim_start_matches(' ').len();
            out.push_str(&line[spaces.min(delta.unsigned_abs())..]);
        }
    }
    out
}

fn apply(text: &str, edits: Vec<Edit>) -> String {
    // From the end, so earlier ranges stay valid; insertions at one place keep their order.
    let mut text = text.to_string();
    let mut indexed: Vec<(usize, Edit)> = edits.into_iter().enumerate().collect();
    indexed.sort_by(|(a_order, a), (b_order, b)| {
        b.range.start.cmp(&a.range.start).then(b_order.cmp(a_order))
    });
    for (_, edit) in indexed {
        text.replace_range(edit.range, &edit.text);
    }
    text
}

fn verify(
    merged: &str,
    incoming: Option<&Node>,
    current: Option<&Node>,
    found: &[Difference],
    carried: &[Carried],
) -> Result<(), MergeError> {
    let merged_root = parse(merged).map_err(|error| MergeError::Inconsistent {
        path: "(the whole text)".to_string(),
        problem: format!("it is no longer valid YAML: {error}"),
    })?;
    for difference in found {
        let was_carried = carried.iter().any(|kept| kept.path == difference.path);
        let expected = if was_carried { current } else { incoming };
        let want = node_at(expected, &difference.path);
        let have = node_at(merged_root.as_ref(), &difference.path);
        let same = match (want, have) {
            (Some(want), Some(have)) => want.same_as(have),
            (None, None) => true,
            _ => false,
        };
        if !same {
            return Err(MergeError::Inconsistent {
                path: difference.path.to_string(),
                problem: format!(
                    "expected the {} value",
                    if was_carried { "current" } else { "incoming" }
                ),
            });
        }
    }
    Ok(())
}

/// A value found under a key, as written and as parsed.
#[derive(Clone, Debug)]
pub struct Found {
    pub shown: String,
    pub node: Node,
}

/// The first value named by each key (name or dotted suffix); `None` when the text lacks it.
pub fn values_of(text: &str, keys: &[String]) -> Result<Vec<Option<Found>>, YamlError> {
    let root = parse(text)?;
    Ok(keys
        .iter()
        .map(|key| find_key(text, root.as_ref(), &KeyPath::default(), key))
        .collect())
}

fn find_key(text: &str, node: Option<&Node>, path: &KeyPath, key: &str) -> Option<Found> {
    let node = node?;
    match &node.kind {
        Kind::Map { entries, .. } => entries.iter().find_map(|entry| {
            let child = path.child(Segment::Key(entry.key.clone()));
            if child.ends_with(key) {
                Some(Found {
                    shown: shown(text, &entry.value),
                    node: entry.value.clone(),
                })
            } else {
                find_key(text, Some(&entry.value), &child, key)
            }
        }),
        Kind::Seq { items, .. } => items.iter().enumerate().find_map(|(index, item)| {
            find_key(text, Some(item), &path.child(Segment::Index(index)), key)
        }),
        _ => None,
    }
}

/// The value at each path in `text`, as written and parsed; `None` where the text has none.
pub fn values_at(text: &str, paths: &[KeyPath]) -> Result<Vec<Option<Found>>, YamlError> {
    let root = parse(text)?;
    Ok(paths
        .iter()
        .map(|path| {
            node_at(root.as_ref(), path).map(|node| Found {
                shown: shown(text, node),
                node: node.clone(),
            })
        })
        .collect())
}

#[cfg(test)]
mod tests;

/// Random block-style documents, pairs of them as an installation and an upgrade would make
/// them, merged: every merge must succeed, carry every customization and pass its own check.
#[cfg(test)]
mod random_documents;
