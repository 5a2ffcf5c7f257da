//! `record`: a person's clicks, choices, typing and Alt+click expectations in the headed browser
//! it opens become a scenario named by the runner's own rules. Here the "person" is a plain
//! WebDriver client attached to the recorder's own browser through the WebDriver URL and session
//! it prints; it walks the VMware upgrade on the built-in console. The recorded file must say
//! what the shipped scenario says, pass `check` (it is rewritten after every action), never hold
//! the password, and run back on the built-in console and on two consoles built by others from
//! component libraries (MUI, Element Plus). `--from … --at "Upgrade 5"` replays the earlier steps
//! first and keeps them as written.

mod common;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::corpus::{built, corpus};
use common::webdriver::*;
use common::*;

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// A running `record`, in its own process group (killed with it when dropped), its stdout read
/// line by line.
struct Recorder {
    child: Child,
    lines: mpsc::Receiver<String>,
    said: Vec<String>,
    webdriver: String,
    session: String,
}

impl Recorder {
    fn start(file: &Path, extra: &[&str]) -> Recorder {
        let mut command = binary();
        with_credentials(&mut command);
        command
            .args(["record", "--lock-seconds", "2", "--out"])
            .arg(file)
            .arg("--run-out")
            .arg(file.with_extension("out"))
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        let mut child = command.spawn().expect("the recorder starts");
        let stdout = child.stdout.take().expect("piped stdout");
        let (sender, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if sender.send(line).is_err() {
                    return;
                }
            }
        });
        let mut recorder = Recorder {
            child,
            lines,
            said: Vec::new(),
            webdriver: String::new(),
            session: String::new(),
        };
        recorder.wait_for_line("recording into", Duration::from_secs(180));
        let value = |prefix: &str| {
            recorder
                .said
                .iter()
                .find_map(|line| line.strip_prefix(prefix))
                .unwrap_or_else(|| panic!("no `{prefix}` line in {:?}", recorder.said))
                .trim()
                .to_string()
        };
        recorder.webdriver = value("webdriver:")
            .trim_start_matches("http://")
            .to_string();
        recorder.session = value("session:");
        assert!(
            recorder
                .said
                .iter()
                .any(|line| line.ends_with("; press Ctrl-C or close the browser to stop")),
            "{:?}",
            recorder.said
        );
        recorder
    }

    fn wait_for_line(&mut self, start: &str, within: Duration) -> String {
        let deadline = Instant::now() + within;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    self.said.push(line.clone());
                    if line.starts_with(start) {
                        return line;
                    }
                }
                Err(_) => panic!(
                    "the recorder never said `{start}…`; it said {:?}",
                    self.said
                ),
            }
        }
    }

    /// Ctrl-C: the recorder ends cleanly, with exit code 0, saying how many actions it wrote.
    fn stop(mut self) -> String {
        let pid = self.child.id().to_string();
        let status = Command::new("kill")
            .args(["-s", "INT", &pid])
            .status()
            .expect("kill runs");
        assert!(status.success());
        let last = self.wait_for_line("recording ended", Duration::from_secs(30));
        let exit = self.child.wait().expect("the recorder exits");
        assert_eq!(exit.code(), Some(0), "{:?}", self.said);
        last
    }

    /// A person closing the browser window: the recorder ends as cleanly as on Ctrl-C, and
    /// leaves neither its driver nor its browser behind.
    fn close_the_browser(mut self) -> String {
        self.call("DELETE", "/window", serde_json::Value::Null);
        let last = self.wait_for_line("recording ended", Duration::from_secs(30));
        let exit = self.child.wait().expect("the recorder exits");
        assert_eq!(exit.code(), Some(0), "{:?}", self.said);
        assert!(
            std::net::TcpStream::connect(&self.webdriver).is_err(),
            "the recorder's driver outlived it"
        );
        // Chromium runs with a profile folder named after the harness's pid.
        let tag = format!("palette-harness-{}-", self.child.id());
        let left: Vec<String> = std::fs::read_dir("/proc")
            .expect("/proc")
            .flatten()
            .filter_map(|entry| std::fs::read(entry.path().join("cmdline")).ok())
            .map(|cmdline| String::from_utf8_lossy(&cmdline).replace('\0', " "))
            .filter(|cmdline| cmdline.contains(&tag))
            .collect();
        assert!(left.is_empty(), "processes outlived the recorder: {left:?}");
        last
    }

    fn call(&self, method: &str, path: &str, body: serde_json::Value) -> serde_json::Value {
        let body = if body.is_null() {
            String::new()
        } else {
            body.to_string()
        };
        let reply = webdriver_http(
            &self.webdriver,
            method,
            &format!("/session/{}{path}", self.session),
            &body,
        );
        let reply: serde_json::Value =
            serde_json::from_str(&reply).unwrap_or_else(|_| panic!("{method} {path}: {reply}"));
        reply["value"].clone()
    }

    /// The element an XPath finds, once the page shows it (20 s at most).
    fn find(&self, xpath: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let found = self.call(
                "POST",
                "/element",
                serde_json::json!({ "using": "xpath", "value": xpath }),
            );
            if let Some(id) = found[ELEMENT].as_str() {
                let shown = self.call(
                    "GET",
                    &format!("/element/{id}/displayed"),
                    serde_json::Value::Null,
                );
                if shown == serde_json::Value::Bool(true) {
                    return id.to_string();
                }
            }
            assert!(Instant::now() < deadline, "the page never showed {xpath}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn click(&self, xpath: &str) {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let element = self.find(xpath);
            let reply = self.call(
                "POST",
                &format!("/element/{element}/click"),
                serde_json::json!({}),
            );
            // A page still re-rendering may replace or cover the element: find it again.
            if reply.get("error").is_none() {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "could not click {xpath}: {reply}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn type_into(&self, xpath: &str, text: &str) {
        let element = self.find(xpath);
        let reply = self.call(
            "POST",
            &format!("/element/{element}/value"),
            serde_json::json!({ "text": text }),
        );
        assert!(reply.get("error").is_none(), "{reply}");
    }

    /// Alt+click, as a person marks what they check.
    fn alt_click(&self, xpath: &str) {
        let element = self.find(xpath);
        let alt = "\u{E00A}";
        let reply = self.call(
            "POST",
            "/actions",
            serde_json::json!({ "actions": [
                { "type": "key", "id": "keyboard", "actions": [
                    { "type": "keyDown", "value": alt }, { "type": "pause" }, { "type": "pause" },
                    { "type": "keyUp", "value": alt } ] },
                { "type": "pointer", "id": "mouse", "parameters": { "pointerType": "mouse" }, "actions": [
                    { "type": "pointerMove", "origin": { ELEMENT: element }, "x": 0, "y": 0 },
                    { "type": "pointerDown", "button": 0 }, { "type": "pointerUp", "button": 0 },
                    { "type": "pause" } ] }
            ] }),
        );
        assert!(reply.get("error").is_none(), "{reply}");
        self.call("DELETE", "/actions", serde_json::Value::Null);
    }

    fn log_in(&self) {
        self.type_into("//input[@name='username']", USERNAME);
        self.type_into("//input[@type='password']", PASSWORD);
        self.click("//button[@type='submit']");
    }
}

impl Drop for Recorder {
    fn drop(&mut self) {
        // A recorder that stopped cleanly left no process behind; one a failed test left running
        // is killed with its group.
        if let Ok(None) = self.child.try_wait() {
            let _ = Command::new("kill")
                .args(["-s", "KILL", "--", &format!("-{}", self.child.id())])
                .status();
            let _ = self.child.wait();
        }
    }
}

/// `(verb role label)` of every click, select and expect action, in order: what a recording can
/// know (no back-ups, merges, layer checks, snapshots or screenshots), scopes left aside.
fn clicks_and_expectations(scenario: &str) -> Vec<String> {
    let mut found = Vec::new();
    for line in scenario.lines() {
        let line = line.trim().trim_end_matches(',');
        let Some(action) = line
            .strip_prefix('\'')
            .and_then(|line| line.strip_suffix('\''))
        else {
            continue;
        };
        let verb = action.split(' ').next().unwrap_or_default();
        if !["click", "select", "expect"].contains(&verb) || action == "expect upgraded version" {
            continue;
        }
        found.push(
            action
                .split(" in dialog ")
                .next()
                .unwrap_or(action)
                .to_string(),
        );
    }
    found
}

/// The shipped scenario's steps a walk of the upgrade path covers: Upgrade 2, 4 and 5 and
/// Validate 2 (Upgrade 1 only logs in and reads; Upgrade 6 and 7 run only for a new Kubernetes
/// version; Validate 1 walks the profile again to check the merges, which a recording cannot).
fn shipped_walk() -> Vec<String> {
    let shipped = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(SCENARIO))
        .expect("the shipped scenario");
    let steps: Vec<&str> = shipped.split("[[step]]").collect();
    let wanted = |step: &&&str| {
        [
            "section = \"Upgrade\"\nnumber = 2\n",
            "section = \"Upgrade\"\nnumber = 4\n",
            "section = \"Upgrade\"\nnumber = 5\n",
            "section = \"Validate\"\nnumber = 2\n",
        ]
        .iter()
        .any(|header| step.trim_start().starts_with(header))
    };
    clicks_and_expectations(
        &steps
            .iter()
            .filter(wanted)
            .copied()
            .collect::<Vec<_>>()
            .join("\n"),
    )
}

fn check(file: &Path) {
    let mut command = binary();
    command.arg("check").arg(file);
    run_expecting(&mut command, 0);
}

/// The upgrade walked as the guide says, by a WebDriver client in the recorder's own browser.
fn walk_the_upgrade(recorder: &Recorder, file: &Path) {
    recorder.log_in();
    recorder.click("//nav//a[normalize-space()='Enterprise Cluster']");
    recorder.click("//button[@role='tab' and normalize-space()='Profile']");
    recorder.find("//li[@role='option']");
    // The file passes `check` while the recording goes on.
    check(file);
    recorder.click("//nav//a[normalize-space()='Update Management']");
    recorder.alt_click("//button[normalize-space()='Update']");
    recorder.click("//button[normalize-space()='Update']");
    for layer in ["OS", "Kubernetes", "CNI", "CSI"] {
        recorder.click(&format!(
            "//*[@role='dialog']//li[@role='option'][.//div[normalize-space()='{layer}']]"
        ));
        recorder.find(&format!(
            "//*[@role='dialog']//li[@role='option' and @aria-selected='true'][.//div[normalize-space()='{layer}']]"
        ));
    }
    recorder.click("//*[@role='dialog']//button[normalize-space()='Confirm']");
    // The lock, then the login form it ends on.
    recorder.find("//*[@role='alertdialog']");
    recorder.log_in();
    recorder.click("//nav//a[normalize-space()='Summary']");
    recorder.alt_click("//div[normalize-space()='You are using the latest version of Palette']");
    recorder.alt_click("//div[normalize-space()='On-prem system console is healthy']");
}

#[test]
fn a_recorded_upgrade_says_what_the_shipped_scenario_says_and_runs_back_on_other_consoles() {
    let folder = tempfile::tempdir().expect("temp dir");
    let file = folder.path().join("recorded.toml");
    let recorder = Recorder::start(&file, &[]);
    walk_the_upgrade(&recorder, &file);
    let ended = recorder.stop();
    let recorded = std::fs::read_to_string(&file).expect("the recording was written");
    assert!(ended.contains(" actions written to "), "{ended}");
    check(&file);

    assert_eq!(
        clicks_and_expectations(&recorded),
        shipped_walk(),
        "{recorded}"
    );
    // Logging in is recorded as `log in`; what was typed into the form is nowhere.
    assert_eq!(recorded.matches("'log in'").count(), 2, "{recorded}");
    assert!(
        !recorded.contains(PASSWORD) && !recorded.contains(USERNAME),
        "{recorded}"
    );
    assert!(recorded.contains("'wait until unlocked'"), "{recorded}");
    assert!(!recorded.contains("# TODO:"), "{recorded}");
    // The Update and Confirm clicks sit in steps marked as changing the console.
    let scenario = palette_harness::scenario::load(&file).expect("parses");
    for step in &scenario.steps {
        let mutates = step.actions.iter().any(|action| action.mutating);
        assert_eq!(step.mutating, mutates, "{recorded}");
    }
    assert_eq!(
        scenario.steps.iter().filter(|step| step.mutating).count(),
        2
    );

    // Run back, on the built-in console and on consoles this project did not write.
    let out = folder.path().join("run-built-in");
    run_expecting(&mut custom_scenario_command(&file, &out), 0);
    for console in ["mui", "element-plus"] {
        let console = ComponentConsole::start(console);
        let out = folder.path().join(format!("run-{}", console.name));
        let mut command = custom_scenario_command(&file, &out);
        command.args(["--apply", "--console", &console.url]);
        run_expecting(&mut command, 0);
    }
}

#[test]
fn from_a_scenario_at_a_step_replays_the_steps_before_it_and_keeps_them_as_written() {
    let folder = tempfile::tempdir().expect("temp dir");
    let file = folder.path().join("fixed.toml");
    let recorder = Recorder::start(&file, &["--from", SCENARIO, "--at", "Upgrade 5"]);
    assert!(
        recorder.said.iter().any(|line| line.contains("Upgrade 4")),
        "the replay ran step 4: {:?}",
        recorder.said
    );
    recorder.click("//*[@role='dialog']//li[@role='option'][.//div[normalize-space()='CSI']]");
    recorder.click("//*[@role='dialog']//button[normalize-space()='Confirm']");
    recorder.find("//*[@role='alertdialog']");
    recorder.find("//input[@type='password']");
    let ended = recorder.close_the_browser();
    assert!(ended.contains("(the browser was closed)"), "{ended}");
    check(&file);
    let recorded = std::fs::read_to_string(&file).expect("written");
    let shipped = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(SCENARIO))
        .expect("shipped");
    let upgrade_5 = shipped
        .find("[[step]]\nsection = \"Upgrade\"\nnumber = 5")
        .expect("step 5");
    assert!(recorded.starts_with(&shipped[..upgrade_5]), "{recorded}");
    let scenario = palette_harness::scenario::load(&file).expect("parses");
    let titles: Vec<String> = scenario.steps.iter().map(|step| step.title()).collect();
    assert_eq!(
        titles,
        [
            "Upgrade 1",
            "Upgrade 2",
            "Upgrade 3",
            "Upgrade 4",
            "Upgrade 5"
        ],
        "{recorded}"
    );
    let texts: Vec<&str> = scenario.steps[4]
        .actions
        .iter()
        .map(|action| action.text.as_str())
        .collect();
    assert_eq!(
        texts,
        [
            "expect dialog \"Palette version update\"",
            "select layer \"CSI\"",
            "click button \"Confirm\"",
            "wait until unlocked"
        ],
        "{recorded}"
    );
    assert!(scenario.steps[4].mutating);
    // The recorded step replaces the guide's step 5 and keeps its words.
    let original =
        palette_harness::scenario::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join(SCENARIO))
            .expect("the shipped scenario");
    assert_eq!(scenario.steps[4].guide_words, original.steps[4].guide_words);
}

/// A component-library console (tests/fixtures/component-consoles), built as
/// tests/component_consoles.rs builds it, served by its backend in its own process group.
struct ComponentConsole {
    child: Child,
    url: String,
    name: String,
}

impl ComponentConsole {
    fn start(name: &str) -> ComponentConsole {
        let corpus = corpus();
        let dist = built(name);
        let mut command = Command::new("python3");
        command
            .arg(corpus.join("backend.py"))
            .arg("--dist")
            .arg(&dist)
            .args(["--username", USERNAME, "--password", PASSWORD])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        let mut child = command.spawn().expect("python3 starts the backend");
        let mut first = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut first)
            .expect("the backend prints its URL");
        let url = first
            .strip_prefix("console ")
            .unwrap_or_else(|| panic!("the backend did not start: {first:?}"))
            .trim()
            .to_string();
        ComponentConsole {
            child,
            url,
            name: name.to_string(),
        }
    }
}

impl Drop for ComponentConsole {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn a_step_the_scenario_lacks_is_refused_before_a_browser_starts() {
    let folder = tempfile::tempdir().expect("temp dir");
    let mut command = binary();
    command
        .args(["record", "--from", SCENARIO, "--at", "Upgrade 9", "--out"])
        .arg(folder.path().join("never.toml"))
        .args(["--webdriver", "http://127.0.0.1:9"]);
    let stderr = stderr_expecting(&mut command, 2);
    assert!(
        stderr.contains("has no step \"Upgrade 9\"; its steps are \"Upgrade 1\", \"Upgrade 2\""),
        "{stderr}"
    );
    assert!(!folder.path().join("never.toml").exists());
}
