//! A pressed element as a guide-language sentence: the role and the label a person reads, checked
//! with `locate`'s ranking to find exactly that element among the candidates the page listed at
//! the moment of the press.

use crate::locate::{choose, layer_aliases, Candidate, NoSingleMatch};
use crate::scenario::action::parse_action;
pub use crate::scenario::action::quoted;
use crate::scenario::Role;

/// The longest label a recorded sentence uses: longer names are paragraphs, not labels.
const LONGEST_LABEL: usize = 100;

/// One role a press could mean: every candidate of the role on the page, and which holds the
/// pressed element (`recorder.js`'s `seenAt`).
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct RoleSeen {
    pub role: String,
    pub candidates: Vec<Candidate>,
    pub index: i64,
    /// The first line the element shows, a shorter label than its whole text (a layer's kind
    /// above its pack and version).
    #[serde(default, rename = "firstLine")]
    pub first_line: String,
    /// The same inside the dialog around the element, where there is one.
    #[serde(default)]
    pub scoped: Option<ScopedSeen>,
}

#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct ScopedSeen {
    pub candidates: Vec<Candidate>,
    pub index: i64,
}

/// What the page saw at a press: the roles that hold the element, the open dialogs and which of
/// them holds it (-1: none).
#[derive(Clone, Debug, serde::Deserialize)]
pub struct Seen {
    #[serde(default)]
    pub roles: Vec<RoleSeen>,
    #[serde(default)]
    pub dialogs: Vec<Candidate>,
    #[serde(default = "outside")]
    pub dialog: i64,
}

fn outside() -> i64 {
    -1
}

/// A line of a recorded step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Line {
    /// A sentence that finds exactly what the person acted on.
    Action(String),
    /// What could not be written as an action: the best sentence found, if any, and why.
    Todo {
        sentence: Option<String>,
        why: String,
    },
}

/// How a press is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verb {
    /// `click`, or `select` for a layer.
    Act,
    Expect,
}

/// The scenario's role for the locator's role name (`menuitem` → menu item).
fn role_of(script_name: &str) -> Option<Role> {
    Role::ALL
        .iter()
        .map(|(role, _)| *role)
        .find(|role| role.script_name() == script_name)
}

fn candidate_at(candidates: &[Candidate], index: i64) -> Option<&Candidate> {
    usize::try_from(index)
        .ok()
        .and_then(|index| candidates.get(index))
}

/// The labels worth trying for a candidate, shortest first: its first line, the names its
/// markup gives and the titles a person reads.
fn label_options(candidate: &Candidate, first_line: &str) -> Vec<String> {
    let mut options: Vec<String> = std::iter::once(first_line)
        .chain(candidate.names.iter().map(String::as_str))
        .chain(candidate.titles.iter().map(String::as_str))
        .map(|label| label.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|label| !label.is_empty() && label.chars().count() <= LONGEST_LABEL)
        .collect();
    options.sort_by_key(|label| label.chars().count());
    options.dedup();
    options
}

/// The first label among `options` by which `choose` finds exactly `index` among `candidates`.
fn unique_label(options: &[String], candidates: &[Candidate], index: i64) -> Option<String> {
    let index = usize::try_from(index).ok()?;
    options
        .iter()
        .find(|label| choose(Some(label), candidates, &[]) == Ok(index))
        .cloned()
}

/// Why a label does not find the element: it finds another, or none, or several.
fn miss(label: &str, role: Role, candidates: &[Candidate], index: i64) -> String {
    let target = format!("{} {}", role.words(), quoted(label));
    match choose(Some(label), candidates, &[]) {
        Ok(other) => format!(
            "{target} finds another element ({} {}), not the one acted on",
            candidates[other].description,
            quoted(candidates[other].display_name())
        ),
        Err(miss @ NoSingleMatch::Ambiguous { .. }) => miss.explain(&target, role.words()),
        Err(_) if index < 0 => format!("{target}: the element acted on is outside the candidates"),
        Err(miss) => miss.explain(&target, role.words()),
    }
}

/// The role a press means: the first (in the page's order of preference: tab, menu item,
/// button, link, dropdown, layer, row) that really has the role, a layer first where its label is a
/// profile layer's (OS, CNI, …), else the first look-alike.
fn chosen_role(seen: &Seen) -> Option<&RoleSeen> {
    let real = |entry: &&RoleSeen| {
        candidate_at(&entry.candidates, entry.index).is_some_and(|candidate| !candidate.fallback)
    };
    let known_layer = seen.roles.iter().filter(real).find(|entry| {
        entry.role == "layer"
            && candidate_at(&entry.candidates, entry.index).is_some_and(|candidate| {
                label_options(candidate, &entry.first_line)
                    .iter()
                    .any(|label| !layer_aliases(label).is_empty())
            })
    });
    known_layer
        .or_else(|| seen.roles.iter().find(real))
        .or_else(|| seen.roles.first())
}

/// The sentence for a press, or `None` where no role holds the element (empty space).
pub fn name_press(seen: &Seen, verb: Verb) -> Option<Line> {
    let entry = chosen_role(seen)?;
    let role = role_of(&entry.role)?;
    let candidate = candidate_at(&entry.candidates, entry.index)?;
    let verb = match (verb, role) {
        (Verb::Expect, _) => "expect",
        (Verb::Act, Role::Layer) => "select",
        (Verb::Act, _) => "click",
    };
    let options = label_options(candidate, &entry.first_line);
    let Some(first) = options.first() else {
        return Some(Line::Todo {
            sentence: None,
            why: format!(
                "a {} {} was acted on, and it shows no name to write",
                candidate.description,
                role.words()
            ),
        });
    };
    let sentence = |label: &str, scope: Option<&str>| {
        let scope = scope
            .map(|dialog| format!(" in dialog {}", quoted(dialog)))
            .unwrap_or_default();
        format!("{verb} {} {}{scope}", role.words(), quoted(label))
    };
    if let Some(label) = unique_label(&options, &entry.candidates, entry.index) {
        return Some(checked(sentence(&label, None)));
    }
    // Ambiguous alone: the dialog around it may tell the matches apart.
    let scoped = entry.scoped.as_ref().zip(dialog_label(seen));
    if let Some((scoped, dialog)) = scoped {
        if let Some(label) = unique_label(&options, &scoped.candidates, scoped.index) {
            return Some(checked(sentence(&label, Some(&dialog))));
        }
    }
    Some(Line::Todo {
        sentence: Some(sentence(first, None)),
        why: miss(first, role, &entry.candidates, entry.index),
    })
}

/// The label that finds the dialog holding the pressed element among the open dialogs.
fn dialog_label(seen: &Seen) -> Option<String> {
    let dialog = candidate_at(&seen.dialogs, seen.dialog)?;
    unique_label(&label_options(dialog, ""), &seen.dialogs, seen.dialog)
}

/// `expect dialog "…"` for a dialog that opened: the label that finds it among those open.
pub fn name_dialog(dialogs: &[Candidate], index: usize) -> Line {
    let Some(dialog) = dialogs.get(index) else {
        return Line::Todo {
            sentence: None,
            why: "a dialog opened and closed before it could be read".to_string(),
        };
    };
    let options = label_options(dialog, "");
    match unique_label(&options, dialogs, index as i64) {
        Some(label) => checked(format!("expect dialog {}", quoted(&label))),
        None => Line::Todo {
            sentence: options
                .first()
                .map(|label| format!("expect dialog {}", quoted(label))),
            why: match options.first() {
                Some(label) => miss(label, Role::Dialog, dialogs, index as i64),
                None => "a dialog opened that shows no title".to_string(),
            },
        },
    }
}

/// `expect text "…"`: the page shows the text a person pointed at.
pub fn name_text(text: &str) -> Option<Line> {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    (!text.is_empty()).then(|| checked(format!("expect text {}", quoted(&text))))
}

/// `type "…" into field "…"` for text typed into a field.
pub fn name_typing(text: &str, seen: &Seen) -> Line {
    match name_press(seen, Verb::Act) {
        Some(Line::Action(sentence)) => match sentence.strip_prefix("click ") {
            Some(target) => checked(format!("type {} into {target}", quoted(text))),
            None => Line::Todo {
                sentence: None,
                why: format!("text was typed into what reads as `{sentence}`"),
            },
        },
        Some(Line::Todo { sentence, why }) => Line::Todo {
            sentence: sentence.map(|sentence| {
                format!(
                    "type {} into {}",
                    quoted(text),
                    sentence.trim_start_matches("click ")
                )
            }),
            why,
        },
        None => Line::Todo {
            sentence: None,
            why: "text was typed into a field the page does not name".to_string(),
        },
    }
}

/// The sentence, if the scenario parser reads it back; else a TODO saying why.
fn checked(sentence: String) -> Line {
    match parse_action(&sentence) {
        Ok(_) => Line::Action(sentence),
        Err(error) => Line::Todo {
            why: format!("the sentence does not parse: {}", error.message),
            sentence: Some(sentence),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candidate(names: &[&str], description: &str, parent: i64, fallback: bool) -> Candidate {
        Candidate {
            names: names.iter().map(|name| name.to_string()).collect(),
            description: description.to_string(),
            parent,
            fallback,
            ..Candidate::default()
        }
    }

    fn seen(role: &str, candidates: Vec<Candidate>, index: i64, first_line: &str) -> Seen {
        Seen {
            roles: vec![RoleSeen {
                role: role.to_string(),
                candidates,
                index,
                first_line: first_line.to_string(),
                scoped: None,
            }],
            dialogs: Vec::new(),
            dialog: -1,
        }
    }

    #[test]
    fn a_layer_entry_is_selected_by_its_first_line_which_finds_it_alone() {
        let layers = vec![
            candidate(&["Kubernetes PXK 1.30.4"], "li[role=option]", -1, false),
            candidate(&["OS Ubuntu 22.04"], "li[role=option]", -1, false),
            candidate(&["OS"], "div", 1, true),
        ];
        assert_eq!(
            name_press(&seen("layer", layers, 1, "OS"), Verb::Act),
            Some(Line::Action("select layer \"OS\"".to_string()))
        );
    }

    #[test]
    fn a_real_button_wins_over_a_look_alike_of_an_earlier_role() {
        let mut both = seen(
            "tab",
            vec![candidate(&["Update"], "button", -1, true)],
            0,
            "Update",
        );
        both.roles.push(RoleSeen {
            role: "button".to_string(),
            candidates: vec![
                candidate(&["Update"], "button", -1, false),
                candidate(&["Updates"], "button", -1, false),
            ],
            index: 0,
            first_line: "Update".to_string(),
            scoped: None,
        });
        assert_eq!(
            name_press(&both, Verb::Act),
            Some(Line::Action("click button \"Update\"".to_string()))
        );
        assert_eq!(
            name_press(&both, Verb::Expect),
            Some(Line::Action("expect button \"Update\"".to_string()))
        );
    }

    #[test]
    fn an_ambiguous_label_is_scoped_to_its_dialog_and_else_left_as_a_todo() {
        let buttons = vec![
            candidate(&["Confirm"], "button", -1, false),
            candidate(&["Confirm"], "button", -1, false),
        ];
        let mut pressed = seen("button", buttons, 1, "Confirm");
        pressed.roles[0].scoped = Some(ScopedSeen {
            candidates: vec![candidate(&["Confirm"], "button", -1, false)],
            index: 0,
        });
        pressed.dialogs = vec![candidate(&["Palette version update"], "div", -1, false)];
        pressed.dialog = 0;
        assert_eq!(
            name_press(&pressed, Verb::Act),
            Some(Line::Action(
                "click button \"Confirm\" in dialog \"Palette version update\"".to_string()
            ))
        );
        pressed.dialog = -1;
        let Some(Line::Todo { sentence, why }) = name_press(&pressed, Verb::Act) else {
            panic!("a TODO");
        };
        assert_eq!(sentence.as_deref(), Some("click button \"Confirm\""));
        assert!(why.contains("ambiguous"), "{why}");
    }

    #[test]
    fn typing_names_the_field_and_keeps_quotes_readable() {
        let fields = vec![candidate(&["Cluster name"], "input", -1, false)];
        assert_eq!(
            name_typing("say \"hi\"", &seen("field", fields, 0, "")),
            Line::Action("type \"say \\\"hi\\\"\" into field \"Cluster name\"".to_string())
        );
    }

    #[test]
    fn a_dialog_is_expected_by_the_title_that_finds_it() {
        let dialogs = vec![
            candidate(&["Palette version update"], "div[role=dialog]", -1, false),
            candidate(&["Palette version updates"], "div[role=dialog]", -1, false),
        ];
        assert_eq!(
            name_dialog(&dialogs, 0),
            Line::Action("expect dialog \"Palette version update\"".to_string())
        );
        assert_eq!(
            name_text("  You are using\nthe latest version "),
            Some(Line::Action(
                "expect text \"You are using the latest version\"".to_string()
            ))
        );
    }
}
