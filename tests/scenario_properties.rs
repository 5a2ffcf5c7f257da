//! Property tests of the scenario parser: random and mutated scenario files never make it panic,
//! and every error it gives is located inside the file, on one line, and says what was expected.
//!
//! The number of cases is bounded (below) so that the run in CI takes seconds; set
//! `PROPTEST_CASES=100000` for a longer hunt. A failure is shrunk to a small input and saved under
//! `proptest-regressions/`, which is replayed first on every later run.

use std::path::Path;

use palette_harness::scenario::{parse_bytes, ScenarioError};
use proptest::prelude::*;

/// The scenarios the project ships: the starting points of the mutations.
const SHIPPED: &[&str] = &[include_str!("../scenarios/upgrade-vmware-non-airgap.toml")];

/// Fragments that reach the parser's corners: quoting, escapes, multi-byte text, tables,
/// nesting, limits, guards, conditions, invalid UTF-8.
const PIECES: &[&[u8]] = &[
    b"\"",
    b"'",
    b"\\",
    b"\\u00e9",
    "é".as_bytes(),
    "日本".as_bytes(),
    b"[",
    b"]",
    b"=",
    b"\n",
    b"\r\n",
    b"[[step]]\n",
    b" in ",
    b" in pane \"p\"",
    b"'''",
    b"\"\"\"",
    b"#",
    b",",
    b"{",
    b"}",
    b"mutating = True\n",
    b"timeout = \"9e99h\"\n",
    b"timeout = \"99999999999999999999h\"\n",
    "\u{feff}".as_bytes(),
    b"click button \"Confirm!\"",
    b"do = []\n",
    b"number = -1\n",
    b"when = \"x\"\n",
    b"when = \"target_kubernetes != installed_kubernetes\"\n",
    b"screenshot \"a.txt\"",
    b"wait until unlocked within 0s",
    b"expect text matching \"(\"",
    b"merge layer \"CSI\" keeping customizations except \"",
    b"0",
    b"\t",
    b"\xff",
    b"\xc3",
    b"\xe6\x97",
];

/// One edit of a file: where (as a fraction of its length), what kind, and with what.
#[derive(Clone, Debug)]
enum Edit {
    Insert { at: f64, piece: usize },
    Delete { at: f64, length: usize },
    Truncate { at: f64 },
    Replace { at: f64, piece: usize },
}

fn edit() -> impl Strategy<Value = Edit> {
    let at = 0.0..=1.0f64;
    let piece = 0..PIECES.len();
    prop_oneof![
        (at.clone(), piece.clone()).prop_map(|(at, piece)| Edit::Insert { at, piece }),
        (at.clone(), 1..16usize).prop_map(|(at, length)| Edit::Delete { at, length }),
        at.clone().prop_map(|at| Edit::Truncate { at }),
        (at, piece).prop_map(|(at, piece)| Edit::Replace { at, piece }),
    ]
}

fn apply(mut bytes: Vec<u8>, edits: &[Edit]) -> Vec<u8> {
    let position = |at: f64, length: usize| ((at * length as f64) as usize).min(length);
    for edit in edits {
        match *edit {
            Edit::Insert { at, piece } => {
                let at = position(at, bytes.len());
                bytes.splice(at..at, PIECES[piece].iter().copied());
            }
            Edit::Delete { at, length } => {
                let at = position(at, bytes.len());
                let end = (at + length).min(bytes.len());
                bytes.drain(at..end);
            }
            Edit::Truncate { at } => {
                let at = position(at, bytes.len());
                bytes.truncate(at);
            }
            Edit::Replace { at, piece } => {
                let at = position(at, bytes.len());
                let end = (at + PIECES[piece].len()).min(bytes.len());
                bytes.splice(at..end, PIECES[piece].iter().copied());
            }
        }
    }
    bytes
}

/// Words of action sentences, real and not.
const ACTION_WORDS: &[&str] = &[
    "click",
    "button",
    "menu item",
    "tab",
    "\"Update\"",
    "in",
    "dialog",
    "\"Palette version update\"",
    "expect",
    "text",
    "back up layer",
    "merge layer",
    "keeping",
    "customizations",
    "screenshot",
    "\"x.webp\"",
    "within",
    "30s",
    "wait until unlocked",
    "log in",
];

/// A scenario-shaped file put together from random keys, values and action sentences.
fn scenario_like() -> impl Strategy<Value = Vec<u8>> {
    let word = prop_oneof![
        prop::sample::select(ACTION_WORDS).prop_map(String::from),
        "[a-zé\"\\\\ ]{0,6}",
    ];
    let action = prop::collection::vec(word, 0..8).prop_map(|words| words.join(" "));
    let value = prop_oneof![
        Just("\"30s\"".to_string()),
        Just("true".to_string()),
        Just("3".to_string()),
        Just("[]".to_string()),
        Just("\"\"".to_string()),
        "\"[ -~é]{0,10}\"",
        "[0-9a-z\\[\\]{}=,.\"']{0,8}",
    ];
    let key = prop::sample::select(
        &[
            "section",
            "number",
            "guide",
            "timeout",
            "mutating",
            "when",
            "mask",
            "max_diff_ratio",
            "mutatin",
        ][..],
    );
    let step = (
        prop::collection::vec((key, value), 0..6),
        prop::collection::vec(action, 0..4),
    )
        .prop_map(|(pairs, actions)| {
            let mut text = String::from("[[step]]\n");
            for (key, value) in pairs {
                text.push_str(&format!("{key} = {value}\n"));
            }
            let quoted: Vec<String> = actions
                .iter()
                .map(|action| format!("'{}'", action.replace('\'', "")))
                .collect();
            text.push_str(&format!("do = [{}]\n", quoted.join(", ")));
            text
        });
    prop::collection::vec(step, 0..5).prop_map(|steps| {
        let mut text = String::from("title = \"Random\"\n");
        for step in steps {
            text.push_str(&step);
        }
        text.into_bytes()
    })
}

/// The promise of every parser error: a place inside the file, one line, "expected …".
fn assert_well_formed_outcome(bytes: &[u8]) -> Result<(), TestCaseError> {
    match parse_bytes(Path::new("random.toml"), bytes) {
        Ok(_) => Ok(()),
        Err(ScenarioError::Malformed { location, message }) => {
            // Positions count the text the editor shows: after a byte-order mark, before the
            // first byte that is not UTF-8.
            let valid = match std::str::from_utf8(bytes) {
                Ok(text) => text,
                Err(error) => std::str::from_utf8(&bytes[..error.valid_up_to()]).unwrap(),
            };
            let text = valid.strip_prefix('\u{feff}').unwrap_or(valid);
            let lines: Vec<&str> = text.split('\n').collect();
            prop_assert!(
                location.line >= 1 && location.line <= lines.len(),
                "{location} is not a line of the file ({} lines): {message}",
                lines.len()
            );
            let width = lines[location.line - 1].chars().count();
            prop_assert!(
                location.column >= 1 && location.column <= width + 1,
                "{location} is past the end of its line ({width} characters): {message}"
            );
            prop_assert!(message.starts_with("expected"), "{location}: {message}");
            prop_assert!(!message.contains('\n'), "{location}: two lines: {message}");
            Ok(())
        }
        Err(other) => Err(TestCaseError::fail(format!("not a located error: {other}"))),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1500, ..ProptestConfig::default() })]

    #[test]
    fn mutated_shipped_scenarios_get_a_located_error_or_parse(
        which in 0..SHIPPED.len(),
        edits in prop::collection::vec(edit(), 1..6),
    ) {
        let bytes = apply(SHIPPED[which].as_bytes().to_vec(), &edits);
        assert_well_formed_outcome(&bytes)?;
    }

    #[test]
    fn random_scenario_shaped_files_get_a_located_error_or_parse(
        bytes in scenario_like(),
        edits in prop::collection::vec(edit(), 0..3),
    ) {
        assert_well_formed_outcome(&apply(bytes, &edits))?;
    }

    #[test]
    fn arbitrary_bytes_get_a_located_error(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        assert_well_formed_outcome(&bytes)?;
    }
}
