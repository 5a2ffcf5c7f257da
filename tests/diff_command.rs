//! `palette-harness diff` through the built binary: the count comes first, exit codes say
//! same (0), different (1) or unreadable (2).

mod common;

use std::path::Path;

use common::*;
use image::{Rgba, RgbaImage};

fn write_png(path: &Path, width: u32, height: u32, black_box: Option<(u32, u32, u32)>) {
    let mut picture = RgbaImage::from_pixel(width, height, Rgba([255, 255, 255, 255]));
    if let Some((x0, y0, size)) = black_box {
        for y in y0..y0 + size {
            for x in x0..x0 + size {
                picture.put_pixel(x, y, Rgba([0, 0, 0, 255]));
            }
        }
    }
    picture.save(path).expect("fixture PNG written");
}

#[test]
fn the_differing_pixel_count_comes_first_and_the_exit_code_says_different() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (a, b, out) = (
        dir.path().join("a.png"),
        dir.path().join("b.png"),
        dir.path().join("diff.png"),
    );
    write_png(&a, 100, 100, None);
    write_png(&b, 100, 100, Some((40, 40, 10)));
    let stdout = run_expecting(
        binary()
            .arg("diff")
            .arg(&a)
            .arg(&b)
            .arg("--output")
            .arg(&out),
        1,
    );
    assert_eq!(stdout.trim(), "100 pixels differ (1.00%)");
    let first_number: u64 = stdout
        .split_whitespace()
        .next()
        .and_then(|word| word.parse().ok())
        .expect("a leading integer");
    assert_eq!(first_number, 100);
    let diff_image = image::open(&out).expect("diff image written").to_rgba8();
    assert_eq!(diff_image.get_pixel(45, 45), &Rgba([255, 0, 0, 255]));
}

#[test]
fn identical_images_exit_0_and_leave_no_diff_image() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (a, stale) = (dir.path().join("a.png"), dir.path().join("diff.png"));
    write_png(&a, 64, 48, Some((1, 1, 5)));
    std::fs::write(&stale, "an earlier comparison's diff").expect("stale diff");
    let stdout = run_expecting(
        binary()
            .arg("diff")
            .arg(&a)
            .arg(&a)
            .arg("--output")
            .arg(&stale),
        0,
    );
    assert_eq!(stdout.trim(), "0 pixels differ (0.00%)");
    assert!(
        !stale.exists(),
        "a stale diff image would be mistaken for this comparison's"
    );
}

#[test]
fn a_size_mismatch_is_reported_with_both_sizes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (a, b) = (dir.path().join("a.png"), dir.path().join("b.png"));
    write_png(&a, 100, 80, None);
    write_png(&b, 100, 60, None);
    let stdout = run_expecting(binary().arg("diff").arg(&a).arg(&b), 1);
    assert!(stdout.starts_with("8000 pixels differ"), "{stdout}");
    assert!(stdout.contains("100x80 and 100x60"), "{stdout}");
}

#[test]
fn an_unreadable_input_exits_2_and_names_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (a, b) = (
        dir.path().join("a.png"),
        dir.path().join("not-an-image.png"),
    );
    write_png(&a, 10, 10, None);
    std::fs::write(&b, "not a png").expect("write");
    let output = run(binary().arg("diff").arg(&a).arg(&b));
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output.stderr).contains("not-an-image.png is not a PNG or WebP image"),
        "{}",
        text(&output.stderr)
    );
}

#[test]
fn ignored_regions_leave_their_changes_out() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (a, b) = (dir.path().join("a.png"), dir.path().join("b.png"));
    write_png(&a, 100, 100, None);
    write_png(&b, 100, 100, Some((40, 40, 10)));
    let stdout = run_expecting(
        binary()
            .arg("diff")
            .arg(&a)
            .arg(&b)
            .args(["--ignore", "35,35,20,20"]),
        0,
    );
    assert_eq!(stdout.trim(), "0 pixels differ (0.00%)");
}
