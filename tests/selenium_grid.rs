//! Distributed runs: a real Selenium Grid 4 (a hub and two nodes with one Chromium slot each,
//! started by `webdriver/grid/start.sh` on loopback ports of its own) runs two scenarios on two
//! workers through `--webdriver`; the harness starts no driver, both pass, each node served
//! one session, and the JUnit XML reads back. A Grid with a Chromium and a Firefox node gives
//! `--browser firefox` its Firefox node. Stopping the Grid leaves no process behind.

mod common;

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::*;

/// A loopback port nothing listens on now.
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port")
        .port()
}

/// A port `p` with `p` and `p + 1` free (the nodes' ports).
fn two_free_ports() -> u16 {
    loop {
        let port = free_port();
        if port < u16::MAX && TcpListener::bind(("127.0.0.1", port + 1)).is_ok() {
            return port;
        }
    }
}

/// The Grid's process group, stopped (TERM, then KILL) when dropped.
struct Grid {
    child: Child,
    url: String,
}

impl Grid {
    /// A hub and a node per kind (`chromium`, `firefox`).
    fn start(logs: &Path, kinds: &str) -> Grid {
        let hub = free_port();
        let mut child = Command::new("webdriver/grid/start.sh")
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env("NODE_KINDS", kinds)
            .env("HUB_PORT", hub.to_string())
            .env("PUBLISH_PORT", free_port().to_string())
            .env("SUBSCRIBE_PORT", free_port().to_string())
            .env("NODE_PORT", two_free_ports().to_string())
            .env("GRID_LOGS", logs)
            .process_group(0)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("webdriver/grid/start.sh runs");
        let stdout = child.stdout.take().expect("stdout");
        let mut ready = String::new();
        BufReader::new(stdout)
            .read_line(&mut ready)
            .expect("start.sh prints");
        assert!(
            ready.starts_with("grid ready: "),
            "the Grid got ready: {ready:?}"
        );
        Grid {
            child,
            url: format!("http://127.0.0.1:{hub}"),
        }
    }

    fn group_members(&self) -> Vec<String> {
        let pgid = self.child.id().to_string();
        let mut members = Vec::new();
        for entry in std::fs::read_dir("/proc").expect("/proc").flatten() {
            let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
                continue;
            };
            // pid (comm) state ppid pgrp …: the fields after the command's closing parenthesis.
            let after = stat.rsplit_once(')').map(|(_, rest)| rest).unwrap_or("");
            let fields: Vec<&str> = after.split_whitespace().collect();
            if fields.get(2) == Some(&pgid.as_str()) && fields.first() != Some(&"Z") {
                members.push(stat.split(')').next().unwrap_or_default().to_string());
            }
        }
        members
    }

    /// Stops every process of the Grid; what is still running afterwards.
    fn stop(&mut self) -> Vec<String> {
        palette_harness::os::terminate_process_group(self.child.id());
        let deadline = Instant::now() + Duration::from_secs(15);
        while !self.group_members().is_empty() && Instant::now() < deadline {
            let _ = self.child.try_wait();
            std::thread::sleep(Duration::from_millis(100));
        }
        let left = self.group_members();
        // Whatever ignored SIGTERM.
        palette_harness::os::kill_process_group(self.child.id());
        let _ = self.child.wait();
        left
    }
}

impl Drop for Grid {
    fn drop(&mut self) {
        self.stop();
    }
}

#[test]
fn two_scenarios_run_through_a_local_grid_on_its_two_nodes() {
    let logs = tempfile::tempdir().expect("logs");
    let mut grid = Grid::start(logs.path(), "chromium chromium");
    let out = tempfile::tempdir().expect("out");
    let junit = out.path().join("junit.xml");
    let mut command = binary();
    with_credentials(&mut command);
    let stdout = run_expecting(
        command
            .args([
                "run",
                SCENARIO,
                "scenarios/vertex-upgrade-vmware-non-airgap.toml",
            ])
            .args(["--workers", "2", "--lock-seconds", "2", "--timeout", "20s"])
            .args(["--webdriver", &grid.url])
            // A driver the harness would start is not there: only the Grid can serve this run.
            .args(["--chromedriver", "/nonexistent/chromedriver"])
            .arg("--junit")
            .arg(&junit)
            .arg("--out")
            .arg(out.path())
            .arg("--snapshots")
            .arg(out.path().join("snapshot-store")),
        0,
    );
    for scenario in [
        "upgrade-vmware-non-airgap",
        "vertex-upgrade-vmware-non-airgap",
    ] {
        assert!(
            stdout.contains(&format!("[{scenario}] ■ {scenario} passed")),
            "{stdout}"
        );
    }
    // Each node served one of the two sessions.
    for node in ["node-1.log", "node-2.log"] {
        let log = std::fs::read_to_string(logs.path().join(node)).expect("node log");
        assert_eq!(
            log.matches("Session created by the Node").count(),
            1,
            "{node}:\n{log}"
        );
    }
    let report = quick_junit::Report::deserialize_from_str(
        &std::fs::read_to_string(&junit).expect("junit.xml"),
    )
    .expect("valid JUnit XML");
    assert_eq!(report.test_suites.len(), 2);
    assert_eq!(report.failures, 0);
    assert_eq!(grid.stop(), Vec::<String>::new(), "Grid processes left");
}

#[test]
fn firefox_runs_through_the_grid_land_on_its_firefox_node_and_trust_a_checked_certificate() {
    let logs = tempfile::tempdir().expect("logs");
    let mut grid = Grid::start(logs.path(), "chromium firefox");
    let out = tempfile::tempdir().expect("out");
    let mut command = binary();
    with_credentials(&mut command);
    let stdout = run_expecting(
        command
            .args([
                "run",
                SCENARIO,
                "--browser",
                "firefox",
                "--lock-seconds",
                "2",
            ])
            .args(["--timeout", "20s", "--webdriver", &grid.url])
            .arg("--out")
            .arg(out.path())
            .arg("--snapshots")
            .arg(out.path().join("snapshot-store")),
        0,
    );
    assert!(
        stdout.contains("You are using the latest version of Palette"),
        "{stdout}"
    );

    // A console over https whose certificate the harness checked against its CA: the remote
    // Firefox gets a profile (zipped, through the Grid) that trusts exactly that certificate.
    let console = HttpsPage::independent_console();
    let out = tempfile::tempdir().expect("out");
    let stdout = run_expecting(
        scenario_command(out.path())
            .args(["--apply", "--browser", "firefox", "--console", &console.url])
            .args(["--timeout", "20s", "--webdriver", &grid.url])
            .arg("--ca-cert")
            .arg(console.ca_certificate()),
        0,
    );
    assert!(
        stdout.contains("You are using the latest version of Palette"),
        "{stdout}"
    );

    let sessions = |node: &str| {
        std::fs::read_to_string(logs.path().join(node))
            .expect("node log")
            .matches("Session created by the Node")
            .count()
    };
    assert_eq!(sessions("node-1.log"), 0, "the Chromium node stays idle");
    assert_eq!(
        sessions("node-2.log"),
        2,
        "the Firefox node serves both runs"
    );
    assert_eq!(grid.stop(), Vec::<String>::new(), "Grid processes left");
}

/// A TLS front for the Grid (tests/fixtures/tls_proxy.py), in its own process group, killed when
/// dropped; its CA is in `folder/ca.pem`.
struct TlsFront {
    child: Child,
    url: String,
}

impl TlsFront {
    fn start(upstream: &str, folder: &Path) -> TlsFront {
        let port = upstream.rsplit(':').next().expect("a port");
        let mut child = Command::new("python3")
            .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tls_proxy.py"))
            .arg(port)
            .arg(folder)
            .process_group(0)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("python3 starts (the TLS front needs python3 and openssl)");
        let mut first_line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut first_line)
            .expect("the TLS front prints its URL");
        assert!(first_line.starts_with("https://"), "{first_line:?}");
        TlsFront {
            child,
            url: first_line.trim().to_string(),
        }
    }
}

impl Drop for TlsFront {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A Grid behind TLS (an ingress in front of the hub) is reached over https: its certificate
/// is checked against the system's roots, which `SSL_CERT_FILE` extends; a certificate nobody
/// vouches for stops the run with what was tried.
#[test]
fn a_grid_behind_tls_is_reached_over_https_once_its_certificate_is_trusted() {
    let logs = tempfile::tempdir().expect("logs");
    let mut grid = Grid::start(logs.path(), "chromium");
    let front_folder = tempfile::tempdir().expect("front");
    let front = TlsFront::start(&grid.url, front_folder.path());
    let scenario_run = |out: &Path, ca: Option<&Path>| {
        let mut command = binary();
        with_credentials(&mut command);
        command
            .args(["run", "scenarios/vertex-upgrade-vmware-non-airgap.toml"])
            .args(["--lock-seconds", "2", "--timeout", "20s"])
            .args(["--webdriver", &front.url])
            .args(["--chromedriver", "/nonexistent/chromedriver"])
            .arg("--out")
            .arg(out)
            .arg("--snapshots")
            .arg(out.join("snapshot-store"));
        if let Some(ca) = ca {
            command.env("SSL_CERT_FILE", ca);
        }
        command
    };

    let out = tempfile::tempdir().expect("out");
    let output = run(&mut scenario_run(out.path(), None));
    assert_ne!(output.status.code(), Some(0));
    let said = format!("{}{}", text(&output.stdout), text(&output.stderr));
    assert!(said.contains(&front.url), "names what was tried: {said}");
    assert!(
        said.to_lowercase().contains("certificate"),
        "says the certificate was the problem: {said}"
    );

    let out = tempfile::tempdir().expect("out");
    let stdout = run_expecting(
        &mut scenario_run(out.path(), Some(&front_folder.path().join("ca.pem"))),
        0,
    );
    assert!(
        stdout.contains("vertex-upgrade-vmware-non-airgap passed"),
        "{stdout}"
    );
    let log = std::fs::read_to_string(logs.path().join("node-1.log")).expect("node log");
    assert_eq!(
        log.matches("Session created by the Node").count(),
        1,
        "{log}"
    );
    drop(front);
    assert_eq!(grid.stop(), Vec::<String>::new(), "Grid processes left");
}
