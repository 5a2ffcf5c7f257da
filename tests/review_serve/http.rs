//! `review --serve` spoken to in plain HTTP, as a CI bot or an attacker's tool would: the API
//! and the served report, refused without the token, from a foreign Host or Origin, and for
//! every path outside their folders.

use super::*;

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

#[test]
fn the_report_is_served_under_its_token_path_and_nothing_outside_the_output_folder() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().join("store");
    std::fs::create_dir_all(&root).expect("store");
    // An output folder: its report, an image in a scenario's folder (a space in its name, as
    // a browser encodes it), the run's lock, and a link to a secret beside the folder.
    let out = dir.path().join("out");
    std::fs::create_dir_all(out.join("summary three")).expect("out");
    std::fs::write(
        out.join("report.html"),
        "<!doctype html><title>REPORT-MARKER</title><img src=\"summary%20three/one.png\">",
    )
    .expect("report");
    let image = png(3, 2, [10, 20, 30]);
    std::fs::write(out.join("summary three/one.png"), &image).expect("image");
    std::fs::write(out.join(".palette-harness.lock"), "LOCK-MARKER-4242").expect("lock");
    std::fs::write(dir.path().join("Cargo.toml"), "SECRET-MARKER cargo").expect("secret");
    std::fs::write(dir.path().join("x"), "SECRET-MARKER x").expect("secret");
    std::os::unix::fs::symlink(dir.path().join("Cargo.toml"), out.join("leak.toml")).expect("link");
    std::os::unix::fs::symlink(dir.path(), out.join("up")).expect("link");

    let review = Review::start(&root, &["--out", &out.to_string_lossy()]);
    let host = review.address.clone();
    let port = host.split(':').nth(1).unwrap_or("").to_string();
    // The report's files live under /report/<token>/: relative links keep the token.
    let base = format!("/report/{}", review.token);
    let get = |target: &str, headers: &[(&str, &str)]| {
        raw_exchange(&review.address, "GET", target, headers, "")
    };
    let plain = [("Host", host.as_str())];

    // No token in the path, a wrong one, or the token only in a header or the query: 403.
    let wrong = format!("/report/{}/report.html", "0".repeat(64));
    let by_query = format!("/report/report.html?token={}", review.token);
    for (target, headers) in [
        ("/report/report.html", vec![("Host", host.as_str())]),
        (wrong.as_str(), vec![("Host", host.as_str())]),
        (
            "/report/report.html",
            vec![
                ("Host", host.as_str()),
                ("X-Review-Token", review.token.as_str()),
            ],
        ),
        (by_query.as_str(), vec![("Host", host.as_str())]),
    ] {
        let (status, _, body) = get(target, &headers);
        assert_eq!(status, 403, "{target} {headers:?}: {body}");
        assert!(!body.contains("REPORT-MARKER"), "{body}");
    }

    // No cookie is ever set: a cookie would go to every port of 127.0.0.1.
    let (status, head, _) = get(&format!("/?token={}", review.token), &plain);
    assert_eq!(status, 200);
    assert!(!head.to_ascii_lowercase().contains("set-cookie"), "{head}");
    let (_, listing) = review.api("GET", "/api/pending", "");
    assert_eq!(
        listing["report_url"],
        format!("{base}/report.html"),
        "{listing}"
    );

    // With the token in the path: the report and the image it links, with their content types.
    let (status, head, body) = get(&format!("{base}/report.html"), &plain);
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("REPORT-MARKER"), "{body}");
    assert!(
        head.to_ascii_lowercase()
            .contains("content-type: text/html; charset=utf-8"),
        "{head}"
    );
    assert!(
        head.to_ascii_lowercase()
            .contains("referrer-policy: no-referrer"),
        "the path's token is told to no other site: {head}"
    );
    let (status, head, body) = get(&format!("{base}/summary%20three/one.png"), &plain);
    assert_eq!(status, 200, "{body}");
    assert!(
        head.to_ascii_lowercase()
            .contains("content-type: image/png"),
        "{head}"
    );
    assert_eq!(body, String::from_utf8_lossy(&image), "the image's bytes");

    // Outside the folder, through a link, the lock, absent: 404 with no file's content.
    for relative in [
        "/../Cargo.toml",
        "/../../Cargo.toml",
        "/%2e%2e/x",
        "/%2E%2E%2Fx",
        "/summary%20three/../../x",
        "//etc/passwd",
        "/%2fetc%2fpasswd",
        "/..%5cx",
        "/leak.toml",
        "/up/x",
        "/up/out/report.html",
        "/.palette-harness.lock",
        "/nothing.png",
        "/summary%20three",
        "/",
        "",
    ] {
        let target = format!("{base}{relative}");
        let (status, _, body) = get(&target, &plain);
        assert_eq!(status, 404, "{target}: {body}");
        for leaked in [
            "SECRET-MARKER",
            "LOCK-MARKER",
            "root:",
            "[package]",
            "REPORT-MARKER",
        ] {
            assert!(!body.contains(leaked), "{target} shows {leaked}: {body}");
        }
    }

    // The path's token does not excuse a foreign Host or Origin, make a report file writable,
    // or open the API.
    let foreign_host = format!("evil.example:{port}");
    let (status, _, body) = get(&format!("{base}/report.html"), &[("Host", &foreign_host)]);
    assert_eq!(status, 403, "{body}");
    assert!(!body.contains("REPORT-MARKER"), "{body}");
    let (status, _, body) = get(
        &format!("{base}/report.html"),
        &[("Host", &host), ("Origin", "http://evil.example")],
    );
    assert_eq!(status, 403, "{body}");
    let (status, _, _) = raw_exchange(
        &review.address,
        "POST",
        &format!("{base}/report.html"),
        &plain,
        "",
    );
    assert_eq!(status, 405);
    let (status, _, body) = get("/api/pending", &plain);
    assert_eq!(status, 403, "{body}");

    // Without --out there is no report to serve.
    let bare = Review::start(&root, &[]);
    let (status, _, body) = raw_exchange(
        &bare.address,
        "GET",
        &format!("/report/{}/report.html", bare.token),
        &[("Host", &bare.address)],
        "",
    );
    assert_eq!(status, 404, "{body}");
    assert!(!body.contains("REPORT-MARKER"), "{body}");
}
