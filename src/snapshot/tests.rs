use super::*;

fn id(variant: Option<&str>) -> SnapshotId {
    SnapshotId {
        scenario: "upgrade".to_string(),
        name: "summary".to_string(),
        variant: variant.map(str::to_string),
    }
}

fn metadata() -> Metadata {
    Metadata {
        source: "scenarios/upgrade.toml".to_string(),
        line: Some(42),
        description: "Validate 2 › summary: page".to_string(),
        info: vec![("step".to_string(), "Validate 2".to_string())],
    }
}

#[test]
fn an_interrupted_promotion_is_finished_or_cleaned_up_and_stray_temporaries_go() {
    let dir = tempfile::tempdir().unwrap();
    let store = SnapshotStore::new(dir.path());
    // A page snapshot whose baseline was written but whose pending file was not removed.
    let page = id(None);
    store
        .write_text(&page, Slot::Pending, &metadata(), "- text: \"ok\"\n")
        .unwrap();
    let pending = store.pending_of(&page);
    std::fs::write(
        pending.baseline_path(),
        as_baseline(&std::fs::read_to_string(&pending.path).unwrap()),
    )
    .unwrap();
    // An image snapshot whose image was moved to the baseline, its metadata not yet.
    let image = id(Some("chrome156-1280x800"));
    store
        .write_image(&image, Slot::Pending, &metadata(), b"png")
        .unwrap();
    let image_pending = store.pending_of(&image);
    std::fs::rename(
        image_pending.image.clone().unwrap(),
        image_pending.baseline_image_path(),
    )
    .unwrap();
    // A temporary file of a process that is gone (pid 4194304 is above Linux's pid_max).
    let stray = dir.path().join(".x.snap.tmp-4194304");
    std::fs::write(&stray, b"half").unwrap();

    let done = store.recover();
    assert_eq!(done.len(), 3, "{done:?}");
    assert!(store.pending(None).is_empty(), "no pending file is left");
    assert!(!stray.exists());
    assert!(
        image_pending.baseline_path().is_file(),
        "the image's baseline is complete"
    );
    assert!(store.read_text(&page, Slot::Baseline).is_some());
    assert!(store.recover().is_empty(), "nothing more to do");
}

#[test]
fn text_snapshots_round_trip_through_insta() {
    let dir = tempfile::tempdir().unwrap();
    let store = SnapshotStore::new(dir.path());
    let path = store
        .write_text(
            &id(None),
            Slot::Pending,
            &metadata(),
            "- heading \"Summary\"\n- text: \"ok\"\n",
        )
        .unwrap();
    let parsed = insta::Snapshot::from_file(&path).expect("insta reads our pending snapshot");
    assert_eq!(parsed.metadata().source(), Some("scenarios/upgrade.toml"));
    assert_eq!(parsed.metadata().assertion_line(), Some(42));
    assert_eq!(
        parsed.metadata().description(),
        Some("Validate 2 › summary: page")
    );
    let insta::internals::SnapshotContents::Text(contents) = parsed.contents() else {
        panic!("not text")
    };
    assert_eq!(
        contents.to_string(),
        "- heading \"Summary\"\n- text: \"ok\""
    );
    assert_eq!(
        store.read_text(&id(None), Slot::Pending).as_deref(),
        Some("- heading \"Summary\"\n- text: \"ok\"")
    );
}

#[test]
fn image_snapshots_are_binary_snapshots_insta_can_read() {
    let dir = tempfile::tempdir().unwrap();
    let store = SnapshotStore::new(dir.path());
    let path = store
        .write_image(
            &id(Some("chrome156-1280x800")),
            Slot::Baseline,
            &metadata(),
            b"\x89PNG fake",
        )
        .unwrap();
    assert!(path.ends_with("upgrade__summary@chrome156-1280x800.snap"));
    let parsed = insta::Snapshot::from_file(&path).expect("insta reads our binary snapshot");
    assert!(
        parsed.metadata().assertion_line().is_none(),
        "baselines carry no assertion line"
    );
    assert!(matches!(
        parsed.contents(),
        insta::internals::SnapshotContents::Binary(_)
    ));
    assert_eq!(
        store
            .read_image(&id(Some("chrome156-1280x800")), Slot::Baseline)
            .unwrap(),
        b"\x89PNG fake"
    );
}

/// A text baseline "old", its pending "new", and a pending image with no baseline.
fn store_with_a_baseline_and_two_pending() -> (tempfile::TempDir, SnapshotStore) {
    let dir = tempfile::tempdir().unwrap();
    let store = SnapshotStore::new(dir.path());
    store
        .write_text(&id(None), Slot::Baseline, &metadata(), "old")
        .unwrap();
    store
        .write_text(&id(None), Slot::Pending, &metadata(), "new")
        .unwrap();
    store
        .write_image(&id(Some("v")), Slot::Pending, &metadata(), b"png")
        .unwrap();
    (dir, store)
}

#[test]
fn promoting_waits_while_another_holder_changes_the_baselines() {
    let (_dir, store) = store_with_a_baseline_and_two_pending();
    let held = store.lock_baselines().unwrap();
    let (done, finished) = std::sync::mpsc::channel();
    let promoting = store.clone();
    let worker = std::thread::spawn(move || {
        let pending = promoting.pending(None);
        let accepted = promoting.accept_all(&pending).unwrap();
        done.send(accepted.iter().filter(|result| result.is_ok()).count())
            .unwrap();
    });
    // While the lock is held, nothing is promoted.
    assert!(finished
        .recv_timeout(std::time::Duration::from_millis(300))
        .is_err());
    assert_eq!(
        store.pending(None).len(),
        2,
        "nothing promoted under the lock"
    );
    assert_eq!(
        store.read_text(&id(None), Slot::Baseline).as_deref(),
        Some("old")
    );
    drop(held);
    assert_eq!(finished.recv().unwrap(), 2);
    worker.join().unwrap();
    assert!(store.pending(None).is_empty());
    assert_eq!(
        store.read_text(&id(None), Slot::Baseline).as_deref(),
        Some("new")
    );
}

#[test]
fn accepting_makes_the_pending_snapshot_the_baseline_without_its_line() {
    let (_dir, store) = store_with_a_baseline_and_two_pending();
    let pending = store.pending(None);
    assert_eq!(pending.len(), 2);
    for snapshot in &pending {
        store.accept(snapshot).unwrap();
    }
    assert_eq!(
        store.read_text(&id(None), Slot::Baseline).as_deref(),
        Some("new")
    );
    let baseline = std::fs::read_to_string(store.path(&id(None), Slot::Baseline)).unwrap();
    assert!(!baseline.contains("assertion_line"), "{baseline}");
    assert_eq!(
        store.read_image(&id(Some("v")), Slot::Baseline).unwrap(),
        b"png"
    );
    assert!(store.pending(None).is_empty());
}

#[test]
fn rejecting_deletes_only_the_pending_files_matching_the_filter() {
    let (_dir, store) = store_with_a_baseline_and_two_pending();
    let matching = store.pending(Some("summary@v"));
    assert_eq!(matching.len(), 1);
    store.reject(&matching[0]).unwrap();
    assert_eq!(store.pending(None).len(), 1);
    assert_eq!(
        store.read_text(&id(None), Slot::Baseline).as_deref(),
        Some("old")
    );
}

#[test]
fn a_symbolic_link_in_the_folder_is_never_listed_so_nothing_is_read_or_written_through_it() {
    let dir = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    let store = SnapshotStore::new(dir.path().join("store"));
    let page = id(None);
    store
        .write_text(&page, Slot::Pending, &metadata(), "- text: \"ok\"\n")
        .unwrap();
    std::fs::write(outside.path().join("secret.snap.new"), "secret").unwrap();
    std::fs::write(outside.path().join("secret.png"), "secret").unwrap();
    let root = dir.path().join("store");
    std::os::unix::fs::symlink(outside.path(), root.join("linked-folder")).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("secret.snap.new"),
        root.join("upgrade__linked.snap.new"),
    )
    .unwrap();
    // A pending image whose PNG is a link: listed without its image.
    let image = id(Some("chrome156-1280x800"));
    store
        .write_image(&image, Slot::Pending, &metadata(), b"png")
        .unwrap();
    let image_png = store.image_path(&image, Slot::Pending);
    std::fs::remove_file(&image_png).unwrap();
    std::os::unix::fs::symlink(outside.path().join("secret.png"), &image_png).unwrap();
    let mut listed: Vec<(String, bool)> = store
        .pending(None)
        .iter()
        .map(|pending| (pending.stem(), pending.image.is_some()))
        .collect();
    listed.sort();
    assert_eq!(
        listed,
        [
            ("upgrade__summary".to_string(), false),
            ("upgrade__summary@chrome156-1280x800".to_string(), false)
        ]
    );
}
