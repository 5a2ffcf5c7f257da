use super::fixes::{guide_patch, scenario_patch, stale_images, unified_diff};
use super::*;

const BASELINE: &str = r#"- complementary:
  - navigation "Main Menu":
    - list:
      - listitem:
        - link "Update Management" [current=page]
  - button "Logout"
- main:
  - region "Palette updates":
    - heading "Palette updates" [level=2]
    - text: "Palette [masked] is available. You are running [masked]."
    - button "Update"
    - button "Release notes""#;

fn page_with(button: &str, region: &str) -> String {
    BASELINE
        .replace("button \"Update\"", &format!("button \"{button}\""))
        .replace(
            "region \"Palette updates\"",
            &format!("region \"{region}\""),
        )
        .replace(
            "Palette [masked] is available. You are running [masked].",
            "Palette 4.8.33 is available. You are running 4.8.21.",
        )
}

fn baselines() -> Vec<(String, String)> {
    vec![(
        "upgrade-4-update-management".to_string(),
        BASELINE.to_string(),
    )]
}

#[test]
fn an_outline_is_read_into_roles_names_and_places() {
    let nodes = parse_outline(BASELINE);
    let update = nodes
        .iter()
        .find(|node| node.name.as_deref() == Some("Update"))
        .expect("the button");
    assert_eq!(update.role, "button");
    assert_eq!(
        update.place,
        vec![
            ("main".to_string(), None),
            ("region".to_string(), Some("Palette updates".to_string()))
        ]
    );
    let text = nodes.iter().find(|node| node.role == "text").expect("text");
    assert_eq!(text.name, None, "a text's content is no name");
}

#[test]
fn a_button_renamed_at_its_place_is_found_and_said() {
    let rename = find_rename(
        Role::Button,
        "Update",
        &baselines(),
        &page_with("Upgrade", "Palette updates"),
    )
    .expect("a rename");
    assert_eq!(rename.new, "Upgrade");
    assert_eq!(rename.baseline, "upgrade-4-update-management");
    assert_eq!(
        rename.sentence(),
        r#"button "Update" is now button "Upgrade""#
    );
}

#[test]
fn no_rename_is_claimed_where_the_place_moved_the_label_stayed_or_two_are_new() {
    // The region was retitled too: the place is not the same.
    assert_eq!(
        find_rename(
            Role::Button,
            "Update",
            &baselines(),
            &page_with("Upgrade", "Updates")
        ),
        None
    );
    // The button is still there (the target missed for another reason): nothing new there.
    assert_eq!(
        find_rename(
            Role::Button,
            "Update",
            &baselines(),
            &page_with("Update", "Palette updates")
        ),
        None
    );
    // Two new buttons where one was: no telling which.
    let two = page_with("Upgrade", "Palette updates").replace(
        "    - button \"Release notes\"",
        "    - button \"Release notes\"\n    - button \"Schedule\"",
    );
    assert_eq!(
        find_rename(Role::Button, "Update", &baselines(), &two),
        None
    );
    // A role the outline cannot tell by a label.
    assert_eq!(
        find_rename(
            Role::Layer,
            "Update",
            &baselines(),
            &page_with("Upgrade", "Palette updates")
        ),
        None
    );
}

#[test]
fn a_menu_item_is_found_among_the_navigations_links() {
    let page = BASELINE.replace("link \"Update Management\"", "link \"Updates\"");
    let rename =
        find_rename(Role::MenuItem, "Update Management", &baselines(), &page).expect("renamed");
    assert_eq!(
        rename.sentence(),
        r#"menu item "Update Management" is now menu item "Updates""#
    );
}

fn rename() -> Rename {
    Rename {
        role: Role::Button,
        old: "Update".to_string(),
        new: "Upgrade".to_string(),
        baseline: "upgrade-4-update-management".to_string(),
    }
}

#[test]
fn the_scenario_patch_renames_every_target_and_only_targets() {
    let text = "title = \"t\"\n\n[[step]]\nguide = \"click **Update**\"\ndo = [\n  'click menu item \"Update Management\"',\n  'expect button \"Update\"',\n  'screenshot \"u.webp\" highlighting button \"Update\"',\n  'click button \"Update\"',\n]";
    let patch = scenario_patch("scenarios/s.toml", text, &rename()).expect("a patch");
    assert!(
        patch.starts_with("--- a/scenarios/s.toml\n+++ b/scenarios/s.toml\n@@ -4,7 +4,7 @@\n"),
        "{patch}"
    );
    assert!(
        patch.contains("-  'expect button \"Update\"',\n+  'expect button \"Upgrade\"',\n"),
        "{patch}"
    );
    assert!(patch.contains("+  'screenshot \"u.webp\" highlighting button \"Upgrade\"',\n"));
    assert!(
        patch.contains(" guide = \"click **Update**\"\n"),
        "the guide's words are the guide patch's: {patch}"
    );
    assert!(
        patch.contains(" ]\n\\ No newline at end of file\n"),
        "{patch}"
    );
    assert_eq!(
        patch
            .lines()
            .filter(|line| line.starts_with('+') && !line.starts_with("+++"))
            .count(),
        3,
        "{patch}"
    );
    assert_eq!(
        scenario_patch("s.toml", "do = ['click button \"Save\"']\n", &rename()),
        None
    );
}

#[test]
fn the_guide_patch_renames_bold_quotes_and_far_apart_changes_get_their_own_hunks() {
    let mut guide = String::from("# Upgrade\n\n1. Click **Update**.\n");
    for index in 0..10 {
        guide.push_str(&format!("line {index}\n"));
    }
    guide.push_str("2. The Update button reads **Update** now.\n");
    let patch = guide_patch("docs/g.md", &guide, &rename()).expect("a patch");
    assert_eq!(patch.matches("@@ -").count(), 2, "{patch}");
    assert!(patch.contains("+1. Click **Upgrade**.\n"));
    assert!(
        patch.contains("+2. The Update button reads **Upgrade** now.\n"),
        "plain words stay: {patch}"
    );
}

#[test]
fn changes_close_together_share_a_hunk_with_the_right_counts() {
    let text = "a\nb\nc\nd\ne\nf\ng\nh\n";
    let patch =
        unified_diff("f", text, |line| line.replace('b', "B").replace('f', "F")).expect("changed");
    assert_eq!(
        patch,
        "--- a/f\n+++ b/f\n@@ -1,8 +1,8 @@\n a\n-b\n+B\n c\n d\n e\n-f\n+F\n g\n h\n"
    );
}

#[test]
fn stale_images_are_those_of_steps_that_name_or_showed_the_old_label() {
    let source = r#"title = "t"
[[step]]
section = "Upgrade"
number = 2
guide = "g"
do = ['log in', 'screenshot "profile.webp"']
[[step]]
section = "Upgrade"
number = 4
guide = "g"
mutating = true
do = ['screenshot "update.webp" highlighting button "Update"', 'click button "Update"']
[[step]]
section = "Upgrade"
number = 5
guide = "g"
do = ['log in', 'snapshot "upgrade-4-update-management"', 'screenshot "again.webp"']
"#;
    let scenario = crate::scenario::parse(std::path::Path::new("s.toml"), source).expect("valid");
    let stale = stale_images(&scenario, &rename(), &baselines());
    let images: Vec<(&str, &str)> = stale
        .iter()
        .map(|s| (s.image.as_str(), s.step.as_str()))
        .collect();
    assert_eq!(
        images,
        [("update.webp", "Upgrade 4"), ("again.webp", "Upgrade 5")]
    );
    assert!(stale[1].why.contains("upgrade-4-update-management"));
}
