//! The shipped scenarios, unmodified, against consoles built by others from real component
//! libraries (tests/fixtures/component-consoles/: MUI, Element Plus, Bootstrap, PatternFly,
//! Shoelace, Carbon), each written from the guides alone. What the upgrade did is checked by what
//! each console saved (its backend's `/test/state`), never by its page.

mod common;

use common::corpus::{built, corpus};
use common::webdriver::*;
use common::*;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

/// One console's backend (backend.py) serving its build, in its own process group, killed when
/// dropped.
struct Console {
    child: Child,
    url: String,
}

impl Console {
    fn start(console: &str, options: &[&str]) -> Console {
        let dist = built(console);
        let mut command = Command::new("python3");
        command
            .arg(corpus().join("backend.py"))
            .arg("--dist")
            .arg(&dist)
            .args(["--username", USERNAME, "--password", PASSWORD])
            .args(options)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        let mut child = command
            .spawn()
            .expect("python3 starts the console's backend");
        let mut first_line = String::new();
        BufReader::new(child.stdout.take().expect("piped stdout"))
            .read_line(&mut first_line)
            .expect("the backend prints its URL");
        let url = first_line
            .strip_prefix("console ")
            .unwrap_or_else(|| panic!("the backend did not start: {first_line:?}"))
            .trim()
            .to_string();
        Console { child, url }
    }

    /// Everything the backend holds: versions, the saved layers, the upgrades posted.
    fn state(&self) -> serde_json::Value {
        let address = self
            .url
            .trim_start_matches("http://")
            .trim_end_matches("/system");
        serde_json::from_str(&http(address, "GET", "/test/state", None, ""))
            .expect("the backend's state is JSON")
    }
}

impl Drop for Console {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn layer_values(state: &serde_json::Value, layer: &str) -> String {
    state["layers"]
        .as_array()
        .expect("layers")
        .iter()
        .find(|entry| entry["name"] == layer)
        .unwrap_or_else(|| panic!("no layer {layer} in {state}"))["values"]
        .as_str()
        .expect("values")
        .to_string()
}

fn run_scenario(scenario: &str, console: &Console, out: &Path) -> String {
    run_scenario_in(scenario, console, out, &[])
}

fn run_scenario_in(scenario: &str, console: &Console, out: &Path, browser: &[&str]) -> String {
    let mut command = binary();
    with_credentials(&mut command);
    command
        .args([
            "run",
            scenario,
            "--apply",
            "--update-snapshots",
            "missing",
            "--snapshots",
        ])
        .arg(out.join("snapshot-store"))
        .arg("--out")
        .arg(out)
        .args(["--console", &console.url])
        .args(browser);
    run_expecting(&mut command, 0)
}

/// The shipped VMware scenario upgrades the console, and its saved state proves the rehearsal:
/// the backups are the layers as the console showed them, every customization of this
/// installation is kept, and the upgrade's new defaults and versions are taken.
fn upgrades_keeping_customizations(console_name: &str, layers_in_a_dropdown: bool) {
    upgrades_keeping_customizations_in(console_name, layers_in_a_dropdown, &[]);
}

/// [`upgrades_keeping_customizations`] with the harness's browser options (`--browser firefox`).
fn upgrades_keeping_customizations_in(
    console_name: &str,
    layers_in_a_dropdown: bool,
    browser: &[&str],
) {
    let console = Console::start(console_name, &[]);
    let before = console.state();
    let out = tempfile::tempdir().expect("temp dir");
    let stdout = run_scenario_in(
        "scenarios/upgrade-vmware-non-airgap.toml",
        &console,
        out.path(),
        browser,
    );
    let folder = out.path().join("upgrade-vmware-non-airgap");
    for (layer, file) in [
        ("OS", "os"),
        ("Kubernetes", "kubernetes"),
        ("CNI", "cni"),
        ("CSI", "csi"),
    ] {
        let backup = std::fs::read_to_string(folder.join(format!("backups/{file}.yaml")))
            .unwrap_or_else(|error| panic!("{layer} backup: {error}\n{stdout}"));
        assert_eq!(backup, layer_values(&before, layer), "the {layer} backup");
    }
    let after = console.state();
    assert_eq!(after["version"], "4.8.33", "{stdout}");
    assert_eq!(after["upgrades"].as_array().map(Vec::len), Some(1));
    let kubernetes = layer_values(&after, "Kubernetes");
    for kept in [
        "podCIDR: \"10.200.0.0/16\"",
        "serviceClusterIpRange: \"10.201.0.0/16\"",
        "oidc-issuer-url: \"https://login.example.com\"",
        "- 'sysctl -w vm.max_map_count=262144'",
    ] {
        assert!(kubernetes.contains(kept), "kept {kept}:\n{kubernetes}");
    }
    for taken in [
        "request-timeout: \"300s\"",
        "image-gc-high-threshold: \"85\"",
    ] {
        assert!(kubernetes.contains(taken), "took {taken}:\n{kubernetes}");
    }
    assert!(layer_values(&after, "CNI").contains("CALICO_IPV4POOL_CIDR: \"10.200.0.0/16\""));
    assert!(layer_values(&after, "CSI").contains("storagePolicyName: \"gold\""));
    let versions: Vec<(String, String)> = after["layers"]
        .as_array()
        .expect("layers")
        .iter()
        .map(|layer| {
            (
                layer["name"].as_str().unwrap().to_string(),
                layer["version"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(
        versions.contains(&("CNI".into(), "3.29.4".into())),
        "{versions:?}"
    );
    assert!(
        versions.contains(&("CSI".into(), "3.5.0".into())),
        "{versions:?}"
    );
    // The page outline a person reads in the version-update dialog: its title, its two panes'
    // editors, and the layer entries (a closed drop-down shows only the chosen one, CSI, the
    // last the scenario selected).
    let outline = outline_of(
        out.path(),
        "upgrade-vmware-non-airgap__upgrade-5-version-update",
    );
    assert!(
        outline.contains("dialog \"Palette version update\""),
        "the dialog's title in:\n{outline}"
    );
    for pane in ["Incoming changes", "Current configuration"] {
        assert!(
            outline
                .lines()
                .any(|line| line.trim_start().starts_with("- textbox \"") && line.contains(pane)),
            "an editor named \"{pane}\" in the dialog's outline:\n{outline}"
        );
    }
    let mut layers = vec!["CSI"];
    if !layers_in_a_dropdown {
        layers.extend(["OS", "Kubernetes", "CNI"]);
    }
    for layer in layers {
        // An entry may say more after the layer's name (its pack: "CSI csi-vsphere-csi").
        assert!(
            outline.contains(&format!("\"{layer}\"")) || outline.contains(&format!("\"{layer} ")),
            "layer {layer} in the dialog's outline:\n{outline}"
        );
    }
}

/// The page outline a run recorded for `snapshot` (a `.snap` file of the run's snapshot store).
fn outline_of(out: &Path, snapshot: &str) -> String {
    let store = out.join("snapshot-store");
    let file = files_under(&store)
        .into_iter()
        .find(|path| {
            path.file_name()
                .is_some_and(|name| name == format!("{snapshot}.snap").as_str())
        })
        .unwrap_or_else(|| panic!("no {snapshot}.snap under {}", store.display()));
    std::fs::read_to_string(file).expect("snapshot readable")
}

/// The airgap scenario: Sync of spectro-packs from its row's menu, then the update.
fn airgap_upgrade(console_name: &str) {
    let console = Console::start(console_name, &["--airgap"]);
    let out = tempfile::tempdir().expect("temp dir");
    let stdout = run_scenario("scenarios/upgrade-vmware-airgap.toml", &console, out.path());
    let after = console.state();
    assert_eq!(after["registries"][0]["status"], "Synced", "{stdout}");
    assert_eq!(after["version"], "4.8.33", "{stdout}");
}

/// The VerteX scenario: the product's own name on the Summary page.
fn vertex_upgrade(console_name: &str) {
    let console = Console::start(console_name, &["--product", "vertex"]);
    let out = tempfile::tempdir().expect("temp dir");
    let stdout = run_scenario(
        "scenarios/vertex-upgrade-vmware-non-airgap.toml",
        &console,
        out.path(),
    );
    assert!(
        stdout.contains("You are using the latest version of Palette VerteX"),
        "{stdout}"
    );
    assert_eq!(console.state()["version"], "4.8.33", "{stdout}");
}

macro_rules! console_tests {
    ($module:ident, $folder:literal, airgap_and_vertex = $both:tt, layers_in_a_dropdown = $dropdown:literal) => {
        mod $module {
            #[test]
            fn the_vmware_upgrade_keeps_every_customization_by_what_the_console_saved() {
                super::upgrades_keeping_customizations($folder, $dropdown);
            }
            #[test]
            fn the_names_the_harness_reads_are_the_browsers_accessible_names() {
                super::names_equal_the_browsers($folder);
            }
            console_tests!(@both $folder, $both);
        }
    };
    (@both $folder:literal, true) => {
        #[test]
        fn the_airgap_upgrade_syncs_the_registry_from_its_row_menu() {
            super::airgap_upgrade($folder);
        }
        #[test]
        fn the_vertex_upgrade_says_the_product_name() {
            super::vertex_upgrade($folder);
        }
    };
    (@both $folder:literal, false) => {};
}

console_tests!(
    mui,
    "mui",
    airgap_and_vertex = true,
    layers_in_a_dropdown = true
);
console_tests!(
    element_plus,
    "element-plus",
    airgap_and_vertex = true,
    layers_in_a_dropdown = false
);
console_tests!(
    carbon,
    "carbon",
    airgap_and_vertex = true,
    layers_in_a_dropdown = false
);
console_tests!(
    shoelace,
    "shoelace",
    airgap_and_vertex = true,
    layers_in_a_dropdown = false
);
console_tests!(
    bootstrap,
    "bootstrap",
    airgap_and_vertex = true,
    layers_in_a_dropdown = false
);
console_tests!(
    patternfly,
    "patternfly",
    airgap_and_vertex = true,
    layers_in_a_dropdown = false
);

/// Firefox (geckodriver) on two consoles: web components' shadow roots and CodeMirror 6 in
/// Shoelace, Ace and a React-state text area in Carbon.
#[test]
fn the_vmware_upgrade_on_firefox_keeps_every_customization_on_shoelace_and_carbon() {
    upgrades_keeping_customizations_in("shoelace", false, &["--browser", "firefox"]);
    upgrades_keeping_customizations_in("carbon", false, &["--browser", "firefox"]);
}

/// Where markup names an element, the name the harness reads is the browser's own: for every
/// element of the roles a scenario clicks or types into, on each console's login page and its
/// Summary with the Main Menu, the harness's accessible name equals WebDriver's Get Computed
/// Label, and the role it reads equals Get Computed Role.
fn names_equal_the_browsers(console_name: &str) {
    let console = Console::start(console_name, &[]);
    let driver = WebDriver::start();
    driver.post("/url", serde_json::json!({ "url": console.url }));
    let mut checked = 0;
    let mut compare_page = |driver: &WebDriver, page: &str| {
        for role in ["menuitem", "button", "tab", "link", "field"] {
            let candidates = driver.execute(
                palette_harness::locate::COLLECT_SCRIPT,
                serde_json::json!([role, null]),
            );
            for candidate in candidates.as_array().expect("candidates") {
                let name = candidate["name"].as_str().unwrap_or_default();
                let element = candidate["element"][ELEMENT_KEY]
                    .as_str()
                    .unwrap_or_else(|| panic!("no element in {candidate}"));
                if !name.is_empty() {
                    let label = driver.get(&format!("/element/{element}/computedlabel"));
                    let label = label
                        .as_str()
                        .unwrap_or_default()
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" ");
                    assert_eq!(
                        name, label,
                        "the {role} named {:?} on the {page} of {console_name}: {candidate}",
                        candidate["names"]
                    );
                    checked += 1;
                }
                if let Some(role_read) = candidate["ariaRole"].as_str() {
                    let computed = driver.get(&format!("/element/{element}/computedrole"));
                    assert_eq!(
                        Some(role_read),
                        computed.as_str(),
                        "the role of {name:?} on the {page} of {console_name}: {candidate}"
                    );
                }
            }
        }
    };
    driver.wait_for("a password field", &format!("{ACCNAME}\nreturn deepQueryAll(document, 'input').some((i) => i.type === 'password' && i.getBoundingClientRect().width > 0)"));
    compare_page(&driver, "login page");
    // The login form's two visible fields, through shadow roots (accname.js walks the flat tree).
    let fields = driver.execute(
        &format!("{ACCNAME}\nreturn deepQueryAll(document, 'input').filter((i) => i.getBoundingClientRect().width > 0 && ['text', 'password', 'email', ''].includes(i.getAttribute('type') || ''))"),
        serde_json::json!([]),
    );
    let fields = fields.as_array().expect("fields");
    for (field, text) in fields.iter().zip([USERNAME, PASSWORD]) {
        let id = field[ELEMENT_KEY].as_str().expect("field");
        driver.post(
            &format!("/element/{id}/value"),
            serde_json::json!({ "text": text }),
        );
    }
    let password = fields[1][ELEMENT_KEY].as_str().expect("password field");
    driver.post(
        &format!("/element/{password}/value"),
        serde_json::json!({ "text": "\u{E007}" }),
    );
    driver.wait_for(
        "the Summary",
        "return document.body.innerText.includes('On-prem system console is healthy')",
    );
    compare_page(&driver, "Summary");
    assert!(
        checked >= 10,
        "only {checked} named elements compared on {console_name}"
    );
}

const ACCNAME: &str = include_str!("../src/locate/accname.js");

/// Regression: on Firefox a synthetic copy event's clipboard data stays empty, and MUI's
/// bundled Monaco (no `window.monaco`) was backed up as an empty file while the run passed. It
/// now fails at the first backup, saying why.
#[test]
fn a_code_editor_firefox_cannot_copy_from_fails_instead_of_backing_up_nothing() {
    let console = Console::start("mui", &[]);
    let out = tempfile::tempdir().expect("temp dir");
    let mut command = binary();
    with_credentials(&mut command);
    command
        .args([
            "run",
            "scenarios/upgrade-vmware-non-airgap.toml",
            "--browser",
            "firefox",
        ])
        .args(["--timeout", "20s", "--snapshots"])
        .arg(out.path().join("snapshot-store"))
        .arg("--out")
        .arg(out.path())
        .args(["--console", &console.url]);
    let stdout = run_expecting(&mut command, 1);
    assert!(stdout.contains("FAILED at Upgrade 3"), "{stdout}");
    assert!(
        stdout.contains("the code editor shows text but its copy handler gave none"),
        "{stdout}"
    );
    let backups = out.path().join("upgrade-vmware-non-airgap/backups");
    assert!(
        !backups.join("os.yaml").exists(),
        "no empty backup was written"
    );
}

/// A scenario that names a pane as the guide does not ("Incoming config") fails with the
/// elements a person would consider instead: the dialog's two editors, each with the name the
/// harness read and where it read it, in the message, and boxed and numbered over the failure
/// screenshot in the trace, where each box is the editor's place in the 1280x800 viewport.
#[test]
fn a_miss_boxes_and_numbers_on_the_trace_the_editors_a_person_would_consider() {
    let console = Console::start("mui", &[]);
    let folder = tempfile::tempdir().expect("scenario folder");
    let scenario = folder.path().join("miss.toml");
    std::fs::write(
        &scenario,
        r#"title = "A pane named as the guide does not name it"

[[step]]
section = "Upgrade"
number = 5
guide = "Review the changes that the upgrade introduces."
mutating = true
do = [
  'log in',
  'click menu item "Update Management"',
  'click button "Update"',
  'expect dialog "Palette version update"',
  'merge editor "Incoming config" into editor "Current configuration" keeping customizations',
]
"#,
    )
    .expect("scenario written");
    let out = tempfile::tempdir().expect("out");
    let stdout = run_expecting(
        custom_scenario_command(&scenario, out.path()).args([
            "--apply",
            "--console",
            &console.url,
            "--timeout",
            "3s",
        ]),
        1,
    );
    assert!(
        stdout.contains("no editor \"Incoming config\" is visible; the page shows editors that read \"Incoming changes\" (from the"),
        "{stdout}"
    );
    let trace = out.path().join("miss/traces/upgrade-5");
    let considered: serde_json::Value = serde_json::from_slice(
        &std::fs::read(trace.join("considered.json")).expect("considered.json"),
    )
    .expect("json");
    let considered = considered.as_array().expect("a list");
    let names: Vec<&str> = considered
        .iter()
        .map(|element| element["name"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(names, ["Incoming changes", "Current configuration"]);
    let boxes: Vec<[i64; 4]> = considered
        .iter()
        .map(|element| {
            assert_eq!(element["role"], "editor");
            assert!(
                element["origin"]
                    .as_str()
                    .is_some_and(|origin| origin.starts_with("from the")),
                "{element}"
            );
            serde_json::from_value(element["rect"].clone()).expect("a box")
        })
        .collect();
    for [left, top, width, height] in &boxes {
        assert!(*width > 200 && *height > 100, "an editor's size: {boxes:?}");
        assert!(
            *left >= 0 && *top >= 0 && left + width <= 1280 && top + height <= 800,
            "in view: {boxes:?}"
        );
    }
    // The guide's preview shows Incoming changes on the left, Current configuration on the right.
    let ([left, top, width, _], [right_left, right_top, _, _]) = (boxes[0], boxes[1]);
    assert!(
        left + width <= right_left && top == right_top,
        "side by side: {boxes:?}"
    );
    let html = std::fs::read_to_string(trace.join("trace.html")).expect("trace.html");
    for (number, [left, top, width, height]) in boxes.iter().enumerate() {
        let style = format!(
            "left:{:.3}%;top:{:.3}%;width:{:.3}%;height:{:.3}%",
            *left as f64 / 12.8,
            *top as f64 / 8.0,
            *width as f64 / 12.8,
            *height as f64 / 8.0
        );
        assert!(
            html.contains(&format!(
                "style=\"{style}\" title=\"editor &quot;{}&quot;\"><span>{}</span>",
                names[number],
                number + 1
            )),
            "box {} in {html}",
            number + 1
        );
    }
    assert!(html.contains("Not found: editor &quot;Incoming config&quot;"));
}
