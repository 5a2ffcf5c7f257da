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
        message.starts_with("expected `mutating = true` on step Upgrade 4"),
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
    assert_eq!(
        message,
        "expected a known key, found `numbr`: did you mean `number`?"
    );
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

    let (location, message) = malformed(&GOOD.replace("timeout = \"2m\"\n", "mask_text = ['(']\n"));
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

#[test]
fn toml_type_errors_say_what_the_key_holds() {
    let (location, message) = malformed(&GOOD.replace("timeout = \"2m\"", "timeout = 30"));
    assert_eq!(location.line, 15);
    assert!(
        message.starts_with("expected `timeout` to be a duration in quotes such as \"30s\""),
        "{message}"
    );
    let (_, message) = malformed(&GOOD.replace("mutating = true", "mutating = True"));
    assert_eq!(
        message,
        "expected `mutating` to be true or false, found `True`"
    );
    assert!(!message.contains('\n'), "one line: {message}");
    let (_, message) = malformed(&GOOD.replace("number = 2", "number = \"two\""));
    assert!(
        message.starts_with("expected `number` to be the guide's step number"),
        "{message}"
    );
}

#[test]
fn positions_are_exact_after_escapes_and_multibyte_text() {
    // `\"` and `\u00e9` before the error: the column is where the bad word is written.
    let source = GOOD.replace(
        "'select tab \"Profile\"'",
        "\"click button \\\"Caf\\u00e9\\\" in diálogo \\\"x\\\"\"",
    );
    let (location, message) = malformed(&source);
    let line = source.lines().nth(location.line - 1).unwrap();
    let column_text: String = line.chars().skip(location.column - 1).take(7).collect();
    assert_eq!(column_text, "diálogo", "{message}");
}

#[test]
fn a_byte_order_mark_does_not_shift_columns() {
    let source = format!(
        "\u{feff}{}",
        GOOD.replace("select tab \"Profile\"", "select tabb \"Profile\"")
    );
    let (location, _) = malformed(&source);
    assert_eq!((location.line, location.column), (8, 55));
}

#[test]
fn invalid_utf8_is_reported_where_it_is() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("bad.toml");
    let mut bytes = GOOD.as_bytes().to_vec();
    let at = GOOD.find("Profile").unwrap();
    bytes[at] = 0xff;
    std::fs::write(&path, bytes).unwrap();
    match load(&path) {
        Err(ScenarioError::Malformed { location, message }) => {
            assert_eq!((location.line, location.column), (8, 60), "{message}");
            assert!(message.starts_with("expected UTF-8 text"), "{message}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn deep_nesting_huge_durations_and_useless_values_are_refused_by_name() {
    let nested = format!("'click button \"x\"{}'", " in pane \"p\"".repeat(30_000));
    let (_, message) = malformed(&GOOD.replace("'select tab \"Profile\"'", &nested));
    assert!(
        message.contains("at most 8 nested `in` targets"),
        "{message}"
    );
    let (_, message) =
        malformed(&GOOD.replace("timeout = \"2m\"", "timeout = \"99999999999999999999h\""));
    assert!(message.contains("at most a week"), "{message}");
    let (_, message) = malformed(&GOOD.replace("timeout = \"2m\"", "timeout = \"0s\""));
    assert!(message.contains("above zero"), "{message}");
    let (_, message) =
        malformed(&GOOD.replace("'select tab \"Profile\"'", "'screenshot \"name.txt\"'"));
    assert!(message.contains("ending in .webp"), "{message}");
    let (_, message) =
        malformed(&GOOD.replace("'select tab \"Profile\"'", "'click button \"Confirm!\"'"));
    assert!(
        message.starts_with("expected `mutating = true` on step Upgrade 2"),
        "{message}"
    );
}

#[test]
fn ten_thousand_steps_parse_with_their_locations() {
    let mut source = String::from("title = \"Big\"\n");
    for number in 1..=10_000 {
        source.push_str(&format!(
            "[[step]]\nsection = \"S\"\nnumber = {number}\nguide = \"g\"\ndo = ['log in']\n"
        ));
    }
    let scenario = parse(Path::new("big.toml"), &source).expect("parses");
    assert_eq!(scenario.steps.len(), 10_000);
    assert_eq!(
        scenario.steps[9_999].actions[0].location.line,
        2 + 9_999 * 5 + 4
    );
}
