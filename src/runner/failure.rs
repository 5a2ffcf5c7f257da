//! A failed step's evidence: the failure screenshot and page beside the report, what a person
//! would have looked at instead of a target not found, and the step's trace folder (console log,
//! failed requests, outline, the attempt's actions) tied together by `trace.html`.

use super::page::Page;
use std::path::PathBuf;

use super::{find, pretty_json, slug, ActionFailure, ScenarioRun};
use crate::artifacts::write_atomically;
use crate::event::{ArtifactKind, StepFailure};
use crate::scenario::{Action, Step};
use crate::trace::{ActionRecord, Considered, ConsoleEntry, FailedRequest};

/// What the page showed when a step failed, gathered at that moment for its trace.
struct Shown {
    png: Option<Vec<u8>>,
    html: Option<String>,
    /// The viewport in CSS px.
    viewport: Option<(f64, f64)>,
    considered: Vec<Considered>,
    /// The page outline, unmasked: read once for a rename and for the trace.
    outline: Option<String>,
}

impl<P: Page> ScenarioRun<'_, P> {
    /// Leaves a screenshot and the page's HTML beside the report and describes the failure.
    pub(super) async fn failure_report(
        &mut self,
        step: &Step,
        action: &Action,
        failure: ActionFailure,
        records: &[ActionRecord],
    ) -> StepFailure {
        // Every attempt keeps its own evidence: `upgrade-2`, then `upgrade-2-attempt-2`, ...
        let stem = match self.attempt {
            1 => format!("{}-{}", slug(&step.section), step.number),
            attempt => format!("{}-{}-attempt-{attempt}", slug(&step.section), step.number),
        };
        let folder = self.settings.output_dir.join("failures");
        let png = self.browser.screenshot().await.ok();
        // What a person would look at instead of a target not found, as the screenshot shows it.
        let considered =
            find::considered_instead(self.browser, &action.kind.targets(), &action.text).await;
        let considered: Vec<Considered> = considered
            .into_iter()
            .map(|element| Considered {
                instead_of: self.settings.redactor.redact(&element.instead_of),
                name: self.settings.redactor.redact(&element.name),
                action_line: self.settings.redactor.redact(&element.action_line),
                ..element
            })
            .collect();
        let viewport = self.browser.viewport_size().await.ok();
        let screenshot = png.as_ref().and_then(|png| {
            self.save(
                ArtifactKind::FailureScreenshot,
                folder.join(format!("{stem}.png")),
                png,
            )
        });
        let html = self
            .browser
            .html()
            .await
            .ok()
            .map(|html| self.settings.redactor.redact(&html));
        let page_html = html.as_ref().and_then(|html| {
            self.save(
                ArtifactKind::FailurePage,
                folder.join(format!("{stem}.html")),
                html.as_bytes(),
            )
        });
        let outline = self.browser.page_outline().await.ok();
        // The closest element's line, ready to paste (the trace lists every element's), and the
        // rename the console's baselines explain the miss by.
        let mut page_showed = failure.page_showed.clone();
        if let Some(closest) = considered.first() {
            page_showed.push_str(&format!(
                "; the line that finds the closest: {}",
                closest.action_line
            ));
            let drift = outline
                .as_deref()
                .and_then(|page| self.label_drift(step, action, page));
            if let Some(drift) = drift {
                page_showed.push_str(&format!("; {drift}"));
            }
        }
        let redact = |text: &str| self.settings.redactor.redact(text);
        let mut report = StepFailure {
            step: step.title(),
            location: action.location.to_string(),
            action: action.text.clone(),
            expected: redact(&failure.expected),
            page_showed: redact(&page_showed),
            screenshot,
            page_html,
            trace: None,
        };
        let trace_dir = self.settings.output_dir.join("traces").join(&stem);
        let shown = Shown {
            png,
            html,
            viewport,
            considered,
            outline,
        };
        report.trace = self
            .write_trace(&trace_dir, step, &report, records, shown)
            .await;
        report
    }

    /// The failed step's trace folder, all of it written before `trace.html`, which names it.
    async fn write_trace(
        &mut self,
        folder: &std::path::Path,
        step: &Step,
        failure: &StepFailure,
        records: &[ActionRecord],
        shown: Shown,
    ) -> Option<PathBuf> {
        let Shown {
            png,
            html,
            viewport,
            considered,
            outline,
        } = shown;
        let redactor = &self.settings.redactor;
        let console: Option<Vec<ConsoleEntry>> = match self.browser.console_log().await {
            Ok(Some(entries)) => Some(
                entries
                    .into_iter()
                    .map(|entry| ConsoleEntry {
                        message: redactor.redact(&entry.message),
                        ..entry
                    })
                    .collect(),
            ),
            _ => None,
        };
        let failed_requests: Vec<FailedRequest> = self
            .browser
            .failed_requests()
            .await
            .unwrap_or_default()
            .into_iter()
            .map(|request| FailedRequest {
                url: redactor.redact(&request.url),
                ..request
            })
            .collect();
        let outline = outline.map(|outline| redactor.redact(&outline));
        let page_url = self
            .browser
            .current_url()
            .await
            .ok()
            .map(|url| redactor.redact(&url));
        let (actions, console_json, requests, considered_json) = (
            pretty_json(records),
            pretty_json(&console),
            pretty_json(&failed_requests),
            pretty_json(&considered),
        );
        let files = [
            ("actions.json", Some(actions.as_slice())),
            ("console.json", Some(console_json.as_slice())),
            ("failed-requests.json", Some(requests.as_slice())),
            ("considered.json", Some(considered_json.as_slice())),
            ("screenshot.png", png.as_deref()),
            ("page.html", html.as_deref().map(str::as_bytes)),
            ("outline.txt", outline.as_deref().map(str::as_bytes)),
        ];
        for (name, bytes) in files {
            if let Some(bytes) = bytes {
                write_atomically(&folder.join(name), bytes).ok()?;
            }
        }
        let page = crate::trace::render(&crate::trace::Trace {
            scenario: &self.scenario_name,
            step: &failure.step,
            guide_words: &step.guide_words,
            location: &failure.location,
            action: &failure.action,
            expected: &failure.expected,
            page_showed: &failure.page_showed,
            page_url: page_url.as_deref(),
            actions: records,
            console: console.as_deref(),
            failed_requests: &failed_requests,
            outline: outline.as_deref(),
            has_screenshot: png.is_some(),
            viewport,
            considered: &considered,
            has_page: html.is_some(),
        });
        self.save(
            ArtifactKind::Trace,
            folder.join("trace.html"),
            page.as_bytes(),
        )
    }
}
