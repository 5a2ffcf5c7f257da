//! `palette-harness check`: scenario files validated without a browser. Every file of the corpus
//! in tests/fixtures/malformed/ gets exit 2 and exactly the one-line message beside it
//! (`NAME.expected`: `line:column: expected …`); the shipped scenario is valid.

mod common;

use std::path::Path;

use common::*;

#[test]
fn every_malformed_file_of_the_corpus_gets_its_exact_message_and_exit_2() {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/malformed");
    let mut checked = 0;
    for file in files_under(&folder) {
        if file.extension().and_then(|extension| extension.to_str()) != Some("toml") {
            continue;
        }
        let expected = std::fs::read_to_string(file.with_extension("expected"))
            .unwrap_or_else(|_| panic!("{} has its .expected beside it", file.display()));
        let stderr = stderr_expecting(binary().arg("check").arg(&file), 2);
        assert_eq!(
            stderr.trim_end(),
            format!("{}:{}", file.display(), expected.trim_end()),
            "{}",
            file.display()
        );
        assert!(expected.contains(": expected "), "{expected}");
        assert_eq!(stderr.trim_end().lines().count(), 1, "one line: {stderr}");
        checked += 1;
    }
    assert!(checked >= 20, "the corpus has {checked} files");
}

#[test]
fn the_shipped_scenario_is_valid_and_json_reports_for_tools() {
    let stdout = run_expecting(
        binary().args(["check", "scenarios/upgrade-vmware-non-airgap.toml"]),
        0,
    );
    assert!(stdout.contains("valid (9 steps"), "{stdout}");
    let bad =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/malformed/unknown-key.toml");
    let output = run(binary()
        .args(["check", "--format", "json"])
        .arg(&bad)
        .arg("scenarios/upgrade-vmware-non-airgap.toml"));
    assert_eq!(output.status.code(), Some(2));
    let results: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(results[0]["valid"], false);
    assert_eq!(results[0]["line"], 7);
    assert_eq!(results[0]["column"], 1);
    assert_eq!(results[1]["valid"], true);
}
