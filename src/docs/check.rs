//! The `docs check` command's work: reads the guides and the scenarios, compares them, and
//! writes the per-guide account a docs writer reads. Exit status: 1 when an image is missing.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::coverage::{self, Coverage};
use super::guide::{self, Guide};
use crate::scenario::{self, Scenario, ScenarioError};

#[derive(Debug, thiserror::Error)]
pub enum DocsCheckError {
    #[error("cannot read the guide {}: {source}", path.display())]
    Guide {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Scenarios(#[from] scenario::NoScenarioFiles),
    #[error(transparent)]
    Scenario(#[from] ScenarioError),
}

/// What `docs check` prints, as text and as JSON, and how many images are missing.
pub struct DocsCheck {
    pub text: String,
    pub json: serde_json::Value,
    pub missing: usize,
}

pub fn run(guides: &[PathBuf], scenarios_dir: &Path) -> Result<DocsCheck, DocsCheckError> {
    let scenarios = load_scenarios(scenarios_dir)?;
    let mut read = Vec::new();
    for path in guides {
        let text = std::fs::read_to_string(path).map_err(|source| DocsCheckError::Guide {
            path: path.clone(),
            source,
        })?;
        read.push((path.clone(), guide::read(&text)));
    }
    let mut text = String::new();
    let mut missing = 0;
    let mut followed: Vec<&Scenario> = Vec::new();
    let mut guides_json = Vec::new();
    for (path, guide) in &read {
        let following: Vec<&Scenario> = scenarios
            .iter()
            .filter(|scenario| coverage::follows(scenario, path))
            .collect();
        let found = coverage::check(guide, &following);
        missing += found.missing().count();
        render_guide(&mut text, path, guide, &following, &found);
        guides_json.push(serde_json::json!({
            "guide": path,
            "title": guide.title,
            "scenarios": following.iter().map(|scenario| &scenario.file).collect::<Vec<_>>(),
            "images": found.images,
            "missing": found.missing().map(|image| &image.name).collect::<Vec<_>>(),
            "outside_steps": found.outside_steps.iter().map(|(step, place)| serde_json::json!({"step": step, "outside": place})).collect::<Vec<_>>(),
            "unaccounted_steps": found.unaccounted_steps,
            "drift": found.drift,
            "partials": guide.partials,
        }));
        for scenario in following {
            if !followed.iter().any(|known| known.file == scenario.file) {
                followed.push(scenario);
            }
        }
    }
    let guides: Vec<Guide> = read.into_iter().map(|(_, guide)| guide).collect();
    let orphans = coverage::orphans(&guides, &followed);
    if !orphans.is_empty() {
        let _ = writeln!(text, "shots no guide checked here shows (orphans):");
        for orphan in &orphans {
            let _ = writeln!(text, "  {}  ({})", orphan.name, orphan.location);
        }
    }
    let _ = writeln!(
        text,
        "{} guide(s): {missing} image(s) missing, {} orphan shot(s)",
        guides.len(),
        orphans.len()
    );
    let json = serde_json::json!({
        "guides": guides_json,
        "orphans": orphans,
        "missing": missing,
    });
    Ok(DocsCheck {
        text,
        json,
        missing,
    })
}

fn load_scenarios(folder: &Path) -> Result<Vec<Scenario>, DocsCheckError> {
    scenario::scenario_files(folder)?
        .iter()
        .map(|file| scenario::load(file).map_err(DocsCheckError::from))
        .collect()
}

fn render_guide(
    text: &mut String,
    path: &Path,
    guide: &Guide,
    following: &[&Scenario],
    found: &Coverage,
) {
    let _ = writeln!(
        text,
        "{}: \"{}\"",
        path.display(),
        guide.title.as_deref().unwrap_or("(no title)")
    );
    if following.is_empty() {
        let _ = writeln!(
            text,
            "  no scenario follows this guide (none has `guide = \"…\"` ending its path)"
        );
    }
    for scenario in following {
        let _ = writeln!(text, "  scenario {}", scenario.file.display());
    }
    let _ = writeln!(text, "  images:");
    for image in &found.images {
        let shown_in = image.guide_step.as_deref().unwrap_or("outside any step");
        match &image.made_by {
            Some(made) => {
                let _ = writeln!(
                    text,
                    "    ✓ {}  (line {}, {shown_in}) ← {} {} ({})",
                    image.name, image.line, made.scenario, made.step, made.location
                );
            }
            None => {
                let _ = writeln!(
                    text,
                    "    ✗ MISSING {}  (line {}, {shown_in}): no scenario step makes it",
                    image.name, image.line
                );
            }
        }
    }
    if !found.outside_steps.is_empty() {
        let steps: Vec<String> = found
            .outside_steps
            .iter()
            .map(|(step, place)| format!("{step} ({place})"))
            .collect();
        let _ = writeln!(text, "  outside the console: {}", steps.join(", "));
    }
    if !found.unaccounted_steps.is_empty() {
        let _ = writeln!(
            text,
            "  steps the scenario does not account for: {}",
            found.unaccounted_steps.join(", ")
        );
    }
    for drift in &found.drift {
        let _ = writeln!(
            text,
            "  drift: {} (line {}) names **{}**, which the scenario never targets",
            drift.step, drift.line, drift.label
        );
    }
    if !guide.partials.is_empty() {
        let _ = writeln!(
            text,
            "  partials not read here: {}",
            guide.partials.join(", ")
        );
    }
}
