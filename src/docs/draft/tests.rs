use super::rules::{self, Drafted, StepContext};
use super::*;
use crate::docs::guide;

fn actions(sentence: &str) -> Vec<String> {
    let mut context = StepContext::default();
    rules::translate(sentence, &mut context)
        .actions
        .iter()
        .map(action_sentence)
        .collect()
}

#[test]
fn each_label_becomes_the_action_its_verb_and_noun_say() {
    let cases: [(&str, &[&str]); 11] = [
        (
            "From the left **Main Menu**, select **Enterprise Cluster** and then select the **Profile** tab.",
            &["click menu item \"Enterprise Cluster\"", "click tab \"Profile\""],
        ),
        (
            "From the left **Main Menu**, select **Update Management** and click **Update**.",
            &["click menu item \"Update Management\"", "click button \"Update\""],
        ),
        ("Click **Update**.", &["click button \"Update\""]),
        (
            "Add them to the **Current configuration** pane and select **Confirm**.",
            &["click button \"Confirm\""],
        ),
        (
            "On the **Summary** page, Palette should display a message that states **You are using the latest version of Palette**.",
            &[
                "click menu item \"Summary\"",
                "expect text \"You are using the latest version of Palette\"",
            ],
        ),
        (
            "Palette should display messages that state **A** and **B**.",
            &["expect text \"A\"", "expect text \"B\""],
        ),
        (
            "From the left **Main Menu**, select **Administration** > **Pack Registries**.",
            &["click menu item \"Administration\"", "click tab \"Pack Registries\""],
        ),
        (
            "Next to your **spectro-packs** registry, select the **three-dot Menu** > **Sync**.",
            &["click button \"Menu\"", "click menu item \"Sync\""],
        ),
        (
            "Enter your name in the **Username** field.",
            &["type \"TODO\" into field \"Username\""],
        ),
        ("Log in to the Palette system console.", &["log in"]),
        (
            "The system console locks for a couple of minutes while the upgrade is applied.",
            &["wait until unlocked"],
        ),
    ];
    for (sentence, expected) in cases {
        assert_eq!(actions(sentence), expected, "{sentence}");
    }
}

#[test]
fn a_modal_scopes_what_the_step_does_next_and_a_noun_beats_the_menu() {
    let mut context = StepContext::default();
    let first = rules::translate(
        "In the **Palette version update** preview modal, from the left **Main Menu**, select the **Kubernetes** layer.",
        &mut context,
    );
    let second = rules::translate("Select **Confirm**.", &mut context);
    let sentences: Vec<String> = first
        .actions
        .iter()
        .chain(&second.actions)
        .map(action_sentence)
        .collect();
    assert_eq!(
        sentences,
        [
            "select layer \"Kubernetes\" in dialog \"Palette version update\"",
            "click button \"Confirm\" in dialog \"Palette version update\"",
        ]
    );
}

#[test]
fn places_messages_and_copies_are_no_clicks_and_an_untranslated_instruction_is_said() {
    let mut context = StepContext::default();
    let described = rules::translate(
        "The **Incoming changes** pane displays the changes that the upgrade introduces.",
        &mut context,
    );
    assert_eq!(described, rules::Translation::default(), "a description");
    let copied = rules::translate(
        "Copy the configurations from both **Incoming changes** and **Current configuration** panes.",
        &mut context,
    );
    assert!(copied.actions.is_empty() && copied.untranslated);
    let repeated = rules::translate("Repeat steps six through eight.", &mut context);
    assert!(repeated.untranslated, "an instruction without a label");
    let after = rules::translate(
        "From your current configuration, transfer only those differences.",
        &mut context,
    );
    assert!(after.untranslated, "the clause after the comma instructs");
}

#[test]
fn the_tables_read_whole_words_and_the_longest_noun() {
    assert_eq!(rules::last_verb("next to the selector, "), None);
    assert_eq!(
        rules::last_verb("copy and then select the "),
        Some(rules::Verb::Click)
    );
    assert_eq!(
        rules::noun_after(" preview modal, select"),
        Some(rules::Noun::Dialog)
    );
    assert_eq!(
        rules::noun_after(" tab."),
        Some(rules::Noun::Clickable(Role::Tab))
    );
    assert_eq!(rules::without_icon_words("three-dot Menu"), "Menu");
    assert_eq!(rules::without_icon_words("Main Menu"), "Main Menu");
}

#[test]
fn sentences_split_after_a_stop_never_inside_bold_or_code() {
    assert_eq!(
        rules::sentences("Select **v1.2. Next** and `a. b`. Then click **Go**."),
        ["Select **v1.2. Next** and `a. b`.", "Then click **Go**."]
    );
}

#[test]
fn outside_places_are_read_from_cues_unless_the_step_is_in_the_console() {
    assert_eq!(rules::outside_place("Log in to vCenter."), Some("vCenter"));
    assert_eq!(
        rules::outside_place("In your terminal, SSH into the airgap support VM."),
        Some("a terminal on the airgap support VM")
    );
    assert_eq!(
        rules::outside_place("Use the following command."),
        Some("a terminal")
    );
    assert_eq!(
        rules::outside_place("Log in to the Palette system console."),
        None
    );
    assert_eq!(
        rules::outside_place("Open the cabinet."),
        None,
        "`bin` is a whole word, not `cabinet`'s end"
    );
}

#[test]
fn a_highlight_is_read_from_alt_text_only_when_the_step_names_it() {
    let bold = vec!["Main Menu".to_string(), "Update".to_string()];
    let read = |alt: &str| rules::highlighted(alt, &bold);
    assert_eq!(
        read("Console with Update Management open and the Update button highlighted."),
        rules::Highlighted::Targets(vec![Target {
            role: Role::Button,
            label: Some("Update".to_string()),
            within: None,
        }])
    );
    assert_eq!(
        read("Console with the editor highlighted."),
        rules::Highlighted::Targets(vec![Target {
            role: Role::Editor,
            label: None,
            within: None,
        }])
    );
    assert_eq!(
        read("Console with the Save button highlighted."),
        rules::Highlighted::Unreadable
    );
    assert_eq!(
        read("Console with the highlighted profile values."),
        rules::Highlighted::Unreadable
    );
    assert_eq!(
        read("Console with the upgrade preview pane."),
        rules::Highlighted::Nothing
    );
}

const GUIDE: &str =
    "---\ntitle: \"Do Something\"\n---\n\n## Prerequisites\n\n1. Access.\n\n## Upgrade\n\n\
1. Log in to the Palette system console.\n\n\
2. Copy the values somewhere safe.\n\n\
3. From the left **Main Menu**, select **Update Management** and click **Update**.\n\n   \
![Console with the Update button highlighted.](/update.webp)\n\n   \
:::warning\n\n   Click **Delete** never.\n\n   :::\n";

#[test]
fn a_drafted_guide_passes_check_with_its_todos_and_mutating_steps() {
    let guide = guide::read(GUIDE);
    let drafted = draft(&guide, "Do Something", "some/guide.md").expect("a draft");
    assert_eq!(
        (
            drafted.steps,
            drafted.clicks,
            drafted.todo_steps,
            drafted.outside_steps
        ),
        (3, 2, 1, 0),
        "{}",
        drafted.toml
    );
    let scenario = crate::scenario::parse(std::path::Path::new("draft.toml"), &drafted.toml)
        .unwrap_or_else(|error| panic!("{error}\n{}", drafted.toml));
    assert_eq!(scenario.guide.as_deref(), Some("some/guide.md"));
    assert_eq!(scenario.steps[1].outside.as_deref(), Some(NOT_DRAFTED));
    assert!(drafted
        .toml
        .contains("# TODO: \"Copy the values somewhere safe.\""));
    let update = &scenario.steps[2];
    assert!(update.mutating);
    let texts: Vec<&str> = update
        .actions
        .iter()
        .map(|action| action.text.as_str())
        .collect();
    assert_eq!(
        texts,
        [
            "click menu item \"Update Management\"",
            "screenshot \"update.webp\" highlighting button \"Update\"",
            "click button \"Update\"",
        ],
        "no click from an admonition; the shot before the click it shows"
    );
}

#[test]
fn a_guide_without_steps_or_without_a_console_step_is_no_draft() {
    assert_eq!(
        draft(&guide::read("Just words.\n"), "T", "t.md"),
        Err(DraftError::NoSteps)
    );
    assert_eq!(
        draft(
            &guide::read("## Upgrade\n\n1. Log in to vCenter.\n"),
            "T",
            "t.md"
        ),
        Err(DraftError::NothingInTheConsole("vCenter".to_string()))
    );
}

#[test]
fn a_label_with_quotes_is_escaped_in_its_action_sentence() {
    let label = Drafted::Click(Target {
        role: Role::Button,
        label: Some("Say \"hi\"".to_string()),
        within: None,
    });
    let sentence = action_sentence(&label);
    assert_eq!(
        crate::scenario::action::parse_action(&sentence).map(|kind| kind.targets()),
        Ok(vec![Target {
            role: Role::Button,
            label: Some("Say \"hi\"".to_string()),
            within: None,
        }])
    );
}

#[test]
fn layers_copied_for_backup_are_backed_up_and_each_is_later_replaced_with_supports_values() {
    assert_eq!(
        rules::layers_listed(
            "Copy the configurations for your CSI, CNI, and Kubernetes layers to an external location for backup."
        ),
        ["CSI", "CNI", "Kubernetes"]
    );
    assert!(rules::layers_listed(
        "Make sure to transfer the configuration changes and additions in all Enterprise Cluster Profile layers to preserve them."
    )
    .is_empty());
    let mut context = StepContext::default();
    let backed_up = rules::translate(
        "Copy the configurations for your OS and Kubernetes layers to an external location for backup.",
        &mut context,
    );
    assert_eq!(
        backed_up.actions,
        [
            Drafted::BackUpLayer("OS".to_string()),
            Drafted::BackUpLayer("Kubernetes".to_string())
        ]
    );
    let replaced = rules::translate(
        "Open each Enterprise Cluster profile layer and replace their configurations with the values you received from our support team.",
        &mut context,
    );
    assert_eq!(
        replaced.actions,
        [
            Drafted::ReplaceWithSupportValues("OS".to_string()),
            Drafted::ReplaceWithSupportValues("Kubernetes".to_string())
        ]
    );
    // Without layers named before, "each layer" is no one the draft can name.
    let unknown = rules::translate(
        "Open each Enterprise Cluster profile layer and replace their configurations with the values you received from our support team.",
        &mut StepContext::default(),
    );
    assert!(unknown.actions.is_empty() && unknown.untranslated);
}
