//! A page whose web font never arrives: holding the page still for a screenshot waits for it
//! for 2 s, then goes on, and the snapshot says so (its text may be drawn in a fallback font),
//! rather than passing in silence.

mod common;

use std::time::Duration;

use common::*;

/// `/system` is a page whose text uses a web font; the font's request is read and never
/// answered. The font is asked for once the page has loaded (a font requested while the page
/// loads would hold up the load itself).
fn serve_page_with_a_font_that_never_arrives() -> String {
    let html = r#"<!doctype html><html><head><title>Console</title></head>
<body><main><h1>Summary</h1><p>Palette 4.8.21</p></main><script>
addEventListener("load", () => {
  const style = document.createElement("style");
  style.textContent = '@font-face { font-family: "Never"; src: url("/fonts/never.woff2") format("woff2"); } body { font-family: "Never", sans-serif; }';
  document.head.append(style);
});
</script></body></html>"#;
    serve_page_leaving_unanswered(html.to_string(), Some("/fonts/"))
}

#[test]
fn a_snapshot_taken_while_a_web_font_is_still_loading_says_so() {
    let url = serve_page_with_a_font_that_never_arrives();
    let folder = tempfile::tempdir().expect("scenario folder");
    let scenario = folder.path().join("late-font.toml");
    std::fs::write(
        &scenario,
        r#"title = "A font that never arrives"

[[step]]
section = "Validate"
number = 1
guide = "The **Summary** page."
do = ['expect heading "Summary"', 'snapshot "summary"']
"#,
    )
    .expect("scenario written");
    let out = tempfile::tempdir().expect("out");
    let started = std::time::Instant::now();
    let stdout = run_expecting(
        custom_scenario_command(&scenario, out.path()).args([
            "--console",
            &url,
            "--update-snapshots",
            "missing",
        ]),
        0,
    );
    assert!(
        stdout.contains(
            "web fonts were still loading after 2 s, so text may show in a fallback font"
        ),
        "{stdout}"
    );
    // It waited for the font, then went on.
    assert!(started.elapsed() >= Duration::from_secs(2));
}
