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
mod tests {
    use super::*;

    const INCOMING: &str = "pack:\n  k8sHardening: True\n  podCIDR: \"192.168.0.0/16\" # default\n  serviceClusterIpRange: \"10.96.0.0/12\"\nkubeadmconfig:\n  apiServer:\n    extraArgs:\n      secure-port: \"6443\"\n      request-timeout: \"300s\"\n  preKubeadmCommands:\n    - 'echo one'\n";
    const CURRENT: &str = "pack:\n  k8sHardening: True\n  podCIDR: \"172.30.0.0/16\"\n  serviceClusterIpRange: \"10.150.0.0/16\"\nkubeadmconfig:\n  apiServer:\n    extraArgs:\n      secure-port: \"6443\"\n      oidc-issuer-url: \"https://login.example.com\"\n  preKubeadmCommands:\n    - 'echo one'\n    - 'echo two'\n";

    fn keys(names: &[&str]) -> Keeping {
        Keeping::Keys(names.iter().map(|name| name.to_string()).collect())
    }

    #[test]
    fn every_customization_is_carried_and_the_rest_stays_incoming_byte_for_byte() {
        let merged = merge(INCOMING, CURRENT, &Keeping::Customizations).unwrap();
        assert_eq!(
            merged.text,
            "pack:\n  k8sHardening: True\n  podCIDR: \"172.30.0.0/16\" # default\n  serviceClusterIpRange: \"10.150.0.0/16\"\nkubeadmconfig:\n  apiServer:\n    extraArgs:\n      secure-port: \"6443\"\n      request-timeout: \"300s\"\n      oidc-issuer-url: \"https://login.example.com\"\n  preKubeadmCommands:\n    - 'echo one'\n    - 'echo two'\n"
        );
        let paths: Vec<String> = merged
            .carried
            .iter()
            .map(|kept| kept.path.to_string())
            .collect();
        assert_eq!(
            paths,
            [
                "pack.podCIDR",
                "pack.serviceClusterIpRange",
                "kubeadmconfig.apiServer.extraArgs.oidc-issuer-url",
                "kubeadmconfig.preKubeadmCommands[1]"
            ]
        );
        let new_key = merged
            .proposal
            .iter()
            .find(|row| row.path.ends_with("request-timeout"))
            .unwrap();
        assert_eq!(new_key.classification, "upgrade");
        assert!(!new_key.carried);
    }

    #[test]
    fn excepted_customizations_are_left_to_the_upgrade() {
        let keeping = Keeping::CustomizationsExcept(vec!["serviceClusterIpRange".to_string()]);
        let merged = merge(INCOMING, CURRENT, &keeping).unwrap();
        assert!(merged.text.contains("podCIDR: \"172.30.0.0/16\""));
        assert!(merged
            .text
            .contains("serviceClusterIpRange: \"10.96.0.0/12\""));
        let row = merged
            .proposal
            .iter()
            .find(|row| row.path == "pack.serviceClusterIpRange")
            .unwrap();
        assert!(!row.carried && row.reason.contains("except"), "{row:?}");
    }

    #[test]
    fn listed_keys_are_carried_and_nothing_else() {
        let merged = merge(
            INCOMING,
            CURRENT,
            &keys(&["podCIDR", "CALICO_IPV4POOL_CIDR"]),
        )
        .unwrap();
        assert!(merged
            .text
            .contains("  podCIDR: \"172.30.0.0/16\" # default\n"));
        assert!(merged
            .text
            .contains("serviceClusterIpRange: \"10.96.0.0/12\""));
        assert!(!merged.text.contains("oidc"));
        assert_eq!(merged.absent, ["CALICO_IPV4POOL_CIDR"]);
        assert_eq!(
            merged.carried[0].incoming_value.as_deref(),
            Some("\"192.168.0.0/16\"")
        );
    }

    #[test]
    fn additions_into_an_empty_document_and_nested_lists_keep_their_indentation() {
        let current = "# os\nkubeadmconfig:\n  preKubeadmCommands:\n  - echo hi\n  files:\n    - path: a\n      content: |\n        line\n";
        let merged = merge("# os, incoming\n", current, &Keeping::Customizations).unwrap();
        assert_eq!(
            merged.text,
            "# os, incoming\nkubeadmconfig:\n  preKubeadmCommands:\n  - echo hi\n  files:\n    - path: a\n      content: |\n        line\n"
        );
    }

    #[test]
    fn a_block_scalar_is_replaced_with_its_indentation() {
        let incoming = "files:\n  - content: |\n      new\n    path: x\n";
        let current = "files:\n- content: |\n    mine\n    more\n  path: x\n";
        let merged = merge(incoming, current, &Keeping::Customizations).unwrap();
        assert_eq!(
            merged.text,
            "files:\n  - content: |\n      mine\n      more\n    path: x\n"
        );
    }

    #[test]
    fn a_named_list_item_added_anywhere_is_appended_and_changed_ones_edited_in_place() {
        let incoming =
            "volumes:\n  - name: audit # incoming\n    hostPath: /var/log\n    readOnly: true\n";
        let current = "volumes:\n- name: extra\n  hostPath: /data\n- name: audit\n  hostPath: /var/log/mine\n";
        let merged = merge(incoming, current, &Keeping::Customizations).unwrap();
        assert_eq!(
            merged.text,
            "volumes:\n  - name: audit # incoming\n    hostPath: /var/log/mine\n    readOnly: true\n  - name: extra\n    hostPath: /data\n"
        );
    }

    #[test]
    fn a_flow_parent_is_reported_not_carried() {
        let merged = merge(
            "a: {x: 1}\n",
            "a:\n  x: 1\n  y: 2\n",
            &Keeping::Customizations,
        )
        .unwrap();
        assert_eq!(merged.text, "a: {x: 1}\n");
        assert_eq!(merged.not_carried.len(), 1, "{:?}", merged.not_carried);
    }

    #[test]
    fn values_are_found_by_name_or_suffix() {
        let wanted: Vec<String> = ["podCIDR", "apiServer.extraArgs.secure-port", "missing"]
            .iter()
            .map(|key| key.to_string())
            .collect();
        let found = values_of(CURRENT, &wanted).unwrap();
        assert_eq!(found[0].as_ref().unwrap().shown, "\"172.30.0.0/16\"");
        assert_eq!(found[1].as_ref().unwrap().shown, "\"6443\"");
        assert!(found[2].is_none());
    }
}

/// Random block-style documents, pairs of them as an installation and an upgrade would make
/// them, merged: every merge must succeed, carry every customization and pass its own check.
#[cfg(test)]
mod random_documents {
    use super::*;

    /// A small deterministic generator (an LCG), so a failure reproduces from its seed.
    struct Random(u64);

    impl Random {
        fn next(&mut self, below: u64) -> u64 {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (self.0 >> 33) % below
        }
    }

    #[derive(Clone)]
    enum Value {
        Scalar(String),
        Map(Vec<(String, Value)>),
        List(Vec<Value>),
    }

    fn scalar(random: &mut Random) -> String {
        match random.next(5) {
            0 => format!(
                "\"{}.{}.{}\"",
                random.next(3),
                random.next(30),
                random.next(40)
            ),
            1 => format!("'{}'", random.next(2000)),
            2 => format!("10.{}.0.0/16", random.next(250)),
            3 => "true".to_string(),
            _ => format!("word{}", random.next(100)),
        }
    }

    fn value(random: &mut Random, depth: u32) -> Value {
        match if depth > 2 { 0 } else { random.next(4) } {
            0 | 1 => Value::Scalar(scalar(random)),
            2 => Value::Map(
                (0..1 + random.next(4))
                    .map(|index| (format!("key{index}"), value(random, depth + 1)))
                    .collect(),
            ),
            _ if random.next(2) == 0 => Value::List(
                (0..1 + random.next(3))
                    .map(|_| Value::Scalar(scalar(random)))
                    .collect(),
            ),
            _ => Value::List(
                (0..1 + random.next(3))
                    .map(|index| named(random, &format!("item{index}")))
                    .collect(),
            ),
        }
    }

    /// A list item with a name, as volumes and files are.
    fn named(random: &mut Random, name: &str) -> Value {
        Value::Map(vec![
            ("name".to_string(), Value::Scalar(name.to_string())),
            ("path".to_string(), Value::Scalar(scalar(random))),
        ])
    }

    /// The installation changes some values and adds keys; the upgrade changes others and adds
    /// its own keys.
    fn mutate(random: &mut Random, value: &Value, tag: &str) -> Value {
        match value {
            Value::Scalar(_) if random.next(4) == 0 => Value::Scalar(scalar(random)),
            Value::Scalar(text) => Value::Scalar(text.clone()),
            Value::Map(entries) => {
                let mut entries: Vec<(String, Value)> = entries
                    .iter()
                    .map(|(key, value)| (key.clone(), mutate(random, value, tag)))
                    .collect();
                if random.next(3) == 0 {
                    entries.push((format!("{tag}{}", random.next(9)), value_leaf(random)));
                }
                dedupe(entries)
            }
            Value::List(items) => {
                let named_items = matches!(items.first(), Some(Value::Map(_)));
                let mut items: Vec<Value> = items
                    .iter()
                    .map(|item| match item {
                        // A name stays what it is; the rest of the item may change.
                        Value::Map(entries) => Value::Map(
                            entries
                                .iter()
                                .map(|(key, value)| match key.as_str() {
                                    "name" => (key.clone(), value.clone()),
                                    _ => (key.clone(), mutate(random, value, tag)),
                                })
                                .collect(),
                        ),
                        other => mutate(random, other, tag),
                    })
                    .collect();
                if random.next(4) == 0 {
                    let added = if named_items {
                        let name = format!("{tag}-item{}", random.next(1000));
                        named(random, &name)
                    } else {
                        Value::Scalar(scalar(random))
                    };
                    // Added at the front or the end: named items are paired by name.
                    if random.next(2) == 0 {
                        items.insert(0, added)
                    } else {
                        items.push(added)
                    }
                }
                Value::List(items)
            }
        }
    }

    fn value_leaf(random: &mut Random) -> Value {
        if random.next(2) == 0 {
            Value::Scalar(scalar(random))
        } else {
            Value::Map(vec![("inner".to_string(), Value::Scalar(scalar(random)))])
        }
    }

    fn dedupe(entries: Vec<(String, Value)>) -> Value {
        let mut seen = Vec::new();
        Value::Map(
            entries
                .into_iter()
                .filter(|(key, _)| {
                    let new = !seen.contains(key);
                    seen.push(key.clone());
                    new
                })
                .collect(),
        )
    }

    fn render(value: &Value, indent: usize, step: usize, dash_indented: bool, out: &mut String) {
        if let Value::Map(entries) = value {
            for (key, child) in entries {
                render_entry(key, child, indent, step, dash_indented, out);
            }
        }
    }

    fn render_entry(
        key: &str,
        value: &Value,
        indent: usize,
        step: usize,
        dash_indented: bool,
        out: &mut String,
    ) {
        let pad = " ".repeat(indent);
        match value {
            Value::Scalar(text) => out.push_str(&format!("{pad}{key}: {text}\n")),
            Value::Map(_) => {
                out.push_str(&format!("{pad}{key}:\n"));
                render(value, indent + step, step, dash_indented, out);
            }
            Value::List(items) => {
                out.push_str(&format!("{pad}{key}: # a list\n"));
                let dash = if dash_indented { indent + step } else { indent };
                for item in items {
                    match item {
                        Value::Scalar(text) => {
                            out.push_str(&format!("{}- {text}\n", " ".repeat(dash)))
                        }
                        Value::Map(entries) => {
                            for (index, (key, value)) in entries.iter().enumerate() {
                                let lead = if index == 0 {
                                    format!("{}- ", " ".repeat(dash))
                                } else {
                                    " ".repeat(dash + 2)
                                };
                                if let Value::Scalar(text) = value {
                                    out.push_str(&format!("{lead}{key}: {text}\n"));
                                }
                            }
                        }
                        Value::List(_) => {}
                    }
                }
            }
        }
    }

    #[test]
    fn merges_of_random_documents_carry_every_customization() {
        for seed in 0..1000u64 {
            let mut random = Random(seed);
            let base = Value::Map(
                (0..2 + random.next(4))
                    .map(|index| (format!("top{index}"), value(&mut random, 0)))
                    .collect(),
            );
            let current = mutate(&mut random, &base, "mine");
            let incoming = mutate(&mut random, &base, "new");
            let (mut current_text, mut incoming_text) = (String::new(), String::new());
            render(&current, 0, 2, random.next(2) == 0, &mut current_text);
            render(
                &incoming,
                0,
                2 + 2 * random.next(2) as usize,
                random.next(2) == 0,
                &mut incoming_text,
            );
            let merged = merge(&incoming_text, &current_text, &Keeping::Customizations)
                .unwrap_or_else(|error| panic!("seed {seed}: {error}\n--- incoming\n{incoming_text}--- current\n{current_text}"));
            assert!(
                merged.not_carried.is_empty(),
                "seed {seed}: {:?}\n--- incoming\n{incoming_text}--- current\n{current_text}",
                merged.not_carried
            );
            let customizations = merged
                .proposal
                .iter()
                .filter(|row| row.classification == "customization")
                .count();
            assert_eq!(merged.carried.len(), customizations, "seed {seed}");
        }
    }
}
