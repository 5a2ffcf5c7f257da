//! The trace of a failed step: a folder beside the report with the screenshot, the page's HTML
//! and outline, the browser's console log, the page's failed requests and the attempt's
//! actions, tied together by a `trace.html` that opens offline (here in the harness's own
//! browser, through `outline file://…`) and shows the console log, secrets masked.

mod common;

use std::io::{Read, Write};
use std::net::TcpListener;

use common::*;

/// A console page that writes to the browser's console (once with the password in it) and
/// asks its API for something that is not there: `/system` is the page, anything else 404.
fn serve_console_with_errors() -> String {
    let html = format!(
        r#"<!doctype html><html><head><title>Console</title></head><body>
<main><h1>Summary</h1><p>Loading the Enterprise Cluster profile…</p></main>
<script>
console.error("profile service answered 404: cannot load the Enterprise Cluster profile");
console.warn("debug: signing in with {PASSWORD}");
fetch("/v1/spectrocluster/profile").catch(() => {{}});
</script></body></html>"#
    );
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = listener.local_addr().expect("address");
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut buffer = [0u8; 8192];
            let read = stream.read(&mut buffer).unwrap_or(0);
            let request = String::from_utf8_lossy(&buffer[..read]);
            let page = request.starts_with("GET /system ");
            let (status, body) = if page {
                ("200 OK", html.as_str())
            } else {
                ("404 Not Found", "not found")
            };
            let head = format!(
                "HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(body.as_bytes());
        }
    });
    format!("http://{address}/system")
}

/// Firefox's console log comes over WebDriver BiDi (geckodriver has no log endpoint;
/// webdriver/firefox.json asks for the socket). Two Firefox sessions side by side each get
/// their own socket and each trace shows its own page's log.
#[test]
fn on_firefox_two_sessions_side_by_side_each_trace_shows_its_console_log() {
    let url = serve_console_with_errors();
    let folder = tempfile::tempdir().expect("scenarios");
    let scenarios: Vec<_> = ["summary", "summary-again"]
        .iter()
        .map(|stem| {
            let scenario = folder.path().join(format!("{stem}.toml"));
            std::fs::write(&scenario, SUMMARY_SCENARIO).expect("scenario");
            scenario
        })
        .collect();
    let out = tempfile::tempdir().expect("out");
    let mut command = custom_scenario_command(&scenarios[0], out.path());
    command
        .arg(&scenarios[1])
        .args(["--console", &url, "--timeout", "3s", "--workers", "2"])
        .args(["--browser", "firefox"]);
    run_expecting(&mut command, 1);
    for stem in ["summary", "summary-again"] {
        let console = out.path().join(stem).join("traces/upgrade-1/console.json");
        let console: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&console).expect("console.json")).expect("json");
        let entries = console
            .as_array()
            .unwrap_or_else(|| panic!("{stem}: Firefox gives its console log: {console}"));
        assert!(
            entries
                .iter()
                .any(|entry| entry["message"].as_str().is_some_and(
                    |message| message.contains("cannot load the Enterprise Cluster profile")
                )),
            "{stem}: {console}"
        );
        assert!(
            !console.to_string().contains(PASSWORD),
            "{stem}: the password is masked in {console}"
        );
    }
}

const SUMMARY_SCENARIO: &str = r#"title = "Summary"

[[step]]
section = "Upgrade"
number = 1
guide = "On the **Summary** page, click **Update**."
do = ['expect heading "Summary"', 'expect button "Update"']
"#;

#[test]
fn a_failed_step_leaves_a_trace_that_opens_offline_and_shows_the_console_log() {
    let url = serve_console_with_errors();
    let folder = tempfile::tempdir().expect("scenario");
    let scenario = folder.path().join("summary.toml");
    std::fs::write(&scenario, SUMMARY_SCENARIO).expect("scenario");
    let out = tempfile::tempdir().expect("out");
    let stdout = run_expecting(
        custom_scenario_command(&scenario, out.path()).args(["--console", &url, "--timeout", "3s"]),
        1,
    );
    let trace_dir = out.path().join("summary/traces/upgrade-1");
    assert!(
        stdout.contains(&format!(
            "trace:       {}",
            trace_dir.join("trace.html").display()
        )),
        "{stdout}"
    );
    for file in [
        "trace.html",
        "screenshot.png",
        "page.html",
        "outline.txt",
        "console.json",
        "failed-requests.json",
        "actions.json",
    ] {
        assert!(trace_dir.join(file).is_file(), "{file} in the trace folder");
    }
    // Nothing in the trace holds the password, though the page logged it.
    for file in files_under(&trace_dir) {
        let bytes = std::fs::read(&file).expect("readable");
        assert!(
            !String::from_utf8_lossy(&bytes).contains(PASSWORD),
            "{} holds the password",
            file.display()
        );
    }
    let console: serde_json::Value = serde_json::from_slice(
        &std::fs::read(trace_dir.join("console.json")).expect("console.json"),
    )
    .expect("json");
    let messages: Vec<&str> = console
        .as_array()
        .expect("the browser gives its console log")
        .iter()
        .filter_map(|entry| entry["message"].as_str())
        .collect();
    assert!(
        messages
            .iter()
            .any(|message| message.contains("cannot load the Enterprise Cluster profile")),
        "{messages:?}"
    );
    let requests: serde_json::Value = serde_json::from_slice(
        &std::fs::read(trace_dir.join("failed-requests.json")).expect("failed-requests.json"),
    )
    .expect("json");
    assert!(
        requests
            .as_array()
            .expect("a list")
            .iter()
            .any(|request| request["status"] == 404
                && request["url"]
                    .as_str()
                    .is_some_and(|url| url.ends_with("/v1/spectrocluster/profile"))),
        "{requests}"
    );
    let actions: serde_json::Value = serde_json::from_slice(
        &std::fs::read(trace_dir.join("actions.json")).expect("actions.json"),
    )
    .expect("json");
    assert_eq!(actions[0]["status"], "passed", "{actions}");
    assert_eq!(actions[1]["status"], "failed", "{actions}");
    assert_eq!(actions[1]["action"], "expect button \"Update\"");

    let report_html = std::fs::read_to_string(out.path().join("report.html")).expect("report");
    assert!(
        report_html.contains("summary/traces/upgrade-1/trace.html"),
        "report.html links the trace"
    );

    // The trace opens offline, in a browser, from its folder alone.
    let trace_url = format!("file://{}", trace_dir.join("trace.html").display());
    let shown = run_expecting(binary().args(["outline", &trace_url]), 0);
    assert!(
        shown.contains("cannot load the Enterprise Cluster profile"),
        "the console log shows: {shown}"
    );
    assert!(
        shown.contains("HTTP 404"),
        "the failed request shows: {shown}"
    );
    assert!(
        shown.contains("expect button \\\"Update\\\"") || shown.contains("expect button"),
        "{shown}"
    );
    assert!(
        shown.contains("********"),
        "the password shows masked: {shown}"
    );
}
