//! Scenario files: TOML read through serde with spans, so that every problem is reported at its
//! file:line:column with what was expected.

use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use super::action::{self, parse_action};
use super::source::SourceText;
use super::{
    parse_duration, Action, Condition, HighlightStyle, Location, ReferenceConsole, Scenario,
    ScenarioError, SnapshotOptions, Step,
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
    highlight: Option<RawHighlight>,
    reference_console: Option<RawReferenceConsole>,
}

/// `[reference_console]`: what the built-in console imitates for this scenario.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawReferenceConsole {
    product: Option<Spanned<String>>,
    #[serde(default)]
    airgap: bool,
}

/// How screenshots draw their highlights: `[highlight]` at the top of a scenario.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHighlight {
    color: Option<Spanned<String>>,
    width: Option<u32>,
    padding: Option<u32>,
    radius: Option<u32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStep {
    section: String,
    number: u32,
    guide: String,
    #[serde(rename = "do", default)]
    actions: Vec<Spanned<String>>,
    /// Where a step the harness cannot do happens (vCenter, the airgap support VM).
    outside: Option<Spanned<String>>,
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

/// The largest scenario file read: far above any guide's (the VMware one is 5 KB).
const LARGEST_FILE: u64 = 8 * 1024 * 1024;

/// Reads and parses a scenario file.
pub fn load(path: &Path) -> Result<Scenario, ScenarioError> {
    let unreadable = |source| ScenarioError::Unreadable {
        path: path.to_path_buf(),
        source,
    };
    let size = std::fs::metadata(path).map_err(unreadable)?.len();
    if size > LARGEST_FILE {
        return Err(ScenarioError::Malformed {
            location: Location {
                file: path.to_path_buf(),
                line: 1,
                column: 1,
            },
            message: format!("expected a scenario file of at most 8 MiB, found {size} bytes"),
        });
    }
    let bytes = std::fs::read(path).map_err(unreadable)?;
    parse_bytes(path, &bytes)
}

/// Parses a scenario file's bytes: text that is not UTF-8 is refused at the first invalid byte.
pub fn parse_bytes(file: &Path, bytes: &[u8]) -> Result<Scenario, ScenarioError> {
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) => {
            // The position of the first invalid byte, counted in the valid text before it.
            let valid = std::str::from_utf8(&bytes[..error.valid_up_to()]).unwrap_or_default();
            let location = SourceText::new(file, valid).location(valid.len());
            return Err(ScenarioError::Malformed {
                location,
                message: format!(
                    "expected UTF-8 text, found the byte 0x{:02x} that is not",
                    bytes[error.valid_up_to()]
                ),
            });
        }
    };
    parse(file, text)
}

/// Parses scenario text; `file` is only used to name locations.
pub fn parse(file: &Path, source: &str) -> Result<Scenario, ScenarioError> {
    // Editors do not count a byte-order mark as a column.
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    let text = SourceText::new(file, source);
    let locate = |byte_offset: usize| text.location(byte_offset);
    let raw: RawScenario = toml::from_str(source).map_err(|error| {
        let at = error.span().map(|span| span.start).unwrap_or(0);
        ScenarioError::Malformed {
            location: locate(at),
            message: reworded(source, at, error.message()),
        }
    })?;
    if raw.steps.is_empty() {
        return Err(ScenarioError::Malformed {
            location: locate(source.len()),
            message: "expected at least one [[step]] table".to_string(),
        });
    }

    let scenario_masks = compile_masks(&raw.mask_text, &text)?;
    let mut snapshot_names: Vec<String> = Vec::new();
    let mut steps = Vec::with_capacity(raw.steps.len());
    for spanned_step in raw.steps {
        let step_start = spanned_step.span().start;
        let raw_step = spanned_step.into_inner();
        let outside = raw_step
            .outside
            .as_ref()
            .map(|place| place.get_ref().trim().to_string());
        match (&outside, raw_step.actions.first()) {
            (None, None) => {
                return Err(ScenarioError::Malformed {
                    location: locate(step_start),
                    message: format!(
                        "expected `do = [...]` with at least one action in step {} {} (or `outside = \"…\"` for a step done outside the console)",
                        raw_step.section, raw_step.number
                    ),
                })
            }
            (Some(place), _) if place.is_empty() => {
                return Err(ScenarioError::Malformed {
                    location: locate(raw_step.outside.as_ref().map_or(step_start, |place| place.span().start)),
                    message: "expected where the step happens, such as `outside = \"vCenter\"`".to_string(),
                })
            }
            (Some(place), Some(action)) => {
                return Err(ScenarioError::Malformed {
                    location: locate(action.span().start),
                    message: format!(
                        "expected no actions in step {} {}: it happens outside the console (`outside = \"{place}\"`)",
                        raw_step.section, raw_step.number
                    ),
                })
            }
            _ => {}
        }
        let timeout = match &raw_step.timeout {
            None => None,
            Some(duration) => Some(parse_duration(duration.get_ref()).map_err(|message| {
                ScenarioError::Malformed {
                    location: locate(duration.span().start),
                    message: message.to_string(),
                }
            })?),
        };
        let when = match &raw_step.when {
            None => None,
            Some(condition) => Some(Condition::parse(condition.get_ref()).map_err(
                |(offset, message)| {
                    let characters = condition.get_ref()[..offset].chars().count();
                    ScenarioError::Malformed {
                        location: locate(text.string_char(condition.span().start, characters)),
                        message,
                    }
                },
            )?),
        };

        let mut actions = Vec::with_capacity(raw_step.actions.len());
        for spanned_text in &raw_step.actions {
            let action_text = spanned_text.get_ref();
            let literal_start = spanned_text.span().start;
            let at_character = |offset: usize| locate(text.string_char(literal_start, offset));
            let kind = parse_action(action_text).map_err(|error| ScenarioError::Malformed {
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
                        "expected `mutating = true` on step {} {}: `{action_text}` changes the console",
                        raw_step.section, raw_step.number
                    ),
                });
            }
            actions.push(Action {
                kind,
                text: action_text.clone(),
                mutating,
                location: at_character(0),
            });
        }

        let mut mask_text = scenario_masks.clone();
        mask_text.extend(compile_masks(&raw_step.mask_text, &text)?);
        let targets = |list: &[Spanned<String>]| -> Result<Vec<action::Target>, ScenarioError> {
            list.iter()
                .map(|target| {
                    action::parse_target(target.get_ref()).map_err(|error| {
                        ScenarioError::Malformed {
                            location: locate(text.string_char(target.span().start, error.offset)),
                            message: error.message,
                        }
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
            outside,
            location: locate(step_start),
        });
    }

    if steps.iter().all(|step| step.actions.is_empty()) {
        return Err(ScenarioError::Malformed {
            location: locate(source.len()),
            message: "expected at least one step done in the console (with `do = [...]`); every step is `outside`".to_string(),
        });
    }
    let highlight = match raw.highlight {
        None => HighlightStyle::default(),
        Some(raw_highlight) => highlight_style(raw_highlight, &text)?,
    };
    let reference_console = match raw.reference_console {
        None => ReferenceConsole::default(),
        Some(console) => ReferenceConsole {
            vertex: match &console.product {
                None => false,
                Some(product) => match product.get_ref().to_ascii_lowercase().as_str() {
                    "palette" => false,
                    "vertex" => true,
                    other => {
                        return Err(ScenarioError::Malformed {
                            location: text.location(product.span().start),
                            message: format!(
                            "expected `product` to be \"palette\" or \"vertex\", found \"{other}\""
                        ),
                        })
                    }
                },
            },
            airgap: console.airgap,
        },
    };
    Ok(Scenario {
        file: file.to_path_buf(),
        title: raw.title,
        guide: raw.guide,
        steps,
        highlight,
        reference_console,
    })
}

fn highlight_style(raw: RawHighlight, text: &SourceText) -> Result<HighlightStyle, ScenarioError> {
    let default = HighlightStyle::default();
    let color = match &raw.color {
        None => default.color,
        Some(color) => parse_color(color.get_ref()).ok_or_else(|| ScenarioError::Malformed {
            location: text.location(color.span().start),
            message: format!(
                "expected `color` to be a colour in quotes such as \"#e0204a\", found \"{}\"",
                color.get_ref()
            ),
        })?,
    };
    Ok(HighlightStyle {
        color,
        width: raw.width.unwrap_or(default.width).clamp(1, 64),
        padding: raw.padding.unwrap_or(default.padding).min(256),
        radius: raw.radius.unwrap_or(default.radius).min(256),
    })
}

/// `#rrggbb` (or `#rgb`) as red, green, blue.
fn parse_color(text: &str) -> Option<[u8; 3]> {
    let hex = text.trim().strip_prefix('#')?;
    let digits: Vec<u8> = hex
        .chars()
        .map(|digit| digit.to_digit(16).map(|value| value as u8))
        .collect::<Option<_>>()?;
    match digits.as_slice() {
        [r, g, b] => Some([r * 17, g * 17, b * 17]),
        [r1, r2, g1, g2, b1, b2] => Some([r1 * 16 + r2, g1 * 16 + g2, b1 * 16 + b2]),
        _ => None,
    }
}

fn compile_masks(
    patterns: &[Spanned<String>],
    text: &SourceText,
) -> Result<Vec<regex::Regex>, ScenarioError> {
    patterns
        .iter()
        .map(|pattern| {
            regex::Regex::new(pattern.get_ref()).map_err(|error| ScenarioError::Malformed {
                location: text.location(text.string_char(pattern.span().start, 0)),
                message: format!(
                    "expected a regular expression in mask_text: {}",
                    error.to_string().lines().last().unwrap_or("").trim()
                ),
            })
        })
        .collect()
}

/// What each key of a scenario holds, in the scenario's words.
const KEYS: [(&str, &str); 25] = [
    ("title", "the guide's title in quotes"),
    (
        "guide",
        "text in quotes: the guide's words (at the top: the guide's path in the docs)",
    ),
    (
        "section",
        "the guide's section name in quotes, such as \"Upgrade\"",
    ),
    (
        "number",
        "the guide's step number, a whole number such as 4",
    ),
    (
        "do",
        "a list of actions in quotes, such as ['click button \"Update\"']",
    ),
    ("note", "text in quotes"),
    ("mutating", "true or false"),
    ("timeout", "a duration in quotes such as \"30s\" or \"2m\""),
    (
        "when",
        "a condition in quotes such as \"target_kubernetes != installed_kubernetes\"",
    ),
    (
        "mask_text",
        "a list of regular expressions in quotes, such as ['\\d+ days']",
    ),
    (
        "mask",
        "a list of targets in quotes, such as ['pane \"System health\"']",
    ),
    (
        "hide",
        "a list of targets in quotes, such as ['pane \"System health\"']",
    ),
    (
        "ignore",
        "a list of targets in quotes, such as ['pane \"System health\"']",
    ),
    ("max_diff_pixels", "a whole number of pixels such as 10"),
    ("max_diff_ratio", "a number between 0 and 1 such as 0.001"),
    ("step", "[[step]] tables"),
    (
        "outside",
        "where the step happens, in quotes, such as \"vCenter\"",
    ),
    (
        "highlight",
        "a [highlight] table with color, width, padding and radius",
    ),
    ("color", "a colour in quotes such as \"#e0204a\""),
    ("width", "a whole number of pixels such as 3"),
    ("padding", "a whole number of pixels such as 6"),
    ("radius", "a whole number of pixels such as 6"),
    (
        "reference_console",
        "a [reference_console] table with product and airgap",
    ),
    ("product", "\"palette\" or \"vertex\" in quotes"),
    ("airgap", "true or false"),
];

/// The TOML layer's message in the scenario's words: what the key holds, a "did you mean" for an
/// unknown key, one line.
fn reworded(source: &str, at: usize, message: &str) -> String {
    let message = message.trim();
    let first_line = message.lines().next().unwrap_or_default().trim();
    if let Some(rest) = first_line.strip_prefix("unknown field `") {
        let unknown = rest.split('`').next().unwrap_or_default();
        let known: Vec<&str> = KEYS
            .iter()
            .map(|(key, _)| *key)
            .filter(|key| !key.is_empty())
            .collect();
        return match super::source::did_you_mean(unknown, known.iter().copied()) {
            Some(close) => {
                format!("expected a known key, found `{unknown}`: did you mean `{close}`?")
            }
            None => format!(
                "expected one of the keys {}, found `{unknown}`",
                known.join(", ")
            ),
        };
    }
    if let Some(rest) = first_line.strip_prefix("missing field `") {
        let missing = rest.split('`').next().unwrap_or_default();
        let holds = KEYS
            .iter()
            .find(|(key, _)| *key == missing)
            .map(|(_, holds)| *holds)
            .unwrap_or("a value");
        return format!("expected `{missing} = …` in this table: {holds}");
    }
    if first_line.starts_with("invalid type") || first_line.starts_with("invalid value") {
        // The key is what stands before `=` on the value's line.
        let line_start = source[..at.min(source.len())]
            .rfind('\n')
            .map_or(0, |index| index + 1);
        let key = source[line_start..at.min(source.len())]
            .split('=')
            .next()
            .unwrap_or_default()
            .trim();
        if let Some((_, holds)) = KEYS
            .iter()
            .find(|(known, _)| !known.is_empty() && *known == key)
        {
            let found = first_line
                .split(", expected")
                .next()
                .unwrap_or_default()
                .trim_start_matches("invalid type: ")
                .trim_start_matches("invalid value: ");
            return format!("expected `{key}` to be {holds}, found {found}");
        }
    }
    // A value TOML cannot read, on a `key = value` line of a known key: what the key holds.
    let at = at.min(source.len());
    let line_start = source[..at].rfind('\n').map_or(0, |index| index + 1);
    let line_end = source[at..]
        .find('\n')
        .map_or(source.len(), |index| at + index);
    if let Some((key, value)) = source[line_start..line_end].split_once('=') {
        let key = key.trim();
        let value_start = line_start + source[line_start..line_end].find('=').unwrap_or(0) + 1;
        if at >= value_start {
            if let Some((_, holds)) = KEYS.iter().find(|(known, _)| *known == key) {
                return format!("expected `{key}` to be {holds}, found `{}`", value.trim());
            }
        }
    }
    // A TOML syntax error: its own first line, and where it points.
    let message: Vec<&str> = message
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect();
    let joined = message.join("; ");
    if joined.starts_with("expected") {
        joined
    } else {
        format!("expected valid TOML: {joined}")
    }
}

#[cfg(test)]
mod tests;
