//! How a label a person reads becomes one element on the page.
//!
//! Two halves: `collect.js` runs in the page and lists the visible elements of a role with every
//! name a person could read for them (text, `<label>`, aria-label(ledby), placeholder, the title
//! of the pane or card that holds them); [`choose`] (pure, here) picks the one the label means.
//! The rules, in order:
//! 1. an exact label beats a case-insensitive one, which beats whole words inside a longer name,
//!    which beats a plain substring;
//! 2. among nested matches (a list item and the button inside it) the innermost wins;
//! 3. more than one match at the best tier is an error that lists them;
//! 4. no match is an error that lists the closest names the page does show.
//!
//! This module knows nothing about any particular console: no ids, classes or DOM shapes.

//! It does know the common code editor widgets (Monaco, CodeMirror, Ace; `code_editor.js`), as a
//! person knows an editor when they see one: scripts that find, read or outline elements start
//! with it.

pub const COLLECT_SCRIPT: &str = concat!(
    include_str!("code_editor.js"),
    "\n",
    include_str!("collect.js")
);
pub const PROBE_SCRIPT: &str = include_str!("probe.js");

/// One element the page offers for a role, as `collect.js` reports it.
#[derive(Clone, Debug, serde::Deserialize)]
pub struct Candidate {
    pub names: Vec<String>,
    /// What kind of element it is (`button`, `a in navigation`), for error messages.
    pub description: String,
    /// Index of the nearest candidate containing this one, or -1.
    pub parent: i64,
    /// Selected / current / pressed, where the element says.
    pub selected: Option<bool>,
    /// Only looks like the role (a clickable div in the left menu, a monospace block): chosen
    /// only when no element that really has the role matches.
    #[serde(default)]
    pub fallback: bool,
}

impl Candidate {
    /// The name to show a person: the shortest non-empty one.
    pub fn display_name(&self) -> &str {
        self.names
            .iter()
            .filter(|name| !name.is_empty())
            .min_by_key(|name| name.len())
            .map(String::as_str)
            .unwrap_or("(no name)")
    }
}

/// How well a name matches a label; lower is better.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum MatchTier {
    Exact,
    ExactIgnoringCase,
    WholeWords,
    Substring,
}

pub fn match_tier(label: &str, name: &str) -> Option<MatchTier> {
    let label = collapse_whitespace(label);
    let name = collapse_whitespace(name);
    if label.is_empty() {
        return None;
    }
    if name == label {
        return Some(MatchTier::Exact);
    }
    let (label_lower, name_lower) = (label.to_lowercase(), name.to_lowercase());
    if name_lower == label_lower {
        return Some(MatchTier::ExactIgnoringCase);
    }
    let words = |text: &str| -> Vec<String> {
        text.split(|character: char| !character.is_alphanumeric())
            .filter(|word| !word.is_empty())
            .map(str::to_string)
            .collect()
    };
    let (label_words, name_words) = (words(&label_lower), words(&name_lower));
    if !label_words.is_empty()
        && name_words
            .windows(label_words.len())
            .any(|window| window == label_words.as_slice())
    {
        return Some(MatchTier::WholeWords);
    }
    name_lower
        .contains(&label_lower)
        .then_some(MatchTier::Substring)
}

fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Why no single element could be chosen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NoSingleMatch {
    /// Nothing matched; the closest names on the page, best first.
    NotFound { closest: Vec<String> },
    /// Several elements matched equally well.
    Ambiguous { matches: Vec<String> },
}

impl NoSingleMatch {
    /// A sentence for the failure report.
    pub fn explain(&self, what: &str) -> String {
        match self {
            NoSingleMatch::NotFound { closest } if closest.is_empty() => {
                format!("no {what} is visible; the page shows none of that kind")
            }
            NoSingleMatch::NotFound { closest } => format!(
                "no {what} is visible; closest on the page: {}",
                closest
                    .iter()
                    .map(|name| format!("\"{name}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            NoSingleMatch::Ambiguous { matches } => format!(
                "{what} is ambiguous: {} elements match equally well: {}",
                matches.len(),
                matches.join("; ")
            ),
        }
    }
}

/// Picks the candidate `label` means: among elements that have the role first, then among those
/// that only look like it. Without a label, the only candidate is chosen.
pub fn choose(label: Option<&str>, candidates: &[Candidate]) -> Result<usize, NoSingleMatch> {
    let tier = |fallback: bool| -> Vec<usize> {
        (0..candidates.len())
            .filter(|index| candidates[*index].fallback == fallback)
            .collect()
    };
    match choose_among(label, candidates, &tier(false)) {
        Err(NoSingleMatch::NotFound { .. }) => match choose_among(label, candidates, &tier(true)) {
            Err(NoSingleMatch::NotFound { .. }) => Err(NoSingleMatch::NotFound {
                closest: label
                    .map(|label| closest_names(label, candidates))
                    .unwrap_or_default(),
            }),
            other => other,
        },
        other => other,
    }
}

fn choose_among(
    label: Option<&str>,
    candidates: &[Candidate],
    among: &[usize],
) -> Result<usize, NoSingleMatch> {
    let Some(label) = label else {
        return match among {
            [only] => Ok(*only),
            [] => Err(NoSingleMatch::NotFound {
                closest: Vec::new(),
            }),
            several => Err(NoSingleMatch::Ambiguous {
                matches: several
                    .iter()
                    .map(|index| describe(&candidates[*index]))
                    .collect(),
            }),
        };
    };
    let tier_of = |index: usize| {
        candidates[index]
            .names
            .iter()
            .filter_map(|name| match_tier(label, name))
            .min()
    };
    let Some(best) = among.iter().filter_map(|index| tier_of(*index)).min() else {
        return Err(NoSingleMatch::NotFound {
            closest: Vec::new(),
        });
    };
    let at_best: Vec<usize> = among
        .iter()
        .copied()
        .filter(|index| tier_of(*index) == Some(best))
        .collect();
    // The innermost of nested matches: drop any match that contains another match.
    let innermost: Vec<usize> = at_best
        .iter()
        .copied()
        .filter(|index| {
            !at_best
                .iter()
                .any(|other| other != index && is_ancestor(*index, *other, candidates))
        })
        .collect();
    match innermost.as_slice() {
        [only] => Ok(*only),
        several => Err(NoSingleMatch::Ambiguous {
            matches: several
                .iter()
                .map(|index| describe(&candidates[*index]))
                .collect(),
        }),
    }
}

fn is_ancestor(ancestor: usize, mut descendant: usize, candidates: &[Candidate]) -> bool {
    // Parent links come from the page; the step bound guards against a malformed cycle.
    for _ in 0..candidates.len() {
        let parent = candidates[descendant].parent;
        if parent < 0 {
            return false;
        }
        descendant = parent as usize;
        if descendant == ancestor {
            return true;
        }
    }
    false
}

fn describe(candidate: &Candidate) -> String {
    format!("{} \"{}\"", candidate.description, candidate.display_name())
}

/// Up to five names from the page, most similar to `label` first.
pub fn closest_names(label: &str, candidates: &[Candidate]) -> Vec<String> {
    let names = candidates
        .iter()
        .flat_map(|candidate| candidate.names.iter())
        .map(|name| name.chars().take(80).collect::<String>());
    most_similar(label, names, 5)
}

/// The `limit` texts most like `wanted`: most words in common first, then the fewest edits.
pub fn most_similar(
    wanted: &str,
    texts: impl IntoIterator<Item = String>,
    limit: usize,
) -> Vec<String> {
    let words = |text: &str| -> Vec<String> {
        text.to_lowercase()
            .split(|character: char| !character.is_alphanumeric())
            .filter(|word| !word.is_empty())
            .map(str::to_string)
            .collect()
    };
    let wanted_words = words(wanted);
    let wanted_lower = wanted.to_lowercase();
    let mut scored: Vec<(std::cmp::Reverse<usize>, usize, String)> = texts
        .into_iter()
        .filter(|text| !text.trim().is_empty())
        .map(|text| {
            let shared = words(&text)
                .iter()
                .filter(|word| wanted_words.contains(word))
                .count();
            let distance = edit_distance(&wanted_lower, &text.to_lowercase());
            (std::cmp::Reverse(shared), distance, text)
        })
        .collect();
    scored.sort();
    let mut seen = std::collections::HashSet::new();
    scored
        .into_iter()
        .filter(|(_, _, text)| seen.insert(text.clone()))
        .take(limit)
        .map(|(_, _, text)| text)
        .collect()
}

/// Other names a person knows a profile layer by: the packs that usually fill it. Tried only
/// when the layer's own name matches nothing, so a console that shows only pack names works.
pub fn layer_aliases(layer: &str) -> &'static [&'static str] {
    match layer.to_lowercase().as_str() {
        "cni" => &["Calico", "Cilium", "Flannel", "Antrea"],
        "csi" => &["vSphere CSI", "Portworx", "Longhorn", "storage"],
        "kubernetes" => &[
            "Palette eXtended Kubernetes",
            "PXK",
            "K8s",
            "RKE2",
            "kubernetes",
        ],
        "os" => &["Ubuntu", "operating system", "RHEL"],
        _ => &[],
    }
}

/// Levenshtein distance over characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b_characters: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b_characters.len()).collect();
    for (i, a_character) in a.chars().enumerate() {
        let mut current = vec![i + 1; b_characters.len() + 1];
        for (j, b_character) in b_characters.iter().enumerate() {
            let substitution = previous[j] + usize::from(a_character != *b_character);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        previous = current;
    }
    previous[b_characters.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candidate(name: &str, parent: i64) -> Candidate {
        Candidate {
            names: vec![name.to_string()],
            description: "button".to_string(),
            parent,
            selected: None,
            fallback: false,
        }
    }

    fn look_alike(name: &str) -> Candidate {
        Candidate {
            fallback: true,
            ..candidate(name, -1)
        }
    }

    #[test]
    fn an_exact_label_beats_a_substring() {
        let candidates = [candidate("Update Management", -1), candidate("Update", -1)];
        assert_eq!(choose(Some("Update"), &candidates), Ok(1));
    }

    #[test]
    fn case_insensitive_beats_whole_words_which_beat_substrings() {
        assert_eq!(
            match_tier("Profile", "PROFILE"),
            Some(MatchTier::ExactIgnoringCase)
        );
        assert_eq!(
            match_tier("CNI", "CNI Calico 3.29.2"),
            Some(MatchTier::WholeWords)
        );
        assert_eq!(
            match_tier("Cali", "CNI Calico 3.29.2"),
            Some(MatchTier::Substring)
        );
        assert_eq!(match_tier("Nodes", "Profile"), None);
        let candidates = [candidate("Calico CNI settings", -1), candidate("cni", -1)];
        assert_eq!(choose(Some("CNI"), &candidates), Ok(1));
    }

    #[test]
    fn any_of_a_candidates_names_can_match() {
        let field = Candidate {
            names: vec!["login-username".to_string(), "Username".to_string()],
            description: "input".to_string(),
            parent: -1,
            selected: None,
            fallback: false,
        };
        assert_eq!(
            choose(Some("Username"), &[candidate("Password", -1), field]),
            Ok(1)
        );
    }

    #[test]
    fn the_innermost_of_nested_matches_wins() {
        let candidates = [
            candidate("Kubernetes 1.32.9", -1),
            candidate("Kubernetes", 0),
        ];
        assert_eq!(choose(Some("Kubernetes"), &candidates), Ok(1));
        let same_tier = [
            candidate("CSI vSphere CSI", -1),
            candidate("CSI vSphere", 0),
        ];
        assert_eq!(choose(Some("CSI"), &same_tier), Ok(1));
    }

    #[test]
    fn look_alikes_are_chosen_only_when_no_real_element_matches() {
        let candidates = [
            look_alike("Update"),
            candidate("Update Management", -1),
            candidate("Cancel", -1),
        ];
        assert_eq!(
            choose(Some("Update"), &candidates),
            Ok(1),
            "a real button's whole words beat a look-alike's exact name"
        );
        assert_eq!(
            choose(
                Some("Summary"),
                &[candidate("Cancel", -1), look_alike("Summary")]
            ),
            Ok(1)
        );
        let Err(NoSingleMatch::NotFound { closest }) = choose(
            Some("Profle"),
            &[candidate("Cancel", -1), look_alike("Profile")],
        ) else {
            panic!("expected not found")
        };
        assert_eq!(closest[0], "Profile", "closest names come from both tiers");
    }

    #[test]
    fn an_ambiguous_label_lists_every_candidate() {
        let candidates = [candidate("Save", -1), candidate("Save", -1)];
        let Err(NoSingleMatch::Ambiguous { matches }) = choose(Some("Save"), &candidates) else {
            panic!("expected ambiguity")
        };
        assert_eq!(matches, ["button \"Save\"", "button \"Save\""]);
    }

    #[test]
    fn a_missing_label_lists_the_closest_names() {
        let candidates = [
            candidate("Summary", -1),
            candidate("Enterprise Cluster", -1),
            candidate("Update Management", -1),
        ];
        let Err(NoSingleMatch::NotFound { closest }) =
            choose(Some("Enterprise Clusters"), &candidates)
        else {
            panic!("expected not found")
        };
        assert_eq!(closest[0], "Enterprise Cluster");
        let message =
            NoSingleMatch::NotFound { closest }.explain("menu item \"Enterprise Clusters\"");
        assert!(message.starts_with("no menu item \"Enterprise Clusters\" is visible; closest on the page: \"Enterprise Cluster\""));
    }

    #[test]
    fn similarity_prefers_shared_words_over_short_edits() {
        let lines = [
            "Activate Palette",
            "A new version of Palette is available: 4.8.33",
            "Palette version",
        ]
        .map(String::from);
        let ranked = most_similar("You are using the latest version of Palette", lines, 2);
        assert_eq!(ranked[0], "A new version of Palette is available: 4.8.33");
    }

    #[test]
    fn cni_and_csi_layers_are_also_known_by_their_packs() {
        assert!(layer_aliases("CNI").contains(&"Calico"));
        assert!(layer_aliases("csi").contains(&"vSphere CSI"));
        assert!(layer_aliases("GPU").is_empty());
    }

    #[test]
    fn without_a_label_only_a_single_candidate_is_chosen() {
        assert_eq!(choose(None, &[candidate("x", -1)]), Ok(0));
        assert!(matches!(
            choose(None, &[candidate("x", -1), candidate("y", -1)]),
            Err(NoSingleMatch::Ambiguous { .. })
        ));
    }
}
