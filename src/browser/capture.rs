//! What screenshots and page snapshots need of the page: the screenshot itself, the page held
//! still for it and let go after (`capture/hold_still.js`, `capture/release.js`), highlight boxes
//! drawn over it, elements' boxes for masks, elements hidden for a shot, and the page outline.

use serde_json::{json, Value};

use super::{Browser, BrowserError, ElementHandle, SessionPost};

/// Draws the highlight boxes: a style, then the elements.
const HIGHLIGHT_SCRIPT: &str = include_str!("../capture/highlight.js");
/// Removes what [`HIGHLIGHT_SCRIPT`] drew.
const REMOVE_HIGHLIGHTS_SCRIPT: &str = include_str!("scripts/remove_highlights.js");
/// Each element's box and device pixels per CSS pixel.
const ELEMENT_RECTS_SCRIPT: &str = include_str!("scripts/element_rects.js");
/// Hides elements, keeping the layout, or shows them again.
const SET_HIDDEN_SCRIPT: &str = include_str!("scripts/set_hidden.js");

/// A screenshot of the viewport through chromedriver's DevTools endpoint (`Page.captureScreenshot`,
/// which is what chromedriver's own screenshot command runs), plus `optimizeForSpeed`: Chromium
/// compresses the PNG less. The pixels are the same; Chromium spends about a third of the CPU on
/// it (measured on the reference console's login page: 180 ms a shot against 55 ms) and answers
/// in less than half the time, for a PNG twice the size that the harness decodes anyway.
const FAST_SCREENSHOT: SessionPost = SessionPost {
    path: "goog/cdp/execute",
    body: std::borrow::Cow::Borrowed(
        r#"{"cmd":"Page.captureScreenshot","params":{"format":"png","optimizeForSpeed":true}}"#,
    ),
};

impl Browser {
    /// A PNG of the viewport as it is.
    pub async fn screenshot(&self) -> Result<Vec<u8>, BrowserError> {
        self.settle_owed().await;
        if let Some(png) = self.fast_screenshot().await? {
            return Ok(png);
        }
        Ok(self.client.screenshot().await?)
    }

    /// The screenshot through [`FAST_SCREENSHOT`], or `None` where the session does not offer
    /// it: not Chromium, or a driver or Grid that refused the endpoint (then never asked again).
    async fn fast_screenshot(&self) -> Result<Option<Vec<u8>>, BrowserError> {
        use std::sync::atomic::Ordering::Relaxed;
        if !self.fast_screenshots.load(Relaxed) {
            return Ok(None);
        }
        let reply = match self.client.issue_cmd(FAST_SCREENSHOT).await {
            Ok(reply) => reply,
            Err(error)
                if error.is_unknown_command()
                    || error.is_unknown_method()
                    || error.is_unknown_path() =>
            {
                self.fast_screenshots.store(false, Relaxed);
                return Ok(None);
            }
            Err(error) => return Err(error.into()),
        };
        let data = reply.get("data").and_then(Value::as_str).ok_or_else(|| {
            BrowserError::UnexpectedReply(format!("a screenshot without data: {reply}"))
        })?;
        use base64::Engine;
        base64::engine::general_purpose::STANDARD
            .decode(data)
            .map(Some)
            .map_err(|error| BrowserError::UnexpectedReply(format!("a screenshot's data: {error}")))
    }

    /// Makes the page hold still for screenshots (`capture/hold_still.js`): no focus or caret,
    /// animations finished, fonts loaded, all of it painted. Safe to call again between shots.
    pub async fn hold_still(&self) -> Result<(), BrowserError> {
        let held = self
            .script_async(crate::capture::HOLD_STILL_SCRIPT, vec![])
            .await?;
        self.note_held(&held);
        Ok(())
    }

    /// Whether a hold-still gave up waiting for web fonts (2 s) since the last call: text drawn
    /// in a fallback font may look different in the next run.
    pub fn take_fonts_late(&self) -> bool {
        self.fonts_late
            .swap(false, std::sync::atomic::Ordering::Relaxed)
    }

    fn note_held(&self, held: &Value) {
        if *held == Value::Bool(false) {
            self.fonts_late
                .store(true, std::sync::atomic::Ordering::Relaxed);
        }
    }

    /// Runs `first` with `arguments`, then makes the page hold still, in one command (see
    /// [`crate::capture::then_hold_still`]); `first`'s answer.
    async fn then_hold_still(
        &self,
        first: &str,
        arguments: Vec<Value>,
    ) -> Result<Value, BrowserError> {
        let mut answer = self
            .script_async(&crate::capture::then_hold_still(first), arguments)
            .await?;
        self.note_held(&answer["held"]);
        Ok(answer["first"].take())
    }

    /// Undoes [`Browser::hold_still`]: carets show and endless animations play again, as the
    /// first thing the next command does (see `owed.rs`).
    pub async fn release(&self) -> Result<(), BrowserError> {
        self.owed.owe(crate::capture::RELEASE_SCRIPT);
        Ok(())
    }

    /// Draws a box around each element, over the page (in the top layer, above modal dialogs,
    /// never moving the layout), until [`Browser::remove_highlights`].
    pub async fn draw_highlights(
        &self,
        elements: &[ElementHandle],
        style: &crate::scenario::HighlightStyle,
    ) -> Result<(), BrowserError> {
        if elements.is_empty() {
            return Ok(());
        }
        self.script(HIGHLIGHT_SCRIPT, highlight_arguments(elements, style))
            .await?;
        Ok(())
    }

    /// [`Browser::draw_highlights`] (none: nothing drawn), then [`Browser::hold_still`], in one
    /// command.
    pub async fn draw_highlights_then_hold_still(
        &self,
        elements: &[ElementHandle],
        style: &crate::scenario::HighlightStyle,
    ) -> Result<(), BrowserError> {
        if elements.is_empty() {
            return self.hold_still().await;
        }
        self.then_hold_still(HIGHLIGHT_SCRIPT, highlight_arguments(elements, style))
            .await?;
        Ok(())
    }

    /// Removes the highlights [`Browser::draw_highlights`] drew, as the first thing the next
    /// command does (see `owed.rs`).
    pub async fn remove_highlights(&self) -> Result<(), BrowserError> {
        self.owed.owe(REMOVE_HIGHLIGHTS_SCRIPT);
        Ok(())
    }

    /// The page outline a page snapshot compares (see `capture/outline.js`).
    pub async fn page_outline(&self) -> Result<String, BrowserError> {
        let reply = self.script(crate::capture::OUTLINE_SCRIPT, vec![]).await?;
        outline_text(reply)
    }

    /// [`Browser::page_outline`], then [`Browser::hold_still`], in one command.
    pub async fn page_outline_then_hold_still(&self) -> Result<String, BrowserError> {
        outline_text(
            self.then_hold_still(crate::capture::OUTLINE_SCRIPT, vec![])
                .await?,
        )
    }

    /// Each element's box in CSS pixels, without scrolling, and device pixels per CSS pixel.
    pub async fn rects(
        &self,
        elements: &[ElementHandle],
    ) -> Result<(Vec<[i64; 4]>, f64), BrowserError> {
        let arguments = elements
            .iter()
            .map(ElementHandle::as_argument)
            .collect::<Vec<_>>();
        let reply = self.script(ELEMENT_RECTS_SCRIPT, arguments).await?;
        #[derive(serde::Deserialize)]
        struct Reply {
            rects: Vec<[i64; 4]>,
            scale: f64,
        }
        let reply: Reply = serde_json::from_value(reply)
            .map_err(|error| BrowserError::UnexpectedReply(error.to_string()))?;
        Ok((reply.rects, reply.scale))
    }

    /// Hides elements with `visibility: hidden` (keeping the layout), or restores them.
    pub async fn set_hidden(
        &self,
        elements: &[ElementHandle],
        hidden: bool,
    ) -> Result<(), BrowserError> {
        if elements.is_empty() {
            return Ok(());
        }
        let mut arguments = vec![json!(hidden)];
        arguments.extend(elements.iter().map(ElementHandle::as_argument));
        self.script(SET_HIDDEN_SCRIPT, arguments).await?;
        Ok(())
    }

    /// Device pixels per CSS pixel.
    pub async fn device_pixel_ratio(&self) -> Result<f64, BrowserError> {
        let ratio = self
            .script("return window.devicePixelRatio || 1", vec![])
            .await?;
        Ok(ratio.as_f64().unwrap_or(1.0))
    }
}

/// The arguments of [`HIGHLIGHT_SCRIPT`].
fn highlight_arguments(
    elements: &[ElementHandle],
    style: &crate::scenario::HighlightStyle,
) -> Vec<Value> {
    let [red, green, blue] = style.color;
    let mut arguments = vec![json!({
        "color": format!("rgb({red}, {green}, {blue})"),
        "width": style.width,
        "padding": style.padding,
        "radius": style.radius,
    })];
    arguments.extend(elements.iter().map(ElementHandle::as_argument));
    arguments
}

fn outline_text(reply: Value) -> Result<String, BrowserError> {
    reply
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| BrowserError::UnexpectedReply(format!("the page outline was {reply}")))
}
