//! What the reports say about a run stopped midway, and about first-time snapshots made
//! baselines: shared by the JSON and HTML reports.

use std::path::PathBuf;

use crate::event::{Event, SnapshotCheck};

/// Follows the actions of the step under way, to say where a run was interrupted.
#[derive(Default)]
pub(super) struct Interruption {
    /// The action under way.
    current_action: Option<String>,
    /// The first action of the current step that changes the console.
    changed_console: Option<String>,
}

impl Interruption {
    pub(super) fn observe(&mut self, event: &Event) {
        match event {
            Event::ScenarioStarted { .. } | Event::StepStarted { .. } => {
                self.current_action = None;
                self.changed_console = None;
            }
            Event::ActionStarted { action, mutating } => {
                self.current_action = Some(action.clone());
                if *mutating && self.changed_console.is_none() {
                    self.changed_console = Some(action.clone());
                }
            }
            // Nothing this report shows.
            Event::Waiting { .. }
            | Event::ActionPassed { .. }
            | Event::ArtifactWritten { .. }
            | Event::SnapshotChecked(_)
            | Event::NewSnapshotsSettled { .. }
            | Event::StepPassed { .. }
            | Event::StepRetrying { .. }
            | Event::StepFailed { .. }
            | Event::StoppedBeforeMutation { .. }
            | Event::StepSkipped { .. }
            | Event::StepOutside { .. }
            | Event::Fact(_)
            | Event::DocsImage(_)
            | Event::ScenarioFinished { .. }
            | Event::ScenarioRetrying { .. }
            | Event::ScenarioNotRetried { .. } => {}
        }
    }

    /// `interrupted during Upgrade 5 (`click button "Confirm"` had begun: …)`.
    pub(super) fn describe(&self, step: Option<&str>) -> String {
        let detail = match (&self.changed_console, &self.current_action) {
            (Some(action), _) => format!(" (`{action}` had begun: the console may be changing)"),
            (None, Some(action)) => format!(" (at `{action}`)"),
            (None, None) => String::new(),
        };
        match step {
            Some(step) => format!("interrupted during {step}{detail}"),
            None => "interrupted before the first step".to_string(),
        }
    }
}

/// Checks that reported a pending `.snap.new` as stored now name the baseline it became.
pub(super) fn name_promoted<'a>(
    checks: impl Iterator<Item = &'a mut SnapshotCheck>,
    promoted: &[(PathBuf, PathBuf)],
) {
    for check in checks {
        if let Some(stored) = &check.stored {
            if let Some((_, baseline)) = promoted.iter().find(|(pending, _)| pending == stored) {
                check.stored = Some(baseline.clone());
            }
        }
    }
}
