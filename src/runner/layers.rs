//! Profile layers: opening one and reading its editor, carrying customizations from **Current
//! configuration** into the incoming YAML, and proving after the upgrade that they were kept.

use super::page::Page;
use std::time::Instant;

use super::find::{look_at_both, EditorQuery, Found, Query};
use super::wait::{meaningful_lines, ready_to_click, Attempt};
use super::{ActionFailure, ScenarioRun};
use crate::artifacts::slug;
use crate::browser::{ElementHandle, LocateNeed, Located, Satisfied};
use crate::event::{ArtifactKind, Event, Fact, KeptRow};
use crate::scenario::{Action, Keeping, Role, Target};
use crate::yaml::{self, KeyPath, ProposalRow};

/// Why an editor's text cannot be taken yet.
enum Unsettled {
    NotYet(String),
    Ambiguous(String),
}

impl Unsettled {
    fn attempt<T>(self) -> Attempt<T> {
        match self {
            Unsettled::NotYet(reason) => Attempt::NotYet(reason),
            Unsettled::Ambiguous(reason) => Attempt::Ambiguous(reason),
        }
    }
}

/// The element and text of an editor a look found, once its text held still.
fn settled_text(
    found: Found,
    what: &dyn std::fmt::Display,
) -> Result<(ElementHandle, String), Unsettled> {
    match found {
        Found::One(located) => match located.text {
            Some(read) if read.settled => Ok((located.element, read.text)),
            _ => Err(Unsettled::NotYet(format!("{what} is still changing"))),
        },
        Found::Missing(reason) => Err(Unsettled::NotYet(reason)),
        Found::Ambiguous(reason) => Err(Unsettled::Ambiguous(reason)),
    }
}

/// How a profile layer's values come into view.
enum LayerOpening {
    /// The layer is an element to click, after which its values show; found ready for a click.
    ReadyToClick(Box<Located>),
    /// The layer is on the page but not ready for a click yet (moving, covered, out of view).
    Click,
    /// Several editors are shown at once and one is titled with the layer.
    AlreadyShown,
}

impl<P: Page> ScenarioRun<'_, P> {
    /// Selects a profile layer and returns the text of the page's editor. Each look at the page
    /// asks for the layer and its editor together.
    pub(super) async fn open_layer(
        &mut self,
        action: &Action,
        layer: &str,
        deadline: Instant,
    ) -> Result<String, ActionFailure> {
        let target = Target {
            role: Role::Layer,
            label: Some(layer.to_string()),
            within: None,
        };
        let editor = EditorQuery::OfLayer(layer.to_string());
        let (layer_query, editor_query) = (Query::new(&target), editor.query());
        // A console may show a layer to click, or every layer's values at once, each editor
        // titled with its layer: a person reads the right one without clicking anything.
        let browser = self.browser;
        let (layer_query, editor_query, editor_ref) = (&layer_query, &editor_query, &editor);
        let opening = self
            .poll(
                action,
                &format!("layer \"{layer}\" to be selectable or its values visible"),
                deadline,
                |budget| async move {
                    let (layer_look, editor_look) = look_at_both(
                        browser,
                        (layer_query, LocateNeed::Clickable),
                        (editor_query, LocateNeed::Present),
                        budget,
                        Satisfied::ByAny,
                    )
                    .await?;
                    Ok(match layer_query.resolve(layer_look) {
                        Found::One(located) => match located.probe.as_ref().map(ready_to_click) {
                            Some(None) => Attempt::Done(LayerOpening::ReadyToClick(located)),
                            _ => Attempt::Done(LayerOpening::Click),
                        },
                        Found::Ambiguous(reason) => Attempt::Ambiguous(reason),
                        Found::Missing(reason) => {
                            match editor_ref.resolve(editor_query, editor_look) {
                                (Found::One(..), editors) if editors > 1 => {
                                    Attempt::Done(LayerOpening::AlreadyShown)
                                }
                                _ => Attempt::NotYet(reason),
                            }
                        }
                    })
                },
            )
            .await?;
        self.last_layer = Some(layer.to_string());
        let clicked = match opening {
            LayerOpening::ReadyToClick(located) => {
                let rect = located.probe.as_ref().and_then(|probe| probe.rect);
                match browser
                    .click(&located.element, &located.candidate, rect)
                    .await
                {
                    Ok(()) => Some(located.candidate),
                    // The page changed between the look and the click: click as usual.
                    Err(_) => {
                        self.click(action, &target, deadline).await?;
                        None
                    }
                }
            }
            LayerOpening::Click => {
                self.click(action, &target, deadline).await?;
                None
            }
            LayerOpening::AlreadyShown => None,
        };
        match clicked {
            Some(candidate) if candidate.selected == Some(false) => {
                self.read_once_selected(action, &target, &editor, deadline)
                    .await
            }
            _ => Ok(self.read_stable(action, &editor, deadline).await?.1),
        }
    }

    /// After a click on a layer that shows whether it is selected: the editor's settled text,
    /// from a look that also sees the layer selected (or gone, the page having moved on).
    async fn read_once_selected(
        &mut self,
        action: &Action,
        target: &Target,
        editor: &EditorQuery,
        deadline: Instant,
    ) -> Result<String, ActionFailure> {
        let browser = self.browser;
        let (layer_query, editor_query) = (Query::new(target), editor.query());
        let (layer_query, editor_query) = (&layer_query, &editor_query);
        self.poll(
            action,
            &format!("{target} to become selected and {editor} to show a settled text"),
            deadline,
            |budget| async move {
                let (layer_look, editor_look) = look_at_both(
                    browser,
                    (layer_query, LocateNeed::Selected),
                    (editor_query, LocateNeed::Text),
                    budget,
                    Satisfied::ByAll,
                )
                .await?;
                match layer_query.resolve(layer_look) {
                    Found::One(located) if located.candidate.selected == Some(false) => {
                        return Ok(Attempt::NotYet(format!("{target} is not selected")))
                    }
                    Found::Ambiguous(reason) => return Ok(Attempt::Ambiguous(reason)),
                    _ => {}
                }
                Ok(
                    match settled_text(editor.resolve(editor_query, editor_look).0, editor) {
                        Ok((_, text)) => Attempt::Done(text),
                        Err(unsettled) => unsettled.attempt(),
                    },
                )
            },
        )
        .await
    }

    /// Reads an editor's text once it stays the same from one animation frame to the next; one
    /// look at the page finds the editor and reads it.
    pub(super) async fn read_stable(
        &mut self,
        action: &Action,
        editor: &EditorQuery,
        deadline: Instant,
    ) -> Result<(ElementHandle, String), ActionFailure> {
        let browser = self.browser;
        self.poll(
            action,
            &format!("{editor} to show a settled text"),
            deadline,
            |budget| async move {
                let found = super::find::find_editor(browser, editor, LocateNeed::Text, budget)
                    .await?
                    .0;
                Ok(match settled_text(found, editor) {
                    Ok(read) => Attempt::Done(read),
                    Err(unsettled) => unsettled.attempt(),
                })
            },
        )
        .await
    }

    /// Reads two editors in one look each poll, once both texts are settled: `into`'s element,
    /// `from`'s text, `into`'s text.
    async fn read_both(
        &mut self,
        action: &Action,
        from: &Target,
        into: &Target,
        deadline: Instant,
    ) -> Result<(ElementHandle, String, String), ActionFailure> {
        let browser = self.browser;
        let (from_query, into_query) = (Query::new(from), Query::new(into));
        let (from_query, into_query) = (&from_query, &into_query);
        self.poll(
            action,
            &format!("{from} and {into} to show a settled text"),
            deadline,
            |budget| async move {
                let (from_look, into_look) = look_at_both(
                    browser,
                    (from_query, LocateNeed::Text),
                    (into_query, LocateNeed::Text),
                    budget,
                    Satisfied::ByAll,
                )
                .await?;
                let (_, incoming) = match settled_text(from_query.resolve(from_look), from) {
                    Ok(read) => read,
                    Err(unsettled) => return Ok(unsettled.attempt()),
                };
                let (element, current) = match settled_text(into_query.resolve(into_look), into) {
                    Ok(read) => read,
                    Err(unsettled) => return Ok(unsettled.attempt()),
                };
                Ok(Attempt::Done((element, incoming, current)))
            },
        )
        .await
    }

    pub(super) async fn merge(
        &mut self,
        action: &Action,
        from: &Target,
        into: &Target,
        keeping: &Keeping,
        deadline: Instant,
    ) -> Result<Option<String>, ActionFailure> {
        let (element, incoming, current) = self.read_both(action, from, into, deadline).await?;
        let layer = self
            .last_layer
            .clone()
            .unwrap_or_else(|| "layer".to_string());
        let merged = yaml::merge(&incoming, &current, keeping).map_err(|error| ActionFailure {
            expected: format!("{from} and {into} to hold YAML that can be merged"),
            page_showed: error.to_string(),
        })?;
        let name = slug(&layer);
        let folder = self.settings.output_dir.join("merges");
        for (suffix, text) in [("incoming", &incoming), ("current", &current)] {
            self.save_or_fail(
                ArtifactKind::Merge,
                folder.join(format!("{name}.{suffix}.yaml")),
                text.as_bytes(),
            )?;
        }
        let proposal = serde_json::to_vec_pretty(&merged.proposal).unwrap_or_default();
        self.save_or_fail(
            ArtifactKind::Merge,
            folder.join(format!("{name}.proposal.json")),
            &proposal,
        )?;
        self.reporter.on_event(&Event::Fact(Fact::Proposal {
            layer: layer.clone(),
            rows: merged
                .proposal
                .iter()
                .map(|row| ProposalRow {
                    current: row
                        .current
                        .as_deref()
                        .map(|text| self.settings.redactor.redact(text)),
                    incoming: row
                        .incoming
                        .as_deref()
                        .map(|text| self.settings.redactor.redact(text)),
                    ..row.clone()
                })
                .collect(),
        }));
        if !merged.not_carried.is_empty() {
            return Err(ActionFailure {
                expected: format!(
                    "every customization of layer \"{layer}\" to be carried into {into}"
                ),
                page_showed: merged
                    .not_carried
                    .iter()
                    .map(|(path, why)| format!("{path} was not carried: {why}"))
                    .collect::<Vec<_>>()
                    .join("; "),
            });
        }
        self.browser.write_text(&element, &merged.text).await?;
        let (_, written) = self
            .read_stable(action, &EditorQuery::Target(into.clone()), deadline)
            .await?;
        // Rich editors may add blank lines or trailing spaces around pasted text; YAML does not care.
        if meaningful_lines(&written) != meaningful_lines(&merged.text) {
            return Err(ActionFailure {
                expected: format!("{into} to hold the merged configuration after pasting it"),
                page_showed: format!(
                    "{into} holds {} lines instead of {}",
                    written.lines().count(),
                    merged.text.lines().count()
                ),
            });
        }
        self.save_or_fail(
            ArtifactKind::Merge,
            folder.join(format!("{name}.merged.yaml")),
            merged.text.as_bytes(),
        )?;
        let note = merge_note(&merged, keeping);
        self.merges.insert(
            layer,
            LayerMerge {
                current,
                carried: merged
                    .carried
                    .iter()
                    .map(|kept| kept.path.clone())
                    .collect(),
            },
        );
        Ok(Some(note))
    }

    pub(super) async fn check_kept(
        &mut self,
        action: &Action,
        layer: &str,
        keeping: &Keeping,
        deadline: Instant,
    ) -> Result<Option<String>, ActionFailure> {
        // What the values were before the upgrade: the listed keys in this run's backup, or
        // the paths this run's merge carried in the configuration it merged.
        let (before_text, carried) = match keeping {
            Keeping::Keys(_) => match self.backups.get(layer) {
                Some(backup) => (backup.clone(), None),
                None => {
                    return Err(ActionFailure {
                        expected: format!(
                            "a backup of layer \"{layer}\" taken earlier in this run"
                        ),
                        page_showed: format!(
                        "no backup was taken; add `back up layer \"{layer}\"` before the upgrade"
                    ),
                    })
                }
            },
            _ => match self.merges.get(layer) {
                Some(merge) => (merge.current.clone(), Some(merge.carried.clone())),
                None => {
                    return Err(ActionFailure {
                        expected: format!(
                        "a merge of layer \"{layer}\" keeping customizations earlier in this run"
                    ),
                        page_showed: format!(
                            "layer \"{layer}\" was not merged; select it in the update dialog and \
                             merge it `keeping customizations` before the upgrade"
                        ),
                    })
                }
            },
        };
        let now = self.open_layer(action, layer, deadline).await?;
        let unreadable = |error: yaml::YamlError| ActionFailure {
            expected: format!("layer \"{layer}\" to hold YAML"),
            page_showed: error.to_string(),
        };
        let (names, before, after) = match (carried, keeping) {
            (Some(paths), _) => (
                paths.iter().map(KeyPath::to_string).collect::<Vec<_>>(),
                yaml::values_at(&before_text, &paths).map_err(unreadable)?,
                yaml::values_at(&now, &paths).map_err(unreadable)?,
            ),
            (None, Keeping::Keys(keys)) => (
                keys.clone(),
                yaml::values_of(&before_text, keys).map_err(unreadable)?,
                yaml::values_of(&now, keys).map_err(unreadable)?,
            ),
            (None, _) => (Vec::new(), Vec::new(), Vec::new()),
        };
        let rows: Vec<KeptRow> = names
            .into_iter()
            .zip(before.into_iter().zip(after))
            .map(|(name, (before, after))| kept_row(layer, name, before, after))
            .collect();
        let redact = |text: &Option<String>| {
            text.as_deref()
                .map(|text| self.settings.redactor.redact(text))
        };
        let shown_rows: Vec<KeptRow> = rows
            .iter()
            .map(|row| KeptRow {
                before: redact(&row.before),
                after: redact(&row.after),
                ..row.clone()
            })
            .collect();
        self.reporter
            .on_event(&Event::Fact(Fact::Preserved { rows: shown_rows }));
        let lost: Vec<String> = rows
            .iter()
            .filter(|row| !row.kept)
            .map(|row| {
                format!(
                    "{} was {} before the upgrade and is now {}",
                    row.key,
                    row.before.as_deref().unwrap_or("missing"),
                    row.after.as_deref().unwrap_or("missing")
                )
            })
            .collect();
        if !lost.is_empty() {
            return Err(ActionFailure {
                expected: format!(
                    "layer \"{layer}\" to keep {}",
                    rows.iter()
                        .map(|row| row.key.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                page_showed: lost.join("; "),
            });
        }
        if rows.is_empty() {
            return Ok(Some(
                "no customizations were carried into this layer".to_string(),
            ));
        }
        let kept: Vec<String> = rows
            .iter()
            .map(|row| match &row.before {
                None => format!("{} (not set before the upgrade)", row.key),
                Some(_) => format!("{} = {}", row.key, row.after.as_deref().unwrap_or("")),
            })
            .collect();
        Ok(Some(format!("kept {}", kept.join(", "))))
    }
}

/// What a merge of one layer left behind, for the check after the upgrade.
pub(super) struct LayerMerge {
    /// The layer's configuration before the upgrade, as **Current configuration** showed it.
    pub(super) current: String,
    /// Where the merge carried a customization.
    pub(super) carried: Vec<KeyPath>,
}

fn kept_row(
    layer: &str,
    key: String,
    before: Option<yaml::carry::Found>,
    after: Option<yaml::carry::Found>,
) -> KeptRow {
    let kept = match (&before, &after) {
        (Some(before), Some(after)) => before.node.same_as(&after.node),
        (None, _) => true,
        (Some(_), None) => false,
    };
    KeptRow {
        layer: layer.to_string(),
        key,
        before: before.map(|found| found.shown),
        after: after.map(|found| found.shown),
        kept,
    }
}

/// One line on what a merge carried and what it took from the upgrade.
fn merge_note(merged: &yaml::Merge, keeping: &Keeping) -> String {
    let mut notes: Vec<String> = merged
        .carried
        .iter()
        .map(|carried| match &carried.incoming_value {
            Some(incoming) => format!(
                "kept {} = {} (incoming {})",
                carried.path, carried.kept_value, incoming
            ),
            None => format!("kept {} = {} (added)", carried.path, carried.kept_value),
        })
        .collect();
    if !merged.absent.is_empty() {
        notes.push(format!(
            "not set in the current configuration: {}",
            merged.absent.join(", ")
        ));
    }
    if matches!(
        keeping,
        Keeping::Customizations | Keeping::CustomizationsExcept(_)
    ) {
        let upgrades = merged
            .proposal
            .iter()
            .filter(|row| row.classification == "upgrade")
            .count();
        if merged.carried.is_empty() {
            notes.push("no customizations found".to_string());
        }
        notes.push(format!(
            "{upgrades} changes of the upgrade taken as they come"
        ));
    } else if notes.is_empty() {
        notes.push("incoming configuration taken as is".to_string());
    }
    notes.join("; ")
}
