//! `--reporter json`: every event as one JSON object on its own line of stdout, for tools that
//! follow a run as it goes. Each line names its `event` (kebab-case) and its `scenario`; with
//! `--workers` lines of several scenarios interleave, and `scenario` tells them apart.
//! Durations are in seconds; paths as given.

use std::collections::HashMap;
use std::io::Write;

use serde_json::{json, Value};

use crate::event::{Event, Reporter};

pub struct JsonLinesReporter {
    output: Box<dyn Write + Send>,
    /// Slot → scenario name, from each slot's `ScenarioStarted`.
    scenarios: HashMap<usize, String>,
    current: Option<String>,
}

impl JsonLinesReporter {
    pub fn new(output: Box<dyn Write + Send>) -> Self {
        JsonLinesReporter {
            output,
            scenarios: HashMap::new(),
            current: None,
        }
    }
}

impl Reporter for JsonLinesReporter {
    fn on_event_in(&mut self, slot: usize, event: &Event) {
        if let Event::ScenarioStarted { scenario, .. } = event {
            self.scenarios.insert(slot, scenario.clone());
        }
        self.current = self.scenarios.get(&slot).cloned();
        self.on_event(event);
    }

    fn on_event(&mut self, event: &Event) {
        if let Event::ScenarioStarted { scenario, .. } = event {
            self.current = Some(scenario.clone());
        }
        let mut line = event_json(event);
        if let (Some(object), Some(scenario)) = (line.as_object_mut(), &self.current) {
            object.insert("scenario".to_string(), json!(scenario));
        }
        let _ = writeln!(self.output, "{line}");
        let _ = self.output.flush();
    }
}

/// The event's fields as JSON, under `"event": "<kind>"`.
pub fn event_json(event: &Event) -> Value {
    match event {
        Event::ScenarioStarted {
            file,
            title,
            console_url,
            output_dir,
            attempt,
            ..
        } => json!({"event": "scenario-started", "file": file, "title": title,
            "console": console_url, "output_dir": output_dir, "attempt": attempt}),
        Event::StepStarted { step, guide_words } => {
            json!({"event": "step-started", "step": step, "guide": guide_words})
        }
        Event::ActionStarted { action, mutating } => {
            json!({"event": "action-started", "action": action, "mutating": mutating})
        }
        Event::Waiting {
            action,
            waiting_for,
            elapsed,
            timeout,
            page_says,
        } => json!({"event": "waiting", "action": action, "waiting_for": waiting_for,
            "seconds": elapsed.as_secs_f64(), "timeout_seconds": timeout.as_secs_f64(),
            "page_says": page_says}),
        Event::ActionPassed {
            action,
            elapsed,
            note,
        } => json!({"event": "action-passed", "action": action,
            "seconds": elapsed.as_secs_f64(), "note": note}),
        Event::ArtifactWritten { kind, path } => {
            json!({"event": "artifact-written", "kind": kind, "path": path})
        }
        Event::SnapshotChecked(check) => json!({"event": "snapshot-checked", "check": check}),
        Event::NewSnapshotsSettled {
            recorded,
            left_pending,
            folder,
            ..
        } => json!({"event": "new-snapshots-settled", "recorded": recorded,
            "left_pending": left_pending, "folder": folder}),
        Event::StepPassed {
            step,
            elapsed,
            attempts,
        } => json!({"event": "step-passed", "step": step, "seconds": elapsed.as_secs_f64(),
            "attempts": attempts}),
        Event::StepRetrying {
            failure,
            attempt,
            max_attempts,
        } => json!({"event": "step-retrying", "failure": failure, "attempt": attempt,
            "max_attempts": max_attempts}),
        Event::StepFailed {
            failure,
            attempts,
            not_retried,
        } => json!({"event": "step-failed", "failure": failure, "attempts": attempts,
            "not_retried": not_retried}),
        Event::StoppedBeforeMutation { step, action } => {
            json!({"event": "stopped-before-mutation", "step": step, "action": action})
        }
        Event::StepSkipped { step, reason } => {
            json!({"event": "step-skipped", "step": step, "reason": reason})
        }
        Event::StepOutside {
            step,
            place,
            guide_words,
        } => json!({"event": "step-outside", "step": step, "outside": place,
            "guide": guide_words}),
        Event::Fact(fact) => json!({"event": "fact", "fact": fact}),
        Event::DocsImage(image) => json!({"event": "docs-image", "image": image.image,
            "path": image.path, "change": image.change.describe(), "step": image.step,
            "size": [image.size.0, image.size.1]}),
        Event::ScenarioFinished {
            outcome, elapsed, ..
        } => json!({"event": "scenario-finished", "outcome": outcome,
            "seconds": elapsed.as_secs_f64()}),
        Event::ScenarioRetrying {
            attempt,
            max_attempts,
            next_output_dir,
            ..
        } => json!({"event": "scenario-retrying", "attempt": attempt,
            "max_attempts": max_attempts, "next_output_dir": next_output_dir}),
        Event::ScenarioNotRetried { reason, .. } => {
            json!({"event": "scenario-not-retried", "reason": reason})
        }
    }
}
