//! What happens during a run, as one closed set of events. The runner emits them; reporters
//! (terminal, JSON report) consume them and are the only code that prints or writes reports.

use std::path::PathBuf;
use std::time::Duration;

pub use crate::snapshot::policy::Verdict;

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ArtifactKind {
    Screenshot,
    Backup,
    Merge,
    FailureScreenshot,
    FailurePage,
    /// A failed step's trace folder (its `trace.html`).
    Trace,
    SnapshotCopy,
    /// A guide's image written into the docs checkout (`shoot`).
    DocsImage,
}

/// A guide's image as `shoot` made it: the table's row and the manifest's entry.
#[derive(Clone, Debug)]
pub struct DocsImage {
    pub image: String,
    pub path: PathBuf,
    pub change: crate::docs::images::ImageChange,
    pub scenario: String,
    pub step: String,
    pub console_version: Option<String>,
    pub browser: String,
    pub browser_version: String,
    /// In device pixels.
    pub size: (u32, u32),
    pub highlighted: Vec<String>,
    pub crop: Option<String>,
}

/// Why a step failed, with everything a person needs to fix the scenario or the console.
#[derive(Clone, Debug, serde::Serialize)]
pub struct StepFailure {
    pub step: String,
    /// Scenario file:line:column of the failing action.
    pub location: String,
    pub action: String,
    pub expected: String,
    pub page_showed: String,
    pub screenshot: Option<PathBuf>,
    pub page_html: Option<PathBuf>,
    /// The trace folder's `trace.html`: everything above and the console log, failed requests,
    /// page outline and the attempt's actions, offline.
    pub trace: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SnapshotKind {
    /// The page outline (text).
    Page,
    /// The screenshot.
    Image,
}

impl SnapshotKind {
    pub fn word(self) -> &'static str {
        match self {
            SnapshotKind::Page => "page",
            SnapshotKind::Image => "image",
        }
    }
}

/// One snapshot compared (or recorded), with the files a reviewer needs.
#[derive(Clone, Debug, serde::Serialize)]
pub struct SnapshotCheck {
    pub step: String,
    pub name: String,
    pub kind: SnapshotKind,
    pub verdict: Verdict,
    /// One line: `matched`, `2 lines changed`, `7629 pixels differ (0.74%)`.
    pub detail: String,
    /// For page snapshots that changed: the unified diff, baseline first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text_diff: Option<String>,
    /// Copies in the output folder, so the report stands on its own.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline: Option<PathBuf>,
    pub actual: PathBuf,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diff_image: Option<PathBuf>,
    /// The snapshot file written in the store (`.snap` or `.snap.new`), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stored: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    Passed,
    Failed,
    /// Stopped before the first step that changes a console other than the built-in one.
    StoppedBeforeMutation,
}

/// A kept value after the upgrade: the preservation table's row.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct KeptRow {
    pub layer: String,
    pub key: String,
    pub before: Option<String>,
    pub after: Option<String>,
    pub kept: bool,
}

/// What a rehearsal establishes besides passed steps: what a reviewer signs off.
#[derive(Clone, Debug, serde::Serialize)]
#[serde(tag = "fact", rename_all = "kebab-case")]
pub enum Fact {
    /// A layer's configuration saved before any change.
    Backup {
        layer: String,
        path: PathBuf,
        bytes: u64,
        sha256: String,
    },
    /// Every difference between a layer's current and incoming configurations, classified.
    Proposal {
        layer: String,
        rows: Vec<crate::yaml::ProposalRow>,
    },
    /// The values a check after the upgrade compared with those before it.
    Preserved { rows: Vec<KeptRow> },
    /// The installed and offered versions, and whether the docs support that path.
    Preflight {
        installed: String,
        target: String,
        /// `supported`, `unsupported` or `unknown`.
        verdict: String,
        /// The rule or table row that decided, with its source.
        rule: String,
        /// The run went on although the path is not supported (`--allow-unsupported-path`).
        allowed_anyway: bool,
        installed_kubernetes: Option<String>,
        target_kubernetes: Option<String>,
    },
    /// How the console's certificate was checked: verified, pinned, or accepted unchecked.
    Certificate { verdict: String },
    /// How long the console stayed locked, and the last progress text it showed.
    Lock {
        seconds: f64,
        progress: Option<String>,
    },
}

#[derive(Clone, Debug)]
pub enum Event {
    ScenarioStarted {
        scenario: String,
        file: PathBuf,
        title: String,
        console_url: String,
        output_dir: PathBuf,
        /// 1, or the attempt at the whole scenario after `--scenario-retries` ran it again.
        attempt: u32,
    },
    StepStarted {
        step: String,
        guide_words: String,
    },
    ActionStarted {
        action: String,
        /// The action changes the console (an interruption from here on may leave it changing).
        mutating: bool,
    },
    /// Emitted about once a second while an action waits for the page.
    Waiting {
        action: String,
        waiting_for: String,
        elapsed: Duration,
        timeout: Duration,
        page_says: Option<String>,
    },
    ActionPassed {
        action: String,
        elapsed: Duration,
        note: Option<String>,
    },
    ArtifactWritten {
        kind: ArtifactKind,
        path: PathBuf,
    },
    SnapshotChecked(SnapshotCheck),
    /// The scenario's first-time snapshots: made baselines (it passed) or left pending (it failed).
    NewSnapshotsSettled {
        recorded: usize,
        left_pending: usize,
        folder: PathBuf,
        /// Each pending file (`.snap.new`) made a baseline, with the baseline's path: what a
        /// check reported as stored is there now.
        promoted: Vec<(PathBuf, PathBuf)>,
    },
    StepPassed {
        step: String,
        elapsed: Duration,
        /// 1 unless the step was retried: a step that passed on a later attempt is flaky.
        attempts: u32,
    },
    /// An attempt at a step failed and the step starts again from its first action. What the
    /// attempt checked is superseded; its failure and artifacts stay on record.
    StepRetrying {
        failure: StepFailure,
        /// The attempt that failed, from 1.
        attempt: u32,
        /// The most attempts this step gets (`--retries` + 1).
        max_attempts: u32,
    },
    StepFailed {
        failure: StepFailure,
        /// Attempts made, the last one included.
        attempts: u32,
        /// Why the step was not retried although retries were allowed, if so.
        not_retried: Option<String>,
    },
    StoppedBeforeMutation {
        step: String,
        action: String,
    },
    /// A step whose `when` condition did not hold.
    StepSkipped {
        step: String,
        reason: String,
    },
    /// A step of the guide done outside the console (vCenter, a terminal): in the scenario with
    /// the guide's words, never done by the harness, never dropped.
    StepOutside {
        step: String,
        place: String,
        guide_words: String,
    },
    Fact(Fact),
    /// `shoot`: what became of a guide's image, and what made it.
    DocsImage(DocsImage),
    ScenarioFinished {
        scenario: String,
        outcome: Outcome,
        elapsed: Duration,
    },
    /// The attempt at a scenario that just finished failed and the whole scenario runs again,
    /// in a fresh browser (and a fresh built-in console); this attempt's folder stays as it is.
    ScenarioRetrying {
        scenario: String,
        /// The attempt that failed, from 1.
        attempt: u32,
        /// The most attempts this scenario gets (`--scenario-retries` + 1).
        max_attempts: u32,
        /// Where the next attempt writes (`<out>/<scenario>-retry<N>`).
        next_output_dir: PathBuf,
    },
    /// A failed scenario that retries allowed was not run again, and why.
    ScenarioNotRetried {
        scenario: String,
        reason: String,
    },
}

/// A consumer of events.
pub trait Reporter {
    fn on_event(&mut self, event: &Event);

    /// An event of the scenario running in `slot`: with `--workers`, scenarios run side by
    /// side and their events interleave. A reporter that follows several scenarios at once
    /// (the HTML report, JUnit) tells them apart by slot; the others see one stream.
    fn on_event_in(&mut self, _slot: usize, event: &Event) {
        self.on_event(event);
    }

    /// The report files this reporter could not bring up to date.
    fn unwritten(&self) -> Vec<UnwrittenReport> {
        Vec::new()
    }
}

/// A report file whose latest version is not on disk, and why.
#[derive(Clone, Debug, PartialEq)]
pub struct UnwrittenReport {
    pub path: PathBuf,
    pub reason: String,
}

/// Sends every event to several reporters in order.
pub struct Reporters(pub Vec<Box<dyn Reporter + Send>>);

impl Reporter for Reporters {
    fn on_event(&mut self, event: &Event) {
        for reporter in &mut self.0 {
            reporter.on_event(event);
        }
    }

    fn on_event_in(&mut self, slot: usize, event: &Event) {
        for reporter in &mut self.0 {
            reporter.on_event_in(slot, event);
        }
    }

    fn unwritten(&self) -> Vec<UnwrittenReport> {
        self.0
            .iter()
            .flat_map(|reporter| reporter.unwritten())
            .collect()
    }
}
