//! One look at the page, as the harness asks for it and the page answers (`locate.js`): the
//! elements a look hands out, what it reports of each (probe, text), and the script's arguments
//! and answer turned into [`Located`] candidates. Pure: the browser runs the script.

use std::time::Duration;

use serde_json::{json, Value};

use super::{Candidate, Group, Wanted};

/// The key of an element reference in WebDriver's JSON.
pub const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// An element the page handed out, valid until the page replaces it: its WebDriver reference.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ElementHandle {
    id: String,
}

impl ElementHandle {
    /// The element the page calls `id` (a page of the runner's unit tests hands out its own).
    pub fn new(id: impl Into<String>) -> ElementHandle {
        ElementHandle { id: id.into() }
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    /// The element as a script argument (WebDriver's element reference).
    pub fn as_argument(&self) -> Value {
        json!({ ELEMENT_KEY: self.id })
    }
}

/// What a look reports about an element (`locate/probe.js`).
#[derive(Clone, Debug, PartialEq, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Probe {
    pub visible: bool,
    pub enabled: bool,
    pub covered_by: Option<String>,
    pub selected: Option<bool>,
    pub rect: Option<[i64; 4]>,
    /// Wholly inside the viewport (a hit test for covering elements means nothing otherwise).
    #[serde(default = "yes")]
    pub in_view: bool,
    /// The same box two animation frames apart; only asked for when a click is coming.
    #[serde(default)]
    pub stable: Option<bool>,
}

fn yes() -> bool {
    true
}

/// How much a look should find out about the last level's candidates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LocateNeed {
    /// Only that they are there (and their selected state).
    Present,
    /// There, and selected (tabs, layers) where they show a selected state.
    Selected,
    /// Also visible, enabled, in view and not covered.
    Visible,
    /// Also whether they held still for two animation frames.
    Clickable,
    /// Their text (an editor's, a field's), and whether it stayed the same at the next
    /// animation frame.
    Text,
}

/// When a look with several targets has found enough to answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Satisfied {
    ByAll,
    ByAny,
}

/// What a look read of an editor or field.
#[derive(Clone, Debug, PartialEq, serde::Deserialize)]
pub struct EditorText {
    pub text: String,
    /// The same text at the next animation frame: the page is not still filling it in.
    pub settled: bool,
    /// The whole text, not only the lines a code editor widget renders: false for a widget
    /// whose API the page keeps out of reach, until the browser's copy of it read it.
    #[serde(default = "whole")]
    pub complete: bool,
}

fn whole() -> bool {
    true
}

/// A candidate of one look at the page, with its element and, at the last level, its probe.
#[derive(Clone, Debug)]
pub struct Located {
    pub element: ElementHandle,
    pub candidate: Candidate,
    pub probe: Option<Probe>,
    /// With [`LocateNeed::Text`].
    pub text: Option<EditorText>,
}

impl AsRef<Candidate> for Located {
    fn as_ref(&self) -> &Candidate {
        &self.candidate
    }
}

/// The levels a look found for one target: per level, the groups of candidates (see `locate.js`).
pub type Levels = Vec<Vec<Group<Located>>>;

/// Why the page's answer to a look could not be read.
#[derive(Debug, thiserror::Error)]
#[error("the page answered a look with something unexpected: {0}")]
pub struct UnreadableLook(String);

/// `locate.js`'s arguments for one look at several targets: each target's levels (a role and
/// the labels wanted, outermost first) and need, how long the page may look again, and whether
/// all or any of the targets must show what they need.
pub fn locate_arguments(
    targets: &[(&[(&str, &Wanted)], LocateNeed)],
    budget: Duration,
    satisfied: Satisfied,
) -> Vec<Value> {
    let targets: Vec<Value> = targets
        .iter()
        .map(|(chain, need)| {
            let chain: Vec<Value> = chain
                .iter()
                .map(|(role, wanted)| json!({ "role": role, "labels": wanted.labels() }))
                .collect();
            let need = match need {
                LocateNeed::Present => "present",
                LocateNeed::Selected => "selected",
                LocateNeed::Visible => "visible",
                LocateNeed::Clickable => "clickable",
                LocateNeed::Text => "text",
            };
            json!({ "chain": chain, "need": need })
        })
        .collect();
    let mode = match satisfied {
        Satisfied::ByAll => "all",
        Satisfied::ByAny => "any",
    };
    vec![
        json!(targets),
        json!(budget.as_millis() as u64),
        json!(mode),
    ]
}

/// `locate.js`'s answer: per target, its levels of located candidates.
pub fn looks_of(reply: Value) -> Result<Vec<Levels>, UnreadableLook> {
    #[derive(serde::Deserialize)]
    struct Look {
        levels: Vec<Vec<Group<Value>>>,
    }
    #[derive(serde::Deserialize)]
    struct Reply {
        targets: Vec<Look>,
    }
    let reply: Reply = serde_json::from_value(reply)
        .map_err(|error| UnreadableLook(format!("locate: {error}")))?;
    reply
        .targets
        .into_iter()
        .map(|look| located_levels(look.levels))
        .collect()
}

/// `candidates.js`'s arguments: every visible element of `role`, inside `scope` if given.
pub fn collect_arguments(role: &str, scope: Option<&ElementHandle>) -> Vec<Value> {
    vec![
        json!(role),
        scope.map(ElementHandle::as_argument).unwrap_or(Value::Null),
    ]
}

/// `candidates.js`'s answer: each element with what it is called.
pub fn collected_of(reply: Value) -> Result<Vec<(ElementHandle, Candidate)>, UnreadableLook> {
    let Value::Array(items) = reply else {
        return Err(UnreadableLook(format!("collect returned {reply}")));
    };
    let mut found = Vec::with_capacity(items.len());
    for item in items {
        let element = element_of(&item)?;
        let candidate: Candidate =
            serde_json::from_value(item).map_err(|error| UnreadableLook(error.to_string()))?;
        found.push((element, candidate));
    }
    Ok(found)
}

fn located_levels(levels: Vec<Vec<Group<Value>>>) -> Result<Levels, UnreadableLook> {
    let mut located = Vec::with_capacity(levels.len());
    for groups in levels {
        let mut level = Vec::with_capacity(groups.len());
        for group in groups {
            let mut candidates = Vec::with_capacity(group.candidates.len());
            for item in group.candidates {
                let element = element_of(&item)?;
                let probe = optional_field(&item, "probe")?;
                let text = optional_field(&item, "read")?;
                let candidate: Candidate = serde_json::from_value(item)
                    .map_err(|error| UnreadableLook(error.to_string()))?;
                candidates.push(Located {
                    element,
                    candidate,
                    probe,
                    text,
                });
            }
            level.push(Group {
                scope: group.scope,
                candidates,
                others: group.others,
            });
        }
        located.push(level);
    }
    Ok(located)
}

fn element_of(item: &Value) -> Result<ElementHandle, UnreadableLook> {
    item.get("element")
        .and_then(|element| element.get(ELEMENT_KEY))
        .and_then(Value::as_str)
        .map(ElementHandle::new)
        .ok_or_else(|| UnreadableLook(format!("candidate without element: {item}")))
}

/// A field of a located candidate that only some looks fill in.
fn optional_field<T: serde::de::DeserializeOwned>(
    item: &Value,
    name: &str,
) -> Result<Option<T>, UnreadableLook> {
    match item.get(name) {
        Some(Value::Null) | None => Ok(None),
        Some(value) => serde_json::from_value(value.clone())
            .map(Some)
            .map_err(|error| UnreadableLook(format!("{name}: {error}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_look_is_asked_as_locate_js_reads_it_and_its_answer_becomes_located_candidates() {
        let wanted = Wanted {
            label: Some("Profile".to_string()),
            aliases: Vec::new(),
        };
        let chain = [("tab", &wanted)];
        let arguments = locate_arguments(
            &[(&chain[..], LocateNeed::Clickable)],
            Duration::from_millis(50),
            Satisfied::ByAny,
        );
        assert_eq!(
            Value::Array(arguments),
            json!([[{"chain": [{"role": "tab", "labels": ["Profile"]}], "need": "clickable"}], 50, "any"])
        );
        let reply = json!({"targets": [{"levels": [[{
            "scope": -1,
            "candidates": [{
                "element": {ELEMENT_KEY: "e-17"},
                "names": ["Profile"], "description": "tab", "parent": -1,
                "probe": {"visible": true, "enabled": true, "coveredBy": null, "selected": false, "rect": [1, 2, 3, 4], "stable": true},
                "read": null
            }],
            "others": [{"names": ["Nodes"], "description": "tab", "parent": -1}]
        }]]}]});
        let looks = looks_of(reply).expect("a readable answer");
        let group = &looks[0][0][0];
        let located = &group.candidates[0];
        assert_eq!(located.element, ElementHandle::new("e-17"));
        assert_eq!(located.candidate.names, ["Profile"]);
        let probe = located.probe.as_ref().expect("a probe");
        assert_eq!(
            (probe.rect, probe.in_view, probe.stable),
            (Some([1, 2, 3, 4]), true, Some(true))
        );
        assert!(located.text.is_none());
        assert_eq!(group.others[0].names, ["Nodes"]);
        let unreadable = looks_of(
            json!({"targets": [{"levels": [[{"scope": -1, "candidates": [{"names": []}]}]]}]}),
        );
        assert!(unreadable.is_err());
    }
}
