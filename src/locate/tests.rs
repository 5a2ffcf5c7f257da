use super::*;

fn candidate(name: &str, parent: i64) -> Candidate {
    Candidate {
        names: vec![name.to_string()],
        titles: Vec::new(),
        description: "button".to_string(),
        parent,
        selected: None,
        fallback: false,
        ..Default::default()
    }
}

fn look_alike(name: &str) -> Candidate {
    Candidate {
        fallback: true,
        ..candidate(name, -1)
    }
}

#[test]
fn an_exact_label_beats_a_substring() {
    let candidates = [candidate("Update Management", -1), candidate("Update", -1)];
    assert_eq!(choose(Some("Update"), &candidates, &[]), Ok(1));
}

#[test]
fn case_insensitive_beats_whole_words_which_beat_substrings() {
    assert_eq!(
        match_tier("Profile", "PROFILE"),
        Some(MatchTier::ExactIgnoringCase)
    );
    assert_eq!(
        match_tier("CNI", "CNI Calico 3.29.2"),
        Some(MatchTier::WholeWords)
    );
    assert_eq!(
        match_tier("CSI", "vSphereCSI 3.3.1"),
        Some(MatchTier::Substring)
    );
    assert_eq!(
        match_tier("Kubernetes", "Kubernetes1.32"),
        Some(MatchTier::Substring)
    );
    assert_eq!(
        match_tier("Cali", "CNI Calico 3.29.2"),
        None,
        "a label that cuts a word is another word"
    );
    assert_eq!(
        match_tier("Palette version update", "Palette version updates"),
        None,
        "a title that differs by a letter is a different title"
    );
    assert_eq!(match_tier("Nodes", "Profile"), None);
    let candidates = [candidate("Calico CNI settings", -1), candidate("cni", -1)];
    assert_eq!(choose(Some("CNI"), &candidates, &[]), Ok(1));
}

#[test]
fn any_of_a_candidates_names_can_match() {
    let field = Candidate {
        names: vec!["login-username".to_string(), "Username".to_string()],
        titles: Vec::new(),
        description: "input".to_string(),
        parent: -1,
        selected: None,
        fallback: false,
        ..Default::default()
    };
    assert_eq!(
        choose(Some("Username"), &[candidate("Password", -1), field], &[]),
        Ok(1)
    );
}

#[test]
fn the_innermost_of_nested_matches_wins() {
    let candidates = [
        candidate("Kubernetes 1.32.9", -1),
        candidate("Kubernetes", 0),
    ];
    assert_eq!(choose(Some("Kubernetes"), &candidates, &[]), Ok(1));
    let same_tier = [
        candidate("CSI vSphere CSI", -1),
        candidate("CSI vSphere", 0),
    ];
    assert_eq!(choose(Some("CSI"), &same_tier, &[]), Ok(1));
}

#[test]
fn look_alikes_are_chosen_only_when_no_real_element_matches() {
    let candidates = [
        look_alike("Update"),
        candidate("Update Management", -1),
        candidate("Cancel", -1),
    ];
    assert_eq!(
        choose(Some("Update"), &candidates, &[]),
        Ok(1),
        "a real button's whole words beat a look-alike's exact name"
    );
    assert_eq!(
        choose(
            Some("Summary"),
            &[candidate("Cancel", -1), look_alike("Summary")],
            &[]
        ),
        Ok(1)
    );
    let Err(NoSingleMatch::NotFound { closest, .. }) = choose(
        Some("Profle"),
        &[candidate("Cancel", -1), look_alike("Profile")],
        &[],
    ) else {
        panic!("expected not found")
    };
    assert_eq!(closest[0], "Profile", "closest names come from both tiers");
}

#[test]
fn an_ambiguous_label_lists_every_candidate() {
    let candidates = [candidate("Save", -1), candidate("Save", -1)];
    let Err(NoSingleMatch::Ambiguous { matches }) = choose(Some("Save"), &candidates, &[]) else {
        panic!("expected ambiguity")
    };
    assert_eq!(matches, ["button \"Save\"", "button \"Save\""]);
}

#[test]
fn a_missing_label_lists_the_closest_names() {
    let candidates = [
        candidate("Summary", -1),
        candidate("Enterprise Cluster", -1),
        candidate("Update Management", -1),
    ];
    let Err(NoSingleMatch::NotFound { closest, .. }) =
        choose(Some("Enterprise Clusters"), &candidates, &[])
    else {
        panic!("expected not found")
    };
    assert_eq!(closest[0], "Enterprise Cluster");
    let message = NoSingleMatch::NotFound {
        closest,
        of_role: Vec::new(),
    }
    .explain("menu item \"Enterprise Clusters\"", "menu item");
    assert!(message.starts_with("no menu item \"Enterprise Clusters\" is visible; closest on the page: \"Enterprise Cluster\""));
}

#[test]
fn similarity_prefers_shared_words_over_short_edits() {
    let lines = [
        "Activate Palette",
        "A new version of Palette is available: 4.8.33",
        "Palette version",
    ]
    .map(String::from);
    let ranked = most_similar("You are using the latest version of Palette", lines, 2);
    assert_eq!(ranked[0], "A new version of Palette is available: 4.8.33");
}

#[test]
fn cni_and_csi_layers_are_also_known_by_their_packs() {
    assert!(layer_aliases("CNI").contains(&"Calico"));
    assert!(layer_aliases("csi").contains(&"vSphere CSI"));
    assert!(layer_aliases("GPU").is_empty());
}

#[test]
fn without_a_label_only_a_single_candidate_is_chosen() {
    assert_eq!(choose(None, &[candidate("x", -1)], &[]), Ok(0));
    assert!(matches!(
        choose(None, &[candidate("x", -1), candidate("y", -1)], &[]),
        Err(NoSingleMatch::Ambiguous { .. })
    ));
}

fn titled(title: &str) -> Candidate {
    Candidate {
        names: Vec::new(),
        titles: vec![title.to_string()],
        description: "div[role=dialog]".to_string(),
        ..candidate("", -1)
    }
}

#[test]
fn an_element_named_only_by_its_visible_title_is_found_by_it() {
    let candidates = [titled("Palette version update")];
    assert_eq!(
        choose(Some("Palette version update"), &candidates, &[]),
        Ok(0)
    );
}

#[test]
fn markup_names_come_before_visible_titles_which_come_before_look_alikes() {
    let candidates = [
        titled("Confirm"),
        candidate("Confirm upgrade", -1),
        look_alike("Confirm"),
    ];
    assert_eq!(
        choose(Some("Confirm"), &candidates, &[]),
        Ok(1),
        "a markup name's whole words beat a visible title's exact match"
    );
    assert_eq!(
        choose(
            Some("Confirm"),
            &[look_alike("Confirm"), titled("Confirm")],
            &[]
        ),
        Ok(1),
        "a real element's title beats a look-alike"
    );
}

#[test]
fn a_dialog_whose_title_differs_is_named_in_the_failure() {
    let dialog = titled("Palette version updates");
    // A fixed layer that only looks like a dialog is not what a person calls "a dialog".
    let miss = choose(
        Some("Palette version update"),
        &[],
        &[dialog, look_alike("Incoming changes")],
    )
    .expect_err("the titles differ");
    let message = miss.explain("dialog \"Palette version update\"", "dialog");
    assert!(
        message.contains("a dialog is open, titled \"Palette version updates\""),
        "{message}"
    );
    assert!(!message.contains("Incoming"), "{message}");
    let buttons = choose(Some("Apply"), &[], &[candidate("Cancel", -1)]).expect_err("no Apply");
    assert_eq!(
        buttons.explain("button \"Apply\"", "button"),
        "no button \"Apply\" is visible; the page shows a button that reads \"Cancel\""
    );
}

#[test]
fn a_target_is_resolved_inside_the_scope_chosen_above_it() {
    let group = |scope: i64, names: &[&str]| Group {
        scope,
        candidates: names.iter().map(|name| candidate(name, -1)).collect(),
        others: Vec::new(),
    };
    let wanted = |label: &str| Wanted {
        label: Some(label.to_string()),
        aliases: Vec::new(),
    };
    // Two dialogs; the second is the one wanted, and its Confirm is the fourth candidate of
    // the inner level.
    let levels = vec![
        vec![group(-1, &["Delete tenant", "Palette version update"])],
        vec![
            group(0, &["Confirm", "Cancel"]),
            group(1, &["Cancel", "Confirm"]),
        ],
    ];
    assert_eq!(
        resolve(
            &[wanted("Palette version update"), wanted("Confirm")],
            &levels
        ),
        Ok(3)
    );
    let Err((depth, _)) = resolve(&[wanted("Nope"), wanted("Confirm")], &levels) else {
        panic!("expected a miss")
    };
    assert_eq!(depth, 0);
    let alias = Wanted {
        label: Some("CNI".to_string()),
        aliases: vec!["Calico".to_string()],
    };
    let layers = vec![vec![group(-1, &["Ubuntu 22.04", "Calico 3.29.2"])]];
    assert_eq!(resolve(&[alias], &layers), Ok(1));
}

#[test]
fn a_miss_names_what_a_person_reads_and_where_the_harness_read_it() {
    let editor = Candidate {
        description: "div".to_string(),
        origins: [("Incoming changes".to_string(), "caption row".to_string())]
            .into_iter()
            .collect(),
        ..titled("Incoming changes")
    };
    let miss = choose(Some("Incoming config"), &[editor], &[]).unwrap_err();
    assert_eq!(
        miss.explain("editor \"Incoming config\"", "editor"),
        "no editor \"Incoming config\" is visible; the page shows an editor that reads \"Incoming changes\" (from the caption row)"
    );
}

#[test]
fn a_considered_element_comes_with_the_failed_line_rewritten_to_find_it() {
    use crate::locate::query::action_line_finding;
    use crate::scenario::Role;
    assert_eq!(
        action_line_finding(
            r#"click button "Confirm" in dialog "Palette version update""#,
            r#"button "Confirm""#,
            Role::Button,
            "Confirm update"
        ),
        r#"click button "Confirm update" in dialog "Palette version update""#
    );
    assert_eq!(
        action_line_finding(
            r#"screenshot "a.webp" highlighting row "spectro packs""#,
            r#"row "spectro packs""#,
            Role::Row,
            "say \"hi\""
        ),
        r#"screenshot "a.webp" highlighting row "say \"hi\"""#
    );
}
