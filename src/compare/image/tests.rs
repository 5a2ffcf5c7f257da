use super::*;

fn canvas(width: u32, height: u32, rgb: [u8; 3]) -> Vec<u8> {
    (0..width * height)
        .flat_map(|_| [rgb[0], rgb[1], rgb[2], 255])
        .collect()
}

fn set(pixels: &mut [u8], width: u32, x: u32, y: u32, rgb: [u8; 3]) {
    let position = ((y * width + x) * 4) as usize;
    pixels[position..position + 4].copy_from_slice(&[rgb[0], rgb[1], rgb[2], 255]);
}

fn image(width: u32, height: u32, pixels: &[u8]) -> Image<'_> {
    Image {
        width,
        height,
        rgba: pixels,
    }
}

#[test]
fn identical_images_take_the_fast_path_and_report_zero() {
    let pixels = canvas(40, 30, [200, 10, 10]);
    let counts = diff(
        image(40, 30, &pixels),
        image(40, 30, &pixels),
        &DiffOptions::default(),
        None,
    )
    .unwrap();
    assert_eq!(
        counts,
        DiffCounts {
            different: 0,
            antialiased: 0,
            total: 1200,
            identical: true
        }
    );
}

#[test]
fn a_changed_block_is_counted_pixel_by_pixel_and_drawn_red() {
    let before = canvas(64, 64, [255, 255, 255]);
    let mut after = before.clone();
    paint_box(
        &mut after,
        64,
        64,
        Region {
            x: 10,
            y: 20,
            width: 5,
            height: 4,
        },
        [0, 0, 0],
    );
    let mut output = vec![0; before.len()];
    let counts = diff(
        image(64, 64, &before),
        image(64, 64, &after),
        &DiffOptions::default(),
        Some(&mut output),
    )
    .unwrap();
    assert_eq!(counts.different, 20);
    let at = |x: usize, y: usize| &output[(y * 64 + x) * 4..(y * 64 + x) * 4 + 4];
    assert_eq!(at(12, 21), [255, 0, 0, 255]);
    assert_eq!(at(0, 0), [255, 255, 255, 255], "white fades to white");
}

#[test]
fn differences_under_the_threshold_do_not_count() {
    let before = canvas(8, 8, [100, 100, 100]);
    let after = canvas(8, 8, [103, 103, 103]);
    let strict = DiffOptions {
        threshold: 0.0,
        ..DiffOptions::default()
    };
    assert_eq!(
        diff(
            image(8, 8, &before),
            image(8, 8, &after),
            &DiffOptions::default(),
            None
        )
        .unwrap()
        .different,
        0
    );
    assert_eq!(
        diff(image(8, 8, &before), image(8, 8, &after), &strict, None)
            .unwrap()
            .different,
        64
    );
}

#[test]
fn a_softened_edge_pixel_is_anti_aliasing_only_when_detection_is_on() {
    // A black square on white; the second image has one grey pixel on the square's edge,
    // between white and black flat areas: the shape anti-aliasing leaves.
    let mut before = canvas(20, 20, [255, 255, 255]);
    paint_box(
        &mut before,
        20,
        20,
        Region {
            x: 10,
            y: 0,
            width: 10,
            height: 20,
        },
        [0, 0, 0],
    );
    let mut after = before.clone();
    set(&mut after, 20, 10, 10, [128, 128, 128]);
    let with_detection = DiffOptions {
        detect_antialiasing: true,
        ..DiffOptions::default()
    };
    let counts = diff(
        image(20, 20, &before),
        image(20, 20, &after),
        &with_detection,
        None,
    )
    .unwrap();
    assert_eq!((counts.different, counts.antialiased), (0, 1));
    let counts = diff(
        image(20, 20, &before),
        image(20, 20, &after),
        &DiffOptions::default(),
        None,
    )
    .unwrap();
    assert_eq!(counts.different, 1);
}

#[test]
fn ignore_regions_are_excluded_but_shown() {
    let before = canvas(32, 32, [255, 255, 255]);
    let mut after = before.clone();
    paint_box(
        &mut after,
        32,
        32,
        Region {
            x: 0,
            y: 0,
            width: 4,
            height: 4,
        },
        [0, 0, 0],
    );
    paint_box(
        &mut after,
        32,
        32,
        Region {
            x: 20,
            y: 20,
            width: 2,
            height: 2,
        },
        [0, 0, 0],
    );
    let options = DiffOptions {
        ignore: vec![Region {
            x: 0,
            y: 0,
            width: 8,
            height: 8,
        }],
        ..DiffOptions::default()
    };
    let mut output = vec![0; before.len()];
    let counts = diff(
        image(32, 32, &before),
        image(32, 32, &after),
        &options,
        Some(&mut output),
    )
    .unwrap();
    assert_eq!(counts.different, 4);
    assert_eq!(&output[0..4], &[128, 170, 255, 255]);
}

#[test]
fn a_size_mismatch_names_both_sizes() {
    let small = canvas(2, 2, [0, 0, 0]);
    let large = canvas(3, 2, [0, 0, 0]);
    let error = diff(
        image(2, 2, &small),
        image(3, 2, &large),
        &DiffOptions::default(),
        None,
    )
    .unwrap_err();
    assert_eq!(error.to_string(), "the images differ in size: 2x2 and 3x2");
}

#[test]
fn bands_across_threads_count_the_same_as_one_pass() {
    // Tall enough for several bands; changes on band borders must be counted once.
    let (width, height) = (50u32, 333u32);
    let before = canvas(width, height, [240, 240, 240]);
    let mut after = before.clone();
    for y in (0..height).step_by(7) {
        set(&mut after, width, (y * 3) % width, y, [10, 20, 30]);
    }
    let counts = diff(
        image(width, height, &before),
        image(width, height, &after),
        &DiffOptions::default(),
        None,
    )
    .unwrap();
    assert_eq!(counts.different, u64::from(height.div_ceil(7)));
}

#[test]
fn the_changed_box_holds_every_differing_pixel_and_nothing_else() {
    let left = canvas(10, 8, [255, 255, 255]);
    let mut right = left.clone();
    set(&mut right, 10, 2, 3, [0, 0, 0]);
    set(&mut right, 10, 6, 5, [0, 0, 0]);
    let options = DiffOptions::default();
    let mut output = vec![0; left.len()];
    let counts = diff(
        image(10, 8, &left),
        image(10, 8, &right),
        &options,
        Some(&mut output),
    )
    .unwrap();
    assert_eq!(counts.different, 2);
    let expected = Region {
        x: 2,
        y: 3,
        width: 5,
        height: 3,
    };
    assert_eq!(changed_box(&output, 10, options.diff_color), Some(expected));
    let mut same = vec![0; left.len()];
    diff(
        image(10, 8, &left),
        image(10, 8, &left),
        &options,
        Some(&mut same),
    )
    .unwrap();
    assert_eq!(changed_box(&same, 10, options.diff_color), None);
}
