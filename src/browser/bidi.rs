//! The browser's console log through WebDriver BiDi, for drivers with no log endpoint of their
//! own (geckodriver): the session is asked for a `webSocketUrl`, and a task subscribed to
//! `log.entryAdded` on that socket keeps the entries until the trace of a failed step takes
//! them. Only what the page logs after the subscription is seen (the session subscribes before
//! its first page). The entries are translated into chromedriver's shape ([`ConsoleEntry`]), so
//! a trace reads the same on every browser.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::Message;

use super::ConsoleEntry;

/// Entries kept at most; older ones are dropped first (a page that logs in a loop must not
/// grow the harness without bound).
const KEPT_ENTRIES: usize = 2_000;

/// How long connecting and subscribing may take before the session goes on without a log.
const SUBSCRIBE_TIMEOUT: Duration = Duration::from_secs(5);

/// The console entries a BiDi subscription collects; the collecting task ends with this value.
#[derive(Debug)]
pub(super) struct BidiLog {
    entries: Arc<Mutex<VecDeque<ConsoleEntry>>>,
    task: tokio::task::JoinHandle<()>,
}

impl BidiLog {
    /// Connects to the session's BiDi socket and subscribes to `log.entryAdded`; says why not
    /// when that fails.
    pub(super) async fn subscribe(url: &str) -> Result<BidiLog, String> {
        tokio::time::timeout(SUBSCRIBE_TIMEOUT, Self::connect_and_subscribe(url))
            .await
            .map_err(|_| format!("no answer from {url} in {} s", SUBSCRIBE_TIMEOUT.as_secs()))?
    }

    async fn connect_and_subscribe(url: &str) -> Result<BidiLog, String> {
        let (mut socket, _) = tokio_tungstenite::connect_async(url)
            .await
            .map_err(|error| format!("cannot connect to {url}: {error}"))?;
        let request = json!({
            "id": 1,
            "method": "session.subscribe",
            "params": { "events": ["log.entryAdded"] },
        });
        socket
            .send(Message::text(request.to_string()))
            .await
            .map_err(|error| format!("cannot subscribe: {error}"))?;
        // Events may only arrive once the subscription's answer has.
        loop {
            let message = socket
                .next()
                .await
                .ok_or("the socket closed before the subscription was answered")?
                .map_err(|error| format!("cannot subscribe: {error}"))?;
            let Some(reply) = json_of(&message) else {
                continue;
            };
            if reply.get("id") == Some(&json!(1)) {
                if reply.get("type").and_then(Value::as_str) == Some("error") {
                    return Err(format!(
                        "session.subscribe refused: {}",
                        reply.get("message").and_then(Value::as_str).unwrap_or("")
                    ));
                }
                break;
            }
        }
        let entries = Arc::new(Mutex::new(VecDeque::new()));
        let collected = Arc::clone(&entries);
        let task = tokio::spawn(async move {
            while let Some(Ok(message)) = socket.next().await {
                if let Some(entry) = json_of(&message).as_ref().and_then(entry_of) {
                    let mut entries = collected.lock().unwrap_or_else(|e| e.into_inner());
                    if entries.len() == KEPT_ENTRIES {
                        entries.pop_front();
                    }
                    entries.push_back(entry);
                }
            }
        });
        Ok(BidiLog { entries, task })
    }

    /// The entries collected since the last call.
    pub(super) fn take(&self) -> Vec<ConsoleEntry> {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.drain(..).collect()
    }
}

impl Drop for BidiLog {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn json_of(message: &Message) -> Option<Value> {
    match message {
        Message::Text(text) => serde_json::from_str(text.as_str()).ok(),
        _ => None,
    }
}

/// A `log.entryAdded` event as chromedriver would have logged it: level `SEVERE`, `WARNING`,
/// `INFO` or `DEBUG`; source `console-api` or `javascript`; for an uncaught error, the place it
/// was thrown before its text. `None` for any other message.
pub(super) fn entry_of(message: &Value) -> Option<ConsoleEntry> {
    if message.get("method").and_then(Value::as_str) != Some("log.entryAdded") {
        return None;
    }
    let params = message.get("params")?;
    let text = params.get("text").and_then(Value::as_str).unwrap_or("");
    let level = match params.get("level").and_then(Value::as_str) {
        Some("error") => "SEVERE",
        Some("warn") => "WARNING",
        Some("debug") => "DEBUG",
        _ => "INFO",
    };
    let source = match params.get("type").and_then(Value::as_str) {
        Some("console") => "console-api".to_string(),
        Some(other) => other.to_string(),
        None => "console-api".to_string(),
    };
    let place = params
        .pointer("/stackTrace/callFrames/0")
        .and_then(|frame| {
            let url = frame.get("url").and_then(Value::as_str)?;
            let line = frame.get("lineNumber").and_then(Value::as_i64)?;
            let column = frame.get("columnNumber").and_then(Value::as_i64)?;
            // BiDi counts lines and columns from 0, chromedriver's log from 1.
            Some(format!("{url} {}:{} ", line + 1, column + 1))
        })
        .unwrap_or_default();
    Some(ConsoleEntry {
        level: level.to_string(),
        message: format!("{place}{text}"),
        source: Some(source),
        timestamp: params.get("timestamp").and_then(Value::as_i64),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_uncaught_error_keeps_its_place_and_severity() {
        let event = json!({
            "type": "event",
            "method": "log.entryAdded",
            "params": {
                "type": "javascript",
                "level": "error",
                "text": "TypeError: profile is undefined",
                "timestamp": 1_796_234_674_114_i64,
                "source": { "realm": "r", "context": "c" },
                "stackTrace": { "callFrames": [
                    { "url": "http://127.0.0.1:8443/system/app.js", "functionName": "f",
                      "lineNumber": 41, "columnNumber": 6 }
                ] }
            }
        });
        let entry = entry_of(&event).expect("an entry");
        assert_eq!(entry.level, "SEVERE");
        assert_eq!(entry.source.as_deref(), Some("javascript"));
        assert_eq!(
            entry.message,
            "http://127.0.0.1:8443/system/app.js 42:7 TypeError: profile is undefined"
        );
        assert_eq!(entry.timestamp, Some(1_796_234_674_114));
    }

    #[test]
    fn a_console_warning_is_a_warning_from_the_console_api() {
        let event = json!({
            "type": "event",
            "method": "log.entryAdded",
            "params": { "type": "console", "method": "warn", "level": "warn",
                        "text": "slow layer", "timestamp": 5 }
        });
        let entry = entry_of(&event).expect("an entry");
        assert_eq!(
            (
                entry.level.as_str(),
                entry.source.as_deref(),
                entry.message.as_str()
            ),
            ("WARNING", Some("console-api"), "slow layer")
        );
    }

    #[test]
    fn other_messages_are_not_entries() {
        assert!(entry_of(&json!({ "id": 1, "type": "success", "result": {} })).is_none());
        assert!(
            entry_of(&json!({ "type": "event", "method": "browsingContext.load",
                                   "params": {} }))
            .is_none()
        );
    }
}
