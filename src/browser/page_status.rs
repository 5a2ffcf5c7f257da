//! What the page shows a person about its state: the HTTP status it was served with, the
//! browser's own error page, its text, a login form, its alerts, and what blocks it (a lock
//! screen, a busy overlay, an alert dialog).

use std::time::Duration;

use serde_json::json;

use super::{Browser, BrowserError, LoginFormProbe};

/// The page's HTTP status, or null.
const RESPONSE_STATUS_SCRIPT: &str = include_str!("scripts/response_status.js");
/// The text of the browser's own error page, or null.
const ERROR_PAGE_SCRIPT: &str = include_str!("scripts/error_page.js");
/// A visible password field, and the login form's alerts.
const LOGIN_FORM_SCRIPT: &str = concat!(
    include_str!("../locate/accname.js"),
    "\n",
    include_str!("scripts/shown.js"),
    "\n",
    include_str!("scripts/login_form.js")
);
/// The visible texts of the page's alerts.
const ALERTS_SCRIPT: &str = concat!(
    include_str!("../locate/accname.js"),
    "\n",
    include_str!("scripts/shown.js"),
    "\n",
    include_str!("scripts/alerts.js")
);
/// What blocks the page, watched for up to `arguments[0]` ms; run with execute-async.
const BLOCKING_STATUS_SCRIPT: &str = concat!(
    include_str!("scripts/shown.js"),
    "\n",
    include_str!("scripts/blocking_status.js")
);

impl Browser {
    /// The HTTP status the page was served with (`None` where the browser does not say).
    pub async fn response_status(&self) -> Result<Option<u16>, BrowserError> {
        let reply = self.script(RESPONSE_STATUS_SCRIPT, vec![]).await?;
        Ok(reply.as_u64().and_then(|status| u16::try_from(status).ok()))
    }

    /// What the browser's own error page says, when it shows one instead of the page (a refused
    /// certificate, a refused connection): `None` for any page a server sent.
    pub async fn error_page(&self) -> Result<Option<String>, BrowserError> {
        let reply = self.script(ERROR_PAGE_SCRIPT, vec![]).await?;
        Ok(reply.as_str().map(str::to_string))
    }

    /// The page's visible text, whitespace as rendered.
    pub async fn page_text(&self) -> Result<String, BrowserError> {
        let reply = self
            .script(
                "return document.body ? document.body.innerText : ''",
                vec![],
            )
            .await?;
        Ok(reply.as_str().unwrap_or_default().to_string())
    }

    /// What the page shows of a login form: a visible password field, and what its alerts say.
    pub async fn login_form(&self) -> Result<LoginFormProbe, BrowserError> {
        let reply = self.script(LOGIN_FORM_SCRIPT, vec![]).await?;
        serde_json::from_value(reply)
            .map_err(|error| BrowserError::UnexpectedReply(error.to_string()))
    }

    /// The visible texts of the page's alerts (`role="alert"`, `aria-live="assertive"`): the error
    /// a console shows when something it tried went wrong.
    pub async fn alerts(&self) -> Result<Vec<String>, BrowserError> {
        let reply = self.script(ALERTS_SCRIPT, vec![]).await?;
        serde_json::from_value(reply)
            .map_err(|error| BrowserError::UnexpectedReply(error.to_string()))
    }

    /// What a page that blocks the user says about itself (a lock screen, a busy overlay, an
    /// alert dialog), or `None` when nothing blocks the page. Progress bars alone do not count:
    /// dashboards show them for other reasons; a bar inside the blocker adds its percentage.
    /// A blocked page is watched in the page for up to `until_clear` and answers within 50 ms
    /// of the blocker going away: one round trip a second through a long lock, not ten. A page
    /// that navigates meanwhile is reported as loading (still blocked, for another look).
    pub async fn blocking_status(
        &self,
        until_clear: Duration,
    ) -> Result<Option<String>, BrowserError> {
        let reply = self
            .script_async(
                BLOCKING_STATUS_SCRIPT,
                vec![json!(until_clear.as_millis() as u64)],
            )
            .await;
        match reply {
            Ok(reply) => Ok(reply.as_str().map(str::to_string)),
            // chromedriver: "document unloaded while waiting for result"; geckodriver: "Document
            // was unloaded".
            Err(error) if error.to_string().to_lowercase().contains("unloaded") => {
                Ok(Some("the page is loading".to_string()))
            }
            Err(error) => Err(error.into()),
        }
    }
}
