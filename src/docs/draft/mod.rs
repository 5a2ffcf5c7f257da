//! `docs draft`: a guide's numbered steps turned into a first scenario file, one `[[step]]` per
//! guide step, with the guide's words and the actions its bold labels ask for (the rule table is
//! [`rules`]). A draft is a start for a person, not a finished scenario: what no rule translates
//! is left as a `# TODO:` comment quoting the guide, a value to type is `"TODO"`, and nothing
//! the guide does not say (backups, merges, snapshots, `when`) is invented. The draft always
//! passes `check`. Pure: a guide in, TOML text out.

pub mod rules;

#[cfg(test)]
mod tests;

use std::fmt::Write as _;

use super::guide::{Guide, GuideStep, StepPart};
use crate::scenario::action::{is_mutating_label, quoted};
use crate::scenario::toml_text::{toml_basic_string, toml_string};
use crate::scenario::{Role, Target};
use rules::{Drafted, StepContext};

/// Sections whose numbered items are read, not done.
const SECTIONS_NOT_DONE: [&str; 1] = ["Prerequisites"];

/// The place a step nobody drafted is given: a step needs `do = [...]` or `outside`, and this
/// keeps the draft valid (and says what to do) until someone writes its actions.
pub const NOT_DRAFTED: &str = "TODO: not drafted yet";

/// A drafted scenario and what became of the guide's steps.
#[derive(Clone, Debug, PartialEq)]
pub struct Draft {
    pub toml: String,
    pub steps: usize,
    /// `click` (and `select`) actions drafted.
    pub clicks: usize,
    /// Steps with no action drafted (given [`NOT_DRAFTED`] as their place).
    pub todo_steps: usize,
    /// Sentences left as `# TODO:` comments, in steps with or without actions.
    pub todo_sentences: usize,
    pub outside_steps: usize,
}

/// The guide gave nothing to draft a scenario from.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum DraftError {
    #[error("expected numbered steps under a `## Section` heading, found none")]
    NoSteps,
    #[error("expected at least one step done in the console; every step of this guide happens outside it ({0}), and a scenario needs one")]
    NothingInTheConsole(String),
}

/// One action or screenshot of a drafted step, in order.
#[derive(Clone, Debug, PartialEq)]
enum Item {
    Action(Drafted),
    Shot {
        name: String,
        highlight: Vec<Target>,
    },
    /// A comment line inside `do = [...]`.
    Comment(String),
}

struct DraftStep {
    section: String,
    number: u64,
    words: String,
    items: Vec<Item>,
    /// `# TODO:` lines above `do`.
    todos: Vec<String>,
    outside: Option<String>,
}

/// Drafts the scenario of `guide`; `docs_path` is the guide's path in the docs repository, written
/// as the scenario's `guide = "…"` so that `docs check` pairs them.
pub fn draft(guide: &Guide, title: &str, docs_path: &str) -> Result<Draft, DraftError> {
    let done: Vec<&GuideStep> = guide
        .steps
        .iter()
        .filter(|step| !SECTIONS_NOT_DONE.contains(&step.section.as_str()))
        .collect();
    if done.is_empty() {
        return Err(DraftError::NoSteps);
    }
    let places = outside_places(&done);
    // The layers named for backup carry from step to step ("each layer" later means them).
    let mut layers = Vec::new();
    let mut steps: Vec<DraftStep> = done
        .iter()
        .zip(places)
        .map(|(step, place)| draft_step(guide, step, place, &mut layers))
        .collect();
    let mut todo_steps = 0;
    for step in &mut steps {
        if step.outside.is_none() && step.items.is_empty() {
            if step.todos.is_empty() {
                step.todos.push(format!("TODO: \"{}\"", step.words));
            }
            step.outside = Some(NOT_DRAFTED.to_string());
            todo_steps += 1;
        }
    }
    if steps.iter().all(|step| step.outside.is_some()) {
        let mut places: Vec<String> = steps
            .iter()
            .filter_map(|step| step.outside.clone())
            .collect();
        places.dedup();
        return Err(DraftError::NothingInTheConsole(places.join(", ")));
    }
    let clicks = steps
        .iter()
        .flat_map(|step| &step.items)
        .filter(|item| matches!(item, Item::Action(Drafted::Click(_) | Drafted::Navigate(_))))
        .count();
    let todo_sentences = steps.iter().map(|step| step.todos.len()).sum();
    let outside_steps = steps
        .iter()
        .filter(|step| {
            step.outside
                .as_deref()
                .is_some_and(|place| place != NOT_DRAFTED)
        })
        .count();
    Ok(Draft {
        toml: render(title, docs_path, &steps),
        steps: steps.len(),
        clicks,
        todo_steps,
        todo_sentences,
        outside_steps,
    })
}

/// Where each step happens when not in the console. A step's own words decide first; then a
/// step said to be in "a terminal" right after one in a named terminal is in that one, and a
/// step that names no place, between two steps in the same place outside, is there too (the
/// airgap guide's step 8, between the support VM's commands).
fn outside_places(steps: &[&GuideStep]) -> Vec<Option<String>> {
    let own: Vec<Option<&str>> = steps
        .iter()
        .map(|step| rules::outside_place(&step.words()))
        .collect();
    let mut places: Vec<Option<String>> =
        own.iter().map(|place| place.map(str::to_string)).collect();
    same_terminal_as_before(&mut places);
    for index in 1..places.len().saturating_sub(1) {
        let quiet = places[index].is_none()
            && steps[index].bold.is_empty()
            && !steps[index].words().to_lowercase().contains("console");
        let (before, after) = (&places[index - 1], &places[index + 1]);
        let same_place = match (before.as_deref(), after.as_deref()) {
            (Some(before), Some(after)) => {
                before == after || (after == "a terminal" && before.starts_with("a terminal "))
            }
            _ => false,
        };
        if quiet && same_place {
            places[index] = places[index - 1].clone();
        }
    }
    same_terminal_as_before(&mut places);
    places
}

/// `a terminal` right after a step in a named terminal is that terminal.
fn same_terminal_as_before(places: &mut [Option<String>]) {
    for index in 1..places.len() {
        let before = places[index - 1].clone();
        if let (Some("a terminal"), Some(before)) = (places[index].as_deref(), before) {
            if before.starts_with("a terminal ") {
                places[index] = Some(before);
            }
        }
    }
}

fn draft_step(
    guide: &Guide,
    step: &GuideStep,
    outside: Option<String>,
    layers: &mut Vec<String>,
) -> DraftStep {
    let mut drafted = DraftStep {
        section: match &step.tab {
            Some(tab) => format!("{} ({tab})", step.section),
            None => step.section.clone(),
        },
        number: step.number,
        words: step.words(),
        items: Vec::new(),
        todos: Vec::new(),
        outside,
    };
    if drafted.outside.is_some() {
        return drafted;
    }
    let mut context = StepContext {
        dialog: None,
        layers: std::mem::take(layers),
    };
    for part in &step.parts {
        match part {
            StepPart::Words(words) => {
                for sentence in rules::sentences(words) {
                    let translation = rules::translate(&sentence, &mut context);
                    if translation.untranslated {
                        drafted.todos.push(format!("TODO: \"{sentence}\""));
                    }
                    for action in translation.actions {
                        if let Drafted::TypeInto(_) = &action {
                            drafted.items.push(Item::Comment(format!(
                                "TODO: the value to type, as the guide says: \"{sentence}\""
                            )));
                        }
                        drafted.items.push(Item::Action(action));
                    }
                }
            }
            StepPart::Image(index) => {
                let image = &guide.images[*index];
                shoot(&mut drafted, &image.name, &image.alt, &step.bold);
            }
        }
    }
    *layers = context.layers;
    drafted
}

/// Adds the screenshot of a guide image: before the step's first click that changes the console
/// or opens what it highlights (the image shows the page before that click), else where it stands.
fn shoot(step: &mut DraftStep, name: &str, alt: &str, bold: &[String]) {
    let lower = name.to_lowercase();
    let shootable = (lower.ends_with(".webp") || lower.ends_with(".png"))
        && !name.contains(['"', '\\', '/', '\'']);
    if !shootable {
        step.todos.push(format!(
            "TODO: the guide shows {name}, which a screenshot cannot be named (a plain .webp or .png name)"
        ));
        return;
    }
    let highlight = match rules::highlighted(alt, bold) {
        rules::Highlighted::Nothing => Vec::new(),
        rules::Highlighted::Targets(targets) => targets,
        rules::Highlighted::Unreadable => {
            step.todos.push(format!(
                "TODO: the alt text of {name} says something is highlighted (\"{alt}\"): add `highlighting TARGET` if one names it"
            ));
            Vec::new()
        }
    };
    let before = step.items.iter().position(|item| match item {
        Item::Action(Drafted::Click(target)) => {
            target.label.as_deref().is_some_and(is_mutating_label)
                || highlight
                    .iter()
                    .any(|shown| shown.role == target.role && shown.label == target.label)
        }
        Item::Action(Drafted::Navigate(target)) => highlight
            .iter()
            .any(|shown| shown.role == target.role && shown.label == target.label),
        Item::Action(Drafted::WaitUntilUnlocked) => true,
        _ => false,
    });
    let shot = Item::Shot {
        name: name.to_string(),
        highlight,
    };
    match before {
        Some(at) => step.items.insert(at, shot),
        None => step.items.push(shot),
    }
}

/// An action sentence: layers are selected, everything else clicked, as the guides say.
pub fn action_sentence(action: &Drafted) -> String {
    match action {
        Drafted::LogIn => "log in".to_string(),
        Drafted::Click(target) if target.role == Role::Layer => {
            format!("select {target}")
        }
        Drafted::Click(target) | Drafted::Navigate(target) => {
            format!("click {target}")
        }
        Drafted::ExpectText(text) => format!("expect text {}", quoted(text)),
        Drafted::TypeInto(target) => format!("type \"TODO\" into {target}"),
        Drafted::WaitUntilUnlocked => "wait until unlocked".to_string(),
        Drafted::BackUpLayer(layer) => format!("back up layer {}", quoted(layer)),
        Drafted::ReplaceWithSupportValues(layer) => {
            format!("replace layer {} with support values", quoted(layer))
        }
    }
}

fn shot_sentence(name: &str, highlight: &[Target]) -> String {
    let mut text = format!("screenshot \"{name}\"");
    if !highlight.is_empty() {
        let targets: Vec<String> = highlight.iter().map(Target::to_string).collect();
        let _ = write!(text, " highlighting {}", targets.join(" and "));
    }
    text
}

/// A comment, one line (a guide sentence never needs two).
fn comment(text: &str) -> String {
    format!("# {}", text.replace(['\n', '\r'], " "))
}

fn render(title: &str, docs_path: &str, steps: &[DraftStep]) -> String {
    let mut toml = String::new();
    let _ = writeln!(
        toml,
        "# Drafted by `palette-harness docs draft` from the guide's numbered steps. Review every\n\
         # action and each TODO, then run `palette-harness check` on this file."
    );
    let _ = writeln!(toml, "\ntitle = {}", toml_basic_string(title));
    let _ = writeln!(toml, "guide = {}", toml_basic_string(docs_path));
    let lower = title.to_lowercase();
    let (vertex, airgap) = (lower.contains("vertex"), lower.contains("airgap"));
    if vertex || airgap {
        let _ = writeln!(
            toml,
            "\n# What the built-in reference console imitates for this guide, read from its title."
        );
        let _ = writeln!(toml, "[reference_console]");
        if vertex {
            let _ = writeln!(toml, "product = \"vertex\"");
        }
        if airgap {
            let _ = writeln!(toml, "airgap = true");
        }
    }
    for step in steps {
        let _ = writeln!(toml, "\n[[step]]");
        let _ = writeln!(toml, "section = {}", toml_basic_string(&step.section));
        let _ = writeln!(toml, "number = {}", step.number);
        let _ = writeln!(toml, "guide = {}", toml_basic_string(&step.words));
        let mutating = step.items.iter().any(|item| match item {
            Item::Action(Drafted::Click(target)) => {
                target.label.as_deref().is_some_and(is_mutating_label)
            }
            // Pasting support's values and saving changes the console.
            Item::Action(Drafted::ReplaceWithSupportValues(_)) => true,
            _ => false,
        });
        if mutating {
            let _ = writeln!(toml, "mutating = true");
        }
        for todo in &step.todos {
            let _ = writeln!(toml, "{}", comment(todo));
        }
        if let Some(place) = &step.outside {
            if place == NOT_DRAFTED {
                let _ = writeln!(
                    toml,
                    "# No action was drafted for this step, and a step needs `do = [...]` or `outside`:\n\
                     # this `outside` keeps the draft valid until you write its actions (then remove it)."
                );
            }
            let _ = writeln!(toml, "outside = {}", toml_basic_string(place));
            continue;
        }
        let _ = writeln!(toml, "do = [");
        for item in &step.items {
            let line = match item {
                Item::Action(action) => format!("{},", toml_string(&action_sentence(action))),
                Item::Shot { name, highlight } => {
                    format!("{},", toml_string(&shot_sentence(name, highlight)))
                }
                Item::Comment(text) => comment(text),
            };
            let _ = writeln!(toml, "  {line}");
        }
        let _ = writeln!(toml, "]");
    }
    toml
}
