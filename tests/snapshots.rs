//! The snapshot workflow through the built binary: record, compare, catch a changed page with
//! its text and image diffs, review, accept, and never overwrite a baseline without being asked.

mod common;

use std::path::Path;
use std::process::Command;

use common::*;

fn run_against(console: &ConsoleProcess, out: &Path, store: &Path, extra: &[&str]) -> Command {
    let mut command = binary();
    with_credentials(&mut command)
        .args([
            "run",
            SCENARIO,
            "--apply",
            // Every console process has its own port; one name keeps one set of baselines.
            "--console-name",
            "test-console",
            "--console",
            &console.url,
            "--snapshots",
        ])
        .arg(store)
        .arg("--out")
        .arg(out)
        .args(extra);
    command
}

/// A `palette-harness …` command as the harness printed it, between `start` and `end`, its
/// optional `[FILTER]` left out.
struct PrintedCommand {
    words: Vec<String>,
}

impl PrintedCommand {
    fn command(&self) -> Command {
        let mut command = binary();
        command.args(&self.words);
        command
    }
}

fn printed_command(output: &str, start: &str, end: &str) -> PrintedCommand {
    let from = output
        .find(start)
        .unwrap_or_else(|| panic!("no `{start}` in {output}"))
        + start.len();
    let text = &output[from..];
    let text = &text[..text.find(end).unwrap_or(text.len())];
    let mut words = text.split_whitespace();
    assert_eq!(words.next(), Some("palette-harness"), "{text}");
    PrintedCommand {
        words: words
            .filter(|word| *word != "[FILTER]")
            .map(str::to_string)
            .collect(),
    }
}

#[test]
fn a_recorded_run_passes_again_and_a_reworded_summary_fails_with_text_and_image_diffs() {
    let store = tempfile::tempdir().expect("store");
    let (first, second, third, fourth) = (
        tempfile::tempdir().expect("out"),
        tempfile::tempdir().expect("out"),
        tempfile::tempdir().expect("out"),
        tempfile::tempdir().expect("out"),
    );

    // Record: every step's page and image become baselines.
    let fresh_console = ConsoleProcess::start(&[]);
    let stdout = run_expecting(
        &mut run_against(&fresh_console, first.path(), store.path(), &[]),
        0,
    );
    assert!(
        stdout.contains("new page snapshot \"validate-2-summary\""),
        "{stdout}"
    );
    let summary_baseline = store
        .path()
        .join("test-console/upgrade-vmware-non-airgap__validate-2-summary.snap");
    let baseline_text = std::fs::read_to_string(&summary_baseline).expect("Summary page baseline");
    assert!(
        baseline_text.contains("You are using the latest version of Palette"),
        "{baseline_text}"
    );
    assert!(
        baseline_text.contains("On-prem system console is healthy\""),
        "{baseline_text}"
    );

    // Compare as CI does, on a new console: nothing may be written, and everything matches.
    let second_console = ConsoleProcess::start(&[]);
    let mut on_ci = run_against(&second_console, second.path(), store.path(), &[]);
    on_ci.env("CI", "true");
    let stdout = run_expecting(&mut on_ci, 0);
    assert!(
        !stdout.contains("recorded") && !stdout.contains("changed"),
        "{stdout}"
    );

    // The console's Summary message changes: exit 1, with the text diff and the image diff.
    let console = ConsoleProcess::start(&["--fault", "reworded-summary"]);
    let stdout = run_expecting(
        &mut run_against(&console, third.path(), store.path(), &[]),
        1,
    );
    assert!(
        stdout.contains("✗ page snapshot \"validate-2-summary\" changed: 2 lines differ"),
        "{stdout}"
    );
    assert!(
        stdout.contains("-     - text: \"On-prem system console is healthy\""),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "+     - text: \"On-prem system console is healthy and all services are running\""
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("✗ image snapshot \"validate-2-summary\" changed:"),
        "{stdout}"
    );
    // The snapshot action is marked failed where it happens, and the scenario's end says why it
    // failed with commands that work as printed.
    assert!(
        stdout.contains("    ✗ snapshot \"validate-2-summary\" (")
            && !stdout.contains("✓ snapshot \"validate-2-summary\""),
        "{stdout}"
    );
    assert!(
        stdout.contains("  FAILED: 6 snapshot check(s) did not match their baselines")
            && stdout.contains("    at Validate 2: page snapshot \"validate-2-summary\" changed"),
        "{stdout}"
    );
    let hinted_review = printed_command(&stdout, "review: ", ";");
    let listed = run_expecting(&mut hinted_review.command(), 0);
    assert!(listed.contains("6 pending snapshot(s)"), "{listed}");
    assert_eq!(
        std::fs::read_to_string(&summary_baseline).expect("baseline"),
        baseline_text,
        "the baseline was overwritten"
    );

    let folder = third.path().join("upgrade-vmware-non-airgap");
    let report = report(&folder);
    let validate = &report["steps"][8];
    assert_eq!(validate["step"], "Validate 2");
    assert_eq!(validate["status"], "failed: snapshot");
    let checks = validate["snapshots"].as_array().expect("snapshot checks");
    let page = checks
        .iter()
        .find(|check| check["kind"] == "page")
        .expect("page check");
    assert!(page["text_diff"].as_str().unwrap_or_default().contains(
        "+     - text: \"On-prem system console is healthy and all services are running\""
    ));
    let image = checks
        .iter()
        .find(|check| check["kind"] == "image")
        .expect("image check");
    assert_eq!(image["verdict"], "changed");
    let diff_image = image["diff_image"].as_str().expect("a diff image");
    let diff = image::open(diff_image)
        .expect("diff image is a PNG")
        .to_rgba8();
    assert!(
        diff.pixels().any(|pixel| pixel.0 == [255, 0, 0, 255]),
        "the diff image marks changed pixels in red"
    );
    let html = std::fs::read_to_string(third.path().join("report.html")).expect("HTML report");
    assert!(
        html.contains("validate-2-summary")
            && html.contains("class=\"removed\"")
            && html.contains("type=\"range\"")
    );

    // Review lists the pending snapshots; accepting them makes the next run pass.
    let review = run_expecting(
        binary().arg("review").arg("--snapshots").arg(store.path()),
        0,
    );
    // The Summary is shown at Upgrade 1, Validate 1 (after logging in again) and Validate 2.
    assert!(review.contains("6 pending snapshot(s)"), "{review}");
    assert!(
        review.contains(
            "+     - text: \"On-prem system console is healthy and all services are running\""
        ),
        "{review}"
    );
    // Accepted with the command the review prints, as printed (its FILTER left out).
    let accept = printed_command(&review, "accept with `", "`");
    assert_eq!(accept.words[..2], ["accept", "--snapshots"], "{review}");
    let accepted = run_expecting(&mut accept.command(), 0);
    assert_eq!(accepted.lines().count(), 6, "{accepted}");
    let reworded_again = ConsoleProcess::start(&["--fault", "reworded-summary"]);
    let stdout = run_expecting(
        &mut run_against(
            &reworded_again,
            fourth.path(),
            store.path(),
            &["--update-snapshots", "none"],
        ),
        0,
    );
    assert!(!stdout.contains("changed"), "{stdout}");
}

#[test]
fn on_ci_a_missing_baseline_fails_and_nothing_is_written() {
    let store = tempfile::tempdir().expect("store");
    let out = tempfile::tempdir().expect("out");
    let console = ConsoleProcess::start(&[]);
    let mut on_ci = run_against(&console, out.path(), store.path(), &[]);
    on_ci.env("CI", "true");
    let stdout = run_expecting(&mut on_ci, 1);
    assert!(
        stdout.contains("has no baseline, and this run may not record one"),
        "{stdout}"
    );
    assert_eq!(
        std::fs::read_dir(store.path())
            .map(|entries| entries.count())
            .unwrap_or(0),
        0,
        "the snapshot folder stays empty"
    );
}

#[test]
fn reject_deletes_pending_snapshots_and_keeps_baselines() {
    let store = tempfile::tempdir().expect("store");
    let baseline = store.path().join("s__page.snap");
    std::fs::write(&baseline, "---\nsource: \"x.toml\"\n---\nold\n").expect("baseline");
    std::fs::write(
        store.path().join("s__page.snap.new"),
        "---\nsource: \"x.toml\"\nassertion_line: 3\n---\nnew\n",
    )
    .expect("pending");
    let stdout = run_expecting(
        binary()
            .args(["reject", "page", "--snapshots"])
            .arg(store.path()),
        0,
    );
    assert!(stdout.starts_with("rejected "), "{stdout}");
    assert!(!store.path().join("s__page.snap.new").exists());
    assert_eq!(
        std::fs::read_to_string(&baseline).expect("baseline kept"),
        "---\nsource: \"x.toml\"\n---\nold\n"
    );
}
