//! The page's events in order, as steps: each press, choice and typing as a line
//! ([`super::naming`]), `log in` for whatever is done on a login form, `expect dialog` when a
//! dialog opens, `wait until unlocked` when the console locks. A step ends at a navigation (the
//! next event is on another address), before a dialog's `expect`, and after the lock.

use super::naming::{name_dialog, name_press, name_text, name_typing, Line, Seen, Verb};
use crate::locate::Candidate;

/// One event the page queued (`recorder.js`).
#[derive(Clone, Debug, serde::Deserialize)]
pub struct PageEvent {
    /// `click`, `expect`, `choose`, `type`, `login`, or `unreadable`.
    pub kind: String,
    #[serde(default)]
    pub seen: Option<Seen>,
    /// What was typed (`type`), or the text pointed at (`expect`).
    #[serde(default)]
    pub text: String,
    /// Why the page could not read the event (`unreadable`).
    #[serde(default)]
    pub why: String,
    /// The dialogs open at that moment.
    #[serde(default)]
    pub dialogs: Vec<Candidate>,
    pub url: String,
}

/// One drain of the page's queue: its events, the dialogs open now, the page's address.
#[derive(Clone, Debug, serde::Deserialize)]
pub struct Drained {
    pub events: Vec<PageEvent>,
    pub dialogs: Vec<Candidate>,
    pub url: String,
}

/// A recorded step: its lines in order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RecordedStep {
    pub lines: Vec<Line>,
}

/// The recording so far.
#[derive(Debug, Default)]
pub struct Recording {
    steps: Vec<RecordedStep>,
    /// The address of the last event.
    last_url: Option<String>,
    /// The names of the dialogs open when the page was last seen.
    open_dialogs: Vec<String>,
    /// The console showed its lock when last seen.
    locked: bool,
    /// The next line starts a step (after a lock).
    cut: bool,
}

impl Recording {
    pub fn steps(&self) -> &[RecordedStep] {
        &self.steps
    }

    /// How many actions (not TODOs) were recorded.
    pub fn actions(&self) -> usize {
        self.lines()
            .filter(|line| matches!(line, Line::Action(_)))
            .count()
    }

    /// How many lines could not be written as actions.
    pub fn todos(&self) -> usize {
        self.lines()
            .filter(|line| matches!(line, Line::Todo { .. }))
            .count()
    }

    fn lines(&self) -> impl Iterator<Item = &Line> {
        self.steps.iter().flat_map(|step| &step.lines)
    }

    /// Takes one drain of the page and whether the console is locked now; true when a line was
    /// added.
    pub fn take(&mut self, drained: Drained, locked: bool) -> bool {
        let before = self.lines().count();
        for event in drained.events {
            self.event(event);
        }
        if locked && !self.locked {
            self.push(Line::Action("wait until unlocked".to_string()));
            self.cut = true;
        }
        self.locked = locked;
        self.dialogs_now(&drained.dialogs);
        self.lines().count() != before
    }

    fn event(&mut self, event: PageEvent) {
        // The dialogs the page showed before this event opened before it.
        self.dialogs_now(&event.dialogs);
        if self
            .last_url
            .as_ref()
            .is_some_and(|last| *last != event.url)
        {
            self.cut = true;
        }
        self.last_url = Some(event.url.clone());
        let line = match event.kind.as_str() {
            "login" => {
                // One `log in` for the whole form: its fields, its button, its Enter.
                if self.last_line() == Some(&Line::Action("log in".to_string())) {
                    return;
                }
                Some(Line::Action("log in".to_string()))
            }
            "click" | "choose" => event
                .seen
                .as_ref()
                .and_then(|seen| name_press(seen, Verb::Act)),
            "expect" => event
                .seen
                .as_ref()
                .and_then(|seen| name_press(seen, Verb::Expect))
                .filter(|line| matches!(line, Line::Action(_)))
                .or_else(|| name_text(&event.text)),
            "type" => event
                .seen
                .as_ref()
                .map(|seen| name_typing(&event.text, seen)),
            _ => Some(Line::Todo {
                sentence: None,
                why: format!("the page could not read an action: {}", event.why),
            }),
        };
        if let Some(line) = line {
            self.push(line);
        }
    }

    /// `expect dialog` for each dialog open now that was not before (none during the lock: its
    /// screen is no dialog of the guide's).
    /// Only dialogs the markup makes dialogs count: a fixed box with a title (a login card) only
    /// looks like one.
    fn dialogs_now(&mut self, dialogs: &[Candidate]) {
        let names: Vec<String> = dialogs
            .iter()
            .map(|dialog| dialog.display_name().to_string())
            .collect();
        if !self.locked {
            for (index, name) in names.iter().enumerate() {
                if !dialogs[index].fallback && !self.open_dialogs.contains(name) {
                    self.cut = true;
                    self.push(name_dialog(dialogs, index));
                }
            }
        }
        self.open_dialogs = names;
    }

    fn last_line(&self) -> Option<&Line> {
        self.steps.last().and_then(|step| step.lines.last())
    }

    fn push(&mut self, line: Line) {
        if self.cut || self.steps.is_empty() {
            self.cut = false;
            if self.steps.last().is_none_or(|step| !step.lines.is_empty()) {
                self.steps.push(RecordedStep::default());
            }
        }
        if let Some(step) = self.steps.last_mut() {
            step.lines.push(line);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::naming::RoleSeen;

    fn named(name: &str) -> Candidate {
        Candidate {
            names: vec![name.to_string()],
            description: "button".to_string(),
            parent: -1,
            ..Candidate::default()
        }
    }

    fn click(label: &str, url: &str, dialogs: &[&str]) -> PageEvent {
        PageEvent {
            kind: "click".to_string(),
            seen: Some(Seen {
                roles: vec![RoleSeen {
                    role: "button".to_string(),
                    candidates: vec![named(label)],
                    index: 0,
                    first_line: label.to_string(),
                    scoped: None,
                }],
                dialogs: Vec::new(),
                dialog: -1,
            }),
            text: String::new(),
            why: String::new(),
            dialogs: dialogs.iter().map(|name| named(name)).collect(),
            url: url.to_string(),
        }
    }

    fn login(url: &str) -> PageEvent {
        PageEvent {
            kind: "login".to_string(),
            seen: None,
            text: String::new(),
            why: String::new(),
            dialogs: Vec::new(),
            url: url.to_string(),
        }
    }

    fn drained(events: Vec<PageEvent>, dialogs: &[&str]) -> Drained {
        Drained {
            events,
            dialogs: dialogs.iter().map(|name| named(name)).collect(),
            url: String::new(),
        }
    }

    fn texts(recording: &Recording) -> Vec<Vec<String>> {
        recording
            .steps()
            .iter()
            .map(|step| {
                step.lines
                    .iter()
                    .map(|line| match line {
                        Line::Action(sentence) => sentence.clone(),
                        Line::Todo { why, .. } => format!("TODO {why}"),
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn steps_are_cut_at_navigations_dialogs_and_the_lock() {
        let mut recording = Recording::default();
        recording.take(drained(vec![login("/login"), login("/login")], &[]), false);
        recording.take(
            drained(
                vec![
                    click("Update", "/updates", &[]),
                    click("OS", "/updates", &["Palette version update"]),
                ],
                &["Palette version update"],
            ),
            false,
        );
        recording.take(
            drained(
                vec![click("Confirm", "/updates", &["Palette version update"])],
                &["Locked"],
            ),
            true,
        );
        recording.take(drained(vec![login("/login")], &[]), false);
        assert_eq!(
            texts(&recording),
            [
                vec!["log in"],
                vec!["click button \"Update\""],
                vec![
                    "expect dialog \"Palette version update\"",
                    "click button \"OS\"",
                    "click button \"Confirm\"",
                    "wait until unlocked"
                ],
                vec!["log in"],
            ]
        );
        assert_eq!((recording.actions(), recording.todos()), (7, 0));
    }
}
