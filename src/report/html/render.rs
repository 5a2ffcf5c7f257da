//! How `report.html` looks: the page around the scenarios, each step, the rehearsal's facts,
//! a failure, a snapshot check. Pure rendering of what [`HtmlReport`] folded from the events.

use std::fmt::Write as _;

use super::HtmlReport;
use crate::event::{Fact, Outcome, SnapshotCheck, SnapshotKind, StepFailure, Verdict};
use crate::html::escape;
use crate::report::model::{ScenarioModel, StepModel, StepStatus};
use crate::review::accept_command_for;

/// A step's status as the report's CSS classes and words know it.
fn status_word(status: &StepStatus) -> &'static str {
    match status {
        StepStatus::Running => "running",
        StepStatus::Passed => "passed",
        StepStatus::SnapshotFailed => "failed: snapshot",
        StepStatus::Failed => "failed",
        StepStatus::Skipped { .. } => "skipped",
        StepStatus::Outside { .. } => "outside",
        StepStatus::StoppedBeforeMutation { .. } => "stopped",
        StepStatus::Interrupted => "interrupted",
    }
}

/// `Upgrade 4`, and for a step done outside the console, where.
fn title_of(step: &StepModel) -> String {
    match &step.status {
        StepStatus::Outside { place } => format!("{} (outside the console: {place})", step.title),
        _ => step.title.clone(),
    }
}

/// The guide's words, and for a skipped step why it was skipped.
fn guide_of(step: &StepModel) -> &str {
    match &step.status {
        StepStatus::Skipped { reason } => reason,
        _ => &step.guide,
    }
}

impl HtmlReport {
    pub(super) fn render(&self) -> String {
        let mut html = String::from(HEAD);
        let failed = self
            .run
            .scenarios
            .iter()
            .filter(|scenario| {
                scenario.outcome == Some(Outcome::Failed) && scenario.retried_in.is_none()
            })
            .count();
        let _ = write!(
            html,
            "<header><h1>palette-harness report</h1><p>{} scenario(s), {} failed</p></header>",
            self.run.scenarios.len(),
            failed
        );
        for scenario in &self.run.scenarios {
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
            if let Some(settled) = &scenario.new_snapshots {
                let note = if settled.left_pending > 0 {
                    format!(
                        "{} new snapshot(s) left pending in {} because the scenario failed",
                        settled.left_pending,
                        settled.folder.display()
                    )
                } else {
                    format!(
                        "{} new snapshot(s) recorded as baselines in {}",
                        settled.recorded,
                        settled.folder.display()
                    )
                };
                let _ = write!(html, "<p class=\"muted\">{}</p>", escape(&note));
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

    fn render_step(&self, html: &mut String, step: &StepModel) {
        let status = status_word(&step.status);
        // Its actions passed on a retry; a snapshot may still have failed it.
        let flaky = (status == "passed" || status.starts_with("failed:")) && step.attempts > 1;
        let open = if status == "passed" && !flaky {
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
            status.split(':').next().unwrap_or("running"),
            escape(status),
            escape(&title_of(step)),
            escape(&guide_of(step).replace("**", ""))
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
    fn render_rehearsal(&self, html: &mut String, scenario: &ScenarioModel) {
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
                escape(&title_of(step)),
                escape(status_word(&step.status)),
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
        // A pending snapshot says how to make it the baseline, folder and all.
        if let Some(command) = check.stored.as_deref().and_then(accept_command_for) {
            let _ = write!(
                html,
                "<p class=\"muted\">accept it with <code class=\"accept\">{}</code></p>",
                escape(&command)
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
