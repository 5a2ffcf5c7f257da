//! How a target in a scenario becomes one element on the page, without waiting: scope by scope,
//! through the in-page collector and `locate`'s ranking, with layer aliases, and which editor
//! shows a layer.

use crate::browser::{Browser, BrowserError, ElementHandle};
use crate::locate::{self, Candidate, NoSingleMatch};
use crate::scenario::{Role, Target};

/// What an action needs of its target before it acts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Need {
    Visible,
    Clickable,
}

/// What one look at the page found for a target.
pub(super) enum Found {
    One(ElementHandle, Candidate),
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
    pub(super) async fn find(&self, browser: &Browser) -> Result<Found, BrowserError> {
        let layer = match self {
            EditorQuery::Target(target) => return find(browser, target).await,
            EditorQuery::OfLayer(layer) => layer,
        };
        let mut editors = browser.collect(Role::Editor.script_name(), None).await?;
        if editors.len() == 1 {
            let (element, candidate) = editors.remove(0);
            return Ok(Found::One(element, candidate));
        }
        let names: Vec<Candidate> = editors
            .iter()
            .map(|(_, candidate)| candidate.clone())
            .collect();
        let described = format!("editor \"{layer}\"");
        Ok(
            match choose_with_aliases(Role::Layer, Some(layer), &names) {
                Ok(index) => {
                    let (element, candidate) = editors.swap_remove(index);
                    Found::One(element, candidate)
                }
                Err(miss @ NoSingleMatch::Ambiguous { .. }) => {
                    Found::Ambiguous(miss.explain(&described))
                }
                Err(miss) => Found::Missing(miss.explain(&described)),
            },
        )
    }
}

/// [`locate::choose`], trying a layer's other names (Calico for CNI, ...) when its own matches nothing.
fn choose_with_aliases(
    role: Role,
    label: Option<&str>,
    names: &[Candidate],
) -> Result<usize, NoSingleMatch> {
    let first = locate::choose(label, names);
    let (Err(NoSingleMatch::NotFound { .. }), Role::Layer, Some(label)) = (&first, role, label)
    else {
        return first;
    };
    for alias in locate::layer_aliases(label) {
        if let Ok(index) = locate::choose(Some(alias), names) {
            return Ok(index);
        }
    }
    first
}

/// Resolves a target, scope by scope, without waiting.
pub(super) async fn find(browser: &Browser, target: &Target) -> Result<Found, BrowserError> {
    let mut chain = vec![target];
    while let Some(within) = chain.last().and_then(|target| target.within.as_deref()) {
        chain.push(within);
    }
    let mut scope: Option<ElementHandle> = None;
    let mut found = None;
    for current in chain.into_iter().rev() {
        let candidates = browser
            .collect(current.role.script_name(), scope.as_ref())
            .await?;
        let names: Vec<Candidate> = candidates
            .iter()
            .map(|(_, candidate)| candidate.clone())
            .collect();
        let described = describe_without_scope(current);
        match choose_with_aliases(current.role, current.label.as_deref(), &names) {
            Ok(index) => {
                let (element, candidate) = candidates
                    .into_iter()
                    .nth(index)
                    .expect("index from choose");
                scope = Some(element.clone());
                found = Some((element, candidate));
            }
            Err(miss @ NoSingleMatch::Ambiguous { .. }) => {
                return Ok(Found::Ambiguous(miss.explain(&described)))
            }
            Err(miss) => return Ok(Found::Missing(miss.explain(&described))),
        }
    }
    Ok(match found {
        Some((element, candidate)) => Found::One(element, candidate),
        None => Found::Missing(format!("no {target}")),
    })
}

fn describe_without_scope(target: &Target) -> String {
    Target {
        role: target.role,
        label: target.label.clone(),
        within: None,
    }
    .to_string()
}
