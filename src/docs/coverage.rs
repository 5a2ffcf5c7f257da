//! `docs check`: a guide against the scenarios that follow it. Each image the guide shows with
//! the scenario step that makes it; images no step makes (missing); shots no checked guide
//! shows (orphans); guide steps the scenario does not account for; bold UI labels of steps done
//! in the console that the scenario never targets (drift). Pure: models in, findings out.

use super::guide::{Guide, GuideStep};
use crate::scenario::{Action, ActionKind, Crop, Keeping, Scenario, Step, Target};

/// What `docs check` found for one guide.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Coverage {
    pub images: Vec<ImageCoverage>,
    /// Guide steps with no scenario step of the same section and number.
    pub unaccounted_steps: Vec<String>,
    /// Guide steps the scenario marks as done outside the console, with where.
    pub outside_steps: Vec<(String, String)>,
    pub drift: Vec<Drift>,
}

#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct ImageCoverage {
    pub name: String,
    /// 1-based line in the guide.
    pub line: usize,
    /// The guide step showing it.
    pub guide_step: Option<String>,
    /// The scenario action that makes it: scenario file:line and its step.
    pub made_by: Option<MadeBy>,
}

#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct MadeBy {
    pub scenario: String,
    pub location: String,
    pub step: String,
}

#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Drift {
    pub step: String,
    pub label: String,
    pub line: usize,
}

/// A scenario's shot not shown by any guide checked.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Orphan {
    pub name: String,
    pub location: String,
}

impl Coverage {
    pub fn missing(&self) -> impl Iterator<Item = &ImageCoverage> {
        self.images.iter().filter(|image| image.made_by.is_none())
    }
}

/// Whether `scenario` follows the guide at `guide_path` (its `guide = "…"` is the end of the
/// path, as the docs repository names it).
pub fn follows(scenario: &Scenario, guide_path: &std::path::Path) -> bool {
    let Some(guide) = &scenario.guide else {
        return false;
    };
    let wanted = std::path::Path::new(guide.trim_start_matches('/'));
    guide_path.ends_with(wanted)
}

pub fn check(guide: &Guide, scenarios: &[&Scenario]) -> Coverage {
    let images = guide
        .images
        .iter()
        .map(|image| ImageCoverage {
            name: image.name.clone(),
            line: image.line,
            guide_step: guide.step_of(image).map(GuideStep::title),
            made_by: scenarios.iter().find_map(|scenario| {
                shots(scenario)
                    .find(|(_, _, name)| *name == image.name)
                    .map(|(step, action, _)| MadeBy {
                        scenario: scenario.name(),
                        location: action.location.to_string(),
                        step: step.title(),
                    })
            }),
        })
        .collect();
    let mut unaccounted_steps = Vec::new();
    let mut outside_steps = Vec::new();
    let mut drift = Vec::new();
    for guide_step in &guide.steps {
        let matching = scenarios.iter().find_map(|scenario| {
            scenario
                .steps
                .iter()
                .find(|step| same_step(guide_step, step))
                .map(|step| (scenario, step))
        });
        match matching {
            None => {
                // Prerequisites and notes are read, not done.
                if guide_step.section != "Prerequisites" {
                    unaccounted_steps.push(guide_step.title());
                }
            }
            Some((_, step)) if step.outside.is_some() => {
                outside_steps.push((guide_step.title(), step.outside.clone().unwrap_or_default()))
            }
            Some((scenario, _)) => {
                let named = named_in(scenario);
                for label in &guide_step.bold {
                    if !is_targeted(label, &named) {
                        drift.push(Drift {
                            step: guide_step.title(),
                            label: label.clone(),
                            line: guide_step.line,
                        });
                    }
                }
            }
        }
    }
    Coverage {
        images,
        unaccounted_steps,
        outside_steps,
        drift,
    }
}

/// Shots of `scenarios` that no guide in `guides` shows.
pub fn orphans(guides: &[Guide], scenarios: &[&Scenario]) -> Vec<Orphan> {
    let mut orphans = Vec::new();
    for scenario in scenarios {
        for (_, action, name) in shots(scenario) {
            let shown = guides
                .iter()
                .any(|guide| guide.images.iter().any(|image| image.name == name));
            if !shown {
                orphans.push(Orphan {
                    name: name.to_string(),
                    location: action.location.to_string(),
                });
            }
        }
    }
    orphans
}

/// Every `screenshot` of a scenario: its step, its action and the image name.
fn shots(scenario: &Scenario) -> impl Iterator<Item = (&Step, &Action, &str)> {
    scenario.steps.iter().flat_map(|step| {
        step.actions
            .iter()
            .filter_map(move |action| match &action.kind {
                ActionKind::Screenshot(shot) => Some((step, action, shot.image_name.as_str())),
                _ => None,
            })
    })
}

/// A scenario step is a guide step when section and number agree; inside a tab, the section may
/// also be the tab's label or `Section (Tab)`.
fn same_step(guide_step: &GuideStep, step: &Step) -> bool {
    if u64::from(step.number) != guide_step.number {
        return false;
    }
    let section = step.section.trim();
    match &guide_step.tab {
        None => section.eq_ignore_ascii_case(&guide_step.section),
        Some(tab) => {
            section.eq_ignore_ascii_case(tab)
                || section.eq_ignore_ascii_case(&format!("{} ({tab})", guide_step.section))
                || section.eq_ignore_ascii_case(&guide_step.section)
        }
    }
}

/// What a scenario names anywhere: target labels (at every level), expected texts, layers, and
/// the roles it uses.
struct Named {
    labels: Vec<String>,
    uses_menu_items: bool,
}

fn named_in(scenario: &Scenario) -> Named {
    let mut named = Named {
        labels: Vec::new(),
        uses_menu_items: false,
    };
    for step in &scenario.steps {
        for action in &step.actions {
            match &action.kind {
                ActionKind::Click(target) | ActionKind::Expect(target) => {
                    add_target(&mut named, target)
                }
                ActionKind::Screenshot(shot) => {
                    for target in &shot.highlight {
                        add_target(&mut named, target);
                    }
                    if let Some(Crop::Target { target, .. }) = &shot.crop {
                        add_target(&mut named, target);
                    }
                }
                ActionKind::Merge {
                    from,
                    into,
                    keeping,
                } => {
                    add_target(&mut named, from);
                    add_target(&mut named, into);
                    if let Keeping::Keys(keys) = keeping {
                        named
                            .labels
                            .extend(keys.iter().map(|key| key.to_lowercase()));
                    }
                }
                ActionKind::Type { into, .. } => add_target(&mut named, into),
                ActionKind::BackUpLayer { layer }
                | ActionKind::CheckLayerKept { layer, .. }
                | ActionKind::ReplaceWithSupportValues { layer } => {
                    named.labels.push(layer.to_lowercase())
                }
                _ => {}
            }
        }
    }
    named
}

fn add_target(named: &mut Named, target: &Target) {
    for level in target.levels() {
        if level.role == crate::scenario::Role::MenuItem {
            named.uses_menu_items = true;
        }
        if let Some(label) = &level.label {
            named.labels.push(label.to_lowercase());
        }
    }
}

/// A bold label is targeted when the scenario names it, or names a label it ends with
/// (`three-dot Menu` is the `Menu` button); **Main Menu** is whichever menu item is clicked.
fn is_targeted(label: &str, named: &Named) -> bool {
    let label = label.trim().to_lowercase();
    if label == "main menu" || label == "left main menu" {
        return named.uses_menu_items;
    }
    named.labels.iter().any(|known| {
        *known == label
            || known.contains(&label)
            || (label.ends_with(known.as_str())
                && label[..label.len() - known.len()].ends_with([' ', '-']))
    })
}
