//! The page side of `record`: the recorder's listeners (`scripts/recorder.js`, over the
//! locator's own naming scripts) put in every document the session opens, and drained.

use std::borrow::Cow;

use serde_json::{json, Value};

use super::{Browser, BrowserError, SessionPost};

/// The recorder and the scripts it names elements with, as one library.
const RECORDER_LIBRARY: &str = concat!(
    include_str!("../locate/code_editor.js"),
    "\n",
    include_str!("../locate/accname.js"),
    "\n",
    include_str!("../locate/candidates.js"),
    "\n",
    include_str!("scripts/shown.js"),
    "\nfunction loginForm() {\n",
    include_str!("scripts/login_form.js"),
    "\n}\n",
    include_str!("scripts/recorder.js"),
);

impl Browser {
    /// Puts the recorder into the page, and into every document the browser opens from now on
    /// (Chromium's `Page.addScriptToEvaluateOnNewDocument`, where the driver offers DevTools):
    /// a click right after a navigation is recorded too. Where the driver does not, each
    /// [`Browser::drain_recording`] puts it back after a navigation.
    pub async fn start_recording(&self) -> Result<(), BrowserError> {
        // Wrapped in a function: the library's names stay out of the page's global scope.
        let source = format!("(function () {{\n{RECORDER_LIBRARY}\ninstallRecorder();\n}})();");
        let body = json!({
            "cmd": "Page.addScriptToEvaluateOnNewDocument",
            "params": { "source": source },
        });
        let command = SessionPost {
            path: "goog/cdp/execute",
            body: Cow::Owned(body.to_string()),
        };
        // A driver without DevTools (geckodriver, some Grids) refuses; draining covers it.
        let _ = self.client.issue_cmd(command).await;
        self.drain_recording().await.map(|_| ())
    }

    /// The events the recorder queued since the last drain, the dialogs open now and the page's
    /// address: `{events, dialogs, url}` (see `scripts/recorder.js`).
    pub async fn drain_recording(&self) -> Result<Value, BrowserError> {
        let script = format!("{RECORDER_LIBRARY}\ninstallRecorder();\nreturn drainRecording();");
        Ok(self.script(&script, vec![]).await?)
    }

    /// Whether the browser is gone: its window closed, or its session or driver ended.
    pub fn is_gone(error: &BrowserError) -> bool {
        let text = error.to_string().to_lowercase();
        [
            "no such window",
            "invalid session id",
            "not reachable",
            "session deleted",
            "disconnected",
            "target window already closed",
            "connection refused",
        ]
        .iter()
        .any(|said| text.contains(said))
    }
}
