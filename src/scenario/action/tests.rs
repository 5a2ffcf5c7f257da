use super::*;

fn target(role: Role, label: &str) -> Target {
    Target {
        role,
        label: Some(label.to_string()),
        within: None,
    }
}

#[test]
fn clicks_name_a_role_and_the_label_a_person_reads() {
    assert_eq!(
        parse_action(r#"click menu item "Enterprise Cluster""#),
        Ok(ActionKind::Click(target(
            Role::MenuItem,
            "Enterprise Cluster"
        )))
    );
    assert_eq!(
        parse_action(r#"select tab "Profile""#),
        Ok(ActionKind::Click(target(Role::Tab, "Profile")))
    );
}

#[test]
fn a_target_can_sit_inside_another() {
    let parsed =
        parse_action(r#"select layer "Kubernetes" in dialog "Palette version update""#).unwrap();
    let ActionKind::Click(target) = parsed else {
        panic!("not a click: {parsed:?}")
    };
    assert_eq!(target.role, Role::Layer);
    assert_eq!(
        target
            .within
            .as_deref()
            .and_then(|within| within.label.as_deref()),
        Some("Palette version update")
    );
}

#[test]
fn the_lock_wait_may_have_its_own_time() {
    assert_eq!(
        parse_action("wait until unlocked within 15m"),
        Ok(ActionKind::WaitUntilUnlocked {
            within: Some(std::time::Duration::from_secs(900))
        })
    );
    assert_eq!(
        parse_action("wait until unlocked"),
        Ok(ActionKind::WaitUntilUnlocked { within: None })
    );
    let error = parse_action("wait until unlocked within soon").unwrap_err();
    assert_eq!(error.offset, 27);
    assert!(error.message.contains("`15m`"), "{}", error.message);
    let error = parse_action("wait until unlocked within").unwrap_err();
    assert!(error.message.contains("a duration"), "{}", error.message);
}

#[test]
fn merge_takes_two_editors_and_a_list_of_keys() {
    let parsed = parse_action(
        r#"merge editor "Incoming changes" into editor "Current configuration" keeping "podCIDR", "serviceClusterIpRange""#,
    );
    assert_eq!(
        parsed,
        Ok(ActionKind::Merge {
            from: target(Role::Editor, "Incoming changes"),
            into: target(Role::Editor, "Current configuration"),
            keeping: Keeping::Keys(vec![
                "podCIDR".to_string(),
                "serviceClusterIpRange".to_string()
            ]),
        })
    );
}

#[test]
fn misspelt_actions_and_roles_get_a_did_you_mean_quoting_the_file() {
    let error = parse_action(r#"Clik button "Update""#).unwrap_err();
    assert!(
        error
            .message
            .ends_with("found `Clik`: did you mean `click`?"),
        "{}",
        error.message
    );
    let error = parse_action(r#"click buton "Update""#).unwrap_err();
    assert!(
        error
            .message
            .ends_with("found `buton`: did you mean `button`?"),
        "{}",
        error.message
    );
}

#[test]
fn merges_and_checks_may_keep_every_customization_found() {
    assert_eq!(
        parse_action(
            r#"merge editor "Incoming changes" into editor "Current configuration" keeping customizations"#
        ),
        Ok(ActionKind::Merge {
            from: target(Role::Editor, "Incoming changes"),
            into: target(Role::Editor, "Current configuration"),
            keeping: Keeping::Customizations,
        })
    );
    assert_eq!(
        parse_action(r#"check layer "CNI" kept customizations"#),
        Ok(ActionKind::CheckLayerKept {
            layer: "CNI".to_string(),
            keeping: Keeping::Customizations,
        })
    );
    assert_eq!(
        parse_action(
            r#"merge editor "A" into editor "B" keeping customizations except "request-timeout", "x.y""#
        ),
        Ok(ActionKind::Merge {
            from: target(Role::Editor, "A"),
            into: target(Role::Editor, "B"),
            keeping: Keeping::CustomizationsExcept(vec![
                "request-timeout".to_string(),
                "x.y".to_string()
            ]),
        })
    );
    let error = parse_action(r#"check layer "CNI" kept everything"#).unwrap_err();
    assert!(
        error.message.contains("`customizations`"),
        "{}",
        error.message
    );
}

#[test]
fn an_unknown_role_names_the_known_ones_at_the_right_column() {
    let error = parse_action(r#"click widget "Update""#).unwrap_err();
    assert_eq!(error.offset, 6);
    assert!(
        error
            .message
            .starts_with("expected a role (menu item, tab, button"),
        "{}",
        error.message
    );
    assert!(
        error.message.ends_with("found `widget`"),
        "{}",
        error.message
    );
}

#[test]
fn an_unclosed_label_points_at_its_opening_quote() {
    let error = parse_action(r#"click button "Update"#).unwrap_err();
    assert_eq!(error.offset, 13);
    assert!(error.message.contains("expected a closing"));
}

#[test]
fn a_missing_label_says_so() {
    let error = parse_action("click button").unwrap_err();
    assert_eq!(error.offset, 12);
    assert!(
        error.message.contains("label in double quotes"),
        "{}",
        error.message
    );
}

#[test]
fn trailing_words_are_an_error() {
    let error = parse_action(r#"click tab "Profile" please"#).unwrap_err();
    assert_eq!(
        error.message,
        "expected the end of the action, found `please`"
    );
}

#[test]
fn buttons_that_change_the_console_are_mutating() {
    assert!(is_mutating(&ActionKind::Click(target(
        Role::Button,
        "Update"
    ))));
    assert!(is_mutating(&ActionKind::Click(target(
        Role::Button,
        "Confirm"
    ))));
    assert!(!is_mutating(&ActionKind::Click(target(
        Role::Button,
        "Cancel"
    ))));
    assert!(!is_mutating(&ActionKind::Click(target(
        Role::MenuItem,
        "Update Management"
    ))));
}

#[test]
fn a_target_written_out_reads_back_as_the_same_label_whatever_it_holds() {
    for label in [
        "Update",
        r#"Say "hi""#,
        r"C:\path\",
        r#"ends with \""#,
        "tab\tand spaces",
    ] {
        let target = Target {
            role: Role::Button,
            label: Some(label.to_string()),
            within: Some(Box::new(Target {
                role: Role::Dialog,
                label: Some(label.to_string()),
                within: None,
            })),
        };
        let written = format!("click {target}");
        assert_eq!(
            parse_action(&written),
            Ok(ActionKind::Click(target.clone())),
            "{written}"
        );
    }
}
