//! Consoles that misbehave at the HTTP level: one that accepts the connection and never answers,
//! one that answers HTTP 500. Each is reported for what it is, at once, with the URL.

mod common;

use std::io::{Read, Write};
use std::net::TcpListener;

use common::*;

/// A server that accepts connections and never answers them.
fn silent_console() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = listener.local_addr().expect("address");
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().flatten() {
            held.push(stream);
        }
    });
    format!("http://{address}/system")
}

/// A server that answers every request with HTTP 500.
fn failing_console() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = listener.local_addr().expect("address");
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            let mut buffer = [0u8; 8192];
            let _ = stream.read(&mut buffer);
            let body = "<!doctype html><title>Error</title><h1>Internal Server Error</h1><p>upstream connect error</p>";
            let _ = stream.write_all(
                format!(
                    "HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                )
                .as_bytes(),
            );
        }
    });
    format!("http://{address}/system")
}

#[test]
fn a_console_that_never_answers_is_named_after_the_page_load_timeout_not_five_minutes() {
    let url = silent_console();
    let out = tempfile::tempdir().expect("temp dir");
    let stdout = run_expecting(
        scenario_command(out.path()).args(["--timeout", "3s", "--console", &url]),
        1,
    );
    assert!(stdout.contains("FAILED at Upgrade 1"), "{stdout}");
    assert!(
        stdout.contains(&format!(
            "the console at {url} accepted the connection but sent no page within 3 s"
        )),
        "{stdout}"
    );
}

#[test]
fn a_console_answering_http_500_is_reported_with_the_status_and_the_url_at_once() {
    let url = failing_console();
    let out = tempfile::tempdir().expect("temp dir");
    let stdout = run_expecting(scenario_command(out.path()).args(["--console", &url]), 1);
    assert!(
        stdout.contains(&format!(
            "the console at {url} answered HTTP 500: \"Internal Server Error\""
        )),
        "{stdout}"
    );
    assert!(
        !stdout.contains("waited"),
        "no wait for the step timeout: {stdout}"
    );
}
