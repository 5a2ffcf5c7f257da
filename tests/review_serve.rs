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
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, body)| body.to_string())
        .unwrap_or_default();
    (status, body)
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

/// Each snapshot's version in a listing, as an action sends them back.
fn versions_of(listing: &serde_json::Value) -> serde_json::Map<String, serde_json::Value> {
    listing["snapshots"]
        .as_array()
        .expect("snapshots")
        .iter()
        .map(|s| {
            (
                s["id"].as_str().unwrap_or("").to_string(),
                s["version"].clone(),
            )
        })
        .collect()
}

/// A PNG of `width`×`height` pixels of one colour.
fn png(width: u32, height: u32, rgb: [u8; 3]) -> Vec<u8> {
    let image =
        image::RgbaImage::from_pixel(width, height, image::Rgba([rgb[0], rgb[1], rgb[2], 255]));
    let mut bytes = Vec::new();
    image
        .write_to(
            &mut std::io::Cursor::new(&mut bytes),
            image::ImageFormat::Png,
        )
        .expect("PNG");
    bytes
}

#[test]
fn the_api_refuses_strangers_foreign_pages_stale_versions_and_every_path_outside_the_folder() {
    use palette_harness::snapshot::{Metadata, Slot, SnapshotId, SnapshotStore};
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().join("store");
    let store = SnapshotStore::new(&root);
    let id = |name: &str, variant: Option<&str>| SnapshotId {
        scenario: "upgrade".to_string(),
        name: name.to_string(),
        variant: variant.map(str::to_string),
    };
    let page = id("summary", None);
    store
        .write_text(
            &page,
            Slot::Baseline,
            &Metadata::default(),
            "- text: \"old\"",
        )
        .expect("baseline");
    store
        .write_text(
            &page,
            Slot::Pending,
            &Metadata::default(),
            "- text: \"new\"",
        )
        .expect("pending");
    let picture = id("summary", Some("chrome-4x4"));
    store
        .write_image(
            &picture,
            Slot::Baseline,
            &Metadata::default(),
            &png(4, 4, [255, 255, 255]),
        )
        .expect("image baseline");
    store
        .write_image(
            &picture,
            Slot::Pending,
            &Metadata::default(),
            &png(4, 4, [0, 0, 0]),
        )
        .expect("pending image");
    // Outside the folder: a secret, and a pending snapshot reached through a symbolic link.
    let outside = dir.path().join("outside");
    std::fs::create_dir_all(&outside).expect("outside");
    std::fs::write(outside.join("secret.txt"), "TOP-SECRET-BYTES").expect("secret");
    let leak = SnapshotStore::new(&outside);
    leak.write_image(
        &id("leak", Some("v")),
        Slot::Pending,
        &Metadata::default(),
        b"TOP-SECRET-BYTES",
    )
    .expect("outside snapshot");
    std::os::unix::fs::symlink(&outside, root.join("linked")).expect("symlink");
    let before: BTreeMap<PathBuf, Vec<u8>> = [
        store.path(&page, Slot::Baseline),
        store.path(&page, Slot::Pending),
        store.image_path(&picture, Slot::Baseline),
        store.image_path(&picture, Slot::Pending),
        store.path(&picture, Slot::Pending),
        store.path(&picture, Slot::Baseline),
    ]
    .into_iter()
    .map(|path| {
        let bytes = std::fs::read(&path).expect("written");
        (path, bytes)
    })
    .collect();
    let unchanged = || {
        before
            .iter()
            .all(|(path, bytes)| std::fs::read(path).ok().as_ref() == Some(bytes))
    };

    let review = Review::start(&root, &[]);
    let host = review.address.clone();
    let token = review.token.clone();
    let own_origin = format!("http://{host}");
    let port = host.split(':').nth(1).unwrap_or("").to_string();
    let foreign_host = format!("evil.example:{port}");
    let localhost = format!("localhost:{port}");

    // Without the token, with a wrong one, with a foreign Host or Origin: 403, even for an
    // accept that names the right versions.
    let (_, early) = review.api("GET", "/api/pending", "");
    let would_accept =
        serde_json::json!({ "scenario": "upgrade", "versions": versions_of(&early) }).to_string();
    let refused = [
        review.request("GET", "/api/pending", &[("Host", host.as_str())], ""),
        review.request("GET", "/", &[("Host", host.as_str())], ""),
        review.request(
            "GET",
            &format!("/?token={}", "0".repeat(64)),
            &[("Host", host.as_str())],
            "",
        ),
        review.request(
            "GET",
            "/api/pending",
            &[("Host", host.as_str()), ("X-Review-Token", "guess")],
            "",
        ),
        review.request(
            "GET",
            &format!("/api/pending?token={token}"),
            &[("Host", foreign_host.as_str())],
            "",
        ),
        review.request(
            "POST",
            "/api/accept",
            &[
                ("Host", host.as_str()),
                ("X-Review-Token", token.as_str()),
                ("Origin", "http://evil.example"),
                ("Content-Type", "application/json"),
            ],
            &would_accept,
        ),
    ];
    for (status, body) in &refused {
        assert_eq!(*status, 403, "{body}");
    }
    assert!(unchanged(), "nothing changed by a refused request");
    // With the token in the query, the page; from its own origin, the API.
    let (status, html) = review.request(
        "GET",
        &format!("/?token={token}"),
        &[("Host", host.as_str())],
        "",
    );
    assert_eq!(status, 200);
    assert!(html.contains("palette-harness review") && !html.contains(&token));
    let (status, _) = review.request(
        "GET",
        "/api/pending",
        &[
            ("Host", localhost.as_str()),
            ("X-Review-Token", token.as_str()),
            ("Origin", own_origin.as_str()),
        ],
        "",
    );
    assert_eq!(status, 200);
    // Changes only by POST with JSON.
    let (status, _) = review.request(
        "GET",
        &format!("/api/accept?token={token}"),
        &[("Host", host.as_str())],
        "",
    );
    assert_eq!(status, 405);
    let (status, _) = review.request(
        "POST",
        &format!("/api/reject?token={token}"),
        &[
            ("Host", host.as_str()),
            ("Content-Type", "application/x-www-form-urlencoded"),
        ],
        "scenario=upgrade",
    );
    assert_eq!(status, 415);
    assert!(unchanged());

    // The listing: the two snapshots, not the one behind the link.
    let (status, listing) = review.api("GET", "/api/pending", "");
    assert_eq!(status, 200, "{listing}");
    let snapshots = listing["snapshots"].as_array().expect("snapshots");
    let ids: Vec<&str> = snapshots.iter().filter_map(|s| s["id"].as_str()).collect();
    assert_eq!(
        ids,
        ["upgrade__summary", "upgrade__summary@chrome-4x4"],
        "{listing}"
    );
    let image = &snapshots[1]["image"];
    assert_eq!(image["different"], 16, "{listing}");
    assert_eq!(
        image["box"],
        serde_json::json!({"x": 0, "y": 0, "width": 4, "height": 4})
    );
    assert_eq!(
        snapshots[0]["accept_command"],
        format!(
            "palette-harness accept --snapshots {} --exact upgrade__summary",
            root.display()
        )
    );

    // Traversal: ids are looked up in the listing, never joined to a path.
    let secret = outside.join("secret.txt");
    for target in [
        "/api/image?id=../outside/secret.txt&which=new".to_string(),
        "/api/image?id=%2e%2e%2foutside%2fsecret.txt&which=baseline".to_string(),
        format!("/api/image?id={}&which=new", secret.display()),
        "/api/image?id=linked/upgrade__leak@v&which=new".to_string(),
        "/api/image?id=linked%2fupgrade__leak%40v&which=new".to_string(),
        "/api/image/../../outside/secret.txt".to_string(),
        "/..%2f..%2foutside%2fsecret.txt".to_string(),
        "/api/image?id=upgrade__summary@chrome-4x4&which=../../outside/secret.txt".to_string(),
    ] {
        let (status, body) = review.request(
            "GET",
            &target,
            &[("Host", host.as_str()), ("X-Review-Token", token.as_str())],
            "",
        );
        assert!(matches!(status, 400 | 404), "{target}: {status} {body}");
        assert!(!body.contains("TOP-SECRET"), "{target}: {body}");
    }
    let (status, body) = review.api(
        "POST",
        "/api/accept",
        r#"{"ids":["linked/upgrade__leak@v"],"versions":{}}"#,
    );
    assert_eq!(status, 404, "{body}");
    let (status, picture_png) = review.request(
        "GET",
        "/api/image?id=upgrade__summary%40chrome-4x4&which=new",
        &[("Host", host.as_str()), ("X-Review-Token", token.as_str())],
        "",
    );
    assert_eq!(status, 200);
    assert!(picture_png.starts_with("\u{FFFD}PNG"), "a PNG");

    // A version the page was not shown: 409 naming the file, nothing written.
    let shown = versions_of(&listing);
    std::fs::write(
        store.path(&page, Slot::Pending),
        "---\n---\n- text: \"newer\"\n",
    )
    .expect("changed underneath");
    let (status, conflict) = review.api(
        "POST",
        "/api/accept",
        &serde_json::json!({ "scenario": "upgrade", "versions": shown }).to_string(),
    );
    assert_eq!(status, 409, "{conflict}");
    assert!(
        conflict["file"]
            .as_str()
            .is_some_and(|file| file.ends_with("upgrade__summary.snap.new")),
        "{conflict}"
    );
    assert_eq!(
        std::fs::read(store.path(&picture, Slot::Baseline)).expect("baseline"),
        before[&store.path(&picture, Slot::Baseline)],
        "nothing accepted"
    );

    // A bot's accept of the scenario with fresh versions, then its undo.
    let before_accept: Vec<(PathBuf, Option<Vec<u8>>)> = before
        .keys()
        .map(|path| (path.clone(), std::fs::read(path).ok()))
        .collect();
    let (_, listing) = review.api("GET", "/api/pending", "");
    let (status, accepted) = review.api(
        "POST",
        "/api/accept",
        &serde_json::json!({ "scenario": "upgrade", "versions": versions_of(&listing) })
            .to_string(),
    );
    assert_eq!(status, 200, "{accepted}");
    assert_eq!(accepted["done"].as_array().map(Vec::len), Some(2));
    assert_eq!(
        std::fs::read(store.image_path(&picture, Slot::Baseline)).expect("accepted"),
        before[&store.image_path(&picture, Slot::Pending)]
    );
    let (status, undone) = review.api("POST", "/api/undo", "{}");
    assert_eq!(status, 200, "{undone}");
    for (path, bytes) in &before_accept {
        assert_eq!(&std::fs::read(path).ok(), bytes, "{}", path.display());
    }

    // A --out that is no folder is a usage error, said before anything listens.
    let stderr = stderr_expecting(
        binary()
            .args(["review", "--serve", "--out"])
            .arg(dir.path().join("no-such-run"))
            .arg("--snapshots")
            .arg(&root),
        2,
    );
    assert!(
        stderr.contains("--out: expected a run's output folder"),
        "{stderr}"
    );

    // SIGTERM ends it as it ends every command: 143.
    let mut review = review;
    let _ = Command::new("kill")
        .args(["-s", "TERM", &review.child.id().to_string()])
        .status();
    let status = review.child.wait().expect("the server ends");
    assert_eq!(status.code(), Some(143));
}
