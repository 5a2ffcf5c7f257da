//! Carrying customizations from a layer's current configuration into the incoming one: what the
//! guide asks an operator to do with an external diff tool, done on the text.
//!
//! Pure and line-based: it understands YAML block mappings by indentation (the shape of every
//! Palette pack's values), keeps comments and formatting, and changes only the lines of the keys
//! it is asked to keep. It does not understand flow mappings (`{a: 1}`), multi-line scalars or
//! anchors; a key inside a list item is matched by key name only.

/// One `key: value` line of a YAML document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The keys from the document's root down to this one.
    pub path: Vec<String>,
    /// 0-based line index.
    pub line: usize,
    pub indent: usize,
    /// The scalar value as written (quotes kept), empty for a mapping's parent key.
    pub value: String,
}

impl Entry {
    pub fn dotted_path(&self) -> String {
        self.path.join(".")
    }

    fn ends_with(&self, key: &str) -> bool {
        let wanted: Vec<&str> = key.split('.').collect();
        wanted.len() <= self.path.len()
            && self.path[self.path.len() - wanted.len()..]
                .iter()
                .zip(&wanted)
                .all(|(have, want)| have == want)
    }
}

/// Reads every `key: value` line with its path.
pub fn entries(text: &str) -> Vec<Entry> {
    let mut found = Vec::new();
    let mut stack: Vec<(usize, String)> = Vec::new();
    for (line_index, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let mut indent = line.len() - trimmed.len();
        let mut content = trimmed;
        // A list item's keys sit two columns deeper than its dash.
        while let Some(rest) = content.strip_prefix("- ") {
            indent += 2;
            content = rest.trim_start();
        }
        let Some((key, value)) = split_key(content) else {
            continue;
        };
        while stack
            .last()
            .is_some_and(|(parent_indent, _)| *parent_indent >= indent)
        {
            stack.pop();
        }
        let mut path: Vec<String> = stack.iter().map(|(_, key)| key.clone()).collect();
        path.push(key.to_string());
        found.push(Entry {
            path,
            line: line_index,
            indent,
            value: value.to_string(),
        });
        stack.push((indent, key.to_string()));
    }
    found
}

fn split_key(content: &str) -> Option<(&str, &str)> {
    let (key, value) = if let Some(index) = content.find(": ") {
        (&content[..index], content[index + 2..].trim())
    } else if let Some(key) = content.strip_suffix(':') {
        (key, "")
    } else {
        return None;
    };
    let key = key.trim().trim_matches('"').trim_matches('\'');
    (!key.is_empty() && !key.contains(' ')).then_some((key, value))
}

/// One value carried from the current configuration into the merged one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Carried {
    pub path: String,
    pub incoming_value: Option<String>,
    pub kept_value: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Merge {
    pub text: String,
    pub carried: Vec<Carried>,
    /// Keys asked for that the current configuration does not set.
    pub absent: Vec<String>,
}

/// The incoming text with each `keeping` key set to its value in `current`. A key is a name
/// (`podCIDR`) or a dotted path suffix (`calicoNode.CALICO_IPV4POOL_CIDR`). A kept key the
/// incoming text lacks is added under its deepest existing parent.
pub fn merge(incoming: &str, current: &str, keeping: &[String]) -> Merge {
    let mut lines: Vec<String> = incoming.lines().map(str::to_string).collect();
    let mut carried = Vec::new();
    let mut absent = Vec::new();
    for key in keeping {
        let kept: Vec<Entry> = entries(current)
            .into_iter()
            .filter(|entry| entry.ends_with(key) && !entry.value.is_empty())
            .collect();
        if kept.is_empty() {
            absent.push(key.clone());
            continue;
        }
        for kept_entry in kept {
            let now = entries(&lines.join("\n"));
            match now.iter().find(|entry| entry.path == kept_entry.path) {
                Some(target) if target.value == kept_entry.value => {}
                Some(target) => {
                    let line = &lines[target.line];
                    let value_start = line.find(':').map(|index| index + 1).unwrap_or(line.len());
                    lines[target.line] = format!("{} {}", &line[..value_start], kept_entry.value);
                    carried.push(Carried {
                        path: kept_entry.dotted_path(),
                        incoming_value: Some(target.value.clone()),
                        kept_value: kept_entry.value.clone(),
                    });
                }
                None => {
                    insert_missing(&mut lines, &now, &kept_entry);
                    carried.push(Carried {
                        path: kept_entry.dotted_path(),
                        incoming_value: None,
                        kept_value: kept_entry.value.clone(),
                    });
                }
            }
        }
    }
    let mut text = lines.join("\n");
    if incoming.ends_with('\n') {
        text.push('\n');
    }
    Merge {
        text,
        carried,
        absent,
    }
}

fn insert_missing(lines: &mut Vec<String>, now: &[Entry], kept: &Entry) {
    // The deepest ancestor of the kept key that the incoming text already has.
    let mut depth = kept.path.len() - 1;
    let parent = loop {
        if depth == 0 {
            break None;
        }
        if let Some(parent) = now.iter().find(|entry| entry.path == kept.path[..depth]) {
            break Some(parent);
        }
        depth -= 1;
    };
    let (insert_at, mut indent) = match parent {
        Some(parent) => {
            // After the parent's last descendant line.
            let last = now
                .iter()
                .filter(|entry| {
                    entry.path.len() > parent.path.len() && entry.path.starts_with(&parent.path)
                })
                .map(|entry| entry.line)
                .max()
                .unwrap_or(parent.line);
            (last + 1, parent.indent + 2)
        }
        None => (lines.len(), 0),
    };
    let mut new_lines = Vec::new();
    for (index, key) in kept.path.iter().enumerate().skip(depth) {
        if index + 1 == kept.path.len() {
            new_lines.push(format!("{}{}: {}", " ".repeat(indent), key, kept.value));
        } else {
            new_lines.push(format!("{}{}:", " ".repeat(indent), key));
        }
        indent += 2;
    }
    let insert_at = insert_at.min(lines.len());
    lines.splice(insert_at..insert_at, new_lines);
}

/// The value of each key (name or dotted path suffix) in `text`, `None` when it is not set.
pub fn values_of<'a>(text: &str, keys: &'a [String]) -> Vec<(&'a str, Option<String>)> {
    let all = entries(text);
    keys.iter()
        .map(|key| {
            let value = all
                .iter()
                .find(|entry| entry.ends_with(key) && !entry.value.is_empty())
                .map(|entry| entry.value.clone());
            (key.as_str(), value)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const INCOMING: &str = "pack:\n  k8sHardening: True\n  podCIDR: \"192.168.0.0/16\"\n  serviceClusterIpRange: \"10.96.0.0/12\"\nkubeadmconfig:\n  apiServer:\n    extraArgs:\n      secure-port: \"6443\"\n      request-timeout: \"300s\"\n";
    const CURRENT: &str = "pack:\n  k8sHardening: True\n  podCIDR: \"172.30.0.0/16\"\n  serviceClusterIpRange: \"10.150.0.0/16\"\nkubeadmconfig:\n  apiServer:\n    extraArgs:\n      secure-port: \"6443\"\n      oidc-issuer-url: \"https://login.example.com\"\n";

    fn keys(names: &[&str]) -> Vec<String> {
        names.iter().map(|name| name.to_string()).collect()
    }

    #[test]
    fn entries_know_their_paths_through_nesting_and_lists() {
        let found = entries("a:\n  b: 1\n  c:\n    - name: x\n      d: 2\ne: 3\n");
        let paths: Vec<String> = found.iter().map(Entry::dotted_path).collect();
        assert_eq!(paths, ["a", "a.b", "a.c", "a.c.name", "a.c.d", "e"]);
    }

    #[test]
    fn kept_keys_take_the_current_values_and_everything_else_stays_incoming() {
        let merged = merge(
            INCOMING,
            CURRENT,
            &keys(&["podCIDR", "serviceClusterIpRange"]),
        );
        assert!(merged.text.contains("  podCIDR: \"172.30.0.0/16\"\n"));
        assert!(merged
            .text
            .contains("  serviceClusterIpRange: \"10.150.0.0/16\"\n"));
        assert!(
            merged.text.contains("request-timeout: \"300s\""),
            "incoming additions survive"
        );
        assert!(
            !merged.text.contains("oidc-issuer-url"),
            "keys not asked for are not carried"
        );
        assert_eq!(merged.carried.len(), 2);
        assert_eq!(
            merged.carried[0].incoming_value.as_deref(),
            Some("\"192.168.0.0/16\"")
        );
    }

    #[test]
    fn a_kept_addition_is_inserted_under_its_parent() {
        let merged = merge(INCOMING, CURRENT, &keys(&["extraArgs.oidc-issuer-url"]));
        let lines: Vec<&str> = merged.text.lines().collect();
        let position = lines
            .iter()
            .position(|line| line.contains("oidc-issuer-url"))
            .expect("inserted");
        assert_eq!(
            lines[position],
            "      oidc-issuer-url: \"https://login.example.com\""
        );
        assert!(lines[position - 1].contains("request-timeout"));
        assert_eq!(merged.carried[0].incoming_value, None);
    }

    #[test]
    fn a_key_the_current_configuration_lacks_is_reported_absent() {
        let merged = merge(INCOMING, CURRENT, &keys(&["CALICO_IPV4POOL_CIDR"]));
        assert_eq!(merged.text, INCOMING);
        assert_eq!(merged.absent, ["CALICO_IPV4POOL_CIDR"]);
    }

    #[test]
    fn values_of_reads_keys_by_name_or_path_suffix() {
        let wanted = keys(&["podCIDR", "apiServer.extraArgs.secure-port", "missing"]);
        let found = values_of(CURRENT, &wanted);
        assert_eq!(found[0].1.as_deref(), Some("\"172.30.0.0/16\""));
        assert_eq!(found[1].1.as_deref(), Some("\"6443\""));
        assert_eq!(found[2].1, None);
    }
}
