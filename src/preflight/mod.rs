//! Upgrade-path preflight: whether the docs support upgrading from the installed Palette version
//! to the offered one, decided from `upgrade_paths.toml` (the docs' table and rules, kept as data
//! with their source) before anything is changed. Pure.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::OnceLock;

const DATA: &str = include_str!("upgrade_paths.toml");

#[derive(serde::Deserialize)]
struct Data {
    source: String,
    path: Vec<PathRow>,
    kubernetes: BTreeMap<String, String>,
    known: Vec<String>,
}

#[derive(serde::Deserialize)]
struct PathRow {
    from: String,
    to: Vec<String>,
    #[serde(default = "supported_by_default")]
    supported: bool,
}

fn supported_by_default() -> bool {
    true
}

fn data() -> &'static Data {
    static DATA_PARSED: OnceLock<Data> = OnceLock::new();
    DATA_PARSED.get_or_init(|| {
        toml::from_str(DATA).expect("src/preflight/upgrade_paths.toml is checked by a unit test")
    })
}

/// A `major.minor.patch` version.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Version(pub u32, pub u32, pub u32);

impl Version {
    pub fn parse(text: &str) -> Option<Version> {
        let mut parts = text.trim().trim_start_matches('v').split('.');
        let version = Version(
            parts.next()?.parse().ok()?,
            parts.next()?.parse().ok()?,
            parts.next()?.parse().ok()?,
        );
        parts.next().is_none().then_some(version)
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.0, self.1, self.2)
    }
}

/// `4.8.16`, `4.6.6..4.6.41` or `4.6.x`.
fn matches(pattern: &str, version: Version) -> bool {
    if let Some(line) = pattern.strip_suffix(".x") {
        let mut parts = line.split('.');
        let major = parts.next().and_then(|part| part.parse::<u32>().ok());
        let minor = parts.next().and_then(|part| part.parse::<u32>().ok());
        return major == Some(version.0) && minor == Some(version.1);
    }
    if let Some((low, high)) = pattern.split_once("..") {
        return match (Version::parse(low), Version::parse(high)) {
            (Some(low), Some(high)) => low <= version && version <= high,
            _ => false,
        };
    }
    Version::parse(pattern) == Some(version)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Support {
    Supported,
    Unsupported,
    /// The docs say nothing of this path.
    Unknown,
}

impl Support {
    pub fn word(self) -> &'static str {
        match self {
            Support::Supported => "supported",
            Support::Unsupported => "unsupported",
            Support::Unknown => "unknown",
        }
    }
}

/// The preflight's answer: whether, and the rule or table row that decided, with its source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PathVerdict {
    pub support: Support,
    pub rule: String,
    pub installed_kubernetes: Option<String>,
    pub target_kubernetes: Option<String>,
}

/// The Kubernetes version a Palette release runs on VMware, per the docs' table.
pub fn kubernetes_for(version: Version) -> Option<&'static str> {
    data()
        .kubernetes
        .iter()
        .find(|(pattern, _)| matches(pattern, version))
        .map(|(_, kubernetes)| kubernetes.as_str())
}

/// Whether the docs support upgrading `installed` to `target` on VMware.
pub fn check_path(installed: Version, target: Version) -> PathVerdict {
    let installed_kubernetes = kubernetes_for(installed).map(str::to_string);
    let target_kubernetes = kubernetes_for(target).map(str::to_string);
    let verdict = |support, rule: String| PathVerdict {
        support,
        rule,
        installed_kubernetes: installed_kubernetes.clone(),
        target_kubernetes: target_kubernetes.clone(),
    };
    let source = &data().source;
    if target <= installed {
        return verdict(
            Support::Unsupported,
            format!("{target} is not newer than the installed {installed}"),
        );
    }
    if let (Some(from), Some(to)) = (
        installed_kubernetes.as_deref().and_then(kubernetes_minor),
        target_kubernetes.as_deref().and_then(kubernetes_minor),
    ) {
        if to.saturating_sub(from) > 1 {
            return verdict(
                Support::Unsupported,
                format!(
                    "a VMware upgrade cannot cross more than one Kubernetes minor version, and \
                     this one goes from Kubernetes {} to {} (source: {source}, Kubernetes Version Constraint)",
                    installed_kubernetes.as_deref().unwrap_or_default(),
                    target_kubernetes.as_deref().unwrap_or_default()
                ),
            );
        }
    }
    if let Some(row) = data()
        .path
        .iter()
        .find(|row| matches(&row.from, installed) && row.to.iter().any(|to| matches(to, target)))
    {
        let listed = format!("the docs' table lists {} → {}", row.from, row.to.join(", "));
        return if row.supported {
            verdict(Support::Supported, format!("{listed} (source: {source})"))
        } else {
            verdict(
                Support::Unsupported,
                format!("{listed} as not supported (source: {source})"),
            )
        };
    }
    if target.0 != installed.0 {
        let latest_of_major = data()
            .known
            .iter()
            .filter_map(|known| Version::parse(known))
            .filter(|known| known.0 == installed.0)
            .max();
        if latest_of_major != Some(installed) {
            return verdict(
                Support::Unsupported,
                format!(
                    "before upgrading Palette to a new major version, update it to the latest \
                     patch of the latest minor version ({}) first (source: {source})",
                    latest_of_major
                        .map(|latest| latest.to_string())
                        .unwrap_or_default()
                ),
            );
        }
    }
    if (target.0, target.1) == (installed.0, installed.1) {
        return verdict(
            Support::Supported,
            format!(
                "a later patch of the same minor line {}.{}, as every minor line's table lists \
                 its patches (source: {source})",
                installed.0, installed.1
            ),
        );
    }
    verdict(
        Support::Unknown,
        format!("the docs' table does not list {installed} → {target} (source: {source})"),
    )
}

fn kubernetes_minor(version: &str) -> Option<u32> {
    Version::parse(version).map(|version| version.1)
}

/// The Palette versions a text names, in order of appearance, each once: three-part versions of
/// a minor line the docs know (so `1.32.9`, Kubernetes, and `3.29.2`, a pack, are not taken).
pub fn palette_versions_in(text: &str) -> Vec<Version> {
    let lines: Vec<(u32, u32)> = data()
        .known
        .iter()
        .filter_map(|known| Version::parse(known))
        .map(|version| (version.0, version.1))
        .collect();
    let mut found: Vec<Version> = Vec::new();
    let bytes = text.as_bytes();
    let mut index = 0;
    while index < bytes.len() {
        let starts = bytes[index].is_ascii_digit()
            && (index == 0
                || !(bytes[index - 1].is_ascii_alphanumeric() || bytes[index - 1] == b'.'));
        if !starts {
            index += 1;
            continue;
        }
        let mut end = index;
        while end < bytes.len() && (bytes[end].is_ascii_digit() || bytes[end] == b'.') {
            end += 1;
        }
        let run = text[index..end].trim_end_matches('.');
        if let Some(version) = Version::parse(run) {
            if lines.contains(&(version.0, version.1)) && !found.contains(&version) {
                found.push(version);
            }
        }
        index = end;
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(text: &str) -> Version {
        Version::parse(text).unwrap()
    }

    #[test]
    fn the_data_file_parses_and_every_pattern_is_well_formed() {
        let data = data();
        assert!(data.path.len() > 20);
        for row in &data.path {
            for pattern in std::iter::once(&row.from).chain(&row.to) {
                let ok = pattern.ends_with(".x")
                    || pattern.split("..").all(|end| Version::parse(end).is_some());
                assert!(ok, "bad pattern {pattern}");
            }
        }
        for known in &data.known {
            assert!(Version::parse(known).is_some(), "{known}");
        }
    }

    #[test]
    fn documented_paths_are_supported_and_the_documented_refusal_is_refused() {
        assert_eq!(
            check_path(v("4.2.13"), v("4.3.6")).support,
            Support::Supported
        );
        assert_eq!(
            check_path(v("4.7.20"), v("4.7.27")).support,
            Support::Supported
        );
        let refused = check_path(v("4.1.12"), v("4.3.6"));
        assert_eq!(refused.support, Support::Unsupported);
        assert!(
            refused.rule.contains("4.1.x → 4.3.6 as not supported"),
            "{}",
            refused.rule
        );
    }

    #[test]
    fn patches_of_a_minor_line_are_supported_and_unlisted_minor_jumps_are_unknown() {
        let patch = check_path(v("4.8.21"), v("4.8.33"));
        assert_eq!(patch.support, Support::Supported, "{}", patch.rule);
        assert_eq!(patch.installed_kubernetes.as_deref(), Some("1.32.9"));
        assert_eq!(
            check_path(v("4.6.6"), v("4.7.20")).support,
            Support::Unknown
        );
        assert_eq!(
            check_path(v("4.6.6"), v("4.7.27")).support,
            Support::Unsupported,
            "1.30 to 1.32"
        );
        assert_eq!(
            check_path(v("4.8.33"), v("4.8.21")).support,
            Support::Unsupported
        );
    }

    #[test]
    fn more_than_one_kubernetes_minor_is_refused_and_a_major_needs_the_latest_patch() {
        let skip = check_path(v("4.8.21"), v("4.9.22"));
        assert_eq!(skip.support, Support::Unsupported);
        assert!(skip.rule.contains("1.32.9 to 1.34.6"), "{}", skip.rule);
        let major = check_path(v("4.8.21"), v("5.0.0"));
        assert_eq!(major.support, Support::Unsupported);
        assert!(major.rule.contains("latest patch"), "{}", major.rule);
    }

    #[test]
    fn palette_versions_are_picked_out_of_page_text() {
        let found = palette_versions_in(
            "Palette 4.8.33 is available. You are running 4.8.21. Kubernetes 1.32.9, Calico 3.29.2, 10.0.0.1, v4.8.21.",
        );
        assert_eq!(found, [v("4.8.33"), v("4.8.21")]);
    }
}
