//! On a terminal, with `--workers N`: a status area at the bottom with one line per worker (its
//! scenario, step, action and, while it waits, for how long and what the page says), under
//! the lines every scenario prints (prefixed with its name). The area is redrawn in place;
//! finished lines scroll above it. Off a terminal the scenarios print plain prefixed lines and
//! there is no area.

use std::collections::BTreeMap;
use std::io::Write;
use std::sync::{Arc, Mutex};

use crate::event::{Event, Reporter};

/// The bottom of the terminal: the lines printed so far stay above, the status lines below.
pub struct LiveArea {
    output: Box<dyn Write + Send>,
    /// Slot → its status line, for the scenarios running now.
    status: BTreeMap<usize, String>,
    /// Status lines on screen now.
    drawn: usize,
    width: usize,
}

impl LiveArea {
    pub fn new(output: Box<dyn Write + Send>) -> Arc<Mutex<LiveArea>> {
        Arc::new(Mutex::new(LiveArea {
            output,
            status: BTreeMap::new(),
            drawn: 0,
            width: terminal_width().saturating_sub(1).max(20),
        }))
    }

    fn erase(&mut self) {
        if self.drawn > 0 {
            // To the start of the first status line, then clear to the end of the screen.
            let _ = write!(self.output, "\r\x1b[{}A\x1b[J", self.drawn);
            self.drawn = 0;
        }
    }

    fn draw(&mut self) {
        for line in self.status.values() {
            let shown: String = line.chars().take(self.width).collect();
            let _ = writeln!(self.output, "{shown}");
        }
        self.drawn = self.status.len();
        let _ = self.output.flush();
    }

    /// Prints `text` (whole lines) above the status area.
    fn print(&mut self, text: &str) {
        self.erase();
        let _ = write!(self.output, "{text}");
        self.draw();
    }

    fn set(&mut self, slot: usize, line: Option<String>) {
        self.erase();
        match line {
            Some(line) => {
                self.status.insert(slot, line);
            }
            None => {
                self.status.remove(&slot);
            }
        }
        self.draw();
    }
}

/// Columns of the terminal on stdout (80 when it does not say): a status line longer than
/// that would wrap, and the area would no longer know how many rows to redraw.
fn terminal_width() -> usize {
    crate::os::terminal_columns().unwrap_or(80)
}

/// What a scenario's terminal reporter writes, passed to the area a whole line at a time.
pub struct AreaWriter {
    area: Arc<Mutex<LiveArea>>,
    pending: Vec<u8>,
}

impl AreaWriter {
    pub fn new(area: Arc<Mutex<LiveArea>>) -> Self {
        AreaWriter {
            area,
            pending: Vec::new(),
        }
    }
}

impl Write for AreaWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.pending.extend_from_slice(bytes);
        if let Some(end) = self.pending.iter().rposition(|byte| *byte == b'\n') {
            let lines: Vec<u8> = self.pending.drain(..=end).collect();
            self.area
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .print(&String::from_utf8_lossy(&lines));
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Keeps each running scenario's status line up to date.
pub struct WorkerStatus {
    area: Arc<Mutex<LiveArea>>,
    /// Slot → scenario name and its step.
    running: BTreeMap<usize, (String, String)>,
}

impl WorkerStatus {
    pub fn new(area: Arc<Mutex<LiveArea>>) -> Self {
        WorkerStatus {
            area,
            running: BTreeMap::new(),
        }
    }

    fn show(&self, slot: usize, line: Option<String>) {
        self.area
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .set(slot, line);
    }
}

impl Reporter for WorkerStatus {
    fn on_event(&mut self, _event: &Event) {}

    fn on_event_in(&mut self, slot: usize, event: &Event) {
        match event {
            Event::ScenarioStarted { scenario, .. } => {
                self.running
                    .insert(slot, (scenario.clone(), "starting".to_string()));
                self.show(slot, Some(format!("  ◦ [{scenario}] starting")));
            }
            Event::StepStarted { step, .. } => {
                if let Some((scenario, current)) = self.running.get_mut(&slot) {
                    *current = step.clone();
                    let line = format!("  ◦ [{scenario}] {step}");
                    self.show(slot, Some(line));
                }
            }
            Event::ActionStarted { action, .. } => {
                if let Some((scenario, step)) = self.running.get(&slot) {
                    self.show(slot, Some(format!("  ◦ [{scenario}] {step} › {action}")));
                }
            }
            Event::Waiting {
                action,
                elapsed,
                timeout,
                page_says,
                ..
            } => {
                if let Some((scenario, step)) = self.running.get(&slot) {
                    let says = page_says
                        .as_deref()
                        .map(|text| format!(" — {text}"))
                        .unwrap_or_default();
                    self.show(
                        slot,
                        Some(format!(
                            "  ◦ [{scenario}] {step} › {action}: {:.0}s of {:.0}s{says}",
                            elapsed.as_secs_f64(),
                            timeout.as_secs_f64()
                        )),
                    );
                }
            }
            Event::ScenarioFinished { .. } => {
                self.running.remove(&slot);
                self.show(slot, None);
            }
            // Nothing this report shows.
            Event::ActionPassed { .. }
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
            | Event::ScenarioRetrying { .. }
            | Event::ScenarioNotRetried { .. } => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Collects what the area writes.
    #[derive(Clone, Default)]
    struct Screen(Arc<Mutex<Vec<u8>>>);

    impl Write for Screen {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn lines_print_above_one_status_line_per_running_scenario() {
        let screen = Screen::default();
        let area = LiveArea::new(Box::new(screen.clone()));
        let mut status = WorkerStatus::new(area.clone());
        let mut first = AreaWriter::new(area.clone());
        let started = |name: &str| Event::ScenarioStarted {
            scenario: name.to_string(),
            file: "x.toml".into(),
            title: String::new(),
            console_url: String::new(),
            output_dir: "out".into(),
            attempt: 1,
        };
        status.on_event_in(0, &started("alpha"));
        status.on_event_in(1, &started("beta"));
        status.on_event_in(
            1,
            &Event::StepStarted {
                step: "Upgrade 5".to_string(),
                guide_words: String::new(),
            },
        );
        writeln!(first, "[alpha] ✓ log in").unwrap();
        let written = String::from_utf8(screen.0.lock().unwrap().clone()).unwrap();
        // The last frame: the printed line, then both status lines under it.
        let last = written.rsplit("\x1b[J").next().unwrap();
        assert_eq!(
            last,
            "[alpha] ✓ log in\n  ◦ [alpha] starting\n  ◦ [beta] Upgrade 5\n"
        );
        status.on_event_in(
            0,
            &Event::ScenarioFinished {
                scenario: "alpha".to_string(),
                outcome: crate::event::Outcome::Passed,
                elapsed: std::time::Duration::from_secs(1),
            },
        );
        let written = String::from_utf8(screen.0.lock().unwrap().clone()).unwrap();
        assert_eq!(
            written.rsplit("\x1b[J").next().unwrap(),
            "  ◦ [beta] Upgrade 5\n"
        );
        assert!(
            written.ends_with("\x1b[2A\x1b[J  ◦ [beta] Upgrade 5\n"),
            "{written:?}"
        );
    }
}
