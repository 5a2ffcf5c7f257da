//! Opening a browser session (the capabilities file with this run's profile, visibility, scale
//! and certificate trust applied), sizing its viewport, navigating, and closing it.

use std::path::{Path, PathBuf};
use std::time::Duration;

use fantoccini::ClientBuilder;
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{json, Value};

use super::driver::DriverProcess;
use super::virtual_display::VirtualDisplay;
use super::{
    bidi, firefox_profile, owed, Browser, BrowserError, BrowserKind, BrowserOptions,
    CertificateTrust, DEFAULT_CAPABILITIES, DEFAULT_FIREFOX_CAPABILITIES,
};

impl Browser {
    pub async fn start(options: &BrowserOptions) -> Result<Browser, BrowserError> {
        let session_dir = std::env::temp_dir().join(format!(
            "palette-harness-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|elapsed| elapsed.as_nanos())
                .unwrap_or(0)
        ));
        // A headed browser on a machine without a display gets a virtual one (Xvfb).
        let virtual_display =
            (options.headed && options.webdriver_url.is_none() && VirtualDisplay::needed())
                .then(VirtualDisplay::start)
                .transpose()?;
        let (driver, url, user_data_dir) = match &options.webdriver_url {
            Some(url) => (None, url.trim_end_matches('/').to_string(), None),
            None => {
                let driver = DriverProcess::start(
                    &options.chromedriver,
                    options.browser,
                    session_dir.clone(),
                    virtual_display.as_ref().map(VirtualDisplay::display),
                )?;
                let url = driver.url();
                let profile = driver.temp_dir().join("profile");
                (Some(driver), url, Some(profile))
            }
        };
        let capabilities = capabilities(options, user_data_dir.as_deref())?;
        let session_failed = |message: String| BrowserError::Session {
            url: url.clone(),
            message,
        };
        let client = if url.starts_with("https:") {
            // A remote WebDriver (Selenium Grid) behind TLS, checked against the system's roots.
            ClientBuilder::rustls()
                .map_err(|error| session_failed(format!("TLS set-up failed: {error}")))?
                .capabilities(capabilities)
                .connect(&url)
                .await
        } else {
            ClientBuilder::new(HttpConnector::new())
                .capabilities(capabilities)
                .connect(&url)
                .await
        }
        .map_err(|error| session_failed(session_error_text(&error, &url)))?;
        let mut tag = browser_tag(client.capabilities(), options.viewport);
        if options.device_scale != 1.0 {
            tag.push_str(&format!("@{}x", options.device_scale));
        }
        let field = |name: &str| {
            client
                .capabilities()
                .and_then(|capabilities| capabilities.get(name))
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        };
        let name_and_version = (field("browserName"), field("browserVersion"));
        let chromium = name_and_version.0 == "chrome";
        let web_socket_url = field("webSocketUrl");
        let mut browser = Browser {
            client,
            tag,
            name_and_version,
            bidi_log: None,
            owed: owed::OwedCleanup::default(),
            fast_screenshots: std::sync::atomic::AtomicBool::new(chromium),
            fonts_late: std::sync::atomic::AtomicBool::new(false),
            webdriver_url: url.clone(),
            driver,
            user_data_dir,
            virtual_display,
        };
        // On the start page (about:blank, as webdriver/chromium.json asks) this takes a few
        // milliseconds; on a browser's new-tab page it waits for that page to load.
        browser.set_viewport(options.viewport).await?;
        // Subscribed once the start page has settled, before the first page of the run. Without
        // the socket the trace says the log is not available; the run goes on.
        if web_socket_url.starts_with("ws://") {
            browser.bidi_log = bidi::BidiLog::subscribe(&web_socket_url).await.ok();
        }
        Ok(browser)
    }

    /// Sizes the window so the page gets exactly `viewport`, whatever the browser's own UI takes.
    async fn set_viewport(&self, (width, height): (u32, u32)) -> Result<(), BrowserError> {
        for _ in 0..3 {
            let inner = self
                .script("return [innerWidth, innerHeight]", vec![])
                .await?;
            let (inner_width, inner_height) = pair(&inner)?;
            if inner_width == i64::from(width) && inner_height == i64::from(height) {
                return Ok(());
            }
            let (window_width, window_height) = self.client.get_window_size().await?;
            let new_width = window_width as i64 + i64::from(width) - inner_width;
            let new_height = window_height as i64 + i64::from(height) - inner_height;
            self.client
                .set_window_size(new_width.max(100) as u32, new_height.max(100) as u32)
                .await?;
        }
        Ok(())
    }

    /// The browser's name and full version: `("chrome", "156.0.8078.114")`.
    pub fn name_and_version(&self) -> (&str, &str) {
        (&self.name_and_version.0, &self.name_and_version.1)
    }

    /// The WebDriver server this session runs on, for another client to drive the same browser.
    pub fn webdriver_url(&self) -> &str {
        &self.webdriver_url
    }

    /// The WebDriver session's id, for another client to drive the same browser.
    pub async fn session_id(&self) -> Result<String, BrowserError> {
        Ok(self.client.session_id().await?.unwrap_or_default())
    }

    /// Browser, major version and viewport, e.g. `chrome156-1280x800`.
    pub fn tag(&self) -> &str {
        &self.tag
    }

    /// The viewport's size in CSS px, as the page sees it.
    pub async fn viewport_size(&self) -> Result<(f64, f64), BrowserError> {
        let size = self
            .script("return [window.innerWidth, window.innerHeight];", vec![])
            .await?;
        match (size[0].as_f64(), size[1].as_f64()) {
            (Some(width), Some(height)) => Ok((width, height)),
            _ => Err(BrowserError::UnexpectedReply(format!(
                "viewport size: {size}"
            ))),
        }
    }

    /// Loads `url`, as a person opens an address.
    pub async fn goto(&self, url: &str) -> Result<(), BrowserError> {
        self.settle_owed().await;
        Ok(self.client.goto(url).await?)
    }

    pub async fn current_url(&self) -> Result<String, BrowserError> {
        self.settle_owed().await;
        Ok(self.client.current_url().await?.to_string())
    }

    /// Ends the session, then the driver; the driver is also killed if this is never called.
    pub async fn close(mut self) {
        // Bounded: a browser that hangs on close must not hang the harness.
        let _ = tokio::time::timeout(Duration::from_secs(10), self.client.clone().close()).await;
        self.driver.take();
        if let Some(dir) = self.user_data_dir.take() {
            let _ = std::fs::remove_dir_all(dir);
        }
        self.virtual_display.take();
    }
}

fn browser_tag(
    capabilities: Option<&serde_json::Map<String, Value>>,
    (width, height): (u32, u32),
) -> String {
    let field = |name: &str| {
        capabilities
            .and_then(|capabilities| capabilities.get(name))
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    let name: String = field("browserName")
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    let major = field("browserVersion")
        .split('.')
        .next()
        .unwrap_or_default()
        .to_string();
    let name = if name.is_empty() {
        "browser".to_string()
    } else {
        name.to_lowercase()
    };
    format!("{name}{major}-{width}x{height}")
}

/// Why a session could not be opened, with every cause the error carries (hyper's "client error
/// (Connect)" alone hides the refused certificate behind it), and what to do about a WebDriver
/// server whose certificate this machine does not trust.
fn session_error_text(error: &dyn std::error::Error, url: &str) -> String {
    let mut text = error.to_string();
    // `cause`, not `source`: fantoccini's errors give their causes only that (older) way, and
    // the default `cause` forwards to `source` for everyone else.
    #[allow(deprecated)]
    let mut cause = error.cause();
    while let Some(inner) = cause {
        let said = inner.to_string();
        if !text.contains(&said) {
            text.push_str(": ");
            text.push_str(&said);
        }
        #[allow(deprecated)]
        let next = inner.cause();
        cause = next;
    }
    if url.starts_with("https:") && text.to_lowercase().contains("certificate") {
        text.push_str(
            ". This machine does not trust the WebDriver server's certificate: add the CA that \
             signed it to the system's trust store, or point SSL_CERT_FILE at it (PEM)",
        );
    }
    text
}

fn pair(value: &Value) -> Result<(i64, i64), BrowserError> {
    match value.as_array().map(|items| items.as_slice()) {
        Some([a, b]) => match (a.as_i64(), b.as_i64()) {
            (Some(a), Some(b)) => Ok((a, b)),
            _ => Err(BrowserError::UnexpectedReply(value.to_string())),
        },
        _ => Err(BrowserError::UnexpectedReply(value.to_string())),
    }
}

/// The capabilities file with this session's profile directory and visibility applied.
fn capabilities(
    options: &BrowserOptions,
    user_data_dir: Option<&Path>,
) -> Result<serde_json::Map<String, Value>, BrowserError> {
    let (source, path) = match &options.capabilities_file {
        Some(path) => (
            std::fs::read_to_string(path).map_err(|error| BrowserError::Capabilities {
                path: path.clone(),
                message: error.to_string(),
            })?,
            path.clone(),
        ),
        None => match options.browser {
            BrowserKind::Chromium => (
                DEFAULT_CAPABILITIES.to_string(),
                PathBuf::from("webdriver/chromium.json"),
            ),
            BrowserKind::Firefox => (
                DEFAULT_FIREFOX_CAPABILITIES.to_string(),
                PathBuf::from("webdriver/firefox.json"),
            ),
        },
    };
    let mut capabilities: serde_json::Map<String, Value> =
        serde_json::from_str(&source).map_err(|error| BrowserError::Capabilities {
            path: path.clone(),
            message: error.to_string(),
        })?;
    if let Some(timeout) = options.page_load_timeout {
        capabilities.insert(
            "timeouts".to_string(),
            json!({ "pageLoad": timeout.as_millis() as u64 }),
        );
    }
    capabilities.insert(
        "acceptInsecureCerts".to_string(),
        json!(options.certificates == CertificateTrust::AcceptAny),
    );
    if capabilities.contains_key("goog:chromeOptions") {
        // The console log, for the trace of a failed step.
        capabilities
            .entry("goog:loggingPrefs")
            .or_insert_with(|| json!({ "browser": "ALL" }));
    }
    if let Some(Value::Object(chrome)) = capabilities.get_mut("goog:chromeOptions") {
        if let Some(Value::Array(args)) = chrome.get_mut("args") {
            if options.device_scale != 1.0 {
                args.push(json!(format!(
                    "--force-device-scale-factor={}",
                    options.device_scale
                )));
            }
            if let CertificateTrust::Pinned(certificates) = &options.certificates {
                let pins: Vec<&str> = certificates
                    .iter()
                    .map(|certificate| certificate.pin.as_str())
                    .collect();
                args.push(json!(format!(
                    "--ignore-certificate-errors-spki-list={}",
                    pins.join(",")
                )));
            }
            if options.headed {
                args.retain(|arg| {
                    !arg.as_str()
                        .is_some_and(|arg| arg.starts_with("--headless"))
                });
            }
            if let Some(dir) = user_data_dir {
                args.retain(|arg| {
                    !arg.as_str()
                        .is_some_and(|arg| arg.starts_with("--user-data-dir"))
                });
                args.push(json!(format!("--user-data-dir={}", dir.display())));
            }
        }
    }
    if let Some(Value::Object(firefox)) = capabilities.get_mut("moz:firefoxOptions") {
        if let CertificateTrust::Pinned(certificates) = &options.certificates {
            // A profile of its own whose certificate database trusts exactly the console's
            // certificate: a folder here, or, for a remote Firefox (Grid), a zip for its node.
            match user_data_dir {
                Some(dir) => {
                    firefox_profile::trusting(dir, certificates)?;
                    let args = firefox.entry("args").or_insert_with(|| json!([]));
                    if let Value::Array(args) = args {
                        args.push(json!("-profile"));
                        args.push(json!(dir.to_string_lossy()));
                    }
                }
                None => {
                    firefox.insert(
                        "profile".to_string(),
                        json!(firefox_profile::zipped_trusting(certificates)),
                    );
                }
            }
        }
        if options.headed {
            if let Some(Value::Array(args)) = firefox.get_mut("args") {
                args.retain(|arg| arg.as_str() != Some("-headless"));
            }
        }
        if options.device_scale != 1.0 {
            let prefs = firefox.entry("prefs").or_insert_with(|| json!({}));
            if let Value::Object(prefs) = prefs {
                prefs.insert(
                    "layout.css.devPixelsPerPx".to_string(),
                    json!(options.device_scale.to_string()),
                );
            }
        }
    }
    // A capabilities file with `"webSocketUrl": true` (webdriver/firefox.json has it) gets the
    // console log over WebDriver BiDi (see `bidi`); each geckodriver gives its Firefox its own
    // BiDi port (see `driver`).
    Ok(capabilities)
}
