//! Helpers shared by the tests that drive the built binary: spawning it, serving fixture
//! consoles, and reading what a run left behind.

#![allow(dead_code)] // Each test file uses its own subset of these helpers.

pub mod corpus;
pub mod webdriver;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

pub const SCENARIO: &str = "scenarios/upgrade-vmware-non-airgap.toml";
pub const PASSWORD: &str = "Pw-Harness-Test-2026!";
pub const USERNAME: &str = "qa-admin";

pub fn binary() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_palette-harness"));
    command.current_dir(env!("CARGO_MANIFEST_DIR"));
    // The tests run the same on a workstation and on CI: a test that means CI says so itself.
    command
        .env_remove("PALETTE_USERNAME")
        .env_remove("PALETTE_PASSWORD")
        .env_remove("CI");
    command
}

/// `run` of the shipped scenario with test credentials, output in `out`, and snapshots recorded
/// into `out/snapshot-store`: tests never compare with or write to the project's snapshots/.
pub fn scenario_command(out: &Path) -> Command {
    let mut command = binary();
    with_credentials(&mut command);
    command
        .args([
            "run",
            SCENARIO,
            "--update-snapshots",
            "missing",
            "--snapshots",
        ])
        .arg(out.join("snapshot-store"))
        .arg("--out")
        .arg(out);
    command
}

/// `run` of a scenario file the test wrote, with test credentials, output in `out` and snapshots
/// in `out/snapshot-store`.
pub fn custom_scenario_command(scenario: &Path, out: &Path) -> Command {
    let mut command = binary();
    with_credentials(&mut command);
    command
        .arg("run")
        .arg(scenario)
        .arg("--out")
        .arg(out)
        .arg("--snapshots")
        .arg(out.join("snapshot-store"));
    command
}

pub fn with_credentials(command: &mut Command) -> &mut Command {
    command
        .env("PALETTE_USERNAME", USERNAME)
        .env("PALETTE_PASSWORD", PASSWORD)
}

pub fn run(command: &mut Command) -> Output {
    command
        .stdin(Stdio::null())
        .output()
        .expect("the palette-harness binary runs")
}

/// Runs a harness command, checks its exit code, and returns what it printed on stdout.
pub fn run_expecting(command: &mut Command, code: i32) -> String {
    let output = run(command);
    let stdout = text(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(code),
        "stdout:\n{stdout}\nstderr:\n{}",
        text(&output.stderr)
    );
    stdout
}

/// Runs a harness command, checks its exit code, and returns what it printed on stderr.
pub fn stderr_expecting(command: &mut Command, code: i32) -> String {
    let output = run(command);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(code), "{stderr}");
    stderr
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A reference console in its own process, killed (with its process group) when dropped.
pub struct ConsoleProcess {
    child: Child,
    pub url: String,
}

impl ConsoleProcess {
    pub fn start(extra_args: &[&str]) -> ConsoleProcess {
        let mut command = binary();
        with_credentials(&mut command);
        command
            .args(["console", "--port", "0"])
            .args(if extra_args.contains(&"--lock-seconds") {
                &[][..]
            } else {
                &["--lock-seconds", "2"][..]
            })
            .args(extra_args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        let mut child = command.spawn().expect("console starts");
        let stdout = child.stdout.take().expect("piped stdout");
        let mut first_line = String::new();
        BufReader::new(stdout)
            .read_line(&mut first_line)
            .expect("console prints its URL");
        let url = first_line
            .split_whitespace()
            .find(|word| word.starts_with("http://") || word.starts_with("https://"))
            .unwrap_or_else(|| panic!("no URL in {first_line:?}"))
            .to_string();
        ConsoleProcess { child, url }
    }
}

impl ConsoleProcess {
    /// Kills the console now, as a crash would.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for ConsoleProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Serves one HTML page for every path on a loopback port, from a thread, until the test ends.
pub fn serve_page(html: String) -> String {
    serve_page_leaving_unanswered(html, None)
}

/// [`serve_page`], except that a request for a path starting with `unanswered` is read and
/// never answered (its connection stays open until the test ends).
pub fn serve_page_leaving_unanswered(html: String, unanswered: Option<&'static str>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = listener.local_addr().expect("address");
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut buffer = [0u8; 8192];
            let read = stream.read(&mut buffer).unwrap_or(0);
            let request = String::from_utf8_lossy(&buffer[..read]);
            if let Some(path) = unanswered {
                if request.starts_with(&format!("GET {path}")) {
                    held.push(stream);
                    continue;
                }
            }
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                html.len()
            );
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(html.as_bytes());
        }
    });
    format!("http://{address}/system")
}

/// Every file under `folder`, recursively.
pub fn files_under(folder: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![folder.to_path_buf()];
    while let Some(next) = pending.pop() {
        for entry in std::fs::read_dir(&next).expect("readable folder").flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                found.push(path);
            }
        }
    }
    found
}

pub fn report(scenario_folder: &Path) -> serde_json::Value {
    let bytes = std::fs::read(scenario_folder.join("report.json")).expect("report.json exists");
    serde_json::from_slice(&bytes).expect("report.json is JSON")
}

/// Logs in through the console's documented API and returns its Summary, to check console state
/// without a browser.
pub fn console_summary(console_url: &str) -> serde_json::Value {
    console_api(console_url, "/v1/system/summary")
}

/// Logs in through the console's API and GETs `path`.
pub fn console_api(console_url: &str, path: &str) -> serde_json::Value {
    let address = console_url
        .trim_start_matches("http://")
        .split('/')
        .next()
        .expect("host")
        .to_string();
    let login = format!(r#"{{"username":"{USERNAME}","password":"{PASSWORD}"}}"#);
    let reply = http(&address, "POST", "/v1/auth/syslogin", None, &login);
    let token: serde_json::Value = serde_json::from_str(&reply).expect("login reply is JSON");
    let token = token["Authorization"]
        .as_str()
        .expect("a token")
        .to_string();
    serde_json::from_str(&http(&address, "GET", path, Some(&token), "")).expect("the reply is JSON")
}

pub fn http(address: &str, method: &str, path: &str, token: Option<&str>, body: &str) -> String {
    let mut stream = std::net::TcpStream::connect(address).expect("console reachable");
    let authorization = token
        .map(|token| format!("Authorization: {token}\r\n"))
        .unwrap_or_default();
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\n{authorization}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).expect("request sent");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("response read");
    response
        .split("\r\n\r\n")
        .nth(1)
        .unwrap_or_default()
        .to_string()
}

/// The code editors some fixture consoles are built with (Monaco, CodeMirror), installed from
/// npm into tests/fixtures/editors/node_modules by `npm ci` the first time a test needs them.
/// A failed install fails the test: these tests are never skipped.
pub fn editor_packages() -> PathBuf {
    static INSTALLED: std::sync::OnceLock<Result<PathBuf, String>> = std::sync::OnceLock::new();
    INSTALLED
        .get_or_init(|| {
            let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/editors");
            let modules = folder.join("node_modules");
            let installed = [
                "monaco-editor/min/vs/loader.js",
                "codemirror/lib/codemirror.js",
            ]
            .iter()
            .all(|file| modules.join(file).is_file());
            if !installed {
                let output = Command::new("npm")
                    .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
                    .current_dir(&folder)
                    .stdin(Stdio::null())
                    .output()
                    .map_err(|error| {
                        format!("npm could not start ({error}); install Node.js and npm")
                    })?;
                if !output.status.success() {
                    return Err(format!(
                        "`npm ci` in {} failed:\n{}",
                        folder.display(),
                        text(&output.stderr)
                    ));
                }
            }
            Ok(modules)
        })
        .clone()
        .unwrap_or_else(|error| panic!("{error}"))
}

/// Serves `html` for every path but `/vendor/...`, which comes from files under `vendor`, on a
/// loopback port, from threads, until the test ends.
pub fn serve_page_with_vendor(html: String, vendor: PathBuf) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = listener.local_addr().expect("address");
    let html = std::sync::Arc::new(html);
    let vendor = std::sync::Arc::new(vendor);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let (html, vendor) = (html.clone(), vendor.clone());
            std::thread::spawn(move || answer(stream, &html, &vendor));
        }
    });
    format!("http://{address}/system")
}

fn answer(mut stream: std::net::TcpStream, html: &str, vendor: &Path) {
    let mut request = Vec::new();
    let mut buffer = [0u8; 4096];
    while !request.windows(4).any(|window| window == b"\r\n\r\n") {
        match stream.read(&mut buffer) {
            Ok(0) | Err(_) => break,
            Ok(read) => request.extend_from_slice(&buffer[..read]),
        }
    }
    let request = text(&request);
    let path = request
        .split_whitespace()
        .nth(1)
        .unwrap_or("/")
        .split('?')
        .next()
        .unwrap_or("/")
        .to_string();
    let (status, content_type, body) = match path.strip_prefix("/vendor/") {
        Some(file) if !file.split('/').any(|part| part == "..") => {
            let file = vendor.join(file);
            let content_type = match file.extension().and_then(|extension| extension.to_str()) {
                Some("js") => "text/javascript",
                Some("css") => "text/css",
                Some("ttf") => "font/ttf",
                _ => "application/octet-stream",
            };
            match std::fs::read(&file) {
                Ok(bytes) => ("200 OK", content_type, bytes),
                Err(_) => ("404 Not Found", "text/plain", b"not found".to_vec()),
            }
        }
        Some(_) => ("404 Not Found", "text/plain", b"not found".to_vec()),
        None => (
            "200 OK",
            "text/html; charset=utf-8",
            html.as_bytes().to_vec(),
        ),
    };
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&body);
}

/// A page served over https with a self-signed certificate (tests/fixtures/https_console.py, with
/// python3 and openssl), in its own process group, killed when dropped.
pub struct HttpsPage {
    child: Child,
    pub url: String,
    folder: tempfile::TempDir,
}

impl HttpsPage {
    pub fn serve(html: &str) -> HttpsPage {
        let folder = tempfile::tempdir().expect("temp dir");
        let page = folder.path().join("page.html");
        std::fs::write(&page, html).expect("page written");
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/https_console.py");
        let mut command = Command::new("python3");
        command
            .arg(script)
            .arg(&page)
            .arg(folder.path())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        let mut child = command
            .spawn()
            .expect("python3 starts (the https test server needs python3 and openssl)");
        let mut first_line = String::new();
        BufReader::new(child.stdout.take().expect("piped stdout"))
            .read_line(&mut first_line)
            .expect("the https server prints its URL");
        assert!(
            first_line.starts_with("https://"),
            "the https server did not start: {first_line:?}"
        );
        HttpsPage {
            child,
            url: first_line.trim().to_string(),
            folder,
        }
    }

    /// The independently built console (tests/fixtures/independent-console.html) over https,
    /// with a 1.5 s lock.
    pub fn independent_console() -> HttpsPage {
        let html = include_str!("../fixtures/independent-console.html")
            .replace("__LOCK_MS__", "1500")
            .replace("__FAULT__", "none")
            .replace("__PROFILE__", "guide");
        HttpsPage::serve(&html)
    }

    /// The CA that signed the console's certificate (PEM).
    pub fn ca_certificate(&self) -> PathBuf {
        self.folder.path().join("ca.pem")
    }
}

impl Drop for HttpsPage {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
