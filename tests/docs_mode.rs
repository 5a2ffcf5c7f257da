//! Docs mode end to end: `shoot` runs the three shipped scenarios on the built-in console (a
//! fresh one each, imitating Palette, airgap Palette and Palette VerteX) and writes every image
//! of the three guides into a docs checkout as lossless WebP, highlighted where the alt text
//! says; a second run rewrites nothing and says so. `docs check` accounts for every image.

mod common;

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use common::*;

const GUIDES: [&str; 3] = [
    "tests/fixtures/guides/enterprise-version/upgrade/upgrade-vmware/non-airgap.md",
    "tests/fixtures/guides/enterprise-version/upgrade/upgrade-vmware/airgap.md",
    "tests/fixtures/guides/vertex/upgrade/upgrade-vmware/non-airgap.md",
];

/// The highlight's default colour (a scenario without `[highlight]`).
const HIGHLIGHT: [u8; 3] = [0xe0, 0x20, 0x4a];

fn images_dir(docs: &Path) -> PathBuf {
    docs.join("static/assets/docs/images")
}

/// Every image the guides reference, by their Markdown.
fn referenced_images() -> Vec<String> {
    let mut names = Vec::new();
    for guide in GUIDES {
        let text = std::fs::read_to_string(guide).expect("guide");
        for (at, _) in text.match_indices("](/") {
            let rest = &text[at + 3..];
            let name = &rest[..rest.find(')').expect("closing parenthesis")];
            if !names.iter().any(|known| known == name) {
                names.push(name.to_string());
            }
        }
    }
    names
}

fn shoot(docs: &Path, out: &Path) -> (i32, String) {
    let mut command = binary();
    with_credentials(&mut command);
    let output = run(command
        .args(["shoot", "--lock-seconds", "2", "--docs-root"])
        .arg(docs)
        .arg("--out")
        .arg(out)
        .arg("--snapshots")
        .arg(out.join("snapshot-store"))
        .args(["--update-snapshots", "missing"]));
    let stdout = text(&output.stdout);
    (
        output.status.code().unwrap_or(-1),
        format!("{stdout}\nstderr:\n{}", text(&output.stderr)),
    )
}

fn pixels_of(path: &Path, colour: [u8; 3]) -> usize {
    let image = image::open(path).expect("decodes").into_rgba8();
    image
        .pixels()
        .filter(|pixel| pixel.0[..3] == colour)
        .count()
}

/// The smallest box holding every pixel of `colour`: left, top, right, bottom.
fn bounds_of(image: &image::RgbaImage, colour: [u8; 3]) -> (u32, u32, u32, u32) {
    let mut bounds = (u32::MAX, u32::MAX, 0, 0);
    for (x, y, pixel) in image.enumerate_pixels() {
        if pixel.0[..3] == colour {
            bounds = (
                bounds.0.min(x),
                bounds.1.min(y),
                bounds.2.max(x),
                bounds.3.max(y),
            );
        }
    }
    assert!(bounds.0 <= bounds.2, "no pixel of {colour:?}");
    bounds
}

fn most_common_colour(
    image: &image::RgbaImage,
    columns: std::ops::Range<u32>,
    rows: std::ops::Range<u32>,
) -> [u8; 3] {
    let mut counts = std::collections::HashMap::new();
    for y in rows {
        for x in columns.clone() {
            let pixel = image.get_pixel(x, y).0;
            *counts.entry([pixel[0], pixel[1], pixel[2]]).or_insert(0) += 1;
        }
    }
    counts
        .into_iter()
        .max_by_key(|(_, count)| *count)
        .map(|(colour, _)| colour)
        .expect("pixels")
}

fn modified(path: &Path) -> SystemTime {
    std::fs::metadata(path)
        .and_then(|metadata| metadata.modified())
        .expect("mtime")
}

#[test]
fn shoot_writes_every_guide_image_as_webp_highlighted_and_a_second_run_rewrites_none() {
    let docs = tempfile::tempdir().expect("docs checkout");
    let out = tempfile::tempdir().expect("out");
    let (code, printed) = shoot(docs.path(), out.path());
    assert_eq!(code, 0, "{printed}");
    for scenario in [
        "upgrade-vmware-airgap",
        "upgrade-vmware-non-airgap",
        "vertex-upgrade-vmware-non-airgap",
    ] {
        assert!(
            printed.contains(&format!("■ {scenario} passed")),
            "{scenario} passed: {printed}"
        );
    }
    assert!(
        printed.contains("○ Upgrade 1 outside the console (vCenter)"),
        "steps outside the console are reported: {printed}"
    );

    let images = images_dir(docs.path());
    let expected = referenced_images();
    assert_eq!(expected.len(), 6, "the three guides show 6 distinct images");
    for name in &expected {
        let path = images.join(name);
        let bytes = std::fs::read(&path).unwrap_or_else(|_| panic!("{name} written: {printed}"));
        assert_eq!(&bytes[..4], b"RIFF", "{name} is a RIFF file");
        assert_eq!(&bytes[8..12], b"WEBP", "{name} is WebP");
        assert_eq!(&bytes[12..16], b"VP8L", "{name} is lossless WebP");
        let image = image::open(&path).expect("decodes").into_rgba8();
        assert_eq!(image.dimensions(), (1280, 800), "{name} at the viewport");
    }
    // Highlighted where the alt text says so, and only there.
    for (name, highlighted) in [
        (
            "enterprise-version_upgrade-upgrade_vmware_non-airgap_update.webp",
            true,
        ),
        (
            "enterprise-version_upgrade-upgrade_vmware_non-airgap_copy_configurations.webp",
            true,
        ),
        (
            "enterprise-version_upgrade-upgrade_vmware_non-airgap_upgraded.webp",
            false,
        ),
        (
            "enterprise-version_upgrade-upgrade_vmware_non-airgap_upgrade-preview.webp",
            false,
        ),
    ] {
        let count = pixels_of(&images.join(name), HIGHLIGHT);
        if highlighted {
            assert!(count > 200, "{name}: {count} highlight pixels");
        } else {
            assert_eq!(count, 0, "{name} has no highlight");
        }
    }
    // The editor's box goes round the editor a person sees, line-number gutter included: left
    // of the box, on its middle row, nothing looks like the editor (its dark background or its
    // gutter's).
    let editor_shot = image::open(
        images
            .join("enterprise-version_upgrade-upgrade_vmware_non-airgap_copy_configurations.webp"),
    )
    .expect("decodes")
    .into_rgba8();
    let (left, top, right, bottom) = bounds_of(&editor_shot, HIGHLIGHT);
    let middle = (top + bottom) / 2;
    let background = most_common_colour(
        &editor_shot,
        left + 12..right - 12,
        middle - 40..middle + 40,
    );
    for x in left.saturating_sub(40)..left {
        let pixel = editor_shot.get_pixel(x, middle).0;
        let distance: u32 = (0..3)
            .map(|channel| u32::from(pixel[channel].abs_diff(background[channel])))
            .sum();
        assert!(
            distance > 60,
            "the editor shows outside its highlight at x={x}: {pixel:?} like {background:?} (box {left}..{right})"
        );
    }
    // The run's own copies and the manifest's provenance.
    let manifest: serde_json::Value = serde_json::from_slice(
        &std::fs::read(images.join("palette-harness-shots.json")).expect("manifest"),
    )
    .expect("json");
    let update =
        &manifest["images"]["enterprise-version_upgrade-upgrade_vmware_non-airgap_update.webp"];
    assert_eq!(update["viewport"], "1280x800");
    assert_eq!(update["browser"], "chrome");
    assert_eq!(update["console_version"], "4.8.21", "{update}");
    assert_eq!(update["highlighted"][0], "button \"Update\"");
    assert_eq!(
        manifest["images"].as_object().map(|images| images.len()),
        Some(6)
    );

    // Nothing changed: nothing is rewritten, and the table says so.
    let before: Vec<SystemTime> = expected
        .iter()
        .map(|name| modified(&images.join(name)))
        .collect();
    let manifest_before = modified(&images.join("palette-harness-shots.json"));
    let out_again = tempfile::tempdir().expect("out");
    let (code, printed) = shoot(docs.path(), out_again.path());
    assert_eq!(code, 0, "{printed}");
    assert!(
        printed.contains(
            "0 new, 0 changed, 6 unchanged, 6 made by another scenario; no file rewritten"
        ),
        "{printed}"
    );
    assert!(printed.contains("manifest unchanged"), "{printed}");
    let after: Vec<SystemTime> = expected
        .iter()
        .map(|name| modified(&images.join(name)))
        .collect();
    assert_eq!(before, after, "no image rewritten");
    assert_eq!(
        manifest_before,
        modified(&images.join("palette-harness-shots.json"))
    );
}

#[test]
fn an_image_that_differs_from_the_docs_is_rewritten_and_the_table_gives_its_diff() {
    let docs = tempfile::tempdir().expect("docs checkout");
    let images = images_dir(docs.path());
    std::fs::create_dir_all(&images).expect("images folder");
    // A stale copy of one image: same size, one band of other pixels.
    let name = "enterprise-version_upgrade-upgrade_vmware_non-airgap_upgraded.webp";
    let mut stale = image::RgbaImage::from_pixel(1280, 800, image::Rgba([255, 255, 255, 255]));
    for y in 0..8 {
        for x in 0..1280 {
            stale.put_pixel(x, y, image::Rgba([0, 0, 0, 255]));
        }
    }
    stale
        .save_with_format(images.join(name), image::ImageFormat::WebP)
        .expect("stale image");
    let scenario_dir = tempfile::tempdir().expect("scenarios");
    let scenario = scenario_dir.path().join("upgrade-vmware-non-airgap.toml");
    std::fs::copy(SCENARIO, &scenario).expect("copy");
    let out = tempfile::tempdir().expect("out");
    let mut command = binary();
    with_credentials(&mut command);
    let output = run(command
        .arg("shoot")
        .arg(&scenario)
        .args(["--lock-seconds", "2", "--docs-root"])
        .arg(docs.path())
        .arg("--out")
        .arg(out.path())
        .arg("--snapshots")
        .arg(out.path().join("snapshot-store"))
        .args(["--update-snapshots", "missing"]));
    let stdout = text(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    let row = stdout
        .lines()
        .find(|line| line.starts_with(name))
        .unwrap_or_else(|| panic!("a row for {name}: {stdout}"));
    assert!(row.contains("changed ("), "{row}");
    assert!(row.ends_with("%)"), "the diff in percent: {row}");
    let rewritten = image::open(images.join(name))
        .expect("decodes")
        .into_rgba8();
    assert_ne!(rewritten, stale, "the stale image was replaced");
}

/// `--scale 2`, both crops and a scenario's own highlight style, on the built-in console: a
/// region of 400x300 CSS pixels is 800x600 image pixels; a crop to the Update button keeps the
/// button and its padding, boxed in the scenario's colour.
#[test]
fn shoot_at_scale_2_crops_to_a_target_or_a_region_in_the_scenarios_highlight_colour() {
    let scenarios = tempfile::tempdir().expect("scenarios");
    let scenario = scenarios.path().join("crops.toml");
    std::fs::write(
        &scenario,
        r##"title = "Crops"
guide = "crops.md"

[highlight]
color = "#00ff00"
width = 4

[[step]]
section = "Upgrade"
number = 1
guide = "From the left **Main Menu**, select **Update Management**."
do = [
  'log in',
  'click menu item "Update Management"',
  'screenshot "crop-to-button.webp" highlighting button "Update" cropped to button "Update" with padding 20',
  'screenshot "crop-to-region.webp" cropped to region 0, 0, 400, 300',
]
"##,
    )
    .expect("scenario");
    let docs = tempfile::tempdir().expect("docs checkout");
    let out = tempfile::tempdir().expect("out");
    let mut command = binary();
    with_credentials(&mut command);
    let output = run(command
        .arg("shoot")
        .arg(&scenario)
        .args(["--scale", "2", "--docs-root"])
        .arg(docs.path())
        .arg("--out")
        .arg(out.path())
        .arg("--snapshots")
        .arg(out.path().join("snapshot-store")));
    let stdout = text(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    let images = images_dir(docs.path());

    let region = image::open(images.join("crop-to-region.webp"))
        .expect("decodes")
        .into_rgba8();
    assert_eq!(
        region.dimensions(),
        (800, 600),
        "400x300 CSS pixels at scale 2"
    );

    let button = image::open(images.join("crop-to-button.webp"))
        .expect("decodes")
        .into_rgba8();
    let (width, height) = button.dimensions();
    // The button and 20 CSS pixels on each side, at scale 2: more than the padding alone, far
    // less than the viewport.
    assert!(width > 80 && width < 600, "{width}x{height}");
    assert!(height > 80 && height < 300, "{width}x{height}");
    let green = pixels_of(&images.join("crop-to-button.webp"), [0, 255, 0]);
    assert!(
        green > 400,
        "the box in the scenario's colour: {green} pixels"
    );
    assert_eq!(
        pixels_of(&images.join("crop-to-button.webp"), HIGHLIGHT),
        0,
        "not in the default colour"
    );

    let manifest: serde_json::Value = serde_json::from_slice(
        &std::fs::read(images.join("palette-harness-shots.json")).expect("manifest"),
    )
    .expect("json");
    let shot = &manifest["images"]["crop-to-button.webp"];
    assert_eq!(shot["scale"], 2.0, "{shot}");
    assert!(
        shot["crop"]
            .as_str()
            .unwrap_or("")
            .contains("button \"Update\""),
        "{shot}"
    );
}

#[test]
fn docs_check_accounts_for_every_image_and_names_a_missing_one() {
    let output = run(binary().args(["docs", "check"]).args(GUIDES));
    let stdout = text(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    for name in referenced_images() {
        assert!(
            stdout
                .lines()
                .any(|line| line.contains("✓") && line.contains(&name) && line.contains("←")),
            "{name} with the step that makes it: {stdout}"
        );
    }
    assert!(stdout.contains("0 image(s) missing"), "{stdout}");
    assert!(
        stdout.contains("outside the console: Upgrade 1 (vCenter)"),
        "{stdout}"
    );

    // A scenario folder where the VerteX scenario lost one screenshot.
    let scenarios = tempfile::tempdir().expect("scenarios");
    for entry in std::fs::read_dir("scenarios").expect("scenarios") {
        let path = entry.expect("entry").path();
        let mut text = std::fs::read_to_string(&path).expect("scenario");
        if path.ends_with("vertex-upgrade-vmware-non-airgap.toml") {
            text = text.replace(
                "  'screenshot \"enterprise-version_upgrade-upgrade_vmware_palette-upgrade-preview.webp\"',\n",
                "",
            );
        }
        std::fs::write(scenarios.path().join(path.file_name().expect("name")), text)
            .expect("write");
    }
    let output = run(binary()
        .args(["docs", "check", GUIDES[2], "--scenarios"])
        .arg(scenarios.path()));
    let stdout = text(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains(
            "✗ MISSING enterprise-version_upgrade-upgrade_vmware_palette-upgrade-preview.webp  (line 82, Upgrade 8)"
        ),
        "{stdout}"
    );
    // The same account as JSON, for CI tools, with the same exit status.
    let output = run(binary()
        .args([
            "docs",
            "check",
            "--format",
            "json",
            GUIDES[2],
            "--scenarios",
        ])
        .arg(scenarios.path()));
    let stdout = text(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    let account: serde_json::Value = serde_json::from_str(&stdout).expect("one JSON object");
    assert_eq!(account["missing"], 1, "{account}");
    let guide = &account["guides"][0];
    assert_eq!(
        guide["missing"][0],
        "enterprise-version_upgrade-upgrade_vmware_palette-upgrade-preview.webp"
    );
    let missing = guide["images"]
        .as_array()
        .expect("images")
        .iter()
        .find(|image| image["made_by"].is_null())
        .expect("the missing image among the images");
    assert_eq!(missing["line"], 82);
    assert_eq!(missing["guide_step"], "Upgrade 8");
    assert!(guide["images"]
        .as_array()
        .expect("images")
        .iter()
        .any(|image| image["made_by"]["location"]
            .as_str()
            .is_some_and(|at| at.contains("vertex-upgrade-vmware-non-airgap.toml:"))));
}

#[test]
fn docs_check_does_not_count_images_in_code_fences_or_comments_and_names_drift() {
    let folder = tempfile::tempdir().expect("guide folder");
    let guide = folder.path().join("docs/my-console/upgrade.md");
    std::fs::create_dir_all(guide.parent().expect("parent")).expect("folders");
    std::fs::write(
        &guide,
        "---\ntitle: \"Upgrade My Console\"\n---\n\n## Upgrade\n\n1. Log in.\n\n   ```md\n   ![in a fence](/fenced.webp)\n   ```\n\n   <!-- ![in a comment](/commented.webp) -->\n\n2. Select **Update Management** and then **Rollback**.\n\n   ![The update page.](/update.webp)\n",
    )
    .expect("guide");
    let scenarios = folder.path().join("scenarios");
    std::fs::create_dir_all(&scenarios).expect("scenarios");
    std::fs::write(
        scenarios.join("my-console.toml"),
        "title = \"Upgrade My Console\"\nguide = \"my-console/upgrade.md\"\n\n[[step]]\nsection = \"Upgrade\"\nnumber = 1\nguide = \"Log in.\"\ndo = ['log in']\n\n[[step]]\nsection = \"Upgrade\"\nnumber = 2\nguide = \"Select **Update Management**.\"\ndo = ['click menu item \"Update Management\"', 'screenshot \"update.webp\"', 'screenshot \"extra.webp\"']\n",
    )
    .expect("scenario");
    let output = run(binary()
        .args(["docs", "check"])
        .arg(&guide)
        .arg("--scenarios")
        .arg(&scenarios));
    let stdout = text(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    assert!(!stdout.contains("fenced.webp"), "{stdout}");
    assert!(!stdout.contains("commented.webp"), "{stdout}");
    assert!(stdout.contains("✓ update.webp"), "{stdout}");
    assert!(
        stdout.contains(
            "drift: Upgrade 2 (line 15) names **Rollback**, which the scenario never targets"
        ),
        "{stdout}"
    );
    assert!(!stdout.contains("**Update Management**, which"), "{stdout}");
    assert!(stdout.contains("extra.webp"), "an orphan shot: {stdout}");
}
