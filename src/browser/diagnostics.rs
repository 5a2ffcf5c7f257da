//! What the trace of a failed step keeps of the page: its HTML, what it wrote to the browser's
//! console, and its requests that failed.

use serde_json::Value;

use super::{Browser, BrowserError, ConsoleEntry, FailedRequest, SessionPost};

/// chromedriver's log endpoint.
const BROWSER_LOG: SessionPost = SessionPost {
    path: "se/log",
    body: std::borrow::Cow::Borrowed(r#"{"type":"browser"}"#),
};

/// The page's failed requests, from its Resource Timing entries.
const FAILED_REQUESTS_SCRIPT: &str = include_str!("scripts/failed_requests.js");

impl Browser {
    /// The page's current HTML.
    pub async fn html(&self) -> Result<String, BrowserError> {
        self.settle_owed().await;
        Ok(self.client.source().await?)
    }

    /// What the page wrote to the browser's console since the last call (and its uncaught
    /// errors), where the driver offers it: the `log.entryAdded` events of the session's
    /// WebDriver BiDi socket (geckodriver), or chromedriver's log of type `browser`, which the
    /// session asks for with `goog:loggingPrefs`. `None` where the driver offers neither.
    pub async fn console_log(&self) -> Result<Option<Vec<ConsoleEntry>>, BrowserError> {
        if let Some(log) = &self.bidi_log {
            return Ok(Some(log.take()));
        }
        self.settle_owed().await;
        match self.client.issue_cmd(BROWSER_LOG).await {
            Ok(Value::Array(entries)) => Ok(Some(
                entries
                    .into_iter()
                    .filter_map(|entry| serde_json::from_value(entry).ok())
                    .collect(),
            )),
            Ok(_) => Ok(Some(Vec::new())),
            // geckodriver, and Grids that do not pass the endpoint on.
            Err(error)
                if error.is_unknown_command()
                    || error.is_unknown_method()
                    || error.is_unknown_path() =>
            {
                Ok(None)
            }
            Err(error) => Err(error.into()),
        }
    }

    /// The page's requests that failed, as the page's own Resource Timing records them: an
    /// HTTP status of 400 or more, or none at all (refused, reset, blocked). The same on every
    /// browser; requests of earlier pages of the session are not in it.
    pub async fn failed_requests(&self) -> Result<Vec<FailedRequest>, BrowserError> {
        let reply = self.script(FAILED_REQUESTS_SCRIPT, vec![]).await?;
        Ok(serde_json::from_value(reply).unwrap_or_default())
    }
}
