//! The trace of a failed step: one folder that opens offline in any browser and holds what a
//! person debugging a CI failure needs, tied together by `trace.html`: the failure, the step's
//! actions with their timings, the screenshot, the browser's console log, the page's failed
//! requests, the page outline and the page's HTML (secrets masked; shown in a sandboxed frame,
//! its scripts not run). Pure: the runner gathers, this renders.

use crate::html::escape;
use std::fmt::Write as _;

/// One line of the browser's console log.
#[derive(Clone, Debug, serde::Deserialize, serde::Serialize)]
pub struct ConsoleEntry {
    #[serde(default)]
    pub level: String,
    #[serde(default)]
    pub message: String,
    #[serde(default)]
    pub source: Option<String>,
    /// Milliseconds since the Unix epoch.
    #[serde(default)]
    pub timestamp: Option<i64>,
}

/// A request of the page that failed (as the browser module reads them from Resource Timing).
#[derive(Clone, Debug, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FailedRequest {
    pub url: String,
    /// 0: no response at all.
    pub status: u16,
    pub kind: String,
    pub start_ms: i64,
    pub duration_ms: i64,
}

/// One action of the failed attempt, as it went.
#[derive(Clone, Debug, serde::Serialize)]
pub struct ActionRecord {
    pub action: String,
    /// Scenario file:line:column.
    pub location: String,
    /// Seconds from the attempt's start.
    pub started_at: f64,
    pub seconds: f64,
    /// `passed` or `failed`.
    pub status: &'static str,
    pub note: Option<String>,
}

/// An element a person would consider where a target was not found: drawn boxed and numbered
/// on the screenshot, listed with the name the harness read and where.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Considered {
    /// The target that was not found (`editor "Incoming config"`).
    pub instead_of: String,
    pub role: String,
    pub name: String,
    /// Where the name was read, in a person's words (`its aria-label`, `from the caption row`).
    pub origin: Option<String>,
    /// Its box in the viewport: left, top, width, height (CSS px).
    pub rect: Option<[i64; 4]>,
    /// The failed action's line rewritten to find this element (`click menu item "Tenant
    /// Management"`), for the user to paste into the scenario.
    pub action_line: String,
}

/// What the trace shows; every text already has its secrets masked.
pub struct Trace<'a> {
    pub scenario: &'a str,
    pub step: &'a str,
    pub guide_words: &'a str,
    pub location: &'a str,
    pub action: &'a str,
    pub expected: &'a str,
    pub page_showed: &'a str,
    pub page_url: Option<&'a str>,
    pub actions: &'a [ActionRecord],
    /// `None`: the browser's driver offers no console log.
    pub console: Option<&'a [ConsoleEntry]>,
    pub failed_requests: &'a [FailedRequest],
    pub outline: Option<&'a str>,
    pub has_screenshot: bool,
    /// The viewport the screenshot shows, in CSS px (the boxes are drawn in its proportions).
    pub viewport: Option<(f64, f64)>,
    pub considered: &'a [Considered],
    pub has_page: bool,
}

pub fn render(trace: &Trace<'_>) -> String {
    let mut html = String::new();
    let _ = write!(
        html,
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Trace: {} {}</title><style>{STYLE}</style></head><body>",
        escape(trace.scenario),
        escape(trace.step)
    );
    let _ = write!(
        html,
        "<header><h1>{} — {} failed</h1><p class=\"guide\">{}</p><dl>\
         <dt>action</dt><dd><code>{}</code> at {}</dd>\
         <dt>expected</dt><dd>{}</dd><dt>page showed</dt><dd>{}</dd>",
        escape(trace.scenario),
        escape(trace.step),
        escape(&trace.guide_words.replace("**", "")),
        escape(trace.action),
        escape(trace.location),
        escape(trace.expected),
        escape(trace.page_showed)
    );
    if let Some(url) = trace.page_url {
        let _ = write!(html, "<dt>page</dt><dd>{}</dd>", escape(url));
    }
    html.push_str("</dl><nav><a href=\"#actions\">actions</a> <a href=\"#screenshot\">screenshot</a> <a href=\"#console\">console</a> <a href=\"#network\">failed requests</a> <a href=\"#outline\">page outline</a> <a href=\"#page\">page HTML</a></nav></header>");

    html.push_str("<section id=\"actions\"><h2>Actions of the failed attempt</h2><table><tr><th>at</th><th>took</th><th>action</th><th>where</th><th>result</th></tr>");
    for record in trace.actions {
        let _ = write!(
            html,
            "<tr class=\"{}\"><td>{:.2} s</td><td>{:.2} s</td><td><code>{}</code></td><td>{}</td><td>{}{}</td></tr>",
            record.status,
            record.started_at,
            record.seconds,
            escape(&record.action),
            escape(&record.location),
            record.status,
            record
                .note
                .as_deref()
                .map(|note| format!(" — {}", escape(note)))
                .unwrap_or_default()
        );
    }
    html.push_str("</table></section>");

    html.push_str("<section id=\"screenshot\"><h2>Screenshot at the failure</h2>");
    if trace.has_screenshot {
        html.push_str("<div class=\"shot\"><img src=\"screenshot.png\" alt=\"the page when the step failed\">");
        if let Some(viewport) = trace.viewport {
            for (number, considered) in trace.considered.iter().enumerate() {
                if let Some(style) = considered.rect.and_then(|rect| box_style(rect, viewport)) {
                    let _ = write!(
                        html,
                        "<div class=\"considered\" style=\"{style}\" title=\"{}\"><span>{}</span></div>",
                        escape(&format!("{} \"{}\"", considered.role, considered.name)),
                        number + 1
                    );
                }
            }
        }
        html.push_str("</div>");
    } else {
        html.push_str("<p>No screenshot: the browser could not take one.</p>");
    }
    render_considered(&mut html, trace);
    html.push_str("</section>");

    html.push_str("<section id=\"console\"><h2>Browser console</h2>");
    match trace.console {
        None => html.push_str(
            "<p>Not available: this browser's driver offers no console log (geckodriver).</p>",
        ),
        Some([]) => html.push_str("<p>The page wrote nothing to the console.</p>"),
        Some(entries) => {
            html.push_str("<table><tr><th>level</th><th>message</th></tr>");
            for entry in entries {
                let _ = write!(
                    html,
                    "<tr class=\"{}\"><td>{}</td><td><pre>{}</pre></td></tr>",
                    escape(&entry.level.to_lowercase()),
                    escape(&entry.level),
                    escape(&entry.message)
                );
            }
            html.push_str("</table>");
        }
    }
    html.push_str("</section>");

    html.push_str("<section id=\"network\"><h2>Failed requests of the page</h2>");
    if trace.failed_requests.is_empty() {
        html.push_str("<p>None.</p>");
    } else {
        html.push_str(
            "<table><tr><th>status</th><th>kind</th><th>URL</th><th>at</th><th>took</th></tr>",
        );
        for request in trace.failed_requests {
            let status = match request.status {
                0 => "no response".to_string(),
                status => format!("HTTP {status}"),
            };
            let _ = write!(
                html,
                "<tr class=\"failed\"><td>{status}</td><td>{}</td><td>{}</td><td>{} ms</td><td>{} ms</td></tr>",
                escape(&request.kind),
                escape(&request.url),
                request.start_ms,
                request.duration_ms
            );
        }
        html.push_str("</table>");
    }
    html.push_str("</section>");

    html.push_str("<section id=\"outline\"><h2>Page outline</h2>");
    match trace.outline {
        Some(outline) => {
            let _ = write!(html, "<pre>{}</pre>", escape(outline));
        }
        None => html.push_str("<p>Not available: the page could not be read.</p>"),
    }
    html.push_str("</section>");

    html.push_str("<section id=\"page\"><h2>Page HTML</h2>");
    if trace.has_page {
        html.push_str("<p><a href=\"page.html\">page.html</a> (secrets masked), shown without its scripts:</p><iframe src=\"page.html\" sandbox=\"\" title=\"the page's HTML\"></iframe>");
    } else {
        html.push_str("<p>Not available: the page could not be read.</p>");
    }
    html.push_str("</section></body></html>\n");
    html
}

/// The elements a person would consider instead of each target not found, numbered as on the
/// screenshot.
fn render_considered(html: &mut String, trace: &Trace<'_>) {
    if trace.considered.is_empty() {
        return;
    }
    let mut instead_of = "";
    for (number, considered) in trace.considered.iter().enumerate() {
        if considered.instead_of != instead_of {
            if !instead_of.is_empty() {
                html.push_str("</table>");
            }
            instead_of = &considered.instead_of;
            let _ = write!(
                html,
                "<h3>Not found: {}. What a person would look at instead, boxed and numbered above:</h3>\
                 <table class=\"legend\"><tr><th>#</th><th>element</th><th>name the harness read</th><th>where it read it</th><th>the line that finds it</th></tr>",
                escape(instead_of)
            );
        }
        let shown = match trace.viewport {
            Some(viewport)
                if considered
                    .rect
                    .and_then(|rect| box_style(rect, viewport))
                    .is_some() =>
            {
                ""
            }
            _ => " (not in view: no box)",
        };
        let _ = write!(
            html,
            "<tr><td>{}</td><td>{}{}</td><td>\"{}\"</td><td>{}</td><td><code>{}</code></td></tr>",
            number + 1,
            escape(&considered.role),
            shown,
            escape(&considered.name),
            escape(considered.origin.as_deref().unwrap_or("its markup")),
            escape(&considered.action_line)
        );
    }
    html.push_str("</table>");
}

/// A box's position over the screenshot in percent of the viewport, clipped to it; `None`
/// where no part of it is in view.
fn box_style(
    [left, top, width, height]: [i64; 4],
    (view_width, view_height): (f64, f64),
) -> Option<String> {
    let (left, top) = (left as f64, top as f64);
    let (right, bottom) = (left + width as f64, top + height as f64);
    let (left, top) = (left.max(0.0), top.max(0.0));
    let (right, bottom) = (right.min(view_width), bottom.min(view_height));
    if right <= left || bottom <= top || view_width <= 0.0 || view_height <= 0.0 {
        return None;
    }
    let percent = |value: f64, of: f64| value / of * 100.0;
    Some(format!(
        "left:{:.3}%;top:{:.3}%;width:{:.3}%;height:{:.3}%",
        percent(left, view_width),
        percent(top, view_height),
        percent(right - left, view_width),
        percent(bottom - top, view_height)
    ))
}

const STYLE: &str = "body{font-family:sans-serif;margin:0;color:#1c2233}header{background:#fdecea;padding:16px 24px;border-bottom:1px solid #f3c1bc}h1{font-size:20px;margin:0 0 6px}.guide{color:#555;margin:0 0 10px}dl{display:grid;grid-template-columns:110px 1fr;gap:4px 12px;margin:0}dt{font-weight:bold}dd{margin:0}nav a{margin-right:12px}section{padding:8px 24px}h2{font-size:16px;border-bottom:1px solid #ddd;padding-bottom:4px}table{border-collapse:collapse;width:100%}td,th{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top;font-size:13px}tr.failed td,tr.severe td{background:#fdecea}tr.warning td{background:#fff6e0}pre{margin:0;white-space:pre-wrap;font-size:12px}img{max-width:100%;border:1px solid #ccc;display:block}.shot{position:relative;display:inline-block;max-width:100%}.considered{position:absolute;box-sizing:border-box;border:2px solid #d0021b}.considered span{position:absolute;left:0;top:0;background:#d0021b;color:#fff;font:bold 12px sans-serif;padding:1px 5px;border-radius:3px}h3{font-size:14px;margin:12px 0 4px}iframe{width:100%;height:600px;border:1px solid #ccc}";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_trace_escapes_what_the_page_wrote_and_says_what_is_missing() {
        let console = [ConsoleEntry {
            level: "SEVERE".to_string(),
            message: "<script>alert(1)</script> failed".to_string(),
            source: None,
            timestamp: None,
        }];
        let actions = [ActionRecord {
            action: "click tab \"Profiles\"".to_string(),
            location: "x.toml:3:4".to_string(),
            started_at: 0.0,
            seconds: 15.0,
            status: "failed",
            note: None,
        }];
        let trace = Trace {
            scenario: "broken",
            step: "Upgrade 2",
            guide_words: "select the **Profile** tab",
            location: "x.toml:3:4",
            action: "click tab \"Profiles\"",
            expected: "tab \"Profiles\" to be visible",
            page_showed: "no tab \"Profiles\"",
            page_url: Some("http://127.0.0.1/system"),
            actions: &actions,
            console: Some(&console),
            failed_requests: &[],
            outline: None,
            has_screenshot: false,
            viewport: None,
            considered: &[],
            has_page: true,
        };
        let html = render(&trace);
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; failed"));
        assert!(!html.contains("<script>"));
        assert!(html.contains("select the Profile tab"));
        assert!(html.contains("No screenshot"));
        assert!(html.contains("sandbox=\"\""));
        let unavailable = render(&Trace {
            console: None,
            ..trace
        });
        assert!(unavailable.contains("offers no console log"));
    }

    #[test]
    fn elements_considered_instead_are_boxed_over_the_screenshot_in_the_viewports_proportions() {
        let considered = [
            Considered {
                instead_of: "tab \"Profiles\"".to_string(),
                role: "tab".to_string(),
                name: "Profile".to_string(),
                origin: Some("its text".to_string()),
                rect: Some([320, 80, 64, 40]),
                action_line: "click tab \"Profile\"".to_string(),
            },
            Considered {
                instead_of: "tab \"Profiles\"".to_string(),
                role: "tab".to_string(),
                name: "Nodes <b>".to_string(),
                origin: None,
                rect: Some([-500, 80, 64, 40]),
                action_line: "click tab \"Nodes <b>\"".to_string(),
            },
        ];
        let html = render(&Trace {
            scenario: "broken",
            step: "Upgrade 2",
            guide_words: "",
            location: "x.toml:3:4",
            action: "click tab \"Profiles\"",
            expected: "",
            page_showed: "",
            page_url: None,
            actions: &[],
            console: None,
            failed_requests: &[],
            outline: None,
            has_screenshot: true,
            viewport: Some((1280.0, 800.0)),
            considered: &considered,
            has_page: false,
        });
        // 320/1280 = 25 %, 80/800 = 10 %, 64/1280 = 5 %, 40/800 = 5 %.
        assert!(
            html.contains("style=\"left:25.000%;top:10.000%;width:5.000%;height:5.000%\" title=\"tab &quot;Profile&quot;\"><span>1</span>"),
            "{html}"
        );
        assert_eq!(
            html.matches("class=\"considered\"").count(),
            1,
            "the second is out of view"
        );
        assert!(html.contains("Not found: tab &quot;Profiles&quot;"));
        assert!(html.contains("<td>1</td><td>tab</td><td>\"Profile\"</td><td>its text</td><td><code>click tab &quot;Profile&quot;</code></td>"));
        assert!(html.contains("<td>2</td><td>tab (not in view: no box)</td><td>\"Nodes &lt;b&gt;\"</td><td>its markup</td>"));
    }
}
