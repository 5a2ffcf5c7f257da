//! Asking the page for a target, without waiting: one look (`Page::locate`), resolved by
//! `locate::query` to one element or why there is none.

use super::page::Page;
use std::time::Duration;

use crate::browser::{BrowserError, LocateNeed, Satisfied};
use crate::locate::look::Levels;
pub(super) use crate::locate::query::{last_level, EditorQuery, Found, Query};
use crate::scenario::{Role, Target};
use crate::trace::Considered;

/// What an action needs of its target before it acts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Need {
    Visible,
    Clickable,
}

/// The editor, read as `need` says, and how many editors the page shows (counted for a
/// layer's editor only).
pub(super) async fn find_editor(
    browser: &impl Page,
    editor: &EditorQuery,
    need: LocateNeed,
    budget: Duration,
) -> Result<(Found, usize), BrowserError> {
    let query = editor.query();
    let levels = browser.locate(&query.request(), need, budget).await?;
    Ok(editor.resolve(&query, levels))
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

/// For each target the page does not show, what a person would consider instead
/// (`locate::query::considered_instead`): one look, now, for the failure trace.
pub(super) async fn considered_instead(
    browser: &impl Page,
    targets: &[Target],
    action_text: &str,
) -> Vec<Considered> {
    let mut considered = Vec::new();
    // Every text of the page is no list a person would look through.
    for target in targets.iter().filter(|target| target.role != Role::Text) {
        let query = Query::new(target);
        if let Ok(levels) = browser
            .locate(&query.request(), LocateNeed::Present, Duration::ZERO)
            .await
        {
            considered.extend(crate::locate::query::considered_instead(
                &query,
                &levels,
                action_text,
            ));
        }
    }
    considered
}
