//! A recording as a scenario file: the head (a fresh title, or the `--from` scenario's text up to
//! the step recording starts at, byte for byte) and one `[[step]]` per recorded step, marked
//! `mutating = true` where an action changes the console (the parser's own rule). What could not
//! be written as an action stays in the file as a `# TODO` comment, so the file always passes
//! `check`.

use super::naming::Line;
use super::recording::RecordedStep;
use crate::scenario::action::{is_mutating, parse_action};
use crate::scenario::toml_text::toml_string;

/// What the recorded steps are called.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Numbering {
    pub section: String,
    pub first: u32,
    /// The guide's words for the first recorded step: those of the `--at` step it replaces.
    pub first_guide: Option<String>,
}

/// The head of a fresh recording against `console`.
pub fn fresh_head(console: &str) -> String {
    format!(
        "# Recorded with `palette-harness record` against {console}.\n\
         # Each action names what was acted on as the runner finds it; a `# TODO` line is one it could\n\
         # not name so that exactly that element is found, with the reason.\n\n\
         title = {}\n",
        toml_string(&format!("Recorded on {console}"))
    )
}

/// The scenario text, or `None` while it would hold no action (a file of no step is no scenario).
pub fn render(
    head: &str,
    head_has_steps: bool,
    numbering: &Numbering,
    steps: &[RecordedStep],
) -> Option<String> {
    let mut text = head.trim_end().to_string();
    text.push('\n');
    let mut number = numbering.first;
    let mut any = head_has_steps;
    for step in steps {
        let actions: Vec<&String> = step
            .lines
            .iter()
            .filter_map(|line| match line {
                Line::Action(sentence) => Some(sentence),
                Line::Todo { .. } => None,
            })
            .collect();
        text.push('\n');
        if actions.is_empty() {
            // A step of TODOs alone would have no action: it stays as comments.
            for line in &step.lines {
                text.push_str(&comment(line));
                text.push('\n');
            }
            continue;
        }
        any = true;
        let mutating = actions
            .iter()
            .any(|sentence| parse_action(sentence).is_ok_and(|kind| is_mutating(&kind)));
        text.push_str("[[step]]\n");
        text.push_str(&format!("section = {}\n", toml_string(&numbering.section)));
        text.push_str(&format!("number = {number}\n"));
        let guide = match (&numbering.first_guide, number == numbering.first) {
            (Some(words), true) => words.as_str(),
            _ => "Recorded with palette-harness record.",
        };
        text.push_str(&format!("guide = {}\n", toml_string(guide)));
        if mutating {
            text.push_str("mutating = true\n");
        }
        text.push_str("do = [\n");
        for line in &step.lines {
            match line {
                Line::Action(sentence) => {
                    text.push_str(&format!("  {},\n", toml_string(sentence)));
                }
                Line::Todo { .. } => {
                    text.push_str(&format!("  {}\n", comment(line)));
                }
            }
        }
        text.push_str("]\n");
        number += 1;
    }
    any.then_some(text)
}

fn comment(line: &Line) -> String {
    match line {
        Line::Action(sentence) => format!("# {sentence}"),
        Line::Todo {
            sentence: Some(sentence),
            why,
        } => format!("# TODO: {sentence}  ({})", one_line(why)),
        Line::Todo {
            sentence: None,
            why,
        } => format!("# TODO: {}", one_line(why)),
    }
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Why a `--from` scenario's text cannot be kept up to a step.
#[derive(Debug, thiserror::Error)]
#[error(
    "{}: cannot tell where its steps begin: it has {tables} `[[step]]` lines for {steps} steps; \
     write each step's table header as `[[step]]` on a line of its own",
    file.display()
)]
pub struct StepsNotFound {
    pub file: std::path::PathBuf,
    pub tables: usize,
    pub steps: usize,
}

/// The scenario's text before its step `index` (0-based): its head and earlier steps, as written.
pub fn text_before_step(
    file: &std::path::Path,
    source: &str,
    steps: usize,
    index: usize,
) -> Result<String, StepsNotFound> {
    let mut starts = Vec::new();
    let mut offset = 0;
    for line in source.split_inclusive('\n') {
        let header = line.trim();
        let header = header.split('#').next().unwrap_or_default().trim();
        if header == "[[step]]" {
            starts.push(offset);
        }
        offset += line.len();
    }
    if starts.len() != steps {
        return Err(StepsNotFound {
            file: file.to_path_buf(),
            tables: starts.len(),
            steps,
        });
    }
    let end = starts.get(index).copied().unwrap_or(source.len());
    Ok(source[..end].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn a_recording_is_a_scenario_the_parser_accepts_with_mutating_steps_marked() {
        let steps = vec![
            RecordedStep {
                lines: vec![Line::Action("log in".to_string())],
            },
            RecordedStep {
                lines: vec![Line::Todo {
                    sentence: None,
                    why: "nothing to name".to_string(),
                }],
            },
            RecordedStep {
                lines: vec![
                    Line::Action("click button \"Update\"".to_string()),
                    Line::Todo {
                        sentence: Some("click button \"It's\"".to_string()),
                        why: "ambiguous".to_string(),
                    },
                    Line::Action("type \"it's\" into field \"Name\"".to_string()),
                ],
            },
        ];
        let numbering = Numbering {
            section: "Recorded".to_string(),
            first: 1,
            first_guide: Some("Log in.".to_string()),
        };
        assert_eq!(
            render(&fresh_head("http://x/system"), false, &numbering, &[]),
            None
        );
        let text = render(&fresh_head("http://x/system"), false, &numbering, &steps).expect("text");
        let scenario = crate::scenario::parse(Path::new("recorded.toml"), &text)
            .unwrap_or_else(|error| panic!("{error}\n{text}"));
        assert_eq!(scenario.steps.len(), 2);
        assert!(!scenario.steps[0].mutating && scenario.steps[1].mutating);
        assert_eq!(scenario.steps[1].number, 2);
        assert_eq!(
            (
                scenario.steps[0].guide_words.as_str(),
                scenario.steps[1].guide_words.as_str()
            ),
            ("Log in.", "Recorded with palette-harness record.")
        );
        assert_eq!(
            scenario.steps[1].actions[1].text,
            "type \"it's\" into field \"Name\""
        );
        assert!(text.contains("# TODO: nothing to name"), "{text}");
        assert!(
            text.contains("  # TODO: click button \"It's\"  (ambiguous)"),
            "{text}"
        );
    }

    #[test]
    fn the_text_before_a_step_is_the_file_as_written_up_to_its_table() {
        let source = "title = 'x'\n\n[[step]]\nsection = 'A'\n\n[[step]] # two\nsection = 'B'\n";
        let file = Path::new("s.toml");
        assert_eq!(
            text_before_step(file, source, 2, 1).expect("found"),
            "title = 'x'\n\n[[step]]\nsection = 'A'\n\n"
        );
        assert_eq!(
            text_before_step(file, source, 2, 0).expect("found"),
            "title = 'x'\n\n"
        );
        assert!(text_before_step(file, source, 3, 0).is_err());
    }
}
