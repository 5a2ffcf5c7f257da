//! How a target in a scenario becomes one element on the page, without waiting: scope by scope,
//! through the in-page collector and `locate`'s ranking, with layer aliases, and which editor
//! shows a layer.

use crate::browser::{Browser, BrowserError, LocateNeed, Located};
use crate::locate::{self, Candidate, NoSingleMatch, Wanted};
use crate::scenario::{Role, Target};

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
        browser: &Browser,
        need: LocateNeed,
    ) -> Result<(Found, usize), BrowserError> {
        let layer = match self {
            EditorQuery::Target(target) => return Ok((find(browser, target, need).await?, 0)),
            EditorQuery::OfLayer(layer) => layer,
        };
        let every_editor = Wanted {
            label: None,
            aliases: Vec::new(),
        };
        let levels = browser
            .locate(&[(Role::Editor.script_name(), &every_editor)], need)
            .await?;
        let mut editors: Vec<Located> = levels
            .into_iter()
            .flatten()
            .flat_map(|group| group.candidates)
            .collect();
        let count = editors.len();
        if count == 1 {
            return Ok((Found::One(Box::new(editors.remove(0))), count));
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
        Ok((found, count))
    }
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

/// Resolves a target, scope by scope, in one look at the page, without waiting; the element
/// comes with its probe unless `need` is `Present`.
pub(super) async fn find(
    browser: &Browser,
    target: &Target,
    need: LocateNeed,
) -> Result<Found, BrowserError> {
    let mut chain = vec![target];
    while let Some(within) = chain.last().and_then(|target| target.within.as_deref()) {
        chain.push(within);
    }
    chain.reverse();
    let wanted: Vec<Wanted> = chain
        .iter()
        .map(|level| wanted(level.role, level.label.as_deref()))
        .collect();
    let request: Vec<(&str, &Wanted)> = chain
        .iter()
        .zip(&wanted)
        .map(|(level, wanted)| (level.role.script_name(), wanted))
        .collect();
    let levels = browser.locate(&request, need).await?;
    match locate::resolve(&wanted, &levels) {
        Ok(index) => {
            let located = levels
                .into_iter()
                .last()
                .into_iter()
                .flatten()
                .flat_map(|group| group.candidates)
                .nth(index);
            Ok(match located {
                Some(located) => Found::One(Box::new(located)),
                None => Found::Missing(format!("no {target}")),
            })
        }
        Err((depth, miss)) => {
            let level = chain[depth];
            let described = describe_without_scope(level);
            Ok(match miss {
                NoSingleMatch::Ambiguous { .. } => {
                    Found::Ambiguous(miss.explain(&described, level.role.words()))
                }
                NoSingleMatch::NotFound { .. } => {
                    Found::Missing(miss.explain(&described, level.role.words()))
                }
            })
        }
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
