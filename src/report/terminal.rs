//! Progress on the terminal: a live status line while waiting when stdout is a terminal, plain
//! lines otherwise (CI logs, pipes).

use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use crate::event::{Event, Fact, Outcome, Reporter, StepFailure, Verdict};

pub struct TerminalReporter {
    live: bool,
    status_line_open: bool,
    last_plain_wait: Option<(String, u64)>,
    output: Box<dyn Write + Send>,
    /// Before every line: the scenario's name when several run at once (`--workers`).
    prefix: String,
    /// The running action's snapshots that failed (`page`, `image`): the action is marked ✗.
    action_snapshot_failures: Vec<&'static str>,
    /// The scenario's failed snapshots, for the closing `FAILED` lines: step, what, the store
    /// folder holding its pending file.
    snapshot_failures: Vec<(String, String, Option<PathBuf>)>,
    /// A step of the scenario failed (its `FAILED at` line is printed).
    step_failed: bool,
}

impl TerminalReporter {
    pub fn new(live: bool, output: Box<dyn Write + Send>) -> Self {
        TerminalReporter {
            live,
            status_line_open: false,
            last_plain_wait: None,
            output,
            prefix: String::new(),
            action_snapshot_failures: Vec::new(),
            snapshot_failures: Vec::new(),
            step_failed: false,
        }
    }

    /// Why a scenario whose every step passed failed: its snapshots that differ from their
    /// baselines, each at its step, and the commands (as they work when copied) to review them.
    fn snapshots_failed(&mut self) {
        let failures = std::mem::take(&mut self.snapshot_failures);
        if failures.is_empty() {
            return;
        }
        self.line(&format!(
            "  FAILED: {} snapshot check(s) did not match their baselines",
            failures.len()
        ));
        for (step, what, _) in &failures {
            self.line(&format!("    at {step}: {what}"));
        }
        let mut folders: Vec<&PathBuf> = failures
            .iter()
            .filter_map(|(_, _, folder)| folder.as_ref())
            .collect();
        folders.dedup();
        for folder in folders {
            let folder = crate::artifacts::shell_word(&folder.display().to_string());
            self.line(&format!(
                "    review: palette-harness review --snapshots {folder}; accept: palette-harness accept --snapshots {folder} [FILTER]; reject: palette-harness reject --snapshots {folder} [FILTER]"
            ));
        }
    }

    /// Every line starts with `prefix`: `[upgrade-vmware-airgap] ✓ click tab "Profile"`.
    pub fn with_prefix(mut self, prefix: String) -> Self {
        self.prefix = prefix;
        self
    }

    fn line(&mut self, text: &str) {
        if self.status_line_open {
            let _ = write!(self.output, "\r\x1b[2K");
            self.status_line_open = false;
        }
        let _ = writeln!(self.output, "{}{text}", self.prefix);
        let _ = self.output.flush();
    }

    /// What was expected, what the page showed, and where the evidence is.
    fn failure_details(&mut self, failure: &StepFailure) {
        self.line(&format!("    expected:    {}", failure.expected));
        self.line(&format!("    page showed: {}", failure.page_showed));
        if let Some(path) = &failure.screenshot {
            self.line(&format!("    screenshot:  {}", path.display()));
        }
        if let Some(path) = &failure.page_html {
            self.line(&format!("    page HTML:   {}", path.display()));
        }
        if let Some(path) = &failure.trace {
            self.line(&format!("    trace:       {}", path.display()));
        }
    }
}

/// `4.2s` under a minute, `14m58s` above.
fn seconds(duration: &Duration) -> String {
    let total = duration.as_secs_f64();
    if total < 60.0 {
        format!("{total:.1}s")
    } else {
        let whole = duration.as_secs();
        format!("{}m{:02}s", whole / 60, whole % 60)
    }
}

impl Reporter for TerminalReporter {
    fn on_event(&mut self, event: &Event) {
        match event {
            Event::ScenarioStarted {
                scenario,
                title,
                console_url,
                output_dir,
                attempt,
                ..
            } => {
                let again = if *attempt > 1 {
                    format!(" (attempt {attempt})")
                } else {
                    String::new()
                };
                self.line(&format!("▶ {scenario}: {title}{again}"));
                self.line(&format!(
                    "  console {console_url}, output {}",
                    output_dir.display()
                ));
            }
            Event::StepStarted { step, guide_words } => {
                self.line(&format!("  {step}  {}", guide_words.replace("**", "")));
            }
            Event::ActionStarted { .. } => self.action_snapshot_failures.clear(),
            Event::Waiting {
                action,
                waiting_for,
                elapsed,
                timeout,
                page_says,
            } => {
                let says = page_says
                    .as_deref()
                    .map(|text| format!(" — {text}"))
                    .unwrap_or_default();
                let text = format!(
                    "    … {action}: {} of {}{says} (waiting for {waiting_for})",
                    seconds(elapsed),
                    seconds(timeout)
                );
                if self.live {
                    let shown: String = text.chars().take(160).collect();
                    let _ = write!(self.output, "\r\x1b[2K{shown}");
                    let _ = self.output.flush();
                    self.status_line_open = true;
                } else {
                    // Plain output: one line every ten seconds per wait, so logs stay short.
                    let bucket = elapsed.as_secs() / 10;
                    let key = (action.clone(), bucket);
                    if elapsed.as_secs() >= 10 && self.last_plain_wait.as_ref() != Some(&key) {
                        self.last_plain_wait = Some(key);
                        self.line(&text);
                    }
                }
            }
            Event::ActionPassed {
                action,
                elapsed,
                note,
            } => {
                let note = note
                    .as_deref()
                    .map(|note| format!(" — {note}"))
                    .unwrap_or_default();
                // A snapshot that differs fails the scenario at its end, not the step: its
                // action is marked failed where it happens.
                let mark = if self.action_snapshot_failures.is_empty() {
                    "✓"
                } else {
                    "✗"
                };
                self.line(&format!("    {mark} {action} ({}){note}", seconds(elapsed)));
            }
            Event::ArtifactWritten { .. } => {}
            Event::NewSnapshotsSettled {
                recorded,
                left_pending,
                folder,
                ..
            } => {
                if *recorded > 0 {
                    self.line(&format!(
                        "  recorded {recorded} new baseline(s) in {}",
                        folder.display()
                    ));
                }
                if *left_pending > 0 {
                    self.line(&format!(
                        "  {left_pending} new snapshot(s) left pending in {} because the scenario failed: `palette-harness review` shows them",
                        folder.display()
                    ));
                }
            }
            Event::SnapshotChecked(check) => {
                let kind = check.kind.word();
                if matches!(
                    check.verdict,
                    Verdict::Changed | Verdict::Missing | Verdict::NotRecorded
                ) {
                    self.action_snapshot_failures.push(kind);
                    self.snapshot_failures.push((
                        check.step.clone(),
                        format!(
                            "{kind} snapshot \"{}\" {}",
                            check.name,
                            check.verdict.word()
                        ),
                        check
                            .stored
                            .as_ref()
                            .and_then(|path| path.parent())
                            .map(PathBuf::from),
                    ));
                }
                let stored = check
                    .stored
                    .as_ref()
                    .map(|path| format!(" → {}", path.display()))
                    .unwrap_or_default();
                match check.verdict {
                    Verdict::Matched => {}
                    Verdict::Recorded => self.line(&format!("      new {kind} snapshot \"{}\"{stored}", check.name)),
                    Verdict::Updated => self.line(&format!("      updated {kind} snapshot \"{}\": {}{stored}", check.name, check.detail)),
                    Verdict::Missing => self.line(&format!(
                        "      ✗ {kind} snapshot \"{}\" has no baseline, and this run may not record one (use --update-snapshots missing)",
                        check.name
                    )),
                    Verdict::NotRecorded => self.line(&format!(
                        "      ✗ {kind} snapshot \"{}\" has no baseline, and a retried step or scenario records none: review it{stored}",
                        check.name
                    )),
                    Verdict::Changed => {
                        self.line(&format!("      ✗ {kind} snapshot \"{}\" changed: {}{stored}", check.name, check.detail));
                        if let Some(diff) = &check.text_diff {
                            for line in diff.lines() {
                                self.line(&format!("        {line}"));
                            }
                        }
                        if let Some(path) = &check.diff_image {
                            self.line(&format!("        diff image: {}", path.display()));
                        }
                    }
                }
            }
            Event::StepPassed { step, attempts, .. } => {
                if *attempts > 1 {
                    self.line(&format!("  ✓ {step} passed on attempt {attempts} (flaky)"));
                }
            }
            Event::StepRetrying {
                failure,
                attempt,
                max_attempts,
            } => {
                self.line(&format!("    ✗ {}", failure.action));
                self.line(&format!(
                    "  ↻ attempt {attempt} of {max_attempts} failed at {} ({}); retrying the step",
                    failure.step, failure.location
                ));
                self.failure_details(failure);
            }
            Event::StepFailed {
                failure,
                attempts,
                not_retried,
            } => {
                self.step_failed = true;
                self.line(&format!("    ✗ {}", failure.action));
                let attempt = if *attempts > 1 {
                    format!(", attempt {attempts}")
                } else {
                    String::new()
                };
                self.line(&format!(
                    "  FAILED at {} ({}{attempt})",
                    failure.step, failure.location
                ));
                self.failure_details(failure);
                if let Some(reason) = not_retried {
                    self.line(&format!("    not retried: {reason}"));
                }
            }
            Event::StoppedBeforeMutation { step, action } => {
                self.line(&format!(
                    "  STOPPED before {step} (`{action}` changes the console). This console is not the built-in one: rerun with --apply to let the scenario change it."
                ));
            }
            Event::StepSkipped { step, reason } => {
                self.line(&format!("  – {step} skipped: {reason}"));
            }
            Event::StepOutside {
                step,
                place,
                guide_words,
            } => {
                self.line(&format!(
                    "  ○ {step} outside the console ({place}): {}",
                    first_sentence(&guide_words.replace("**", ""))
                ));
            }
            Event::Fact(Fact::Proposal { layer, rows }) => {
                // The merge's note names what was carried; here only what was not.
                for row in rows
                    .iter()
                    .filter(|row| row.classification == "customization" && !row.carried)
                {
                    self.line(&format!(
                        "      customization in {layer} not carried: {} = {} (incoming {})",
                        row.path,
                        row.current.as_deref().unwrap_or("(none)"),
                        row.incoming.as_deref().unwrap_or("(none)"),
                    ));
                }
            }
            Event::Fact(_) => {}
            // The action's line says what became of the image; the table comes at the end.
            Event::DocsImage(_) => {}
            Event::ScenarioFinished {
                scenario,
                outcome,
                elapsed,
            } => {
                let verdict = match outcome {
                    Outcome::Passed => "passed",
                    Outcome::Failed => "FAILED",
                    Outcome::StoppedBeforeMutation => "stopped before changing the console",
                };
                if *outcome == Outcome::Failed && !self.step_failed {
                    self.snapshots_failed();
                }
                self.snapshot_failures.clear();
                self.step_failed = false;
                self.line(&format!("■ {scenario} {verdict} in {}", seconds(elapsed)));
            }
            Event::ScenarioRetrying {
                scenario,
                attempt,
                max_attempts,
                next_output_dir,
            } => {
                self.line(&format!(
                    "↻ {scenario}: attempt {attempt} of {max_attempts} failed; running it again from the start in a fresh browser, output {}",
                    next_output_dir.display()
                ));
            }
            Event::ScenarioNotRetried { scenario, reason } => {
                self.line(&format!("  {scenario} was not run again: {reason}"));
            }
        }
    }
}

/// The guide's words up to the end of their first sentence, for a one-line mention.
fn first_sentence(words: &str) -> String {
    let words = words.trim();
    match words.find(". ") {
        Some(end) => words[..=end].to_string(),
        None => words.to_string(),
    }
}
