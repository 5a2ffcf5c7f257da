//! Screenshots of a page that never holds still by itself: a focused field that grabs focus back
//! (its caret blinks), an endless spinner, a five-second slide-in and a five-second fade. A
//! snapshot must settle it the way a person waits for a page (no caret, animations finished or
//! back at their first frame), so two runs record the same pixels.

mod common;

use common::*;

const RESTLESS_PAGE: &str = r#"<!doctype html><html><head><meta charset="utf-8"><style>
  body { font: 16px "Liberation Sans", sans-serif; margin: 30px; }
  input { font-size: 22px; padding: 6px; width: 320px; }
  @keyframes spin { to { transform: rotate(360deg); } }
  .spinner { width: 48px; height: 48px; margin: 20px 0; border: 6px solid #ccd; border-top-color: #2f5bea; border-radius: 50%; animation: spin .7s linear infinite; }
  @keyframes slide { from { transform: translateX(-300px); } to { transform: none; } }
  .banner { animation: slide 5s ease-out forwards; font-size: 20px; }
  .fade { transition: opacity 5s, color 5s; opacity: .1; color: #c00; }
  .fade.shown { opacity: 1; color: #060; }
</style></head><body>
  <input value="Current configuration">
  <div class="spinner"></div>
  <div class="banner">Palette version update</div>
  <p class="fade">On-prem system console is healthy</p>
<script>
  const field = document.querySelector("input");
  field.addEventListener("blur", () => setTimeout(() => field.focus(), 0));
  field.focus();
  requestAnimationFrame(() => requestAnimationFrame(() => document.querySelector(".fade").classList.add("shown")));
</script></body></html>"#;

fn snapshot_restless_page(out: &std::path::Path, url: &str) -> String {
    let scenario = out.join("restless.toml");
    std::fs::write(
        &scenario,
        "title = \"A restless page\"\n\n[[step]]\nsection = \"Capture\"\nnumber = 1\nguide = \"Take the page's picture.\"\ndo = ['expect text \"Palette version update\"', 'snapshot \"restless\"']\n",
    )
    .expect("scenario written");
    // Both runs record into and compare with one store, whatever folder each writes its output to.
    let mut command = custom_scenario_command(&scenario, out);
    command.args([
        "--console",
        url,
        "--console-name",
        "restless",
        "--update-snapshots",
        "missing",
    ]);
    run_expecting(&mut command, 0)
}

#[test]
fn a_page_with_a_blinking_caret_and_running_animations_is_captured_the_same_every_time() {
    let url = serve_page(RESTLESS_PAGE.to_string());
    let out = tempfile::tempdir().expect("temp dir");
    let first = snapshot_restless_page(out.path(), &url);
    assert!(first.contains("image recorded"), "{first}");
    assert!(!first.contains("never held still"), "{first}");
    // A fresh page load: the animations start again from the beginning and are at other points
    // when the second capture comes.
    let second = snapshot_restless_page(out.path(), &url);
    assert!(
        second.contains("image matched: 0 pixels differ"),
        "the same page gave other pixels: {second}"
    );
    assert!(!second.contains("never held still"), "{second}");
}
