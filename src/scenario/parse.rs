//! Scenario files: TOML read through serde with spans, so that every problem is reported at its
//! file:line:column with what was expected.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use super::action::{self, parse_action};
use super::{
    parse_duration, Action, Condition, Location, Scenario, ScenarioError, SnapshotOptions, Step,
};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScenario {
    title: String,
    guide: Option<String>,
    #[serde(default)]
    mask_text: Vec<Spanned<String>>,
    #[serde(rename = "step", default)]
    steps: Vec<Spanned<RawStep>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStep {
    section: String,
    number: u32,
    guide: String,
    #[serde(rename = "do")]
    actions: Vec<Spanned<String>>,
    /// What the scenario does differently from the guide's words, and why.
    note: Option<String>,
    #[serde(default)]
    mutating: bool,
    timeout: Option<Spanned<String>>,
    /// Runs the step only if this holds: `target_kubernetes != installed_kubernetes`.
    when: Option<Spanned<String>>,
    #[serde(default)]
    mask_text: Vec<Spanned<String>>,
    #[serde(default)]
    mask: Vec<Spanned<String>>,
    #[serde(default)]
    hide: Vec<Spanned<String>>,
    #[serde(default)]
    ignore: Vec<Spanned<String>>,
    max_diff_pixels: Option<u64>,
    max_diff_ratio: Option<f64>,
}

/// Reads and parses a scenario file.
pub fn load(path: &Path) -> Result<Scenario, ScenarioError> {
    let source = std::fs::read_to_string(path).map_err(|source| ScenarioError::Unreadable {
        path: path.to_path_buf(),
        source,
    })?;
    parse(path, &source)
}

/// Parses scenario text; `file` is only used to name locations.
pub fn parse(file: &Path, source: &str) -> Result<Scenario, ScenarioError> {
    let locate = |byte_offset: usize| location_at(file, source, byte_offset);
    let raw: RawScenario = toml::from_str(source).map_err(|error| ScenarioError::Malformed {
        location: locate(error.span().map(|span| span.start).unwrap_or(0)),
        message: error.message().trim_end().to_string(),
    })?;
    if raw.steps.is_empty() {
        return Err(ScenarioError::Malformed {
            location: locate(source.len()),
            message: "expected at least one [[step]] table".to_string(),
        });
    }

    let scenario_masks = compile_masks(&raw.mask_text, source, &locate)?;
    let mut snapshot_names: Vec<String> = Vec::new();
    let mut steps = Vec::with_capacity(raw.steps.len());
    for spanned_step in raw.steps {
        let step_start = spanned_step.span().start;
        let raw_step = spanned_step.into_inner();
        if raw_step.actions.is_empty() {
            return Err(ScenarioError::Malformed {
                location: locate(step_start),
                message: format!(
                    "step {} {} has no actions: expected `do = [...]` with at least one action",
                    raw_step.section, raw_step.number
                ),
            });
        }
        let timeout = match &raw_step.timeout {
            None => None,
            Some(text) => Some(parse_duration(text.get_ref()).map_err(|message| {
                ScenarioError::Malformed {
                    location: locate(text.span().start),
                    message,
                }
            })?),
        };
        let when = match &raw_step.when {
            None => None,
            Some(text) => Some(Condition::parse(text.get_ref()).map_err(|(offset, message)| {
                ScenarioError::Malformed {
                    location: locate(string_content_start(source, text.span().start) + offset),
                    message,
                }
            })?),
        };

        let mut actions = Vec::with_capacity(raw_step.actions.len());
        for spanned_text in &raw_step.actions {
            let text = spanned_text.get_ref();
            let content_start = string_content_start(source, spanned_text.span().start);
            let at_character = |offset: usize| {
                let byte = text
                    .char_indices()
                    .nth(offset)
                    .map(|(byte, _)| byte)
                    .unwrap_or(text.len());
                locate(content_start + byte)
            };
            let kind = parse_action(text).map_err(|error| ScenarioError::Malformed {
                location: at_character(error.offset),
                message: error.message,
            })?;
            if let action::ActionKind::Snapshot { name } = &kind {
                if snapshot_names.contains(name) {
                    return Err(ScenarioError::Malformed {
                        location: at_character(0),
                        message: format!("expected a new snapshot name, found \"{name}\" a second time in this scenario"),
                    });
                }
                snapshot_names.push(name.clone());
            }
            let mutating = action::is_mutating(&kind);
            if mutating && !raw_step.mutating {
                return Err(ScenarioError::Malformed {
                    location: at_character(0),
                    message: format!(
                        "`{text}` changes the console: mark step {} {} with `mutating = true`",
                        raw_step.section, raw_step.number
                    ),
                });
            }
            actions.push(Action {
                kind,
                text: text.clone(),
                mutating,
                location: at_character(0),
            });
        }

        let mut mask_text = scenario_masks.clone();
        mask_text.extend(compile_masks(&raw_step.mask_text, source, &locate)?);
        let targets = |list: &[Spanned<String>]| -> Result<Vec<action::Target>, ScenarioError> {
            list.iter()
                .map(|text| {
                    let start = string_content_start(source, text.span().start);
                    action::parse_target(text.get_ref()).map_err(|error| ScenarioError::Malformed {
                        location: locate(start + error.offset),
                        message: error.message,
                    })
                })
                .collect()
        };
        if let Some(ratio) = raw_step.max_diff_ratio {
            if !(0.0..=1.0).contains(&ratio) {
                return Err(ScenarioError::Malformed {
                    location: locate(step_start),
                    message: format!("expected max_diff_ratio between 0 and 1, found {ratio}"),
                });
            }
        }
        let snapshot = SnapshotOptions {
            mask_text,
            mask: targets(&raw_step.mask)?,
            hide: targets(&raw_step.hide)?,
            ignore: targets(&raw_step.ignore)?,
            max_diff_pixels: raw_step.max_diff_pixels,
            max_diff_ratio: raw_step.max_diff_ratio,
        };
        steps.push(Step {
            section: raw_step.section,
            number: raw_step.number,
            guide_words: raw_step.guide,
            note: raw_step.note,
            actions,
            mutating: raw_step.mutating,
            timeout,
            when,
            snapshot,
            location: locate(step_start),
        });
    }

    Ok(Scenario {
        file: file.to_path_buf(),
        title: raw.title,
        guide: raw.guide,
        steps,
    })
}

fn compile_masks(
    patterns: &[Spanned<String>],
    source: &str,
    locate: &impl Fn(usize) -> Location,
) -> Result<Vec<regex::Regex>, ScenarioError> {
    patterns
        .iter()
        .map(|pattern| {
            regex::Regex::new(pattern.get_ref()).map_err(|error| ScenarioError::Malformed {
                location: locate(string_content_start(source, pattern.span().start)),
                message: format!("expected a regular expression in mask_text: {error}"),
            })
        })
        .collect()
}

/// Where a TOML string's content starts, past its opening quote(s).
fn string_content_start(source: &str, literal_start: usize) -> usize {
    let rest = &source[literal_start.min(source.len())..];
    let quote_length = if rest.starts_with("'''") || rest.starts_with("\"\"\"") {
        3
    } else if rest.starts_with('\'') || rest.starts_with('"') {
        1
    } else {
        0
    };
    literal_start + quote_length
}

fn location_at(file: &Path, source: &str, byte_offset: usize) -> Location {
    let before = &source[..byte_offset.min(source.len())];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map(|index| index + 1).unwrap_or(0);
    Location {
        file: PathBuf::from(file),
        line,
        column: before[line_start..].chars().count() + 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{ActionKind, Role};

    const GOOD: &str = r#"title = "Demo"
guide = "enterprise-version/upgrade/upgrade-vmware/non-airgap.md"

[[step]]
section = "Upgrade"
number = 2
guide = "From the left **Main Menu**, select **Enterprise Cluster**."
do = ['click menu item "Enterprise Cluster"', 'select tab "Profile"']

[[step]]
section = "Upgrade"
number = 4
guide = "Click **Update**."
mutating = true
timeout = "2m"
do = ['click button "Update"']
"#;

    fn malformed(source: &str) -> (Location, String) {
        match parse(Path::new("demo.toml"), source) {
            Err(ScenarioError::Malformed { location, message }) => (location, message),
            other => panic!("expected a malformed-scenario error, got {other:?}"),
        }
    }

    #[test]
    fn a_scenario_keeps_the_guides_step_numbers_words_and_locations() {
        let scenario = parse(Path::new("demo.toml"), GOOD).expect("parses");
        assert_eq!(scenario.steps.len(), 2);
        let first = &scenario.steps[0];
        assert_eq!(first.title(), "Upgrade 2");
        assert_eq!(first.actions[1].location.line, 8);
        assert_eq!(first.actions[1].location.column, 48);
        let ActionKind::Click(target) = &first.actions[0].kind else {
            panic!()
        };
        assert_eq!(target.role, Role::MenuItem);
        let second = &scenario.steps[1];
        assert!(second.mutating && second.actions[0].mutating);
        assert_eq!(second.timeout, Some(std::time::Duration::from_secs(120)));
    }

    #[test]
    fn an_action_error_points_into_the_action_string() {
        let source = GOOD.replace("select tab \"Profile\"", "select tabb \"Profile\"");
        let (location, message) = malformed(&source);
        assert_eq!((location.line, location.column), (8, 55));
        assert!(message.contains("expected a role"), "{message}");
        assert!(message.contains("found `tabb`"), "{message}");
    }

    #[test]
    fn an_unmarked_mutating_click_is_refused() {
        let source = GOOD.replace("mutating = true\n", "");
        let (location, message) = malformed(&source);
        assert_eq!(location.line, 15);
        assert!(
            message.contains("mark step Upgrade 4 with `mutating = true`"),
            "{message}"
        );
    }

    #[test]
    fn toml_syntax_errors_carry_line_and_column() {
        let (location, message) = malformed("title = \"x\"\n[[step]\n");
        assert_eq!(location.line, 2);
        assert!(!message.is_empty());
        assert_eq!(location.to_string().split(':').next(), Some("demo.toml"));
    }

    #[test]
    fn unknown_keys_are_named() {
        let source = GOOD.replace("number = 2\n", "number = 2\nnumbr = 3\n");
        let (location, message) = malformed(&source);
        assert_eq!(location.line, 7);
        assert!(message.contains("unknown field `numbr`"), "{message}");
    }

    #[test]
    fn snapshot_options_are_parsed_and_checked() {
        let source = GOOD.replace(
            "timeout = \"2m\"\n",
            "timeout = \"2m\"\nmask_text = ['\\d+\\.\\d+']\nignore = ['pane \"System health\"']\nmax_diff_pixels = 10\n",
        );
        let scenario = parse(Path::new("demo.toml"), &source).expect("parses");
        let options = &scenario.steps[1].snapshot;
        assert_eq!(options.mask_text.len(), 1);
        assert_eq!(options.ignore[0].role, Role::Pane);
        assert_eq!(options.max_diff_pixels, Some(10));

        let (location, message) =
            malformed(&GOOD.replace("timeout = \"2m\"\n", "mask_text = ['(']\n"));
        assert_eq!(location.line, 15);
        assert!(
            message.starts_with("expected a regular expression in mask_text"),
            "{message}"
        );
    }

    #[test]
    fn a_snapshot_name_is_used_once_per_scenario() {
        let source = GOOD.replace(
            "'select tab \"Profile\"'",
            "'snapshot \"profile\"', 'snapshot \"profile\"'",
        );
        let (_, message) = malformed(&source);
        assert!(
            message.contains("found \"profile\" a second time"),
            "{message}"
        );
    }

    #[test]
    fn a_bad_timeout_is_reported_where_it_is_written() {
        let source = GOOD.replace("\"2m\"", "\"soon\"");
        let (location, message) = malformed(&source);
        assert_eq!(location.line, 15);
        assert!(message.contains("expected a duration"), "{message}");
    }
}
