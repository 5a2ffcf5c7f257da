//! Reading a console's pages before writing a scenario for them, and tables as targets: the
//! outline of a page behind the built-in console's login, and a pack registry's row and cells
//! checked, clicked in and highlighted.

mod common;

use common::*;

#[test]
fn outline_reads_the_tenant_management_page_behind_the_built_in_consoles_login() {
    let mut command = binary();
    let outline = run_expecting(
        command.args(["outline", "--do", r#"click menu item "Tenant Management""#]),
        0,
    );
    assert!(
        outline.contains("heading \"Tenant Management\" [level=1]"),
        "{outline}"
    );
    assert!(
        outline.contains("button \"Create New Tenant\""),
        "{outline}"
    );
    assert!(
        outline.contains("link \"Tenant Management\" [current=page]"),
        "{outline}"
    );
    assert!(outline.contains("There are no tenants yet."), "{outline}");
    assert!(
        !outline.contains("textbox \"Password\""),
        "the login page is behind us: {outline}"
    );
}

#[test]
fn outline_of_a_label_the_page_lacks_fails_naming_the_labels_it_has() {
    let mut command = binary();
    let stderr = stderr_expecting(
        command.args(["outline", "--do", r#"click menu item "Tenants""#]),
        1,
    );
    assert!(stderr.contains("--do #1"), "{stderr}");
    assert!(stderr.contains("menu item \"Tenants\""), "{stderr}");
    assert!(
        stderr.contains(r#"the line that finds the closest: click menu item "Tenant Management""#),
        "{stderr}"
    );
}

const REGISTRY_ROW: &str = r##"title = "The pack registry's row"

[highlight]
color = "#00ff00"
width = 3

[[step]]
section = "Registries"
number = 1
guide = "From the left **Main Menu**, select **Administration**, then the **Pack Registries** tab."
do = [
  'log in',
  'click menu item "Administration"',
  'click tab "Pack Registries"',
  'expect text "Ready" in row "spectro-packs"',
  'expect cell "Ready" in row "spectro-packs"',
  'expect text "Ready" in cell "Status" in row "spectro-packs"',
  'expect text "https://registry.spectrocloud.com" in cell "Endpoint" in row "spectro-packs"',
  'screenshot "registry-row.png" highlighting row "spectro-packs"',
  'screenshot "registry-status.png" highlighting cell "Status" in row "spectro-packs"',
  'click button "Menu" in row "spectro-packs"',
  'expect menu item "Sync"',
]
"##;

/// The box drawn in `colour`: left, top, right, bottom.
fn highlight_box(path: &std::path::Path) -> (u32, u32, u32, u32) {
    let image = image::open(path).expect("decodes").into_rgba8();
    let mut bounds = (u32::MAX, u32::MAX, 0, 0);
    for (x, y, pixel) in image.enumerate_pixels() {
        if pixel.0[..3] == [0, 255, 0] {
            bounds = (
                bounds.0.min(x),
                bounds.1.min(y),
                bounds.2.max(x),
                bounds.3.max(y),
            );
        }
    }
    assert!(bounds.0 <= bounds.2, "{}: no highlight", path.display());
    bounds
}

#[test]
fn a_scenario_checks_the_status_in_a_registrys_row_and_highlights_the_whole_row() {
    let folder = tempfile::tempdir().expect("temp");
    let scenario = folder.path().join("registry-row.toml");
    std::fs::write(&scenario, REGISTRY_ROW).expect("scenario");
    let out = folder.path().join("out");
    run_expecting(&mut custom_scenario_command(&scenario, &out), 0);
    let shots = out.join("registry-row").join("screenshots");
    let (row_left, row_top, row_right, row_bottom) = highlight_box(&shots.join("registry-row.png"));
    let (cell_left, cell_top, cell_right, cell_bottom) =
        highlight_box(&shots.join("registry-status.png"));
    // The row's box holds every cell: far wider than the status cell's, from the name to the
    // menu, and one row high.
    assert!(
        row_right - row_left > 600,
        "the row's box is {row_left}..{row_right}"
    );
    assert!(
        row_bottom - row_top < 90,
        "one row high: {row_top}..{row_bottom}"
    );
    assert!(
        cell_right - cell_left < (row_right - row_left) / 3,
        "the cell's box {cell_left}..{cell_right} is a part of the row's {row_left}..{row_right}"
    );
    assert!(
        row_left < cell_left && cell_right < row_right,
        "the cell lies in the row"
    );
    assert!(row_top <= cell_top + 2 && cell_bottom <= row_bottom + 2);

    // The same check where the row says otherwise fails, naming the cell it read.
    let wrong = folder.path().join("registry-synced.toml");
    std::fs::write(
        &wrong,
        REGISTRY_ROW
            .replace(
                "expect text \"Ready\" in cell \"Status\"",
                "expect text \"Synced\" in cell \"Status\"",
            )
            .replace("[highlight]", "[highlight]\n"),
    )
    .expect("scenario");
    let stdout = run_expecting(
        custom_scenario_command(&wrong, &folder.path().join("out-wrong")).args(["--timeout", "3s"]),
        1,
    );
    assert!(
        stdout.contains("text \"Synced\" in cell \"Status\" in row \"spectro-packs\""),
        "{stdout}"
    );
}
