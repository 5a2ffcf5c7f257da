//! How a target in a scenario becomes one element on the page, without waiting: scope by scope,
//! through the in-page collector and `locate`'s ranking, with layer aliases, and which editor
//! shows a layer.

use super::page::Page;
use std::time::Duration;

use crate::browser::{BrowserError, LocateNeed, Located, Satisfied};
use crate::locate::{self, Candidate, Group, NoSingleMatch, Wanted};
use crate::scenario::{Role, Target};
use crate::trace::Considered;

/// What an action needs of its target before it acts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Need {
    Visible,
    Clickable,
}

/// What one look at the page found for a target.
pub(super) enum Found {
    One(Box<Located>),
    Missing(String),
    Ambiguous(String),
}

/// Which editor to read.
pub(super) enum EditorQuery {
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
    /// The editor, read as `need` says, and how many editors the page shows (counted for a
    /// layer's editor only).
    pub(super) async fn find(
        &self,
        browser: &impl Page,
        need: LocateNeed,
        budget: Duration,
    ) -> Result<(Found, usize), BrowserError> {
        let query = self.query();
        let levels = browser.locate(&query.request(), need, budget).await?;
        Ok(self.resolve(&query, levels))
    }

    /// What the page is asked for: the target, or every editor for a layer's.
    pub(super) fn query(&self) -> Query<'_> {
        match self {
            EditorQuery::Target(target) => Query::new(target),
            EditorQuery::OfLayer(_) => Query::every(Role::Editor),
        }
    }

    /// The editor among what a look at [`EditorQuery::query`] found, and how many editors it saw.
    pub(super) fn resolve(&self, query: &Query<'_>, levels: Levels) -> (Found, usize) {
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
        let found = match locate::choose_wanted(&wanted(Role::Layer, Some(layer)), &names, &[]) {
            Ok(index) => Found::One(Box::new(editors.swap_remove(index))),
            Err(miss @ NoSingleMatch::Ambiguous { .. }) => {
                Found::Ambiguous(miss.explain(&described, "editor"))
            }
            Err(miss) => Found::Missing(miss.explain(&described, "editor")),
        };
        (found, count)
    }
}

/// What one look found for one target: per level, the groups of candidates (see `locate.js`).
pub(super) type Levels = Vec<Vec<Group<Located>>>;

/// Every candidate a look found at the last level of its target, in page order.
pub(super) fn last_level(levels: Levels) -> Vec<Located> {
    levels
        .into_iter()
        .last()
        .into_iter()
        .flatten()
        .flat_map(|group| group.candidates)
        .collect()
}

/// One look at the page for two targets, seen at the same moment (see [`Browser::locate_all`]).
pub(super) async fn look_at_both(
    browser: &impl Page,
    (first, first_need): (&Query<'_>, LocateNeed),
    (second, second_need): (&Query<'_>, LocateNeed),
    budget: Duration,
    satisfied: Satisfied,
) -> Result<(Levels, Levels), BrowserError> {
    let (first, second) = (first.request(), second.request());
    let mut looks = browser
        .locate_all(
            &[(&first, first_need), (&second, second_need)],
            budget,
            satisfied,
        )
        .await?
        .into_iter();
    Ok((
        looks.next().unwrap_or_default(),
        looks.next().unwrap_or_default(),
    ))
}

/// What the page should look for at one level: the label, and for a layer the packs that
/// usually fill it (Calico for CNI, ...), tried when the label matches nothing.
fn wanted(role: Role, label: Option<&str>) -> Wanted {
    let aliases = match (role, label) {
        (Role::Layer, Some(label)) => locate::layer_aliases(label)
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
pub(super) struct Query<'a> {
    levels: Vec<(Role, Option<&'a Target>, Wanted)>,
}

impl<'a> Query<'a> {
    pub(super) fn new(target: &'a Target) -> Query<'a> {
        let mut chain = vec![target];
        while let Some(within) = chain.last().and_then(|target| target.within.as_deref()) {
            chain.push(within);
        }
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
    pub(super) fn every(role: Role) -> Query<'static> {
        Query {
            levels: vec![(role, None, wanted(role, None))],
        }
    }

    pub(super) fn request(&self) -> Vec<(&'static str, &Wanted)> {
        self.levels
            .iter()
            .map(|(role, _, wanted)| (role.script_name(), wanted))
            .collect()
    }

    fn wanted(&self) -> Vec<Wanted> {
        self.levels
            .iter()
            .map(|(_, _, wanted)| wanted.clone())
            .collect()
    }

    /// The one element a look's levels hold for this target, or why there is none.
    pub(super) fn resolve(&self, levels: Levels) -> Found {
        match locate::resolve(&self.wanted(), &levels) {
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

/// Resolves a target, scope by scope, in one look at the page (which may wait in the page for up
/// to `budget` for what `need` asks); the element comes with its probe where `need` asks for one.
pub(super) async fn find(
    browser: &impl Page,
    target: &Target,
    need: LocateNeed,
    budget: Duration,
) -> Result<Found, BrowserError> {
    let query = Query::new(target);
    let levels = browser.locate(&query.request(), need, budget).await?;
    Ok(query.resolve(levels))
}

/// For each target the page does not show, the elements of the level that missed a person
/// would consider instead (same role, same scope, inside an open modal while one is open; see
/// `locate::choose`), with the names read and their boxes: one look, now, for the failure trace.
pub(super) async fn considered_instead(browser: &impl Page, targets: &[Target]) -> Vec<Considered> {
    let mut considered = Vec::new();
    // Every text of the page is no list a person would look through.
    for target in targets.iter().filter(|target| target.role != Role::Text) {
        let query = Query::new(target);
        let Ok(levels) = browser
            .locate(&query.request(), LocateNeed::Present, Duration::ZERO)
            .await
        else {
            continue;
        };
        let Err((depth, NoSingleMatch::NotFound { of_role, .. })) =
            locate::resolve(&query.wanted(), &levels)
        else {
            continue;
        };
        let (role, missed, _) = &query.levels[depth];
        let missed = missed.map_or_else(|| role.words().to_string(), describe_without_scope);
        considered.extend(of_role.into_iter().map(|read| Considered {
            instead_of: missed.clone(),
            role: role.words().to_string(),
            name: read.name,
            origin: read.origin,
            rect: read.rect,
        }));
    }
    considered
}

fn describe_without_scope(target: &Target) -> String {
    Target {
        role: target.role,
        label: target.label.clone(),
        within: None,
    }
    .to_string()
}
