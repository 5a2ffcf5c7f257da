//! `review --serve` through the built binary: the page in a real Chromium, spoken to in plain
//! WebDriver (the browser, not the harness, clicks and types), and the JSON API a CI bot uses.
//! A reworded Summary changes three snapshots of a small scenario the same way; one accept per
//! group in the page makes them all baselines and the next run passes; a reject leaves the
//! baseline byte for byte and an undo puts back every file; requests without the token, from a
//! foreign origin or for paths outside the snapshot folder are refused.

mod common;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use common::webdriver::*;
use common::*;

const SCENARIO: &str = r#"title = "Summary three times"

[[step]]
section = "Validate"
number = 1
guide = "Log in to the Palette system console."
do = ['log in', 'click menu item "Summary"', 'expect text "On-prem system console is healthy"']

[[step]]
section = "Validate"
number = 2
guide = "The Summary page."
do = ['snapshot "one"']

[[step]]
section = "Validate"
number = 3
guide = "The Summary page again."
do = ['snapshot "two"']

[[step]]
section = "Validate"
number = 4
guide = "The Summary page once more."
do = ['snapshot "three"']
"#;

/// A scenario file, a snapshot store and runs of the scenario against consoles.
struct Workspace {
    dir: tempfile::TempDir,
}

impl Workspace {
    fn new() -> Workspace {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("summary-three.toml"), SCENARIO).expect("scenario");
        Workspace { dir }
    }

    fn store(&self) -> PathBuf {
        self.dir.path().join("store")
    }

    /// The folder the runs write their baselines into (`--console-name test-console`).
    fn console_store(&self) -> PathBuf {
        self.store().join("test-console")
    }

    fn run(&self, console: &ConsoleProcess, out: &str, code: i32) -> String {
        let mut command = binary();
        with_credentials(&mut command)
            .arg("run")
            .arg(self.dir.path().join("summary-three.toml"))
            .args([
                "--console-name",
                "test-console",
                "--console",
                &console.url,
                "--update-snapshots",
                "missing",
                "--snapshots",
            ])
            .arg(self.store())
            .arg("--out")
            .arg(self.dir.path().join(out));
        run_expecting(&mut command, code)
    }

    /// Baselines from the normal console, then a run against a reworded Summary that leaves
    /// three page and three image snapshots pending, each changed the same way.
    fn with_six_alike_changes() -> Workspace {
        let workspace = Workspace::new();
        let recorded = workspace.run(&ConsoleProcess::start(&[]), "first", 0);
        assert_eq!(
            recorded.matches("new page snapshot").count(),
            3,
            "{recorded}"
        );
        let reworded = ConsoleProcess::start(&["--fault", "reworded-summary"]);
        let changed = workspace.run(&reworded, "second", 1);
        assert!(changed.matches("changed").count() >= 6, "{changed}");
        // report.html says, for each pending snapshot, the command that accepts it.
        let html = std::fs::read_to_string(workspace.dir.path().join("second/report.html"))
            .expect("report.html");
        let command = format!(
            "palette-harness accept --snapshots {} --exact summary-three__one</code>",
            workspace.console_store().display()
        );
        assert!(html.contains(&command), "no `{command}` in report.html");
        assert_eq!(
            html.matches("palette-harness accept --snapshots").count(),
            6,
            "one command per pending snapshot"
        );
        workspace
    }

    /// Every file of the store with its bytes.
    fn files(&self) -> BTreeMap<PathBuf, Vec<u8>> {
        files_under(&self.store())
            .into_iter()
            .map(|path| {
                let bytes = std::fs::read(&path).expect("readable");
                (path, bytes)
            })
            .collect()
    }
}

/// `review --serve` in its own process group, killed with it when dropped.
struct Review {
    child: Child,
    url: String,
    address: String,
    token: String,
}

impl Review {
    fn start(store: &Path, extra: &[&str]) -> Review {
        let mut command = binary();
        command
            .args(["review", "--serve", "--snapshots"])
            .arg(store)
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        let mut child = command.spawn().expect("review --serve starts");
        let mut first_line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut first_line)
            .expect("the URL is printed");
        let url = first_line.trim().to_string();
        let rest = url
            .strip_prefix("http://")
            .unwrap_or_else(|| panic!("not a URL: {url:?}"));
        let (address, token) = rest
            .split_once("/?token=")
            .unwrap_or_else(|| panic!("no token in {url:?}"));
        assert!(address.starts_with("127.0.0.1:"), "{url}");
        assert_eq!(token.len(), 64, "a 256-bit token: {url}");
        Review {
            address: address.to_string(),
            token: token.to_string(),
            url,
            child,
        }
    }

    /// One HTTP request with the given extra headers: status and body.
    fn request(
        &self,
        method: &str,
        target: &str,
        headers: &[(&str, &str)],
        body: &str,
    ) -> (u16, String) {
        raw_request(&self.address, method, target, headers, body)
    }

    fn api(&self, method: &str, target: &str, body: &str) -> (u16, serde_json::Value) {
        let (status, text) = self.request(
            method,
            target,
            &[
                ("Host", self.address.as_str()),
                ("X-Review-Token", self.token.as_str()),
                ("Content-Type", "application/json"),
            ],
            body,
        );
        let value = serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text));
        (status, value)
    }
}

impl Drop for Review {
    fn drop(&mut self) {
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill")
            .args(["-s", "KILL", "--", &group])
            .stderr(Stdio::null())
            .status();
        let _ = self.child.wait();
    }
}

fn raw_request(
    address: &str,
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (u16, String) {
    let (status, _, body) = raw_exchange(address, method, target, headers, body);
    (status, body)
}

/// One HTTP request: the status, the response's header lines and its body (lossy UTF-8).
fn raw_exchange(
    address: &str,
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (u16, String, String) {
    let mut stream = std::net::TcpStream::connect(address).expect("server reachable");
    let mut request = format!("{method} {target} HTTP/1.1\r\n");
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    ));
    stream.write_all(request.as_bytes()).expect("request sent");
    let mut response = Vec::new();
    stream.read_to_end(&mut response).expect("response read");
    let response = String::from_utf8_lossy(&response).into_owned();
    let status = response
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or(0);
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    (status, head.to_string(), body.to_string())
}

#[test]
fn one_group_accept_in_the_page_makes_every_alike_change_a_baseline_and_the_next_run_passes() {
    let workspace = Workspace::with_six_alike_changes();
    let out = workspace.dir.path().join("second");
    let review = Review::start(&workspace.store(), &["--out", &out.to_string_lossy()]);
    let (_, listing) = review.api("GET", "/api/pending", "");
    assert_eq!(
        listing["report"].as_str().map(PathBuf::from),
        Some(out.join("report.html")),
        "--out names the run's report"
    );
    let driver = WebDriver::start();
    driver.post("/url", serde_json::json!({ "url": review.url }));
    driver.wait_for(
        "six pending snapshots",
        "return document.querySelectorAll('article.snapshot[data-status=pending]').length === 6",
    );
    // The run's report, served by the review server: the page's link followed in the same
    // browser. The report is served under /report/<token>/, so its relative links (its images)
    // keep the token in their path.
    let report_link = driver.find("a#report");
    driver.post(
        &format!("/element/{report_link}/click"),
        serde_json::json!({}),
    );
    driver.wait_for(
        "the run's report, every image loaded or failed",
        "return location.pathname.startsWith('/report/') && location.pathname.endsWith('/report.html') && document.title === 'palette-harness report' && document.images.length > 0 && [...document.images].every((image) => image.complete)",
    );
    let report = driver.execute(
        "return { search: location.search, path: location.pathname, cookie: document.cookie, pending: [...document.querySelectorAll('div.snapshot')].filter((s) => s.querySelector('code.accept')).map((s) => [...s.querySelectorAll('img')].map((i) => [i.getAttribute('src'), i.naturalWidth])) }",
        serde_json::json!([]),
    );
    assert_eq!(report["search"], "", "the report's URL has no query");
    assert_eq!(
        report["path"],
        format!("/report/{}/report.html", review.token),
        "the report's path holds the token"
    );
    assert_eq!(
        report["cookie"], "",
        "no cookie: it would go to every port of 127.0.0.1"
    );
    let pending = report["pending"].as_array().expect("pending snapshots");
    assert_eq!(pending.len(), 6, "one per pending snapshot: {report}");
    let images: Vec<&serde_json::Value> = pending
        .iter()
        .flat_map(|snapshot| snapshot.as_array().expect("its images"))
        .collect();
    assert!(
        images.len() >= 9,
        "the three pending images' baseline, actual and diff: {report}"
    );
    assert!(
        images
            .iter()
            .all(|image| image[1].as_u64().is_some_and(|width| width > 0)),
        "every image of a pending snapshot decoded: {report}"
    );
    driver.post("/back", serde_json::json!({}));
    driver.wait_for(
        "the review page again, six pending snapshots",
        "return document.querySelectorAll('article.snapshot[data-status=pending]').length === 6",
    );
    // The three page snapshots changed the same lines, the three images the same pixels.
    let groups = driver.execute(
        "return [...document.querySelectorAll('section.group')].map((g) => [g.dataset.group, g.querySelectorAll('article').length, g.querySelector('h2').textContent])",
        serde_json::json!([]),
    );
    let groups = groups.as_array().expect("groups");
    assert_eq!(groups.len(), 2, "{groups:?}");
    for group in groups {
        assert_eq!(group[1], 3, "{groups:?}");
        assert!(
            group[2]
                .as_str()
                .is_some_and(|heading| heading.starts_with("3 snapshots changed alike")),
            "{groups:?}"
        );
    }
    let stats = driver.execute(
        "return document.querySelector('section.group[data-group^=image] p.change').textContent",
        serde_json::json!([]),
    );
    assert!(
        stats
            .as_str()
            .is_some_and(|text| text.contains("pixels differ") && text.contains("in the box")),
        "{stats}"
    );

    // The page group: its button, clicked.
    let accept_pages =
        driver.find("section.group[data-group^=page] button[data-action=accept-group]");
    driver.post(
        &format!("/element/{accept_pages}/click"),
        serde_json::json!({}),
    );
    driver.wait_for(
        "the three page snapshots accepted",
        "return document.querySelectorAll('section.group[data-group^=page] article[data-status=accepted]').length === 3",
    );
    // The image group: from the keyboard, j to the first image, Shift+A for its group.
    let before_images = driver.execute(
        "return [...document.querySelectorAll('article.snapshot')].findIndex((a) => a.closest('[data-group^=image]'))",
        serde_json::json!([]),
    );
    let steps = before_images.as_u64().expect("an image article");
    for _ in 0..steps {
        driver.keys("j");
    }
    driver.wait_for(
        "an image snapshot selected",
        "return !!document.querySelector('section.group[data-group^=image] article.selected')",
    );
    driver.keys("A");
    driver.wait_for(
        "all six accepted",
        "return document.querySelectorAll('article.snapshot[data-status=accepted]').length === 6",
    );

    let files = workspace.files();
    assert!(
        files
            .keys()
            .all(|path| !path.to_string_lossy().contains(".snap.new")),
        "no pending file is left: {:?}",
        files.keys().collect::<Vec<_>>()
    );
    for name in ["one", "two", "three"] {
        let baseline = std::fs::read_to_string(
            workspace
                .console_store()
                .join(format!("summary-three__{name}.snap")),
        )
        .expect("page baseline");
        assert!(
            baseline.contains("all services are running") && !baseline.contains("assertion_line"),
            "{baseline}"
        );
    }
    drop(driver);
    drop(review);
    let reworded = ConsoleProcess::start(&["--fault", "reworded-summary"]);
    let passed = workspace.run(&reworded, "third", 0);
    assert!(!passed.contains("changed"), "{passed}");
}

#[test]
fn a_reject_keeps_the_baseline_byte_for_byte_and_an_undo_puts_back_every_file() {
    let workspace = Workspace::with_six_alike_changes();
    let before = workspace.files();
    // Only the first snapshot's page and image: the README's picture of the page.
    let review = Review::start(&workspace.store(), &["__one"]);
    let driver = WebDriver::start();
    driver.post(
        "/window/rect",
        serde_json::json!({ "width": 1280, "height": 1500 }),
    );
    driver.post("/url", serde_json::json!({ "url": review.url }));
    driver.wait_for(
        "two pending snapshots with their images",
        "return document.querySelectorAll('article.snapshot[data-status=pending]').length === 2 \
         && [...document.images].length > 0 && [...document.images].every((i) => i.complete && i.naturalWidth > 0)",
    );
    if let Ok(path) = std::env::var("REVIEW_PAGE_SCREENSHOT") {
        let png = driver.get("/screenshot");
        use base64::Engine as _;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(png.as_str().expect("base64"))
            .expect("a PNG");
        std::fs::write(path, bytes).expect("screenshot written");
    }
    let page_pending = workspace
        .console_store()
        .join("summary-three__one.snap.new");
    let page_baseline = workspace.console_store().join("summary-three__one.snap");

    // The first snapshot (the page's) is selected: r rejects it.
    driver.keys("r");
    driver.wait_for(
        "the page snapshot rejected",
        "return document.querySelector('article[data-status=rejected]') !== null",
    );
    assert_eq!(
        std::fs::read(&page_baseline).expect("baseline"),
        before[&page_baseline],
        "the baseline is byte-identical"
    );
    assert!(!page_pending.exists(), "the pending file is gone");
    // u undoes it: every file as it was.
    driver.keys("u");
    driver.wait_for(
        "the page snapshot pending again",
        "return document.querySelectorAll('article.snapshot[data-status=pending]').length === 2",
    );
    assert_eq!(workspace.files(), before, "the undo of a reject");

    // j, a: the image accepted, its baseline now the new pixels; u puts the old ones back.
    driver.keys("j");
    driver.keys("a");
    driver.wait_for(
        "the image accepted",
        "return document.querySelector('article[data-status=accepted]') !== null",
    );
    let image_baseline = files_under(&workspace.console_store())
        .into_iter()
        .find(|path| {
            let name = path.to_string_lossy();
            name.contains("summary-three__one@") && name.ends_with(".snap.png")
        })
        .expect("the image baseline");
    let new_image = PathBuf::from(
        image_baseline
            .to_string_lossy()
            .replace(".snap.png", ".snap.new.png"),
    );
    assert_eq!(
        std::fs::read(&image_baseline).expect("accepted image"),
        before[&new_image],
        "the accepted baseline holds the new pixels"
    );
    assert!(!new_image.exists());
    driver.keys("u");
    driver.wait_for(
        "the image pending again",
        "return document.querySelectorAll('article.snapshot[data-status=pending]').length === 2",
    );
    assert_eq!(workspace.files(), before, "the undo of an accept");

    // Another site's page in the same browser, holding even the token: the browser says where
    // the request comes from, and nothing is rejected.
    let base = format!("http://{}", review.address);
    let foreign = serve_page("<!doctype html><title>elsewhere</title><p>elsewhere</p>".to_string());
    driver.post("/url", serde_json::json!({ "url": foreign }));
    let sent = driver.post(
        "/execute/async",
        serde_json::json!({
            "script": "const [base, token, done] = arguments; \
                fetch(`${base}/api/reject?token=${token}`, { method: 'POST', mode: 'no-cors', \
                  headers: { 'Content-Type': 'text/plain' }, body: JSON.stringify({ scenario: 'test-console/summary-three' }) }) \
                .then(() => done('sent'), (error) => done(String(error)));",
            "args": [base, review.token],
        }),
    );
    assert_eq!(sent, "sent");
    // The page without its token, and an image outside the folder with it: refused.
    driver.post("/url", serde_json::json!({ "url": format!("{base}/") }));
    let text = driver.execute("return document.body.innerText", serde_json::json!([]));
    assert!(
        text.as_str()
            .is_some_and(|text| text.contains("the review token is missing or wrong")),
        "{text}"
    );
    driver.post(
        "/url",
        serde_json::json!({ "url": format!("{base}/api/image?id=..%2F..%2Ffirst%2Freport.html&which=new&token={}", review.token) }),
    );
    let text = driver.execute("return document.body.innerText", serde_json::json!([]));
    assert!(
        text.as_str()
            .is_some_and(|text| text.contains("no pending snapshot is named")),
        "{text}"
    );
    let (_, listing) = review.api("GET", "/api/pending", "");
    assert_eq!(
        listing["snapshots"]
            .as_array()
            .map(|all| all.iter().filter(|s| s["status"] == "pending").count()),
        Some(2),
        "{listing}"
    );
    assert_eq!(
        workspace.files(),
        before,
        "nothing changed from another site"
    );
}

/// The API and the report over plain HTTP, with no browser.
#[path = "review_serve/http.rs"]
mod http;
