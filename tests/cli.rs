//! The command line's answers to bad input, through the built binary: exit code 2 and a message
//! that says where the problem is and how to fix it.

mod common;

use common::*;

#[test]
fn a_malformed_scenario_exits_2_with_its_file_line_and_column() {
    let dir = tempfile::tempdir().expect("temp dir");
    let scenario = dir.path().join("bad.toml");
    std::fs::write(
        &scenario,
        "title = \"Bad\"\n\n[[step]]\nsection = \"Upgrade\"\nnumber = 1\nguide = \"Click Update.\"\ndo = ['click buton \"Update\"']\n",
    )
    .expect("write scenario");
    let stderr = stderr_expecting(binary().arg("run").arg(&scenario), 2);
    assert!(
        stderr.contains("bad.toml:7:14: expected a role (menu item, tab, button"),
        "{stderr}"
    );
    assert!(stderr.contains("found `buton`"), "{stderr}");
}

#[test]
fn a_toml_syntax_error_exits_2_with_its_location() {
    let dir = tempfile::tempdir().expect("temp dir");
    let scenario = dir.path().join("broken.toml");
    std::fs::write(&scenario, "title = \"Broken\"\n[[step]\nsection = 1\n")
        .expect("write scenario");
    let stderr = stderr_expecting(binary().arg("run").arg(&scenario), 2);
    assert!(stderr.contains("broken.toml:2:"), "{stderr}");
}

#[test]
fn an_unreachable_console_exits_2_and_says_what_was_tried() {
    let stderr = stderr_expecting(
        with_credentials(&mut binary()).args(["run", "--console", "http://127.0.0.1:9/system"]),
        2,
    );
    assert!(stderr.contains("cannot reach the console at http://127.0.0.1:9/system: tried a TCP connection to 127.0.0.1:9"), "{stderr}");
    assert!(stderr.contains("Check the --console URL"), "{stderr}");
}

#[test]
fn a_real_console_needs_credentials_from_the_environment() {
    let stderr = stderr_expecting(
        binary().args(["run", "--console", "https://palette.example.com/system"]),
        2,
    );
    assert!(
        stderr.contains("PALETTE_USERNAME and PALETTE_PASSWORD must be set"),
        "{stderr}"
    );
}

#[test]
fn a_missing_chromedriver_says_how_to_install_the_browser_stack() {
    let out = tempfile::tempdir().expect("temp dir");
    let temp = tempfile::tempdir().expect("TMPDIR");
    let output = run(binary()
        .args([
            "run",
            "--chromedriver",
            "/nonexistent/chromedriver",
            "--out",
        ])
        .arg(out.path())
        .env("TMPDIR", temp.path()));
    let leftovers = std::fs::read_dir(temp.path()).expect("TMPDIR").count();
    assert_eq!(
        leftovers, 0,
        "a driver that never started left its temp folder"
    );
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("could not start /nonexistent/chromedriver"),
        "{stderr}"
    );
    assert!(stderr.contains("webdriver/install.sh"), "{stderr}");
}

#[test]
fn an_unreachable_webdriver_server_is_named() {
    let out = tempfile::tempdir().expect("temp dir");
    let stderr = stderr_expecting(
        binary()
            .args(["run", "--webdriver", "http://127.0.0.1:9", "--out"])
            .arg(out.path()),
        2,
    );
    assert!(
        stderr
            .contains("the WebDriver server at http://127.0.0.1:9 did not open a browser session"),
        "{stderr}"
    );
}

#[test]
fn a_run_that_cannot_start_a_browser_keeps_the_previous_results() {
    let out = tempfile::tempdir().expect("temp dir");
    let previous = out.path().join("upgrade-vmware-non-airgap");
    std::fs::create_dir_all(previous.join("screenshots")).expect("folders");
    std::fs::write(previous.join("report.json"), "{}").expect("old report");
    std::fs::write(previous.join("screenshots/old.png"), "png").expect("old screenshot");
    let output = run(binary()
        .args([
            "run",
            "--chromedriver",
            "/nonexistent/chromedriver",
            "--out",
        ])
        .arg(out.path()));
    assert_eq!(output.status.code(), Some(2));
    assert!(
        previous.join("screenshots/old.png").is_file(),
        "the previous run's screenshot was deleted"
    );
}

#[test]
fn capabilities_naming_a_missing_browser_say_so() {
    let dir = tempfile::tempdir().expect("temp dir");
    let capabilities = dir.path().join("capabilities.json");
    std::fs::write(
        &capabilities,
        r#"{"browserName":"chrome","goog:chromeOptions":{"binary":"/nonexistent/chromium","args":["--headless=new","--no-sandbox"]}}"#,
    )
    .expect("capabilities written");
    let stderr = stderr_expecting(
        binary()
            .arg("run")
            .arg("--capabilities")
            .arg(&capabilities)
            .arg("--out")
            .arg(dir.path().join("out")),
        2,
    );
    assert!(
        stderr.contains("did not open a browser session"),
        "{stderr}"
    );
    assert!(stderr.contains("/nonexistent/chromium"), "{stderr}");
}
