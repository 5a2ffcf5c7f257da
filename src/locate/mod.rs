//! How a label a person reads becomes one element on the page.
//!
//! Two halves: `candidates.js` runs in the page and lists the visible elements of a role with
//! every name a person could read for them: the names the markup gives (text, `<label>`,
//! aria-label(ledby), placeholder, title, a heading) and, where the markup says nothing, the
//! titles a person reads (the larger or bolder line at the top of a dialog or pane, the text
//! beside or above a field, an icon button's tooltip). `locate.js` looks for one target in one
//! round trip: the candidates that could match at every level of the target, probed and checked
//! for stability across two animation frames. [`choose`] and [`resolve`] (pure, here) pick the
//! one the label means. The rules, in order:
//! 1. elements that have the role, by the names their markup gives; then the same elements by the
//!    titles a person reads; then elements that only look like the role;
//! 2. within each, an exact label beats a case-insensitive one, which beats whole words inside a
//!    longer name, which beats a plain substring;
//! 3. among nested matches (a list item and the button inside it) the innermost wins;
//! 4. more than one match at the best tier is an error that lists them;
//! 5. no match is an error that quotes the names a person reads on the elements of that role
//!    ("a dialog is open, titled ..."), or else the closest names the page does show.
//!
//! This module knows nothing about any particular console: no ids, classes or DOM shapes.

//! It does know the common code editor widgets (Monaco, CodeMirror, Ace; `code_editor.js`), as a
//! person knows an editor when they see one: scripts that find, read or outline elements start
//! with it.

pub mod look;
pub mod query;

/// Every visible element of a role (`arguments[0]`), inside `arguments[1]` if given.
pub const COLLECT_SCRIPT: &str = concat!(
    include_str!("code_editor.js"),
    "\n",
    include_str!("accname.js"),
    "\n",
    include_str!("candidates.js"),
    "\nreturn withParents(candidatesOf(arguments[0], arguments[1]));"
);
/// One look for one target (see `locate.js`); run with execute-async.
pub const LOCATE_SCRIPT: &str = concat!(
    include_str!("code_editor.js"),
    "\n",
    include_str!("accname.js"),
    "\n",
    include_str!("candidates.js"),
    "\n",
    include_str!("probe.js"),
    "\n",
    include_str!("editor_text.js"),
    "\n",
    include_str!("locate.js")
);

/// What a candidate without any name is called in messages.
const NO_NAME: &str = "(no name)";

/// One element the page offers for a role, as `collect.js` reports it.
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct Candidate {
    /// The element's accessible name, as the browser computes it (`accname.js`); empty where
    /// the markup names nothing.
    #[serde(default)]
    pub name: String,
    /// Where that name came from: `aria-labelledby`, `aria-label`, `label`, `contents`, …
    #[serde(default, rename = "nameSource")]
    pub name_source: Option<String>,
    /// The names the markup gives the element.
    pub names: Vec<String>,
    /// The titles a person reads for it where the markup is silent (a dialog's plain-text title,
    /// the text above a field, a tooltip): the second tier, after `names`.
    #[serde(default)]
    pub titles: Vec<String>,
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
    /// Where each name and title came from ("aria-label", "text", "caption row", "tooltip", …).
    #[serde(default)]
    pub origins: std::collections::BTreeMap<String, String>,
    /// Its box in the viewport when the page was looked at: left, top, width, height (CSS px).
    #[serde(default)]
    pub rect: Option<[i64; 4]>,
}

impl Candidate {
    /// The name to show a person: the shortest non-empty name the markup gives, else the
    /// first title a person reads.
    pub fn display_name(&self) -> &str {
        self.names
            .iter()
            .filter(|name| !name.is_empty())
            .min_by_key(|name| name.len())
            .or_else(|| self.titles.iter().find(|title| !title.is_empty()))
            .map(String::as_str)
            .unwrap_or(NO_NAME)
    }

    fn all_names(&self) -> impl Iterator<Item = &String> {
        self.names.iter().chain(self.titles.iter())
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
    contains_without_cutting_a_word(&name, &label_lower).then_some(MatchTier::Substring)
}

/// Whether `name` holds `label_lower` (case aside) somewhere that does not cut a word: the
/// match neither continues into a lowercase letter ("Update" in "Updates" is another word) nor
/// starts inside one, except where camel case begins a new word ("CSI" in "vSphereCSI").
fn contains_without_cutting_a_word(name: &str, label_lower: &str) -> bool {
    let name: Vec<char> = name.chars().collect();
    let lower: Vec<char> = name
        .iter()
        .map(|character| character.to_lowercase().next().unwrap_or(*character))
        .collect();
    let label: Vec<char> = label_lower.chars().collect();
    if label.is_empty() || label.len() > name.len() {
        return false;
    }
    (0..=name.len() - label.len()).any(|start| {
        let end = start + label.len();
        if lower[start..end] != label[..] {
            return false;
        }
        let continues = name
            .get(end)
            .is_some_and(|next| next.is_lowercase() && name[end - 1].is_alphabetic());
        let starts_inside = start > 0
            && name[start - 1].is_alphabetic()
            && name[start].is_alphabetic()
            && !(name[start - 1].is_lowercase() && name[start].is_uppercase());
        !continues && !starts_inside
    })
}

fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A name a person reads on an element, and where the harness read it (markup such as
/// `aria-label` or `contents`, or a visible title: `caption row`, `text above`, `tooltip`, …).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadName {
    pub name: String,
    pub origin: Option<String>,
    /// The element's box in the viewport (left, top, width, height), where the page gave it:
    /// the failure trace draws it on the screenshot.
    pub rect: Option<[i64; 4]>,
}

/// How many elements of the role a miss lists, most similar first.
const CONSIDERED_AT_MOST: usize = 5;

/// Why no single element could be chosen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NoSingleMatch {
    /// Nothing matched. `of_role`: the names a person reads on the elements that do have the
    /// role, most similar first; `closest`: the closest names anywhere, best first.
    NotFound {
        closest: Vec<String>,
        of_role: Vec<ReadName>,
    },
    /// Several elements matched equally well.
    Ambiguous { matches: Vec<String> },
}

impl NoSingleMatch {
    /// A sentence for the failure report; `what` is the target (`dialog "Palette version
    /// update"`), `role` its role in words (`dialog`).
    pub fn explain(&self, what: &str, role: &str) -> String {
        let quoted = |names: &[String]| {
            names
                .iter()
                .map(|name| format!("\"{name}\""))
                .collect::<Vec<_>>()
                .join(", ")
        };
        // Each name with where it was read, so a user knows what to write instead.
        let with_origins = |names: &[ReadName]| {
            names
                .iter()
                .map(|read| match &read.origin {
                    Some(origin) => format!("\"{}\" ({origin})", read.name),
                    None => format!("\"{}\"", read.name),
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        match self {
            NoSingleMatch::NotFound { of_role, .. } if !of_role.is_empty() => {
                let names = with_origins(of_role);
                let shown = match (role, of_role.len()) {
                    ("dialog", 1) => format!("a dialog is open, titled {names}"),
                    ("dialog", _) => format!("dialogs are open, titled {names}"),
                    (role, 1) => {
                        let article = if role.starts_with(['a', 'e', 'i', 'o', 'u']) {
                            "an"
                        } else {
                            "a"
                        };
                        format!("the page shows {article} {role} that reads {names}")
                    }
                    (role, _) => format!("the page shows {role}s that read {names}"),
                };
                format!("no {what} is visible; {shown}")
            }
            NoSingleMatch::NotFound { closest, .. } if closest.is_empty() => {
                format!("no {what} is visible; the page shows none of that kind")
            }
            NoSingleMatch::NotFound { closest, .. } => format!(
                "no {what} is visible; closest on the page: {}",
                quoted(closest)
            ),
            NoSingleMatch::Ambiguous { matches } => format!(
                "{what} is ambiguous: {} elements match equally well: {}",
                matches.len(),
                matches.join("; ")
            ),
        }
    }
}

/// Which of a candidate's names a tier of the ranking reads.
#[derive(Clone, Copy, PartialEq, Eq)]
enum NameSource {
    Markup,
    Titles,
    Both,
}

/// Picks the candidate `label` means: elements that have the role by the names their markup
/// gives, then by the titles a person reads, then elements that only look like the role.
/// Without a label, the only candidate is chosen. `others`: candidates that cannot match (the
/// page listed them for messages only).
pub fn choose(
    label: Option<&str>,
    candidates: &[Candidate],
    others: &[Candidate],
) -> Result<usize, NoSingleMatch> {
    let tier = |fallback: bool| -> Vec<usize> {
        (0..candidates.len())
            .filter(|index| candidates[*index].fallback == fallback)
            .collect()
    };
    let tiers = [
        (tier(false), NameSource::Markup),
        (tier(false), NameSource::Titles),
        (tier(true), NameSource::Both),
    ];
    for (among, source) in &tiers {
        // Without a label, titles add nothing: the real elements are the only tier that counts
        // before the look-alikes.
        if label.is_none() && *source == NameSource::Titles {
            continue;
        }
        match choose_among(label, candidates, among, *source) {
            Err(NoSingleMatch::NotFound { .. }) => continue,
            other => return other,
        }
    }
    Err(match label {
        None => NoSingleMatch::NotFound {
            closest: Vec::new(),
            of_role: Vec::new(),
        },
        Some(label) => {
            let everything: Vec<&Candidate> = candidates.iter().chain(others).collect();
            NoSingleMatch::NotFound {
                closest: closest_names(label, everything.iter().copied()),
                of_role: considered(label, &everything),
            }
        }
    })
}

/// The elements of the role a person would look at instead of the one the label names (those
/// the page listed: inside the scope, and inside an open modal while one is open), most similar
/// name first: each with the name a person reads, where the harness read it, and its box.
fn considered(label: &str, everything: &[&Candidate]) -> Vec<ReadName> {
    let clipped =
        |candidate: &Candidate| -> String { candidate.display_name().chars().take(80).collect() };
    let mut named: Vec<(&Candidate, String)> = everything
        .iter()
        .copied()
        .filter(|candidate| !candidate.fallback && candidate.display_name() != NO_NAME)
        .map(|candidate| (candidate, clipped(candidate)))
        .collect();
    named.sort_by_cached_key(|(_, name)| similarity(label, name));
    named
        .into_iter()
        .take(CONSIDERED_AT_MOST)
        .map(|(candidate, name)| ReadName {
            origin: candidate
                .origins
                .get(candidate.display_name())
                .map(|origin| describe_origin(origin)),
            rect: candidate.rect,
            name,
        })
        .collect()
}

/// Where a name was read, in a person's words.
fn describe_origin(origin: &str) -> String {
    match origin {
        "contents" | "text" => "its text".to_string(),
        "aria-label" | "aria-labelledby" | "label" | "alt" | "legend" | "caption"
        | "placeholder" | "value" | "title" => format!("its {origin}"),
        other => format!("from the {other}"),
    }
}

/// What a scenario asks for at one level of a target (`layer "CNI"` in `dialog "…"`).
#[derive(Clone, Debug)]
pub struct Wanted {
    pub label: Option<String>,
    /// Other names it goes by, tried in order when the label matches nothing (layer packs).
    pub aliases: Vec<String>,
}

impl Wanted {
    /// Every label the page should look for: the label, then its aliases.
    pub fn labels(&self) -> Vec<String> {
        self.label
            .iter()
            .chain(self.aliases.iter())
            .cloned()
            .collect()
    }
}

/// [`choose`] with the label, then with each alias while nothing matches.
pub fn choose_wanted(
    wanted: &Wanted,
    candidates: &[Candidate],
    others: &[Candidate],
) -> Result<usize, NoSingleMatch> {
    let first = choose(wanted.label.as_deref(), candidates, others);
    if !matches!(first, Err(NoSingleMatch::NotFound { .. })) {
        return first;
    }
    for alias in &wanted.aliases {
        if let Ok(index) = choose(Some(alias), candidates, others) {
            return Ok(index);
        }
    }
    first
}

/// The candidates one scope offered at one level, as `locate.js` reports them.
#[derive(Clone, Debug, serde::Deserialize)]
pub struct Group<C> {
    /// Index, among all candidates of the level above, of the scope they were found in; -1 at
    /// the outermost level.
    pub scope: i64,
    /// The candidates that could match, in page order.
    pub candidates: Vec<C>,
    /// The rest, for messages.
    #[serde(default)]
    pub others: Vec<Candidate>,
}

/// Follows a target from its outermost scope in: at each level, the one candidate its label
/// means inside the scope chosen above. `Ok` is the index among all candidates of the last
/// level; `Err` names the level (0 = outermost) that had no single match.
pub fn resolve<C: AsRef<Candidate>>(
    wanted: &[Wanted],
    levels: &[Vec<Group<C>>],
) -> Result<usize, (usize, NoSingleMatch)> {
    let mut chosen_scope: i64 = -1;
    let mut chosen = 0;
    for (depth, wanted) in wanted.iter().enumerate() {
        let groups = levels.get(depth).map(Vec::as_slice).unwrap_or_default();
        let mut offset = 0;
        let mut group = None;
        for candidate_group in groups {
            if candidate_group.scope == chosen_scope {
                group = Some(candidate_group);
                break;
            }
            offset += candidate_group.candidates.len();
        }
        let (candidates, others): (Vec<Candidate>, &[Candidate]) = match group {
            Some(group) => (
                group
                    .candidates
                    .iter()
                    .map(|candidate| candidate.as_ref().clone())
                    .collect(),
                &group.others,
            ),
            None => (Vec::new(), &[]),
        };
        let index = choose_wanted(wanted, &candidates, others).map_err(|miss| (depth, miss))?;
        chosen = offset + index;
        chosen_scope = chosen as i64;
    }
    Ok(chosen)
}

impl AsRef<Candidate> for Candidate {
    fn as_ref(&self) -> &Candidate {
        self
    }
}

fn choose_among(
    label: Option<&str>,
    candidates: &[Candidate],
    among: &[usize],
    source: NameSource,
) -> Result<usize, NoSingleMatch> {
    let not_found = || NoSingleMatch::NotFound {
        closest: Vec::new(),
        of_role: Vec::new(),
    };
    let Some(label) = label else {
        return match among {
            [only] => Ok(*only),
            [] => Err(not_found()),
            several => Err(NoSingleMatch::Ambiguous {
                matches: several
                    .iter()
                    .map(|index| describe(&candidates[*index]))
                    .collect(),
            }),
        };
    };
    let tier_of = |index: usize| {
        let candidate = &candidates[index];
        let names: Box<dyn Iterator<Item = &String>> = match source {
            NameSource::Markup => Box::new(candidate.names.iter()),
            NameSource::Titles => Box::new(candidate.titles.iter()),
            NameSource::Both => Box::new(candidate.all_names()),
        };
        names.filter_map(|name| match_tier(label, name)).min()
    };
    let Some(best) = among.iter().filter_map(|index| tier_of(*index)).min() else {
        return Err(not_found());
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
pub fn closest_names<'a>(
    label: &str,
    candidates: impl IntoIterator<Item = &'a Candidate>,
) -> Vec<String> {
    let names = candidates
        .into_iter()
        .flat_map(|candidate| candidate.all_names())
        .map(|name| name.chars().take(80).collect::<String>());
    most_similar(label, names, 5)
}

/// The `limit` texts most like `wanted`: most words in common first, then the fewest edits.
pub fn most_similar(
    wanted: &str,
    texts: impl IntoIterator<Item = String>,
    limit: usize,
) -> Vec<String> {
    let mut scored: Vec<((std::cmp::Reverse<usize>, usize), String)> = texts
        .into_iter()
        .filter(|text| !text.trim().is_empty())
        .map(|text| (similarity(wanted, &text), text))
        .collect();
    scored.sort();
    let mut seen = std::collections::HashSet::new();
    scored
        .into_iter()
        .filter(|(_, text)| seen.insert(text.clone()))
        .take(limit)
        .map(|(_, text)| text)
        .collect()
}

/// How like `wanted` a text is, for sorting (smaller is more alike): most words in common
/// first, then the fewest edits.
fn similarity(wanted: &str, text: &str) -> (std::cmp::Reverse<usize>, usize) {
    let words = |text: &str| -> Vec<String> {
        text.to_lowercase()
            .split(|character: char| !character.is_alphanumeric())
            .filter(|word| !word.is_empty())
            .map(str::to_string)
            .collect()
    };
    // A word shared as it is or as its stem: "Tenants" shares "tenant" with "Tenant Management".
    let same_word = |one: &str, other: &str| {
        let (shorter, longer) = if one.len() <= other.len() {
            (one, other)
        } else {
            (other, one)
        };
        shorter == longer || (shorter.chars().count() >= 4 && longer.starts_with(shorter))
    };
    let wanted_words = words(wanted);
    let shared = words(text)
        .iter()
        .filter(|word| wanted_words.iter().any(|wanted| same_word(wanted, word)))
        .count();
    let distance = strsim::levenshtein(&wanted.to_lowercase(), &text.to_lowercase());
    (std::cmp::Reverse(shared), distance)
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

#[cfg(test)]
mod tests;
