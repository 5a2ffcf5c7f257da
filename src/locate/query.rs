//! A target as the page is asked for it and the one element a look's answer holds for it, or
//! why there is none, in a person's words: scope by scope through `locate`'s ranking, with
//! layer aliases, and which editor shows a layer. Pure: the runner asks the page to look.

use super::look::{Levels, Located};
use super::{choose_wanted, layer_aliases, resolve, Candidate, NoSingleMatch, Wanted};
use crate::scenario::{Role, Target};
use crate::trace::Considered;

/// What one look at the page found for a target.
pub enum Found {
    One(Box<Located>),
    Missing(String),
    Ambiguous(String),
}

/// Which editor to read.
pub enum EditorQuery {
    Target(Target),
    /// The editor showing a profile layer: the only visible editor, or, when several are
    /// visible, the one titled with the layer's name.
    OfLayer(String),
}

impl std::fmt::Display for EditorQuery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EditorQuery::Target(target) => write!(f, "{target}"),
            EditorQuery::OfLayer(layer) => write!(f, "the editor of layer \"{layer}\""),
        }
    }
}

impl EditorQuery {
    /// What the page is asked for: the target, or every editor for a layer's.
    pub fn query(&self) -> Query<'_> {
        match self {
            EditorQuery::Target(target) => Query::new(target),
            EditorQuery::OfLayer(_) => Query::every(Role::Editor),
        }
    }

    /// The editor among what a look at [`EditorQuery::query`] found, and how many editors it saw.
    pub fn resolve(&self, query: &Query<'_>, levels: Levels) -> (Found, usize) {
        let layer = match self {
            EditorQuery::Target(_) => return (query.resolve(levels), 0),
            EditorQuery::OfLayer(layer) => layer,
        };
        let mut editors = last_level(levels);
        let count = editors.len();
        if count == 1 {
            return (Found::One(Box::new(editors.remove(0))), count);
        }
        let names: Vec<Candidate> = editors
            .iter()
            .map(|editor| editor.candidate.clone())
            .collect();
        let described = format!("editor \"{layer}\"");
        let found = match choose_wanted(&wanted(Role::Layer, Some(layer)), &names, &[]) {
            Ok(index) => Found::One(Box::new(editors.swap_remove(index))),
            Err(miss @ NoSingleMatch::Ambiguous { .. }) => {
                Found::Ambiguous(miss.explain(&described, "editor"))
            }
            Err(miss) => Found::Missing(miss.explain(&described, "editor")),
        };
        (found, count)
    }
}

/// Every candidate a look found at the last level of its target, in page order.
pub fn last_level(levels: Levels) -> Vec<Located> {
    levels
        .into_iter()
        .last()
        .into_iter()
        .flatten()
        .flat_map(|group| group.candidates)
        .collect()
}

/// What the page should look for at one level: the label, and for a layer the packs that
/// usually fill it (Calico for CNI, ...), tried when the label matches nothing.
fn wanted(role: Role, label: Option<&str>) -> Wanted {
    let aliases = match (role, label) {
        (Role::Layer, Some(label)) => layer_aliases(label)
            .iter()
            .map(|alias| alias.to_string())
            .collect(),
        _ => Vec::new(),
    };
    Wanted {
        label: label.map(str::to_string),
        aliases,
    }
}

/// A target as the page is asked for it: its levels, outermost first, each with its role and
/// what is wanted of it.
pub struct Query<'a> {
    levels: Vec<(Role, Option<&'a Target>, Wanted)>,
}

impl<'a> Query<'a> {
    pub fn new(target: &'a Target) -> Query<'a> {
        let mut chain: Vec<&Target> = target.levels().collect();
        chain.reverse();
        Query {
            levels: chain
                .into_iter()
                .map(|level| {
                    (
                        level.role,
                        Some(level),
                        wanted(level.role, level.label.as_deref()),
                    )
                })
                .collect(),
        }
    }

    /// Every element of a role, whatever its name.
    pub fn every(role: Role) -> Query<'static> {
        Query {
            levels: vec![(role, None, wanted(role, None))],
        }
    }

    pub fn request(&self) -> Vec<(&'static str, &Wanted)> {
        self.levels
            .iter()
            .map(|(role, _, wanted)| (role.script_name(), wanted))
            .collect()
    }

    /// What is wanted at each level, outermost first.
    pub fn wanted(&self) -> Vec<Wanted> {
        self.levels
            .iter()
            .map(|(_, _, wanted)| wanted.clone())
            .collect()
    }

    /// The one element a look's levels hold for this target, or why there is none.
    pub fn resolve(&self, levels: Levels) -> Found {
        match resolve(&self.wanted(), &levels) {
            Ok(index) => match last_level(levels).into_iter().nth(index) {
                Some(located) => Found::One(Box::new(located)),
                None => Found::Missing("the page changed while it was read".to_string()),
            },
            Err((depth, miss)) => {
                let (role, target, _) = &self.levels[depth];
                let described = match target {
                    Some(target) => describe_without_scope(target),
                    None => role.words().to_string(),
                };
                match miss {
                    NoSingleMatch::Ambiguous { .. } => {
                        Found::Ambiguous(miss.explain(&described, role.words()))
                    }
                    NoSingleMatch::NotFound { .. } => {
                        Found::Missing(miss.explain(&described, role.words()))
                    }
                }
            }
        }
    }
}

/// The elements of the level that missed a person would consider instead (same role, same
/// scope, inside an open modal while one is open; see `locate::choose`), with the names read
/// and their boxes; none when the look found the target.
/// `action_text` is the failed action's line; each element comes with that line rewritten to
/// find it.
pub fn considered_instead(
    query: &Query<'_>,
    levels: &Levels,
    action_text: &str,
) -> Vec<Considered> {
    let Err((depth, NoSingleMatch::NotFound { of_role, .. })) = resolve(&query.wanted(), levels)
    else {
        return Vec::new();
    };
    let (role, missed, _) = &query.levels[depth];
    let missed = missed.map_or_else(|| role.words().to_string(), describe_without_scope);
    of_role
        .into_iter()
        .map(|read| Considered {
            action_line: action_line_finding(action_text, &missed, *role, &read.name),
            instead_of: missed.clone(),
            role: role.words().to_string(),
            name: read.name,
            origin: read.origin,
            rect: read.rect,
        })
        .collect()
}

/// The action's line with the target it missed (`menu item "Tenants"`, as written) named as the
/// element a person would pick instead (`menu item "Tenant Management"`); its scope and the rest
/// of the line stay as they were.
pub fn action_line_finding(action_text: &str, missed: &str, role: Role, name: &str) -> String {
    let instead = Target {
        role,
        label: Some(name.to_string()),
        within: None,
    }
    .to_string();
    match action_text.find(missed) {
        Some(at) => format!(
            "{}{instead}{}",
            &action_text[..at],
            &action_text[at + missed.len()..]
        ),
        // A bare `editor` or a line spaced otherwise: the target alone.
        None => instead,
    }
}

fn describe_without_scope(target: &Target) -> String {
    Target {
        role: target.role,
        label: target.label.clone(),
        within: None,
    }
    .to_string()
}
