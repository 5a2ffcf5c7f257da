//! A plain WebDriver client over HTTP for the tests that drive a browser themselves (the
//! component consoles' accessible names, the review page, the recorder's session): chromedriver
//! started in its own process group and killed with it, or a session someone else started.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, Command, Stdio};

/// A chromedriver of its own with one headless Chromium session, spoken to in plain WebDriver;
/// its process group is killed when dropped.
pub struct WebDriver {
    child: Child,
    address: String,
    session: String,
    _profile: tempfile::TempDir,
}

pub const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

impl WebDriver {
    /// chromedriver on a free port, and the port it took; `None` when it exits before saying.
    fn start_driver() -> Option<(Child, u16)> {
        let mut command = Command::new("chromedriver");
        command
            .arg("--port=0")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        let mut child = command
            .spawn()
            .expect("chromedriver starts (webdriver/install.sh)");
        let mut reader = BufReader::new(child.stdout.take().expect("stdout"));
        for _ in 0..20 {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                break;
            }
            if let Some(rest) = line.split("successfully on port ").nth(1) {
                if let Ok(port) = rest.trim().trim_end_matches('.').parse::<u16>() {
                    return Some((child, port));
                }
                break;
            }
        }
        let group = format!("-{}", child.id());
        let _ = Command::new("kill")
            .args(["-s", "KILL", "--", &group])
            .stderr(Stdio::null())
            .status();
        let _ = child.wait();
        None
    }

    pub fn start() -> WebDriver {
        let (child, port) = (1..=3)
            .find_map(|_| WebDriver::start_driver())
            .expect("chromedriver did not print the port it took, three times");
        let address = format!("127.0.0.1:{port}");
        let profile = tempfile::tempdir().expect("profile");
        let mut capabilities: serde_json::Value =
            serde_json::from_str(include_str!("../../webdriver/chromium.json"))
                .expect("capabilities");
        capabilities["goog:chromeOptions"]["args"]
            .as_array_mut()
            .expect("args")
            .push(format!("--user-data-dir={}", profile.path().display()).into());
        let reply = webdriver_http(
            &address,
            "POST",
            "/session",
            &serde_json::json!({ "capabilities": { "alwaysMatch": capabilities } }).to_string(),
        );
        let reply: serde_json::Value = serde_json::from_str(&reply).expect("session reply");
        let session = reply["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {reply}"))
            .to_string();
        WebDriver {
            child,
            address,
            session,
            _profile: profile,
        }
    }

    pub fn call(&self, method: &str, path: &str, body: &str) -> serde_json::Value {
        let reply = webdriver_http(
            &self.address,
            method,
            &format!("/session/{}{path}", self.session),
            body,
        );
        let reply: serde_json::Value =
            serde_json::from_str(&reply).unwrap_or_else(|_| panic!("{method} {path}: {reply}"));
        assert!(
            reply["value"].get("error").is_none(),
            "{method} {path}: {reply}"
        );
        reply["value"].clone()
    }

    pub fn get(&self, path: &str) -> serde_json::Value {
        self.call("GET", path, "")
    }

    pub fn post(&self, path: &str, body: serde_json::Value) -> serde_json::Value {
        self.call("POST", path, &body.to_string())
    }

    pub fn execute(&self, script: &str, arguments: serde_json::Value) -> serde_json::Value {
        self.post(
            "/execute/sync",
            serde_json::json!({ "script": script, "args": arguments }),
        )
    }

    pub fn find(&self, css: &str) -> String {
        let found = self.post(
            "/element",
            serde_json::json!({ "using": "css selector", "value": css }),
        );
        found[ELEMENT_KEY]
            .as_str()
            .unwrap_or_else(|| panic!("no element {css}: {found}"))
            .to_string()
    }

    /// Presses and releases one key, as a person would, wherever the focus is.
    pub fn keys(&self, key: &str) {
        self.post(
            "/actions",
            serde_json::json!({ "actions": [{ "type": "key", "id": "keyboard", "actions": [
                { "type": "keyDown", "value": key }, { "type": "keyUp", "value": key }
            ] }] }),
        );
        self.call("DELETE", "/actions", "");
    }

    /// Waits, in the page, until `condition` (a script body returning a boolean) holds.
    pub fn wait_for(&self, what: &str, condition: &str) {
        let script = format!(
            "const done = arguments[0]; const started = performance.now(); \
             const look = () => {{ if ((() => {{ {condition} }})()) done(true); \
             else if (performance.now() - started > 20000) done(false); else requestAnimationFrame(look); }}; look();"
        );
        let held = self.post(
            "/execute/async",
            serde_json::json!({ "script": script, "args": [] }),
        );
        assert_eq!(
            held,
            serde_json::Value::Bool(true),
            "waited 20 s for {what}"
        );
    }
}

impl Drop for WebDriver {
    fn drop(&mut self) {
        let _ = webdriver_http(
            &self.address,
            "DELETE",
            &format!("/session/{}", self.session),
            "",
        );
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill")
            .args(["-s", "KILL", "--", &group])
            .stderr(Stdio::null())
            .status();
        let _ = self.child.wait();
    }
}

/// One WebDriver request; the answer's body, read to its Content-Length (chromedriver keeps the
/// connection open).
pub fn webdriver_http(address: &str, method: &str, path: &str, body: &str) -> String {
    let mut stream = std::net::TcpStream::connect(address).expect("chromedriver reachable");
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).expect("request sent");
    let mut reader = BufReader::new(stream);
    let mut length = 0;
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).expect("header");
        if line.trim().is_empty() {
            break;
        }
        if let Some(value) = line.to_ascii_lowercase().strip_prefix("content-length:") {
            length = value.trim().parse().expect("length");
        }
    }
    let mut answer = vec![0; length];
    reader.read_exact(&mut answer).expect("body");
    String::from_utf8_lossy(&answer).into_owned()
}
