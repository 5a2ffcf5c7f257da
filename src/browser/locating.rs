//! Looking for elements: every element of a role (`locate/candidates.js`), or one look for
//! targets in one round trip (`locate/locate.js`), and the page's answer turned into
//! [`Located`] candidates with their elements, probes and texts.

use std::time::Duration;

use serde_json::{json, Value};

use crate::locate::{Candidate, Group, Wanted, COLLECT_SCRIPT, LOCATE_SCRIPT};

use super::{Browser, BrowserError, ElementHandle, LocateNeed, Located, Satisfied, ELEMENT_KEY};

impl Browser {
    /// Every visible element of `role` (a `collect.js` role name), inside `scope` if given.
    pub async fn collect(
        &self,
        role: &str,
        scope: Option<&ElementHandle>,
    ) -> Result<Vec<(ElementHandle, Candidate)>, BrowserError> {
        let scope = scope.map(ElementHandle::as_argument).unwrap_or(Value::Null);
        let reply = self
            .script(COLLECT_SCRIPT, vec![json!(role), scope])
            .await?;
        let Value::Array(items) = reply else {
            return Err(BrowserError::UnexpectedReply(format!(
                "collect returned {reply}"
            )));
        };
        let mut found = Vec::with_capacity(items.len());
        for item in items {
            let element = self.element_of(&item)?;
            let candidate: Candidate = serde_json::from_value(item)
                .map_err(|error| BrowserError::UnexpectedReply(error.to_string()))?;
            found.push((element, candidate));
        }
        Ok(found)
    }

    /// One look for a target (`locate.js`): per level (outermost first, each a role and what
    /// is wanted of it), the candidates that could match inside each possible scope, probed at
    /// the last level as `need` says. One round trip; while the page does not show what `need`
    /// asks for, the page looks again at each animation frame, for up to `budget`.
    pub async fn locate(
        &self,
        chain: &[(&str, &Wanted)],
        need: LocateNeed,
        budget: Duration,
    ) -> Result<Vec<Vec<Group<Located>>>, BrowserError> {
        let mut looks = self
            .locate_all(&[(chain, need)], budget, Satisfied::ByAll)
            .await?;
        Ok(looks.pop().unwrap_or_default())
    }

    /// [`Browser::locate`] for several targets, seen at the same moment, in one round trip; the
    /// page looks again until all of them (or any, as `satisfied` says) show what is needed.
    pub async fn locate_all(
        &self,
        targets: &[(&[(&str, &Wanted)], LocateNeed)],
        budget: Duration,
        satisfied: Satisfied,
    ) -> Result<Vec<Vec<Vec<Group<Located>>>>, BrowserError> {
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
        let reply = self
            .script_async(
                LOCATE_SCRIPT,
                vec![
                    json!(targets),
                    json!(budget.as_millis() as u64),
                    json!(mode),
                ],
            )
            .await?;
        #[derive(serde::Deserialize)]
        struct Look {
            levels: Vec<Vec<Group<Value>>>,
        }
        #[derive(serde::Deserialize)]
        struct Reply {
            targets: Vec<Look>,
        }
        let reply: Reply = serde_json::from_value(reply)
            .map_err(|error| BrowserError::UnexpectedReply(format!("locate: {error}")))?;
        let mut looks = reply
            .targets
            .into_iter()
            .map(|look| self.located_levels(look.levels))
            .collect::<Result<Vec<_>, _>>()?;
        for located in looks
            .iter_mut()
            .filter_map(|levels| levels.last_mut())
            .flatten()
            .flat_map(|group| group.candidates.iter_mut())
        {
            if let Some(read) = located.text.as_mut().filter(|read| !read.complete) {
                read.text = self.copy_editor_text(&located.element).await?;
                read.complete = true;
            }
        }
        Ok(looks)
    }

    fn located_levels(
        &self,
        levels: Vec<Vec<Group<Value>>>,
    ) -> Result<Vec<Vec<Group<Located>>>, BrowserError> {
        let mut located = Vec::with_capacity(levels.len());
        for groups in levels {
            let mut level = Vec::with_capacity(groups.len());
            for group in groups {
                let mut candidates = Vec::with_capacity(group.candidates.len());
                for item in group.candidates {
                    let element = self.element_of(&item)?;
                    let probe = optional_field(&item, "probe")?;
                    let text = optional_field(&item, "read")?;
                    let candidate: Candidate = serde_json::from_value(item)
                        .map_err(|error| BrowserError::UnexpectedReply(error.to_string()))?;
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

    fn element_of(&self, item: &Value) -> Result<ElementHandle, BrowserError> {
        let id = item
            .get("element")
            .and_then(|element| element.get(ELEMENT_KEY))
            .and_then(Value::as_str)
            .ok_or_else(|| {
                BrowserError::UnexpectedReply(format!("candidate without element: {item}"))
            })?
            .to_string();
        Ok(ElementHandle::new(id))
    }
}

/// A field of a located candidate that only some looks fill in.
fn optional_field<T: serde::de::DeserializeOwned>(
    item: &Value,
    name: &str,
) -> Result<Option<T>, BrowserError> {
    match item.get(name) {
        Some(Value::Null) | None => Ok(None),
        Some(value) => serde_json::from_value(value.clone())
            .map(Some)
            .map_err(|error| BrowserError::UnexpectedReply(format!("{name}: {error}"))),
    }
}
