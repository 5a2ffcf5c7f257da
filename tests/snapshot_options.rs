//! Snapshot options against a console whose Summary changes: text masks, hidden elements,
//! painted masks and ignored regions each keep a changed area from failing the comparison,
//! while the rest of the page is still compared.

mod common;

use common::*;

const SCENARIO: &str = r#"title = "Summary with masks"

[[step]]
section = "Validate"
number = 1
guide = "Log in to the Palette system console."
do = ['log in', 'click menu item "Summary"', 'expect text "On-prem system console is healthy"']

[[step]]
section = "Validate"
number = 2
guide = "The Summary page, with the health card hidden."
mask_text = ['On-prem system console is healthy[^"]*']
hide = ['pane "System health"']
do = ['snapshot "hidden"']

[[step]]
section = "Validate"
number = 3
guide = "The Summary page, with the health card painted over."
mask_text = ['On-prem system console is healthy[^"]*']
mask = ['pane "System health"']
do = ['snapshot "masked"']

[[step]]
section = "Validate"
number = 4
guide = "The Summary page, with the health card left out of the image comparison."
mask_text = ['On-prem system console is healthy[^"]*']
ignore = ['pane "System health"']
do = ['snapshot "ignored"']
"#;

#[test]
fn hidden_masked_and_ignored_areas_do_not_fail_a_snapshot() {
    let dir = tempfile::tempdir().expect("temp dir");
    let scenario = dir.path().join("summary-masks.toml");
    std::fs::write(&scenario, SCENARIO).expect("scenario written");
    let store = dir.path().join("store");
    let run_on = |console: &ConsoleProcess, out: &str| {
        let mut command = binary();
        with_credentials(&mut command)
            .arg("run")
            .arg(&scenario)
            .args([
                "--console-name",
                "test-console",
                "--console",
                &console.url,
                "--update-snapshots",
                "missing",
                "--snapshots",
            ])
            .arg(&store)
            .arg("--out")
            .arg(dir.path().join(out));
        command
    };

    let recorded = run_expecting(&mut run_on(&ConsoleProcess::start(&[]), "first"), 0);
    assert_eq!(
        recorded.matches("new image snapshot").count(),
        3,
        "{recorded}"
    );

    let reworded = ConsoleProcess::start(&["--fault", "reworded-summary"]);
    let stdout = run_expecting(&mut run_on(&reworded, "second"), 0);
    assert!(!stdout.contains("changed"), "{stdout}");

    // The painted mask is in the image: a box of the mask colour where the health card was.
    let masked = image::open(
        dir.path()
            .join("second/summary-masks/snapshots/masked.actual.png"),
    )
    .expect("masked image")
    .to_rgba8();
    let magenta = masked
        .pixels()
        .filter(|pixel| pixel.0 == [255, 0, 255, 255])
        .count();
    assert!(magenta > 10_000, "only {magenta} mask pixels");
    // The text mask covers the reworded message in the page outline.
    let outline = std::fs::read_to_string(
        dir.path()
            .join("second/summary-masks/snapshots/hidden.page.txt"),
    )
    .expect("outline");
    assert!(outline.contains("[masked]"), "{outline}");
    assert!(!outline.contains("all services are running"), "{outline}");
}
