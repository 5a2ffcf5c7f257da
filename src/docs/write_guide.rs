//! `guide`: a scenario written back as a guide, in the docs' house style (Docusaurus Markdown as
//! librarium writes it): front matter with the title, `## Section` headings, numbered steps with
//! the UI labels in bold, continuation lines indented under the number and wrapped at 120
//! columns, an image line for each screenshot (`![alt](/name.webp)`, the alt text saying what is
//! highlighted, in the words `docs draft` reads back), a step's `note` as a `:::info`
//! admonition. A step's `guide` words are used as they are; a step without them gets sentences
//! made from its actions. Pure: a scenario in, Markdown out.

use std::fmt::Write as _;

use crate::scenario::{ActionKind, Role, Scenario, Step, Target};

/// The width the docs wrap their prose at (librarium's Prettier `printWidth`).
const WIDTH: usize = 120;

/// The guide of `scenario`, as Markdown.
pub fn write(scenario: &Scenario) -> String {
    let product = if scenario.reference_console.vertex {
        "Palette VerteX"
    } else {
        "Palette"
    };
    let mut markdown = String::new();
    let _ = writeln!(markdown, "---");
    let _ = writeln!(
        markdown,
        "sidebar_label: {}",
        yaml_string(&sidebar_label(scenario))
    );
    let _ = writeln!(markdown, "title: {}", yaml_string(&scenario.title));
    let _ = writeln!(markdown, "---");
    let mut section: Option<&str> = None;
    let mut expected_number = 0;
    for step in &scenario.steps {
        if section != Some(step.section.as_str()) {
            let _ = write!(markdown, "\n## {}\n", step.section);
            section = Some(step.section.as_str());
        } else if step.number != expected_number {
            // Markdown numbers a list's items by counting: a gap in the scenario's numbers ends
            // the list, so that the next one starts at the step's own number.
            let _ = write!(
                markdown,
                "\n:::info\n\nSteps {} to {} of this section are not in the scenario.\n\n:::\n",
                expected_number,
                step.number.saturating_sub(1)
            );
        }
        expected_number = step.number + 1;
        write_step(&mut markdown, step, product);
    }
    markdown
}

/// The sidebar's label: the guide's file name (`non-airgap.md` → `Non-airgap`), else the title.
fn sidebar_label(scenario: &Scenario) -> String {
    let stem = scenario
        .guide
        .as_deref()
        .and_then(|guide| std::path::Path::new(guide).file_stem())
        .map(|stem| stem.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut characters = stem.chars();
    match characters.next() {
        Some(first) => first.to_uppercase().chain(characters).collect(),
        None => scenario.title.clone(),
    }
}

fn write_step(markdown: &mut String, step: &Step, product: &str) {
    let marker = format!("{}. ", step.number);
    let indent = " ".repeat(marker.len());
    let words = step
        .guide_words
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let words = if !words.is_empty() {
        words
    } else if let Some(place) = &step.outside {
        format!("Do this step outside the system console, in {place}.")
    } else {
        let sentences: Vec<String> = step
            .actions
            .iter()
            .filter_map(|action| sentence_of(&action.kind, product))
            .collect();
        sentences.join(" ")
    };
    let _ = writeln!(markdown);
    markdown.push_str(&wrapped(&words, &marker, &indent));
    for action in &step.actions {
        if let ActionKind::Screenshot(shot) = &action.kind {
            let alt = alt_text(&shot.highlight, product);
            let _ = write!(markdown, "\n{indent}![{alt}](/{})\n", shot.image_name);
        }
    }
    if let Some(note) = &step.note {
        let _ = write!(markdown, "\n{indent}:::info\n\n");
        markdown.push_str(&wrapped(note, &indent, &indent));
        let _ = write!(markdown, "\n{indent}:::\n");
    }
}

/// What an image shows, as the guides' alt texts say it: `Self-hosted Palette system console
/// with the Update button highlighted.`
pub fn alt_text(highlight: &[Target], product: &str) -> String {
    let mut alt = format!("Self-hosted {product} system console");
    if !highlight.is_empty() {
        let shown: Vec<String> = highlight
            .iter()
            .map(|target| match &target.label {
                Some(label) => format!("the {label} {}", target.role.words()),
                None => format!("the {}", target.role.words()),
            })
            .collect();
        let _ = write!(alt, " with {} highlighted", shown.join(" and "));
    }
    alt.push('.');
    alt.replace('[', "\\[").replace(']', "\\]")
}

/// The guide's sentence for an action, when a person does something for it.
pub fn sentence_of(kind: &ActionKind, product: &str) -> Option<String> {
    let bold = |target: &Target| format!("**{}**", target.label.as_deref().unwrap_or(""));
    let sentence = match kind {
        ActionKind::LogIn => format!("Log in to the {product} system console."),
        ActionKind::Click(target) => within(target, click_sentence(target)),
        ActionKind::Expect(target) if target.role == Role::Text => {
            within(target, format!("{product} displays {}.", bold(target)))
        }
        ActionKind::Expect(target) => within(
            target,
            format!("{product} displays the {} {}.", bold(target), target.role.words()),
        ),
        ActionKind::Type { text, into } => format!(
            "In the {} {}, enter `{text}`.",
            bold(into),
            into.role.words()
        ),
        ActionKind::Screenshot(_) | ActionKind::Snapshot { .. } => return None,
        ActionKind::BackUpLayer { layer } => format!(
            "Copy the configuration of the **{layer}** layer to an external location for backup."
        ),
        ActionKind::Merge { from, into, .. } => format!(
            "Transfer your customizations from the {} pane to the {} pane.",
            bold(from),
            bold(into)
        ),
        ActionKind::CheckLayerKept { layer, .. } => format!(
            "Select the **{layer}** layer and check that your customizations are still there."
        ),
        ActionKind::ReadInstalledVersion => "Note the installed version.".to_string(),
        ActionKind::CheckUpgradePath => {
            "Check that the offered version is a supported upgrade path.".to_string()
        }
        ActionKind::ExpectUpgradedVersion => format!("Check that {product} shows the new version."),
        ActionKind::ReplaceWithSupportValues { layer } => format!(
            "Replace the configuration of the **{layer}** layer with the values you received from our support team."
        ),
        ActionKind::WaitUntilUnlocked { .. } => {
            "The system console locks for a couple of minutes while the upgrade is applied."
                .to_string()
        }
    };
    Some(sentence)
}

/// How the guides say a click, by role.
fn click_sentence(target: &Target) -> String {
    let Some(label) = &target.label else {
        return format!("Select the {}.", target.role.words());
    };
    match target.role {
        Role::MenuItem => format!("From the left **Main Menu**, select **{label}**."),
        Role::Button => format!("Click **{label}**."),
        Role::Link => format!("Click the **{label}** link."),
        Role::Dropdown => format!("Open the **{label}** drop-down."),
        Role::Tab | Role::Layer | Role::Row | Role::Cell | Role::Field => {
            format!("Select the **{label}** {}.", target.role.words())
        }
        Role::Dialog | Role::Pane | Role::Editor | Role::Heading | Role::Text => {
            format!("Select **{label}**.")
        }
    }
}

/// `In the **Palette version update** dialog, click **Confirm**.` for a target inside another.
fn within(target: &Target, sentence: String) -> String {
    let Some(outer) = &target.within else {
        return sentence;
    };
    let mut characters = sentence.chars();
    let lowered: String = match characters.next() {
        // `From the left …` reads on as `from the left …`; a bold label keeps its case.
        Some(first) if sentence.starts_with("**") => {
            std::iter::once(first).chain(characters).collect()
        }
        Some(first) => first.to_lowercase().chain(characters).collect(),
        None => String::new(),
    };
    let place = match &outer.label {
        Some(label) => format!("the **{label}** {}", outer.role.words()),
        None => format!("the {}", outer.role.words()),
    };
    format!("In {place}, {lowered}")
}

/// Words wrapped at [`WIDTH`]: the first line after `first`, the others after `indent`. A line
/// never starts with what Markdown would read as a block (`>`, `-`, `+`, `*`, `#`, `1.`, `:::`,
/// `<`, `|`, `=`): such a word stays on the line before, even past the width.
fn wrapped(text: &str, first: &str, indent: &str) -> String {
    let mut out = String::new();
    let mut line = first.to_string();
    let mut line_has_words = false;
    for word in text.split_whitespace() {
        let fits = line.chars().count() + 1 + word.chars().count() <= WIDTH;
        if line_has_words && !fits && !starts_a_block(word) {
            out.push_str(line.trim_end());
            out.push('\n');
            line = indent.to_string();
            line_has_words = false;
        }
        if line_has_words {
            line.push(' ');
        }
        line.push_str(word);
        line_has_words = true;
    }
    out.push_str(line.trim_end());
    out.push('\n');
    out
}

fn starts_a_block(word: &str) -> bool {
    let digits = word.chars().take_while(char::is_ascii_digit).count();
    let numbered = digits > 0 && matches!(word[digits..].chars().next(), Some('.' | ')'));
    let all = |mark: char| word.chars().all(|character| character == mark);
    numbered
        || matches!(word, "*" | "-" | "+")
        || all('#')
        || all('=')
        || all('-')
        || word.starts_with(['>', '<', '|'])
        || word.starts_with(":::")
        || word.starts_with("```")
        || word.starts_with("~~~")
}

/// A YAML double-quoted scalar.
fn yaml_string(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::docs::{draft, guide};

    fn scenario(toml: &str) -> Scenario {
        crate::scenario::parse(std::path::Path::new("scenario.toml"), toml)
            .unwrap_or_else(|error| panic!("{error}"))
    }

    fn target(role: Role, label: &str) -> Target {
        Target {
            role,
            label: Some(label.to_string()),
            within: None,
        }
    }

    #[test]
    fn each_action_is_said_as_the_guides_say_it() {
        let said = |kind: ActionKind| sentence_of(&kind, "Palette").unwrap_or_default();
        assert_eq!(
            said(ActionKind::Click(target(
                Role::MenuItem,
                "Enterprise Cluster"
            ))),
            "From the left **Main Menu**, select **Enterprise Cluster**."
        );
        assert_eq!(
            said(ActionKind::Click(target(Role::Tab, "Profile"))),
            "Select the **Profile** tab."
        );
        assert_eq!(
            said(ActionKind::Click(target(Role::Button, "Update"))),
            "Click **Update**."
        );
        assert_eq!(
            said(ActionKind::Expect(target(Role::Text, "All good"))),
            "Palette displays **All good**."
        );
        assert_eq!(
            said(ActionKind::Click(Target {
                within: Some(Box::new(target(Role::Dialog, "Palette version update"))),
                ..target(Role::Button, "Confirm")
            })),
            "In the **Palette version update** dialog, click **Confirm**."
        );
        assert_eq!(
            said(ActionKind::Type {
                text: "ops".to_string(),
                into: target(Role::Field, "Username"),
            }),
            "In the **Username** field, enter `ops`."
        );
        assert_eq!(
            said(ActionKind::LogIn),
            "Log in to the Palette system console."
        );
        assert_eq!(
            sentence_of(
                &ActionKind::Snapshot {
                    name: "a".to_string()
                },
                "Palette"
            ),
            None
        );
        assert_eq!(
            alt_text(
                &[
                    target(Role::Editor, "Incoming changes"),
                    target(Role::Editor, "Current configuration")
                ],
                "Palette VerteX"
            ),
            "Self-hosted Palette VerteX system console with the Incoming changes editor and the Current configuration editor highlighted."
        );
    }

    #[test]
    fn steps_without_words_read_back_as_the_same_clicks() {
        let toml = r#"
title = "Round Trip"
guide = "round/trip.md"

[[step]]
section = "Upgrade"
number = 1
guide = ""
mutating = true
do = [
  'log in',
  'click menu item "Administration"',
  'click tab "Pack Registries"',
  'click button "Menu"',
  'click menu item "Sync"',
  'screenshot "sync.webp" highlighting button "Menu"',
  'expect text "Synced"',
]

[[step]]
section = "Upgrade"
number = 2
guide = ""
mutating = true
do = [
  'select layer "Kubernetes" in dialog "Palette version update"',
  'click button "Confirm" in dialog "Palette version update"',
  'wait until unlocked',
]
"#;
        let original = scenario(toml);
        let markdown = write(&original);
        let read = guide::read(&markdown);
        let drafted = draft::draft(&read, "Round Trip", "round/trip.md").expect("a draft");
        let again = scenario(&drafted.toml);
        let sentences = |scenario: &Scenario| -> Vec<Vec<String>> {
            scenario
                .steps
                .iter()
                .map(|step| {
                    step.actions
                        .iter()
                        .filter(|action| !matches!(action.kind, ActionKind::Screenshot(_)))
                        .map(|action| action.text.clone())
                        .collect()
                })
                .collect()
        };
        assert_eq!(
            sentences(&again),
            sentences(&original),
            "{markdown}\n{}",
            drafted.toml
        );
        assert!(markdown.contains(
            "![Self-hosted Palette system console with the Menu button highlighted.](/sync.webp)"
        ));
    }

    #[test]
    fn a_gap_in_the_numbers_ends_the_list_and_no_line_starts_a_block() {
        let long = format!("{} select **A** > **B**.", "word ".repeat(21));
        let toml = format!(
            "title = \"T\"\n\n[[step]]\nsection = \"Upgrade\"\nnumber = 1\nguide = \"{long}\"\ndo = ['log in']\n\n\
             [[step]]\nsection = \"Upgrade\"\nnumber = 4\nguide = \"Click **Go**.\"\nnote = \"Why.\"\ndo = ['click button \"Go\"']\n"
        );
        let markdown = write(&scenario(&toml));
        assert!(
            markdown
                .lines()
                .all(|line| !line.trim_start().starts_with('>')),
            "{markdown}"
        );
        let read = guide::read(&markdown);
        let numbers: Vec<u64> = read.steps.iter().map(|step| step.number).collect();
        assert_eq!(numbers, [1, 4], "{markdown}");
        assert!(
            markdown.contains("\n   :::info\n\n   Why.\n\n   :::\n"),
            "{markdown}"
        );
        assert_eq!(read.steps[0].bold, ["A", "B"]);
    }
}
