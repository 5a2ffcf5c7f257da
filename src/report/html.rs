//! `report.html` in the run's output folder: every scenario and step with its outcome, failures
//! with their screenshots, and every snapshot check: coloured line diffs for pages; side by side,
//! diff and an overlay slider for images. Self-contained (inline CSS and JS, images by relative
//! path), so it works offline and can be archived with the folder. Rewritten atomically after
//! every step.

use crate::html::escape;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::file::ReportFiles;
use super::interruption::{name_promoted, Interruption};
use super::json::Rehearsal;
use super::slots::Slots;
use crate::event::{
    ArtifactKind, Event, Fact, Outcome, Reporter, SnapshotCheck, SnapshotKind, StepFailure,
    UnwrittenReport, Verdict,
};

struct StepEntry {
    title: String,
    guide: String,
    status: &'static str,
    /// Earlier attempts that failed before a retry, oldest first.
    failed_attempts: Vec<StepFailure>,
    /// Attempts made so far.
    attempts: u32,
    failure: Option<StepFailure>,
    /// Why a failed step was not retried although retries were allowed.
    not_retried: Option<String>,
    snapshots: Vec<SnapshotCheck>,
    /// The guide's screenshots this step took, shown inline.
    screenshots: Vec<PathBuf>,
    seconds: Option<f64>,
}

struct ScenarioEntry {
    name: String,
    title: String,
    console: String,
    outcome: Option<Outcome>,
    steps: Vec<StepEntry>,
    /// What became of the first-time snapshots, once the outcome is known.
    new_snapshots: Option<String>,
    rehearsal: Rehearsal,
    seconds: Option<f64>,
    /// Why the run stopped before this scenario finished.
    interrupted: Option<String>,
    /// Where this scenario is, to say where a run stopped midway.
    interruption: Interruption,
    /// 1, or which run of the whole scenario this is (`--scenario-retries`).
    attempt: u32,
    /// This attempt failed and the scenario ran again (the next attempt's folder): it no
    /// longer counts as a failure of the run.
    retried_in: Option<PathBuf>,
    /// Why a failed attempt was not run again although retries were allowed.
    not_retried: Option<String>,
}

impl StepEntry {
    /// A step the harness did not walk (skipped by `when`, done outside the console).
    fn not_run(title: String, guide: String, status: &'static str) -> StepEntry {
        StepEntry {
            title,
            guide,
            status,
            failed_attempts: Vec::new(),
            attempts: 0,
            failure: None,
            not_retried: None,
            snapshots: Vec::new(),
            screenshots: Vec::new(),
            seconds: None,
        }
    }
}

pub struct HtmlReport {
    /// The run's output folder; the report sits at its top and links files below it.
    root: PathBuf,
    scenarios: Vec<ScenarioEntry>,
    /// The scenario the event at hand is about.
    slots: Slots,
    files: ReportFiles,
}

impl HtmlReport {
    pub fn new(root: PathBuf) -> Self {
        HtmlReport {
            root,
            scenarios: Vec::new(),
            slots: Slots::default(),
            files: ReportFiles::default(),
        }
    }

    fn write(&mut self) {
        let path = self.root.join("report.html");
        let html = self.render();
        // Once every scenario has ended (or was interrupted), this is the report's last word.
        let ended = self
            .scenarios
            .iter()
            .all(|scenario| scenario.outcome.is_some() || scenario.interrupted.is_some());
        if ended {
            self.files.write_last(&path, html.as_bytes());
        } else {
            self.files.write(&path, html.as_bytes());
        }
    }

    /// The scenario the event at hand is about.
    fn active(&mut self) -> Option<&mut ScenarioEntry> {
        self.scenarios.get_mut(self.slots.active)
    }

    /// That scenario's step under way.
    fn active_step(&mut self) -> Option<&mut StepEntry> {
        self.active().and_then(|scenario| scenario.steps.last_mut())
    }

    fn link(&self, path: &Path) -> String {
        let relative = path.strip_prefix(&self.root).unwrap_or(path);
        escape(&relative.to_string_lossy())
    }

    fn render(&self) -> String {
        let mut html = String::from(HEAD);
        let failed = self
            .scenarios
            .iter()
            .filter(|scenario| {
                scenario.outcome == Some(Outcome::Failed) && scenario.retried_in.is_none()
            })
            .count();
        let _ = write!(
            html,
            "<header><h1>palette-harness report</h1><p>{} scenario(s), {} failed</p></header>",
            self.scenarios.len(),
            failed
        );
        for scenario in &self.scenarios {
            let (class, word) = match scenario.outcome {
                Some(Outcome::Failed) if scenario.retried_in.is_some() => {
                    ("flaky", "failed, then run again")
                }
                Some(Outcome::Passed) if scenario.attempt > 1 => ("flaky", "flaky: passed"),
                Some(Outcome::Passed) => ("passed", "passed"),
                Some(Outcome::Failed) => ("failed", "failed"),
                Some(Outcome::StoppedBeforeMutation) => {
                    ("stopped", "stopped before changing the console")
                }
                None if scenario.interrupted.is_some() => ("failed", "interrupted"),
                None => ("running", "running"),
            };
            let _ = write!(
                html,
                "<section class=\"scenario\"><h2><span class=\"badge {class}\">{word}</span> {} <small>{}</small></h2><p class=\"muted\">console {}</p>",
                escape(&scenario.title),
                escape(&scenario.name),
                escape(&scenario.console)
            );
            if scenario.attempt > 1 {
                let _ = write!(
                    html,
                    "<p class=\"muted\">attempt {} at the whole scenario</p>",
                    scenario.attempt
                );
            }
            if let Some(next) = &scenario.retried_in {
                let _ = write!(
                    html,
                    "<p class=\"muted\">This attempt failed; the scenario ran again from its start, writing to {}.</p>",
                    self.link(next)
                );
            }
            if let Some(why) = &scenario.not_retried {
                let _ = write!(
                    html,
                    "<p class=\"muted\">Not run again: {}</p>",
                    escape(why)
                );
            }
            if let Some(note) = &scenario.new_snapshots {
                let _ = write!(html, "<p class=\"muted\">{}</p>", escape(note));
            }
            if let Some(why) = &scenario.interrupted {
                let _ = write!(
                    html,
                    "<div class=\"failure\"><p><b>{}</b></p></div>",
                    escape(why)
                );
            }
            self.render_rehearsal(&mut html, scenario);
            for step in &scenario.steps {
                self.render_step(&mut html, step);
            }
            html.push_str("</section>");
        }
        html.push_str(TAIL);
        html
    }

    fn render_step(&self, html: &mut String, step: &StepEntry) {
        // Its actions passed on a retry; a snapshot may still have failed it.
        let flaky =
            (step.status == "passed" || step.status.starts_with("failed:")) && step.attempts > 1;
        let open = if step.status == "passed" && !flaky {
            ""
        } else {
            " open"
        };
        let flaky_badge = if flaky {
            format!(
                " <span class=\"badge flaky\">flaky: passed on attempt {}</span>",
                step.attempts
            )
        } else {
            String::new()
        };
        let _ = write!(
            html,
            "<details class=\"step\"{open}><summary><span class=\"badge {}\">{}</span>{flaky_badge} <b>{}</b> {}</summary>",
            step.status.split(':').next().unwrap_or("running"),
            escape(step.status),
            escape(&step.title),
            escape(&step.guide.replace("**", ""))
        );
        for (number, failure) in step.failed_attempts.iter().enumerate() {
            self.render_failure(html, &format!("attempt {} failed", number + 1), failure);
        }
        if let Some(failure) = &step.failure {
            let heading = if step.attempts > 1 {
                format!("attempt {} failed", step.attempts)
            } else {
                "failed".to_string()
            };
            self.render_failure(html, &heading, failure);
        }
        if let Some(reason) = &step.not_retried {
            let _ = write!(
                html,
                "<p class=\"muted\">not retried: {}</p>",
                escape(reason)
            );
        }
        for check in &step.snapshots {
            self.render_snapshot(html, check);
        }
        for shot in &step.screenshots {
            let _ = write!(
                html,
                "<figure><figcaption>{}</figcaption><img class=\"shot\" src=\"{}\" alt=\"the guide's screenshot {}\"></figure>",
                escape(&shot.file_name().unwrap_or_default().to_string_lossy()),
                self.link(shot),
                escape(&shot.file_name().unwrap_or_default().to_string_lossy())
            );
        }
        html.push_str("</details>");
    }

    /// What a reviewer signs: versions and path, certificate, timeline, lock, backups, the
    /// customizations found and whether each was kept.
    fn render_rehearsal(&self, html: &mut String, scenario: &ScenarioEntry) {
        let facts = &scenario.rehearsal;
        html.push_str("<div class=\"rehearsal\"><h3>Rehearsal</h3><table class=\"facts\">");
        let mut fact = |name: &str, value: String| {
            let _ = write!(html, "<tr><th>{}</th><td>{}</td></tr>", escape(name), value);
        };
        fact("console", escape(&scenario.console));
        if let Some(Fact::Preflight {
            installed,
            target,
            verdict,
            rule,
            allowed_anyway,
            installed_kubernetes,
            target_kubernetes,
        }) = &facts.preflight
        {
            fact(
                "version",
                format!("{} → {}", escape(installed), escape(target)),
            );
            if let (Some(from), Some(to)) = (installed_kubernetes, target_kubernetes) {
                fact("Kubernetes", format!("{} → {}", escape(from), escape(to)));
            }
            let anyway = if *allowed_anyway {
                " (run anyway: --allow-unsupported-path)"
            } else {
                ""
            };
            fact(
                "upgrade path",
                format!("<b>{}</b>{anyway}: {}", escape(verdict), escape(rule)),
            );
        } else {
            fact(
                "upgrade path",
                "not checked (no `check upgrade path` in the scenario)".to_string(),
            );
        }
        fact(
            "certificate",
            escape(
                facts
                    .certificate
                    .as_deref()
                    .unwrap_or("not checked (the console is served over http)"),
            ),
        );
        if let Some(Fact::Lock { seconds, progress }) = &facts.lock {
            let progress = progress
                .as_deref()
                .map(|text| format!(", last progress shown: “{}”", escape(text)))
                .unwrap_or_default();
            fact("lock", format!("{seconds:.1} s{progress}"));
        }
        if let Some(seconds) = scenario.seconds {
            fact("duration", format!("{seconds:.1} s"));
        }
        html.push_str("</table>");
        html.push_str(
            "<h4>Timeline</h4><table><tr><th>step</th><th>status</th><th>seconds</th></tr>",
        );
        for step in &scenario.steps {
            let _ = write!(
                html,
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&step.title),
                escape(step.status),
                step.seconds
                    .map(|seconds| format!("{seconds:.1}"))
                    .unwrap_or_default()
            );
        }
        html.push_str("</table>");
        if !facts.backups.is_empty() {
            html.push_str("<h4>Backups</h4><table><tr><th>layer</th><th>file</th><th>bytes</th><th>SHA-256</th></tr>");
            for backup in &facts.backups {
                if let Fact::Backup {
                    layer,
                    path,
                    bytes,
                    sha256,
                } = backup
                {
                    let _ = write!(
                        html,
                        "<tr><td>{}</td><td><a href=\"{}\">{}</a></td><td>{bytes}</td><td><code>{}</code></td></tr>",
                        escape(layer),
                        self.link(path),
                        self.link(path),
                        escape(sha256)
                    );
                }
            }
            html.push_str("</table>");
        }
        if !facts.customizations.is_empty() {
            html.push_str("<h4>Differences found before the upgrade</h4><table><tr><th>layer</th><th>key</th><th>current</th><th>incoming</th><th>classification</th><th>carried</th></tr>");
            for proposal in &facts.customizations {
                if let Fact::Proposal { layer, rows } = proposal {
                    for row in rows {
                        let _ = write!(
                            html,
                            "<tr class=\"{}\"><td>{}</td><td><code>{}</code></td><td><code>{}</code></td><td><code>{}</code></td><td>{} ({})</td><td>{}</td></tr>",
                            row.classification,
                            escape(layer),
                            escape(&row.path),
                            escape(row.current.as_deref().unwrap_or("—")),
                            escape(row.incoming.as_deref().unwrap_or("—")),
                            row.classification,
                            escape(row.reason),
                            if row.carried { "yes" } else { "no" }
                        );
                    }
                }
            }
            html.push_str("</table>");
        }
        if !facts.preservation.is_empty() {
            html.push_str("<h4>Kept customizations</h4><table class=\"kept\"><tr><th>layer</th><th>key</th><th>before</th><th>after</th><th>kept</th></tr>");
            for row in &facts.preservation {
                let _ = write!(
                    html,
                    "<tr class=\"{}\"><td>{}</td><td><code>{}</code></td><td><code>{}</code></td><td><code>{}</code></td><td>{}</td></tr>",
                    if row.kept { "passed" } else { "failed" },
                    escape(&row.layer),
                    escape(&row.key),
                    escape(row.before.as_deref().unwrap_or("—")),
                    escape(row.after.as_deref().unwrap_or("—")),
                    if row.kept { "✓ kept" } else { "✗ lost" }
                );
            }
            html.push_str("</table>");
        }
        html.push_str("</div>");
    }

    fn render_failure(&self, html: &mut String, heading: &str, failure: &StepFailure) {
        let _ = write!(
            html,
            "<div class=\"failure\"><p>{}: <b>{}</b> at <code>{}</code></p><p>expected: {}</p><p>page showed: {}</p>",
            escape(heading),
            escape(&failure.action),
            escape(&failure.location),
            escape(&failure.expected),
            escape(&failure.page_showed)
        );
        if let Some(screenshot) = &failure.screenshot {
            let _ = write!(
                html,
                "<img class=\"shot\" src=\"{}\" alt=\"the page when the attempt failed\">",
                self.link(screenshot)
            );
        }
        if let Some(page) = &failure.page_html {
            let _ = write!(html, "<p><a href=\"{}\">page HTML</a></p>", self.link(page));
        }
        if let Some(trace) = &failure.trace {
            let _ = write!(
                html,
                "<p><a class=\"trace\" href=\"{}\">trace</a>: actions, console log, failed requests, page outline</p>",
                self.link(trace)
            );
        }
        html.push_str("</div>");
    }

    fn render_snapshot(&self, html: &mut String, check: &SnapshotCheck) {
        let (kind, verdict) = (check.kind.word(), check.verdict.word());
        let class = if check.verdict.is_failure() {
            "failed"
        } else {
            "passed"
        };
        let _ = write!(
            html,
            "<div class=\"snapshot\"><h4><span class=\"badge {class}\">{verdict}</span> {kind} snapshot “{}” — {}</h4>",
            escape(&check.name),
            escape(&check.detail)
        );
        if let Some(stored) = &check.stored {
            let _ = write!(
                html,
                "<p class=\"muted\">written: <code>{}</code></p>",
                escape(&stored.to_string_lossy())
            );
        }
        match check.kind {
            SnapshotKind::Page => {
                if let Some(diff) = &check.text_diff {
                    html.push_str("<pre class=\"diff\">");
                    for line in diff.lines() {
                        let class = match line.chars().next() {
                            Some('-') => "removed",
                            Some('+') => "added",
                            _ => "same",
                        };
                        let _ = write!(html, "<span class=\"{class}\">{}</span>", escape(line));
                    }
                    html.push_str("</pre>");
                } else {
                    let _ = write!(
                        html,
                        "<p><a href=\"{}\">page outline</a></p>",
                        self.link(&check.actual)
                    );
                }
            }
            SnapshotKind::Image => {
                let actual = self.link(&check.actual);
                match (&check.baseline, &check.diff_image) {
                    (Some(baseline), diff_image) if check.verdict != Verdict::Matched => {
                        let baseline = self.link(baseline);
                        let diff = diff_image
                            .as_ref()
                            .map(|path| format!("<figure><figcaption>diff</figcaption><img src=\"{}\" alt=\"diff\"></figure>", self.link(path)))
                            .unwrap_or_default();
                        let _ = write!(
                            html,
                            "<div class=\"views\"><div class=\"side\"><figure><figcaption>baseline</figcaption><img src=\"{baseline}\" alt=\"baseline\"></figure><figure><figcaption>actual</figcaption><img src=\"{actual}\" alt=\"actual\"></figure>{diff}</div>\
                             <div class=\"overlay\"><figcaption>overlay: drag to compare baseline (left) and actual (right)</figcaption><div class=\"stack\"><img src=\"{baseline}\" alt=\"baseline\"><img class=\"top\" src=\"{actual}\" alt=\"actual\"></div><input type=\"range\" min=\"0\" max=\"100\" value=\"50\" aria-label=\"overlay position\"></div></div>"
                        );
                    }
                    _ => {
                        let _ = write!(
                            html,
                            "<img class=\"thumb\" src=\"{actual}\" alt=\"snapshot\">"
                        );
                    }
                }
            }
        }
        html.push_str("</div>");
    }
}

impl Reporter for HtmlReport {
    fn on_event_in(&mut self, slot: usize, event: &Event) {
        self.slots.enter(slot);
        self.on_event(event);
        self.slots.leave(slot, event);
    }

    fn on_event(&mut self, event: &Event) {
        if let Some(scenario) = self.active() {
            scenario.interruption.observe(event);
        }
        match event {
            Event::ScenarioStarted {
                scenario,
                title,
                console_url,
                attempt,
                ..
            } => {
                self.scenarios.push(ScenarioEntry {
                    name: scenario.clone(),
                    title: title.clone(),
                    console: console_url.clone(),
                    outcome: None,
                    steps: Vec::new(),
                    new_snapshots: None,
                    rehearsal: Rehearsal::default(),
                    seconds: None,
                    interrupted: None,
                    interruption: Interruption::default(),
                    attempt: *attempt,
                    retried_in: None,
                    not_retried: None,
                });
                self.slots.active = self.scenarios.len() - 1;
                self.write();
            }
            Event::StepStarted {
                step: title,
                guide_words,
            } => {
                if let Some(scenario) = self.active() {
                    scenario.steps.push(StepEntry {
                        title: title.clone(),
                        guide: guide_words.clone(),
                        status: "running",
                        failed_attempts: Vec::new(),
                        attempts: 1,
                        failure: None,
                        not_retried: None,
                        snapshots: Vec::new(),
                        screenshots: Vec::new(),
                        seconds: None,
                    });
                }
            }
            Event::ArtifactWritten {
                kind: ArtifactKind::Screenshot,
                path,
            } => {
                if let Some(step) = self.active_step() {
                    step.screenshots.push(path.clone());
                }
            }
            Event::StepOutside {
                step,
                place,
                guide_words,
            } => {
                if let Some(scenario) = self.active() {
                    scenario.steps.push(StepEntry::not_run(
                        format!("{step} (outside the console: {place})"),
                        guide_words.clone(),
                        "outside",
                    ));
                }
                self.write();
            }
            Event::StepSkipped { step, reason } => {
                if let Some(scenario) = self.active() {
                    scenario.rehearsal.absorb(event);
                    scenario.steps.push(StepEntry::not_run(
                        step.clone(),
                        reason.clone(),
                        "skipped",
                    ));
                }
                self.write();
            }
            Event::Fact(_) => {
                if let Some(scenario) = self.active() {
                    scenario.rehearsal.absorb(event);
                }
            }
            Event::SnapshotChecked(check) => {
                if let Some(step) = self.active_step() {
                    step.snapshots.push(check.clone());
                }
            }
            Event::StepRetrying {
                failure, attempt, ..
            } => {
                if let Some(step) = self.active_step() {
                    step.failed_attempts.push(failure.clone());
                    step.attempts = attempt + 1;
                    // The next attempt checks every snapshot again.
                    step.snapshots.clear();
                }
                self.write();
            }
            Event::StepPassed { elapsed, .. } => {
                if let Some(step) = self.active_step() {
                    step.seconds = Some(elapsed.as_secs_f64());
                    step.status = if step
                        .snapshots
                        .iter()
                        .any(|check| check.verdict.is_failure())
                    {
                        "failed: snapshot"
                    } else {
                        "passed"
                    };
                }
                self.write();
            }
            Event::StepFailed {
                failure,
                attempts,
                not_retried,
            } => {
                if let Some(step) = self.active_step() {
                    step.status = "failed";
                    step.failure = Some(failure.clone());
                    step.attempts = *attempts;
                    step.not_retried = not_retried.clone();
                }
                self.write();
            }
            Event::StoppedBeforeMutation { .. } => {
                if let Some(step) = self.active_step() {
                    step.status = "stopped";
                }
            }
            Event::NewSnapshotsSettled {
                recorded,
                left_pending,
                folder,
                promoted,
            } => {
                if let Some(scenario) = self.active() {
                    name_promoted(
                        scenario
                            .steps
                            .iter_mut()
                            .flat_map(|step| step.snapshots.iter_mut()),
                        promoted,
                    );
                    scenario.new_snapshots = Some(if *left_pending > 0 {
                        format!("{left_pending} new snapshot(s) left pending in {} because the scenario failed", folder.display())
                    } else {
                        format!(
                            "{recorded} new snapshot(s) recorded as baselines in {}",
                            folder.display()
                        )
                    });
                }
            }
            Event::ScenarioFinished {
                outcome, elapsed, ..
            } => {
                if let Some(scenario) = self.active() {
                    scenario.outcome = Some(*outcome);
                    scenario.seconds = Some(elapsed.as_secs_f64());
                }
                self.write();
            }
            Event::ScenarioRetrying {
                next_output_dir, ..
            } => {
                if let Some(scenario) = self.active() {
                    scenario.retried_in = Some(next_output_dir.clone());
                }
                self.write();
            }
            Event::ScenarioNotRetried { reason, .. } => {
                if let Some(scenario) = self.active() {
                    scenario.not_retried = Some(reason.clone());
                }
                self.write();
            }
            _ => {}
        }
    }

    fn unwritten(&self) -> Vec<UnwrittenReport> {
        self.files.unwritten()
    }
}

impl Drop for HtmlReport {
    /// A run stopped midway says so, for each scenario under way.
    fn drop(&mut self) {
        let mut any = false;
        for scenario in &mut self.scenarios {
            if scenario.outcome.is_some() {
                continue;
            }
            any = true;
            let step = scenario.steps.last().map(|step| step.title.clone());
            scenario.interrupted = Some(scenario.interruption.describe(step.as_deref()));
            if let Some(step) = scenario.steps.last_mut() {
                if step.status == "running" {
                    step.status = "interrupted";
                }
            }
        }
        if any {
            self.write();
        }
    }
}

const HEAD: &str = r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>palette-harness report</title>
<style>
body { font: 14px/1.45 "Liberation Sans", Arial, sans-serif; margin: 0; color: #1b2336; background: #f3f5fa; }
header { background: #12183a; color: #fff; padding: 16px 28px; } header h1 { margin: 0; font-size: 20px; } header p { margin: 4px 0 0; color: #c9d0ea; }
.scenario { margin: 18px 28px; } .scenario h2 small { color: #67708a; font-weight: normal; }
.muted { color: #67708a; }
.step { background: #fff; border: 1px solid #e2e6f0; border-radius: 8px; margin: 8px 0; padding: 8px 14px; }
.step summary { cursor: pointer; }
.badge { display: inline-block; border-radius: 10px; padding: 1px 9px; font-size: 12px; font-weight: 700; }
.badge.passed { background: #e3f5ea; color: #176c3f; } .badge.failed { background: #fdecea; color: #b3261e; }
.badge.stopped, .badge.running, .badge.flaky { background: #fff6e0; color: #6b4a00; }
.failure { border-left: 4px solid #b3261e; padding: 4px 12px; margin: 8px 0; background: #fff8f7; }
.snapshot { border-top: 1px solid #eceff5; margin-top: 8px; } .snapshot h4 { margin: 8px 0 4px; font-size: 13px; }
pre.diff { background: #1b1f33; color: #e4e7f5; padding: 10px; overflow: auto; font: 12px/1.5 "Liberation Mono", monospace; }
pre.diff .removed { color: #ff8a80; display: block; background: #3a1f27; } pre.diff .added { color: #9be9a8; display: block; background: #1d3a27; }
img.shot, img.thumb { max-width: 480px; border: 1px solid #ccd; }
.side { display: flex; gap: 10px; flex-wrap: wrap; } .side figure { margin: 0; } .side img { max-width: 400px; border: 1px solid #ccd; }
figcaption { font-size: 12px; color: #67708a; }
.overlay { margin-top: 10px; max-width: 820px; } .stack { position: relative; } .stack img { width: 100%; display: block; border: 1px solid #ccd; }
.stack img.top { position: absolute; inset: 0; clip-path: inset(0 0 0 50%); }
.overlay input { width: 100%; }
.rehearsal { background: #fff; border: 1px solid #e2e6f0; border-radius: 8px; padding: 8px 14px; margin: 8px 0; }
.rehearsal table { border-collapse: collapse; margin: 4px 0 10px; } .rehearsal th, .rehearsal td { border: 1px solid #e2e6f0; padding: 3px 8px; text-align: left; vertical-align: top; }
.rehearsal td code { font-size: 12px; overflow-wrap: anywhere; }
.rehearsal tr.failed td { background: #fdecea; } .rehearsal tr.customization td { background: #fffbea; }
.badge.interrupted { background: #fdecea; color: #b3261e; }
.badge.skipped { background: #eceff5; color: #4a5270; }
.badge.outside { background: #eef3fb; color: #2d4a7a; }
</style></head><body>
"#;

const TAIL: &str = r#"
<script>
for (const overlay of document.querySelectorAll('.overlay')) {
  const top = overlay.querySelector('img.top');
  const slider = overlay.querySelector('input');
  slider.addEventListener('input', () => { top.style.clipPath = `inset(0 0 0 ${slider.value}%)`; });
}
</script>
</body></html>
"#;
