//! The runner's behaviours, checked on a scripted page (`fake_page.rs`) without a browser:
//! polling until an element appears and failing at the deadline with what the page showed,
//! step retries, the stop before a console-changing step without `--apply`, a failed step's
//! evidence, and steps' `when` conditions.

use std::path::Path;
use std::time::Duration;

use super::fake_page::{FakeElement, FakePage};
use super::{run_scenario_on, RunnerSettings, SnapshotSettings};
use crate::event::{Event, Outcome, Reporter};
use crate::redact::{Credentials, Redactor};
use crate::settings::ConsoleAddress;
use crate::snapshot::policy::UpdatePolicy;
use crate::snapshot::SnapshotStore;

const PASSWORD: &str = "Fake-Password-2026!";

fn settings(out: &Path, may_mutate: bool, retries: u32, step_timeout: Duration) -> RunnerSettings {
    RunnerSettings {
        console: ConsoleAddress::parse("http://127.0.0.1:9/system").expect("a console URL"),
        may_mutate,
        step_timeout,
        scenario_timeout: Duration::from_secs(60),
        retries,
        scenario_attempt: 1,
        credentials: Credentials {
            username: "admin".to_string(),
            password: PASSWORD.to_string(),
        },
        output_dir: out.to_path_buf(),
        redactor: Redactor::new([PASSWORD.to_string()]),
        snapshots: SnapshotSettings {
            store: SnapshotStore::new(out.join("snapshot-store")),
            policy: UpdatePolicy::Missing,
            pending_allowed: true,
        },
        allow_unsupported_path: false,
        support_values: None,
        certificate: None,
        docs: None,
        propose_fixes: None,
    }
}

/// Every event of a run, in order.
#[derive(Default)]
struct Events(Vec<Event>);

impl Reporter for Events {
    fn on_event(&mut self, event: &Event) {
        self.0.push(event.clone());
    }
}

fn scenario(steps: &str) -> crate::scenario::Scenario {
    let source = format!("title = \"On a fake page\"\n{steps}");
    crate::scenario::parse(Path::new("fake.toml"), &source).expect("a valid scenario")
}

async fn run(page: &FakePage, steps: &str, settings: &RunnerSettings) -> (Outcome, Vec<Event>) {
    let mut events = Events::default();
    let outcome = run_scenario_on(page, &scenario(steps), settings, &mut events).await;
    (outcome, events.0)
}

const NEXT_STEP: &str = r#"
[[step]]
section = "Upgrade"
number = 1
guide = "Click **Next**."
do = ['click button "Next"']
"#;

#[tokio::test]
async fn an_element_that_appears_later_is_waited_for_and_then_clicked() {
    let out = tempfile::tempdir().expect("temp dir");
    let mut page = FakePage::with(&[("button", "Cancel")]);
    page.elements.push(FakeElement {
        role: "button",
        name: "Next".to_string(),
        appears_after_looks: 4,
    });
    let settings = settings(out.path(), true, 0, Duration::from_secs(10));
    let (outcome, _) = run(&page, NEXT_STEP, &settings).await;
    assert_eq!(outcome, Outcome::Passed);
    assert!(page.looks.get() >= 5, "looked {} times", page.looks.get());
    assert_eq!(*page.clicks.borrow(), ["button \"Next\""]);
}

#[tokio::test]
async fn at_the_deadline_a_step_fails_with_what_the_page_showed_and_leaves_its_evidence() {
    let out = tempfile::tempdir().expect("temp dir");
    let page = FakePage::with(&[("button", "Cancel"), ("button", "Nex")]);
    let settings = settings(out.path(), true, 0, Duration::from_millis(300));
    let started = std::time::Instant::now();
    let (outcome, events) = run(&page, NEXT_STEP, &settings).await;
    assert_eq!(outcome, Outcome::Failed);
    assert!(started.elapsed() >= Duration::from_millis(300));
    let failure = events
        .iter()
        .find_map(|event| match event {
            Event::StepFailed { failure, .. } => Some(failure.clone()),
            _ => None,
        })
        .expect("a StepFailed event");
    assert!(failure.expected.contains("(waited"), "{}", failure.expected);
    assert!(
        failure
            .page_showed
            .starts_with("no button \"Next\" is visible; the page shows buttons that read \"Nex\""),
        "{}",
        failure.page_showed
    );
    assert_eq!(failure.location, "fake.toml:7:8");
    assert!(page.clicks.borrow().is_empty());
    // The evidence: screenshot, page HTML and the trace folder with what was considered.
    let screenshot = failure.screenshot.expect("a failure screenshot");
    assert!(
        screenshot.ends_with("failures/upgrade-1.png"),
        "{}",
        screenshot.display()
    );
    assert!(screenshot.is_file());
    assert!(failure.page_html.expect("the page's HTML").is_file());
    let trace = failure.trace.expect("a trace");
    assert!(trace.ends_with("traces/upgrade-1/trace.html"));
    let considered = std::fs::read_to_string(out.path().join("traces/upgrade-1/considered.json"))
        .expect("considered.json");
    assert!(
        considered.contains("\"name\": \"Nex\"") && considered.contains("\"name\": \"Cancel\""),
        "{considered}"
    );
}

#[tokio::test]
async fn a_failed_step_is_retried_and_passes_when_the_page_catches_up() {
    let out = tempfile::tempdir().expect("temp dir");
    let mut page = FakePage::with(&[]);
    let step_timeout = Duration::from_millis(200);
    // Far more looks than one attempt's polls fit into its 200 ms, fewer than two attempts'.
    page.elements.push(FakeElement {
        role: "button",
        name: "Next".to_string(),
        appears_after_looks: 6,
    });
    let settings = settings(out.path(), true, 2, step_timeout);
    let (outcome, events) = run(&page, NEXT_STEP, &settings).await;
    assert_eq!(outcome, Outcome::Passed);
    let retried: Vec<u32> = events
        .iter()
        .filter_map(|event| match event {
            Event::StepRetrying { attempt, .. } => Some(*attempt),
            _ => None,
        })
        .collect();
    assert!(!retried.is_empty(), "the step was retried");
    assert_eq!(*page.clicks.borrow(), ["button \"Next\""]);
    // The first attempt's evidence is kept under its own name.
    assert!(out.path().join("failures/upgrade-1.png").is_file());
}

#[tokio::test]
async fn without_apply_the_run_stops_before_the_first_step_that_changes_the_console() {
    let out = tempfile::tempdir().expect("temp dir");
    let page = FakePage::with(&[("button", "Update"), ("menuitem", "Update Management")]);
    let steps = r#"
[[step]]
section = "Upgrade"
number = 1
guide = "Select **Update Management**."
do = ['click menu item "Update Management"']

[[step]]
section = "Upgrade"
number = 2
guide = "Click **Update**."
mutating = true
do = ['click button "Update"']
"#;
    let settings = settings(out.path(), false, 0, Duration::from_secs(5));
    let (outcome, events) = run(&page, steps, &settings).await;
    assert_eq!(outcome, Outcome::StoppedBeforeMutation);
    assert_eq!(*page.clicks.borrow(), ["menuitem \"Update Management\""]);
    assert!(events.iter().any(|event| matches!(
        event,
        Event::StoppedBeforeMutation { step, action } if step == "Upgrade 2" && action == "click button \"Update\""
    )));
}

#[tokio::test]
async fn a_step_whose_when_does_not_hold_is_skipped_with_the_values_it_compared() {
    let out = tempfile::tempdir().expect("temp dir");
    let mut page = FakePage::with(&[("button", "Next")]);
    page.text = "Palette 4.8.21 is installed. Palette 4.8.33 is available.".to_string();
    let steps = r#"
[[step]]
section = "Upgrade"
number = 1
guide = "Read the versions."
do = ['read installed version', 'check upgrade path']

[[step]]
section = "Upgrade"
number = 2
guide = "Only when Kubernetes changes: click **Next**."
when = "target_kubernetes != installed_kubernetes"
do = ['click button "Next"']

[[step]]
section = "Upgrade"
number = 3
guide = "Only when the version stays: click **Next**."
when = "target_version == installed_version"
do = ['click button "Next"']
"#;
    let settings = settings(out.path(), true, 0, Duration::from_secs(5));
    let (outcome, events) = run(&page, steps, &settings).await;
    assert_eq!(outcome, Outcome::Passed);
    let skipped: Vec<(String, String)> = events
        .iter()
        .filter_map(|event| match event {
            Event::StepSkipped { step, reason } => Some((step.clone(), reason.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(skipped.len(), 2, "{skipped:?}");
    assert_eq!(skipped[0].0, "Upgrade 2");
    assert!(
        skipped[0]
            .1
            .contains("target_kubernetes == installed_kubernetes"),
        "{}",
        skipped[0].1
    );
    assert_eq!(skipped[1].0, "Upgrade 3");
    assert!(
        skipped[1].1.contains("(4.8.33 and 4.8.21)"),
        "{}",
        skipped[1].1
    );
    assert!(page.clicks.borrow().is_empty(), "no skipped step acted");
}
