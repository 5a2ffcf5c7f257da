//! Profile layers: opening one and reading its editor, carrying customizations from **Current
//! configuration** into the incoming YAML, and proving after the upgrade that they were kept.

use std::time::Instant;

use super::find::{find, EditorQuery, Found};
use super::wait::{meaningful_lines, Attempt};
use super::{ActionFailure, ScenarioRun};
use crate::artifacts::slug;
use crate::browser::{ElementHandle, LocateNeed};
use crate::carry;
use crate::runner::event::ArtifactKind;
use crate::scenario::{Action, Role, Target};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum LayerOpening {
    /// The layer is an element to click, after which its values show.
    Click,
    /// Several editors are shown at once and one is titled with the layer.
    AlreadyShown,
}

impl ScenarioRun<'_> {
    /// Selects a profile layer and returns the text of the page's editor.
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
        // A console may show a layer to click, or every layer's values at once, each editor
        // titled with its layer: a person reads the right one without clicking anything.
        let browser = self.browser;
        let (target_ref, editor_ref) = (&target, &editor);
        let opening = self
            .poll(
                action,
                &format!("layer \"{layer}\" to be selectable or its values visible"),
                deadline,
                || async move {
                    Ok(
                        match find(browser, target_ref, LocateNeed::Present).await? {
                            Found::One(..) => Attempt::Done(LayerOpening::Click),
                            Found::Ambiguous(reason) => Attempt::Ambiguous(reason),
                            Found::Missing(reason) => {
                                match editor_ref.find(browser, LocateNeed::Present).await? {
                                    (Found::One(..), editors) if editors > 1 => {
                                        Attempt::Done(LayerOpening::AlreadyShown)
                                    }
                                    _ => Attempt::NotYet(reason),
                                }
                            }
                        },
                    )
                },
            )
            .await?;
        if opening == LayerOpening::Click {
            self.click(action, &target, deadline).await?;
        }
        self.last_layer = Some(layer.to_string());
        let (_, text) = self.read_stable(action, &editor, deadline).await?;
        Ok(text)
    }

    /// Reads an editor's text once it stays the same across two animation frames; one look
    /// at the page finds the editor and reads it.
    async fn read_stable(
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
            || async move {
                let located = match editor.find(browser, LocateNeed::Text).await?.0 {
                    Found::One(located) => *located,
                    Found::Missing(reason) => return Ok(Attempt::NotYet(reason)),
                    Found::Ambiguous(reason) => return Ok(Attempt::Ambiguous(reason)),
                };
                Ok(match located.text {
                    Some(read) if read.settled => Attempt::Done((located.element, read.text)),
                    _ => Attempt::NotYet(format!("{editor} is still changing")),
                })
            },
        )
        .await
    }

    pub(super) async fn merge(
        &mut self,
        action: &Action,
        from: &Target,
        into: &Target,
        keeping: &[String],
        deadline: Instant,
    ) -> Result<Option<String>, ActionFailure> {
        let (_, incoming) = self
            .read_stable(action, &EditorQuery::Target(from.clone()), deadline)
            .await?;
        let (element, current) = self
            .read_stable(action, &EditorQuery::Target(into.clone()), deadline)
            .await?;
        let merged = carry::merge(&incoming, &current, keeping);
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
        let name = slug(self.last_layer.as_deref().unwrap_or("layer"));
        let folder = self.settings.output_dir.join("merges");
        self.save_or_fail(
            ArtifactKind::Merge,
            folder.join(format!("{name}.incoming.yaml")),
            incoming.as_bytes(),
        )?;
        self.save_or_fail(
            ArtifactKind::Merge,
            folder.join(format!("{name}.current.yaml")),
            current.as_bytes(),
        )?;
        self.save_or_fail(
            ArtifactKind::Merge,
            folder.join(format!("{name}.merged.yaml")),
            merged.text.as_bytes(),
        )?;
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
        if notes.is_empty() {
            notes.push("incoming configuration taken as is".to_string());
        }
        Ok(Some(notes.join("; ")))
    }

    pub(super) async fn check_kept(
        &mut self,
        action: &Action,
        layer: &str,
        keys: &[String],
        deadline: Instant,
    ) -> Result<Option<String>, ActionFailure> {
        let Some(backup) = self.backups.get(layer).cloned() else {
            return Err(ActionFailure {
                expected: format!("a backup of layer \"{layer}\" taken earlier in this run"),
                page_showed: format!(
                    "no backup was taken; add `back up layer \"{layer}\"` before the upgrade"
                ),
            });
        };
        let now = self.open_layer(action, layer, deadline).await?;
        let before = carry::values_of(&backup, keys);
        let after = carry::values_of(&now, keys);
        let mut lost = Vec::new();
        let mut kept = Vec::new();
        for ((key, old), (_, new)) in before.iter().zip(&after) {
            match (old, new) {
                (None, _) => kept.push(format!("{key} (not set before the upgrade)")),
                (Some(old), Some(new)) if old == new => kept.push(format!("{key} = {new}")),
                (Some(old), new) => lost.push(format!(
                    "{key} was {old} before the upgrade and is now {}",
                    new.as_deref().unwrap_or("missing")
                )),
            }
        }
        if lost.is_empty() {
            Ok(Some(format!("kept {}", kept.join(", "))))
        } else {
            Err(ActionFailure {
                expected: format!("layer \"{layer}\" to keep {}", keys.join(", ")),
                page_showed: lost.join("; "),
            })
        }
    }
}
