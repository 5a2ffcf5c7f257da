//! What differs between a layer's current configuration and the one an upgrade brings, key by
//! key, and whether each difference is the upgrade's own (a newer version, a key the new pack
//! introduces) or this installation's customization, which the guide says to carry over.

use std::fmt;

use super::tree::{Kind, Node};

/// One step down a document: a mapping key, a list index, or the list item whose identity key
/// has this value (`extraVolumes[name=audit-log]`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Segment {
    Key(String),
    Index(usize),
    Item { key: String, value: String },
}

/// Keys that name a list item, so that items are paired by what they are, not where they are.
const IDENTITY_KEYS: [&str; 3] = ["name", "path", "targetPath"];

/// Where a value sits: `pack.podCIDR`, `kubeadmconfig.preKubeadmCommands[2]`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KeyPath(pub Vec<Segment>);

impl KeyPath {
    pub fn child(&self, segment: Segment) -> KeyPath {
        let mut segments = self.0.clone();
        segments.push(segment);
        KeyPath(segments)
    }

    pub fn parent(&self) -> KeyPath {
        KeyPath(self.0[..self.0.len().saturating_sub(1)].to_vec())
    }

    fn keys(&self) -> Vec<&str> {
        self.0
            .iter()
            .filter_map(|segment| match segment {
                Segment::Key(key) => Some(key.as_str()),
                Segment::Index(_) | Segment::Item { .. } => None,
            })
            .collect()
    }

    /// Whether `key` (a name, `podCIDR`, or a dotted suffix, `calicoNode.CALICO_IPV4POOL_CIDR`)
    /// names this value or one of its parents.
    pub fn is_under(&self, key: &str) -> bool {
        let wanted: Vec<&str> = key.split('.').collect();
        let keys = self.keys();
        (wanted.len()..=keys.len()).any(|end| keys[end - wanted.len()..end] == wanted[..])
    }

    /// Whether `key` names exactly this value.
    pub fn ends_with(&self, key: &str) -> bool {
        matches!(self.0.last(), Some(Segment::Key(_))) && {
            let wanted: Vec<&str> = key.split('.').collect();
            let keys = self.keys();
            keys.len() >= wanted.len() && keys[keys.len() - wanted.len()..] == wanted[..]
        }
    }
}

impl fmt::Display for KeyPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, segment) in self.0.iter().enumerate() {
            match segment {
                Segment::Key(key) if key.contains('.') || key.is_empty() => write!(f, "[{key:?}]")?,
                Segment::Key(key) if index == 0 => write!(f, "{key}")?,
                Segment::Key(key) => write!(f, ".{key}")?,
                Segment::Index(item) => write!(f, "[{item}]")?,
                Segment::Item { key, value } => write!(f, "[{key}={value}]")?,
            }
        }
        Ok(())
    }
}

/// The node at `path`, if the document has one there.
pub fn node_at<'a>(root: Option<&'a Node>, path: &KeyPath) -> Option<&'a Node> {
    let mut node = root?;
    for segment in &path.0 {
        node = match (segment, &node.kind) {
            (Segment::Key(key), Kind::Map { entries, .. }) => {
                &entries.iter().find(|entry| &entry.key == key)?.value
            }
            (Segment::Index(index), Kind::Seq { items, .. }) => items.get(*index)?,
            (Segment::Item { key, value }, Kind::Seq { items, .. }) => items
                .iter()
                .find(|item| identity(item, key).as_deref() == Some(value.as_str()))?,
            _ => return None,
        };
    }
    Some(node)
}

/// How one value differs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Change {
    /// Both have it, with different values.
    Changed,
    /// Only the current configuration has it: an addition.
    OnlyCurrent,
    /// Only the incoming configuration has it: new in the upgrade.
    OnlyIncoming,
}

/// Whose a difference is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Class {
    /// The upgrade brings it; the incoming value is right. The reason says why it is the upgrade's.
    Upgrade(&'static str),
    /// This installation changed or added it; the guide says to carry it over.
    Customization(&'static str),
}

impl Class {
    pub fn is_customization(&self) -> bool {
        matches!(self, Class::Customization(_))
    }

    pub fn reason(&self) -> &'static str {
        match self {
            Class::Upgrade(reason) | Class::Customization(reason) => reason,
        }
    }
}

#[derive(Clone, Debug)]
pub struct Difference {
    pub path: KeyPath,
    pub change: Change,
    pub class: Class,
}

/// Every difference between the two documents, in the current document's order, each classified.
pub fn differences(current: Option<&Node>, incoming: Option<&Node>) -> Vec<Difference> {
    let mut found = Vec::new();
    // A document of comments only is an empty mapping: what the other one has, it lacks key by key.
    let empty = Node {
        kind: Kind::Map {
            entries: Vec::new(),
            flow: false,
        },
        span: 0..0,
    };
    let (current, incoming) = match (current, incoming) {
        (Some(current), None) if matches!(current.kind, Kind::Map { .. }) => {
            (Some(current), Some(&empty))
        }
        (None, Some(incoming)) if matches!(incoming.kind, Kind::Map { .. }) => {
            (Some(&empty), Some(incoming))
        }
        other => other,
    };
    walk(current, incoming, &KeyPath::default(), &mut found);
    found
}

fn walk(
    current: Option<&Node>,
    incoming: Option<&Node>,
    path: &KeyPath,
    found: &mut Vec<Difference>,
) {
    match (current, incoming) {
        (None, None) => {}
        (Some(current), None) if is_empty(current) => {}
        (None, Some(incoming)) if is_empty(incoming) => {}
        (Some(_), None) => found.push(Difference {
            path: path.clone(),
            change: Change::OnlyCurrent,
            class: Class::Customization("added by this installation"),
        }),
        (None, Some(_)) => found.push(Difference {
            path: path.clone(),
            change: Change::OnlyIncoming,
            class: Class::Upgrade("new in the incoming version"),
        }),
        (Some(current), Some(incoming)) => match (&current.kind, &incoming.kind) {
            (
                Kind::Map { entries: mine, .. },
                Kind::Map {
                    entries: theirs, ..
                },
            ) => {
                for entry in mine {
                    let other = theirs.iter().find(|other| other.key == entry.key);
                    walk(
                        Some(&entry.value),
                        other.map(|other| &other.value),
                        &path.child(Segment::Key(entry.key.clone())),
                        found,
                    );
                }
                for entry in theirs {
                    if !mine.iter().any(|other| other.key == entry.key) {
                        walk(
                            None,
                            Some(&entry.value),
                            &path.child(Segment::Key(entry.key.clone())),
                            found,
                        );
                    }
                }
            }
            (Kind::Seq { items: mine, .. }, Kind::Seq { items: theirs, .. })
                if identity_key(mine, theirs).is_some() =>
            {
                let key = identity_key(mine, theirs).unwrap_or_default();
                for item in mine {
                    let value = identity(item, key).unwrap_or_default();
                    let other = theirs
                        .iter()
                        .find(|other| identity(other, key).as_deref() == Some(value.as_str()));
                    let segment = Segment::Item {
                        key: key.to_string(),
                        value,
                    };
                    walk(Some(item), other, &path.child(segment), found);
                }
                for other in theirs {
                    let value = identity(other, key).unwrap_or_default();
                    if !mine
                        .iter()
                        .any(|item| identity(item, key).as_deref() == Some(value.as_str()))
                    {
                        let segment = Segment::Item {
                            key: key.to_string(),
                            value,
                        };
                        walk(None, Some(other), &path.child(segment), found);
                    }
                }
            }
            (Kind::Seq { items: mine, .. }, Kind::Seq { items: theirs, .. }) => {
                for index in 0..mine.len().max(theirs.len()) {
                    let item_path = path.child(Segment::Index(index));
                    match (mine.get(index), theirs.get(index)) {
                        // An item the upgrade replaced by a newer version of itself.
                        (Some(item), None)
                            if theirs.iter().any(|other| masked(other) == masked(item)) =>
                        {
                            found.push(Difference {
                                path: item_path,
                                change: Change::OnlyCurrent,
                                class: Class::Upgrade("an older version of an incoming item"),
                            })
                        }
                        (item, other) => walk(item, other, &item_path, found),
                    }
                }
            }
            _ if current.same_as(incoming) => {}
            (Kind::Scalar { value: mine, .. }, Kind::Scalar { value: theirs, .. }) => {
                let class = if names_a_version(path) {
                    Class::Upgrade("a version the upgrade changes")
                } else if only_versions_differ(mine, theirs) {
                    Class::Upgrade("differs only in version numbers")
                } else {
                    Class::Customization("changed by this installation")
                };
                found.push(Difference {
                    path: path.clone(),
                    change: Change::Changed,
                    class,
                });
            }
            _ => found.push(Difference {
                path: path.clone(),
                change: Change::Changed,
                class: Class::Customization("changed by this installation"),
            }),
        },
    }
}

/// The value of an item's identity key, if it is a mapping with that key as a scalar.
fn identity(item: &Node, key: &str) -> Option<String> {
    item.entry(key)
        .and_then(|entry| entry.value.scalar())
        .map(str::to_string)
}

/// The identity key both lists' items all have, with values unique within each list.
fn identity_key(mine: &[Node], theirs: &[Node]) -> Option<&'static str> {
    IDENTITY_KEYS.into_iter().find(|key| {
        [mine, theirs].iter().all(|items| {
            let values: Vec<Option<String>> =
                items.iter().map(|item| identity(item, key)).collect();
            !items.is_empty()
                && values.iter().all(Option::is_some)
                && values
                    .iter()
                    .enumerate()
                    .all(|(index, value)| !values[..index].contains(value))
        })
    })
}

fn is_empty(node: &Node) -> bool {
    match &node.kind {
        Kind::Scalar { value, .. } => value.is_empty() || value == "~" || value == "null",
        Kind::Map { entries, .. } => entries.is_empty(),
        Kind::Seq { items, .. } => items.is_empty(),
        Kind::Alias => false,
    }
}

fn names_a_version(path: &KeyPath) -> bool {
    match path.0.last() {
        Some(Segment::Key(key)) => {
            let key = key.to_ascii_lowercase();
            key == "version" || key == "tag" || key.ends_with("version") || key.ends_with("tag")
        }
        _ => false,
    }
}

/// `gcr.io/calico/3.29.2/cni:v3.29.2` and `…/3.29.4/cni:v3.29.4` differ only in versions;
/// `172.30.0.0/16` and `192.168.0.0/16` do not (an address has four numbers), nor do `1400`
/// and `1440`.
pub fn only_versions_differ(a: &str, b: &str) -> bool {
    let (masked_a, versions_a) = mask_versions(a);
    let (masked_b, versions_b) = mask_versions(b);
    versions_a > 0 && versions_a == versions_b && masked_a == masked_b
}

/// The text with every version number (`1.32.9`, `v3.29`, `22.04`-style with a `v`) replaced by
/// one placeholder, and how many were replaced. A bare number needs three parts to count.
fn mask_versions(text: &str) -> (String, usize) {
    let chars: Vec<char> = text.chars().collect();
    let mut masked = String::new();
    let mut count = 0;
    let mut index = 0;
    while index < chars.len() {
        let prefixed = chars[index] == 'v'
            && chars.get(index + 1).is_some_and(char::is_ascii_digit)
            && (index == 0 || !chars[index - 1].is_ascii_alphanumeric());
        let starts_number = chars[index].is_ascii_digit()
            && (index == 0
                || !(chars[index - 1].is_ascii_alphanumeric() || chars[index - 1] == '.'));
        if prefixed || starts_number {
            let from = if prefixed { index + 1 } else { index };
            let mut end = from;
            while end < chars.len() && (chars[end].is_ascii_digit() || chars[end] == '.') {
                end += 1;
            }
            let run: String = chars[from..end].iter().collect();
            let run = run.trim_end_matches('.');
            let parts: Vec<&str> = run.split('.').collect();
            let is_version = parts.iter().all(|part| !part.is_empty())
                && (parts.len() == 3 || (prefixed && parts.len() == 2));
            if is_version {
                masked.push('\u{0}');
                count += 1;
                index = from + run.chars().count();
                continue;
            }
        }
        masked.push(chars[index]);
        index += 1;
    }
    (masked, count)
}

/// A node's content with versions masked, for matching list items across versions.
fn masked(node: &Node) -> String {
    match &node.kind {
        Kind::Scalar { value, .. } => mask_versions(value).0,
        Kind::Map { entries, .. } => entries
            .iter()
            .map(|entry| format!("{}={}", entry.key, masked(&entry.value)))
            .collect::<Vec<_>>()
            .join(";"),
        Kind::Seq { items, .. } => items.iter().map(masked).collect::<Vec<_>>().join(","),
        Kind::Alias => "*".to_string(),
    }
}

/// A value on one line as the text writes it: a scalar as written, a collection in flow style.
pub fn shown(text: &str, node: &Node) -> String {
    match &node.kind {
        Kind::Scalar { block: false, .. } | Kind::Alias => {
            text[node.span.clone()].replace('\n', " ")
        }
        Kind::Scalar { value, .. } => format!("{value:?}"),
        Kind::Map { entries, .. } => format!(
            "{{{}}}",
            entries
                .iter()
                .map(|entry| format!("{}: {}", entry.key, shown(text, &entry.value)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Kind::Seq { items, .. } => format!(
            "[{}]",
            items
                .iter()
                .map(|item| shown(text, item))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::super::tree::parse;
    use super::*;

    fn classify(current: &str, incoming: &str) -> Vec<(String, Change, bool)> {
        let current = parse(current).unwrap();
        let incoming = parse(incoming).unwrap();
        differences(current.as_ref(), incoming.as_ref())
            .into_iter()
            .map(|difference| {
                (
                    difference.path.to_string(),
                    difference.change,
                    difference.class.is_customization(),
                )
            })
            .collect()
    }

    #[test]
    fn versions_are_the_upgrades_and_other_values_the_installations() {
        let found = classify(
            "images:\n  - image: calico/3.29.2/cni:v3.29.2\nmtu: \"1400\"\ncidr: 172.30.0.0/16\nversion: \"1.0\"\n",
            "images:\n  - image: calico/3.29.4/cni:v3.29.4\nmtu: \"1440\"\ncidr: 192.168.0.0/16\nversion: \"1.1\"\nnew: true\n",
        );
        assert_eq!(
            found,
            [
                ("images[0].image".to_string(), Change::Changed, false),
                ("mtu".to_string(), Change::Changed, true),
                ("cidr".to_string(), Change::Changed, true),
                ("version".to_string(), Change::Changed, false),
                ("new".to_string(), Change::OnlyIncoming, false),
            ]
        );
    }

    #[test]
    fn additions_are_customizations_wherever_they_are() {
        let found = classify(
            "a:\n  args:\n    x: \"1\"\n    oidc: \"https://id\"\n  cmds:\n    - one\n    - two\n",
            "a:\n  args:\n    x: \"1\"\n  cmds:\n    - one\n",
        );
        assert_eq!(
            found,
            [
                ("a.args.oidc".to_string(), Change::OnlyCurrent, true),
                ("a.cmds[1]".to_string(), Change::OnlyCurrent, true),
            ]
        );
    }

    #[test]
    fn named_list_items_are_paired_by_name_wherever_they_stand() {
        let found = classify(
            "volumes:\n  - name: extra\n    hostPath: /data\n  - name: audit\n    hostPath: /var/log/mine\n",
            "volumes:\n  - name: audit\n    hostPath: /var/log\n    readOnly: true\n",
        );
        assert_eq!(
            found,
            [
                ("volumes[name=extra]".to_string(), Change::OnlyCurrent, true),
                (
                    "volumes[name=audit].hostPath".to_string(),
                    Change::Changed,
                    true
                ),
                (
                    "volumes[name=audit].readOnly".to_string(),
                    Change::OnlyIncoming,
                    false
                ),
            ]
        );
    }

    #[test]
    fn quoting_and_order_are_not_differences() {
        assert!(classify("a: '1'\nb: 2\n", "b: 2\na: \"1\"\n").is_empty());
    }

    #[test]
    fn a_path_is_under_a_key_named_by_a_suffix() {
        let path = KeyPath(vec![
            Segment::Key("env".into()),
            Segment::Key("calicoNode".into()),
            Segment::Key("CALICO_IPV4POOL_CIDR".into()),
        ]);
        assert!(path.is_under("CALICO_IPV4POOL_CIDR"));
        assert!(path.is_under("calicoNode.CALICO_IPV4POOL_CIDR"));
        assert!(path.is_under("calicoNode"));
        assert!(!path.is_under("env.CALICO_IPV4POOL_CIDR"));
        assert!(path.ends_with("calicoNode.CALICO_IPV4POOL_CIDR"));
        assert!(!path.ends_with("calicoNode"));
        assert_eq!(path.to_string(), "env.calicoNode.CALICO_IPV4POOL_CIDR");
    }

    #[test]
    fn version_masks_leave_addresses_and_plain_numbers_alone() {
        assert!(only_versions_differ(
            "registry/x:v1.32.9",
            "registry/x:v1.33.10"
        ));
        assert!(!only_versions_differ("172.30.0.0/16", "192.168.0.0/16"));
        assert!(!only_versions_differ("1400", "1440"));
        assert!(!only_versions_differ("0.5", "0.8"));
    }
}
