//! The authoring commands through the built binary, on the three shipped guides and their
//! scenarios (no browser): `docs draft` of each guide drafts, in order and in the same steps,
//! every click its shipped scenario takes from the guide's bold labels, and the draft passes
//! `check`; `guide` of each scenario writes Markdown in which `docs check` finds every image.

mod common;

use std::path::Path;

use common::*;
use palette_harness::scenario::{self, ActionKind, Scenario};

/// Each shipped guide with the scenario that follows it, and how many of that scenario's clicks
/// the guide's words do not name (the scenario's own additions: the layers selected in the
/// update dialog, the navigation before Validate 1's checks), which no draft can know.
const SHIPPED: [(&str, &str, usize); 3] = [
    (
        "tests/fixtures/guides/enterprise-version/upgrade/upgrade-vmware/non-airgap.md",
        "scenarios/upgrade-vmware-non-airgap.toml",
        6,
    ),
    (
        "tests/fixtures/guides/enterprise-version/upgrade/upgrade-vmware/airgap.md",
        "scenarios/upgrade-vmware-airgap.toml",
        5,
    ),
    (
        "tests/fixtures/guides/vertex/upgrade/upgrade-vmware/non-airgap.md",
        "scenarios/vertex-upgrade-vmware-non-airgap.toml",
        5,
    ),
];

/// A click as the comparison sees it: its step, and its target's role and label (where it is
/// scoped, `in dialog "…"`, may differ).
type Click = (String, String, String);

fn clicks(scenario: &Scenario, named_in_guide: bool) -> Vec<Click> {
    let mut clicks = Vec::new();
    for step in &scenario.steps {
        let bold = bold_labels(&step.guide_words);
        for action in &step.actions {
            let ActionKind::Click(target) = &action.kind else {
                continue;
            };
            let label = target.label.clone().unwrap_or_default();
            if named_in_guide && !bold.iter().any(|known| names(known, &label)) {
                continue;
            }
            clicks.push((step.title(), target.role.words().to_string(), label));
        }
    }
    clicks
}

fn bold_labels(words: &str) -> Vec<String> {
    words
        .split("**")
        .skip(1)
        .step_by(2)
        .map(|label| label.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

/// A bold label names a click's label when it is that label, or ends with it as a word
/// (`three-dot Menu` is the `Menu` button).
fn names(bold: &str, label: &str) -> bool {
    let (bold, label) = (bold.to_lowercase(), label.to_lowercase());
    bold == label
        || bold
            .strip_suffix(&label)
            .is_some_and(|rest| rest.ends_with([' ', '-']))
}

#[test]
fn a_draft_of_each_shipped_guide_clicks_what_its_scenario_clicks_from_the_guide_in_order_and_passes_check(
) {
    let out = tempfile::tempdir().expect("temp dir");
    for (guide, scenario_file, left_out) in SHIPPED {
        let draft = out.path().join(
            Path::new(scenario_file)
                .file_name()
                .expect("a scenario file name"),
        );
        let said = run_expecting(
            binary().args(["docs", "draft", guide, "--out"]).arg(&draft),
            0,
        );
        assert!(said.contains("written to"), "{said}");
        let checked = run_expecting(binary().arg("check").arg(&draft), 0);
        assert!(checked.contains(": valid ("), "{checked}");

        let shipped = scenario::load(Path::new(scenario_file)).expect("shipped scenario");
        let drafted = scenario::load(&draft).expect("the draft loads");
        let expected = clicks(&shipped, true);
        assert_eq!(
            clicks(&shipped, false).len() - expected.len(),
            left_out,
            "{scenario_file}: the clicks the guide's words do not name"
        );
        assert!(expected.len() >= 7, "{scenario_file}: {expected:?}");
        assert_eq!(
            clicks(&drafted, false),
            expected,
            "{guide}: the draft's clicks, step by step, in order"
        );
        let images = |scenario: &Scenario| -> Vec<String> {
            scenario
                .steps
                .iter()
                .flat_map(|step| &step.actions)
                .filter_map(|action| match &action.kind {
                    ActionKind::Screenshot(shot) => Some(shot.image_name.clone()),
                    _ => None,
                })
                .collect()
        };
        let guide_text = std::fs::read_to_string(guide).expect("guide");
        for image in images(&drafted) {
            assert!(guide_text.contains(&format!("/{image})")), "{image}");
        }
        assert_eq!(
            images(&drafted).len(),
            guide_text.matches("](/").count(),
            "{guide}: a screenshot for every image"
        );
    }
}

#[test]
fn the_airgap_draft_puts_vcenter_and_the_support_vm_outside_and_leaves_todos_where_no_rule_applies()
{
    let toml = run_expecting(
        binary().args([
            "docs",
            "draft",
            SHIPPED[1].0,
            "--docs-path",
            "enterprise-version/upgrade/upgrade-vmware/airgap.md",
        ]),
        0,
    );
    let drafted = scenario::parse(Path::new("draft.toml"), &toml).expect("the draft parses");
    assert_eq!(
        drafted.guide.as_deref(),
        Some("enterprise-version/upgrade/upgrade-vmware/airgap.md")
    );
    let outside: Vec<(u32, String)> = drafted
        .steps
        .iter()
        .filter_map(|step| step.outside.clone().map(|place| (step.number, place)))
        .collect();
    let places = |range: std::ops::RangeInclusive<u32>, place: &str| -> Vec<(u32, String)> {
        range.map(|number| (number, place.to_string())).collect()
    };
    let mut expected = places(1..=4, "vCenter");
    expected.extend(places(5..=10, "a terminal on the airgap support VM"));
    expected.extend(places(17..=17, "TODO: not drafted yet"));
    expected.extend(places(20..=20, "TODO: not drafted yet"));
    assert_eq!(outside, expected);
    assert!(
        toml.contains(
            "# TODO: \"Repeat steps six through eight for each Enterprise Cluster profile layer.\""
        ),
        "{toml}"
    );
    let step_14 = drafted
        .steps
        .iter()
        .find(|step| step.number == 14)
        .expect("step 14");
    assert!(step_14.mutating, "Sync changes the console");
    let step_15 = drafted
        .steps
        .iter()
        .find(|step| step.number == 15)
        .expect("step 15");
    let texts: Vec<&str> = step_15
        .actions
        .iter()
        .map(|action| action.text.as_str())
        .collect();
    assert_eq!(
        texts,
        [
            "click menu item \"Update Management\"",
            "screenshot \"enterprise-version_upgrade-upgrade_vmware_non-airgap_update.webp\" highlighting button \"Update\"",
            "click button \"Update\"",
        ],
        "the image, highlighted as its alt text says, is taken before the click it shows"
    );
}

#[test]
fn the_guide_of_each_shipped_scenario_shows_every_image_docs_check_maps() {
    let docs = tempfile::tempdir().expect("temp dir");
    for (_, scenario_file, _) in SHIPPED {
        let shipped = scenario::load(Path::new(scenario_file)).expect("shipped scenario");
        let guide = docs.path().join(
            shipped
                .guide
                .as_deref()
                .expect("the scenario names its guide"),
        );
        run_expecting(
            binary()
                .arg("guide")
                .arg(scenario_file)
                .arg("--out")
                .arg(&guide),
            0,
        );
        let markdown = std::fs::read_to_string(&guide).expect("the guide is written");
        assert!(markdown.starts_with("---\nsidebar_label: "), "{markdown}");
        assert!(markdown.contains(&format!("title: \"{}\"", shipped.title)));
        let json = run_expecting(
            binary()
                .args([
                    "docs",
                    "check",
                    "--format",
                    "json",
                    "--scenarios",
                    "scenarios",
                ])
                .arg(&guide),
            0,
        );
        let check: serde_json::Value = serde_json::from_str(&json).expect("docs check's JSON");
        assert_eq!(check["missing"], 0, "{json}");
        let shots: usize = shipped
            .steps
            .iter()
            .flat_map(|step| &step.actions)
            .filter(|action| matches!(action.kind, ActionKind::Screenshot(_)))
            .count();
        let images = check["guides"][0]["images"]
            .as_array()
            .expect("the guide's images");
        assert_eq!(images.len(), shots, "{json}");
        assert!(
            images.iter().all(|image| !image["made_by"].is_null()),
            "{json}"
        );
        assert_eq!(
            check["guides"][0]["unaccounted_steps"],
            serde_json::json!([]),
            "every numbered step is the scenario's: {json}"
        );
        assert_eq!(check["orphans"], serde_json::json!([]), "{json}");
    }
}

#[test]
fn bad_input_to_the_authoring_commands_exits_2_and_says_where() {
    let dir = tempfile::tempdir().expect("temp dir");
    let no_steps = dir.path().join("no-steps.md");
    std::fs::write(&no_steps, "---\ntitle: \"Nothing\"\n---\n\nJust words.\n").expect("write");
    let stderr = stderr_expecting(binary().args(["docs", "draft"]).arg(&no_steps), 2);
    assert!(
        stderr.contains(&format!(
            "{}:1: expected numbered steps under a `## Section` heading",
            no_steps.display()
        )),
        "{stderr}"
    );
    let stderr = stderr_expecting(binary().args(["docs", "draft", "no-such-guide.md"]), 2);
    assert!(
        stderr.contains("cannot read the guide no-such-guide.md"),
        "{stderr}"
    );
    let stderr = stderr_expecting(
        binary()
            .args(["docs", "draft", SHIPPED[0].0, "--out"])
            .arg(dir.path()),
        2,
    );
    assert!(
        stderr.contains("--out: expected a file to write, found the folder"),
        "{stderr}"
    );

    let bad = dir.path().join("bad.toml");
    std::fs::write(
        &bad,
        "title = \"Bad\"\n\n[[step]]\nsection = \"Upgrade\"\nnumber = 1\nguide = \"Click Update.\"\ndo = ['click buton \"Update\"']\n",
    )
    .expect("write scenario");
    let stderr = stderr_expecting(binary().arg("guide").arg(&bad), 2);
    assert!(
        stderr.contains("bad.toml:7:14: expected a role"),
        "{stderr}"
    );
}

/// A step's title and a layer's name.
type LayerInStep = (String, String);

/// Every `back up layer`, and every `replace layer … with support values`, with its step.
fn layer_actions(scenario: &Scenario) -> (Vec<LayerInStep>, Vec<LayerInStep>) {
    let (mut backups, mut replaced) = (Vec::new(), Vec::new());
    for step in &scenario.steps {
        for action in &step.actions {
            match &action.kind {
                ActionKind::BackUpLayer { layer } => backups.push((step.title(), layer.clone())),
                ActionKind::ReplaceWithSupportValues { layer } => {
                    assert!(
                        step.mutating,
                        "{}: pasting support's values changes the console",
                        step.title()
                    );
                    replaced.push((step.title(), layer.clone()))
                }
                _ => {}
            }
        }
    }
    (backups, replaced)
}

#[test]
fn a_draft_backs_up_the_layers_the_guide_copies_and_replaces_them_where_support_sent_values() {
    let out = tempfile::tempdir().expect("temp dir");
    for (guide, scenario_file, _) in SHIPPED {
        let draft = out.path().join("draft.toml");
        run_expecting(
            binary().args(["docs", "draft", guide, "--out"]).arg(&draft),
            0,
        );
        let drafted = scenario::load(&draft).expect("the draft loads");
        let shipped = scenario::load(Path::new(scenario_file)).expect("shipped scenario");
        let (drafted_backups, drafted_replaced) = layer_actions(&drafted);
        let (shipped_backups, shipped_replaced) = layer_actions(&shipped);
        // The guide copies "your CSI, CNI, and Kubernetes layers"; the scenario also the OS one.
        let layers: Vec<&str> = drafted_backups
            .iter()
            .map(|(_, layer)| layer.as_str())
            .collect();
        assert_eq!(layers, ["CSI", "CNI", "Kubernetes"], "{guide}");
        for backup in &drafted_backups {
            assert!(
                shipped_backups.contains(backup),
                "{guide}: {backup:?} in {shipped_backups:?}"
            );
        }
        for replaced in &drafted_replaced {
            assert!(
                shipped_replaced.contains(replaced),
                "{guide}: {replaced:?} in {shipped_replaced:?}"
            );
        }
        // The guide's step that says so is drafted wherever the scenario has it.
        assert_eq!(
            drafted_replaced.is_empty(),
            shipped_replaced.is_empty(),
            "{guide}: {drafted_replaced:?}"
        );
        // The configuration values' image highlights the editor, as the scenario does.
        let shot_of_backups = |scenario: &Scenario| {
            scenario
                .steps
                .iter()
                .filter(|step| {
                    step.actions
                        .iter()
                        .any(|a| matches!(a.kind, ActionKind::BackUpLayer { .. }))
                })
                .flat_map(|step| &step.actions)
                .find_map(|action| match &action.kind {
                    ActionKind::Screenshot(shot) => Some(shot.clone()),
                    _ => None,
                })
        };
        assert_eq!(
            shot_of_backups(&drafted),
            shot_of_backups(&shipped),
            "{guide}"
        );
    }
}
