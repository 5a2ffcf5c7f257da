//! The only module that talks WebDriver: starts (or connects to) a driver, opens one browser
//! session at a fixed viewport, and offers the page operations the runner needs. It does not
//! decide anything: which element a label means is `locate`'s job, when to act is the runner's.

mod bidi;
mod driver;
mod firefox_profile;
mod owed;

use std::path::{Path, PathBuf};
use std::time::Duration;

use fantoccini::actions::{
    InputSource, KeyAction, KeyActions, MouseActions, PointerAction, MOUSE_BUTTON_LEFT,
};
use fantoccini::elements::{Element, ElementRef};
use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{json, Value};

use crate::locate::{Candidate, Group, Wanted, COLLECT_SCRIPT, LOCATE_SCRIPT};
pub use crate::trace::{ConsoleEntry, FailedRequest};
use driver::DriverProcess;

/// The capabilities shipped in `webdriver/chromium.json`, used when no file is given.
pub const DEFAULT_CAPABILITIES: &str = include_str!("../../webdriver/chromium.json");
/// The capabilities for Firefox ESR through geckodriver (`--browser firefox`).
pub const DEFAULT_FIREFOX_CAPABILITIES: &str = include_str!("../../webdriver/firefox.json");

/// Which browser a session drives.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum BrowserKind {
    /// Chromium through chromedriver (the default).
    #[default]
    Chromium,
    /// Firefox ESR through geckodriver.
    Firefox,
}
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";
/// Draws the highlight boxes: a style, then the elements.
const HIGHLIGHT_SCRIPT: &str = include_str!("../capture/highlight.js");
/// Removes what [`HIGHLIGHT_SCRIPT`] drew.
const REMOVE_HIGHLIGHTS_SCRIPT: &str =
    "for (const layer of document.querySelectorAll('[data-palette-harness-highlight]')) layer.remove();";
/// Replaces a field's or editor's text (`arguments[0]`) with `arguments[1]` the way a paste does,
/// so the page's own input handlers see the change.
const WRITE_TEXT_SCRIPT: &str = concat!(
    include_str!("../locate/code_editor.js"),
    "\n",
    r#"const [e, text] = arguments;
const codeEditor = codeEditorOf(e);
if (codeEditor) { codeEditor.set(text); return; }
if (codeEditorWidgetOf(e)) return "needs a paste";
e.focus();
if (e instanceof HTMLTextAreaElement || e instanceof HTMLInputElement) {
  const prototype = e instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
  Object.getOwnPropertyDescriptor(prototype, 'value').set.call(e, text);
  e.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertFromPaste' }));
  e.dispatchEvent(new Event('change', { bubbles: true }));
  // Show the pasted text from its first line, as a person sees it after pasting and scrolling up.
  e.setSelectionRange(0, 0);
  e.scrollTop = 0;
} else {
  document.execCommand('selectAll', false);
  document.execCommand('insertText', false, text);
}
e.blur();"#
);

#[derive(Debug, thiserror::Error)]
pub enum BrowserError {
    #[error(
        "could not start {program}: {source}. Install the browser stack with `webdriver/install.sh` \
         (Debian: chromium chromium-driver fonts-liberation fonts-dejavu-core), or pass \
         `--webdriver URL` to use a running WebDriver server"
    )]
    DriverNotStarted {
        program: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "chromedriver started three times but never said which port it took ({said}); run \
         `chromedriver --port=0` by hand to see why"
    )]
    DriverSilent { said: String },
    #[error("cannot create the driver's temp directory {}: {source}", path.display())]
    TempDir {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot read browser capabilities from {}: {message}", path.display())]
    Capabilities { path: PathBuf, message: String },
    #[error(
        "the WebDriver server at {url} did not open a browser session: {message}. Check that it runs \
         (`curl {url}/status`) and that its browser is installed (`webdriver/install.sh`)"
    )]
    Session { url: String, message: String },
    #[error("the browser stopped answering: {0}")]
    Command(#[from] fantoccini::error::CmdError),
    #[error("the page returned something the harness did not expect: {0}")]
    UnexpectedReply(String),
    #[error("cannot prepare the Firefox profile {} that trusts the console's certificate: {message}", dir.display())]
    FirefoxProfile { dir: PathBuf, message: String },
}

impl BrowserError {
    /// The page replaced an element between finding it and using it: worth another look, not
    /// a failure.
    pub fn is_stale(&self) -> bool {
        matches!(self, BrowserError::Command(error) if is_stale(error))
    }

    /// The browser refused the page's TLS certificate instead of showing an error page
    /// (geckodriver's `insecure certificate` error on a navigation).
    pub fn is_insecure_certificate(&self) -> bool {
        matches!(
            self,
            BrowserError::Command(fantoccini::error::CmdError::Standard(error))
                if error.error == fantoccini::error::ErrorStatus::InsecureCertificate
        )
    }
}

/// How to get a browser.
#[derive(Clone, Debug)]
pub struct BrowserOptions {
    /// A running WebDriver server; `None` starts the browser's driver.
    pub webdriver_url: Option<String>,
    pub browser: BrowserKind,
    /// The driver program to start: chromedriver, or geckodriver for Firefox.
    pub chromedriver: PathBuf,
    /// A capabilities JSON file; `None` uses [`DEFAULT_CAPABILITIES`].
    pub capabilities_file: Option<PathBuf>,
    pub headed: bool,
    /// The viewport (not window) size, in CSS pixels.
    pub viewport: (u32, u32),
    /// Which TLS certificates the browser accepts; this decides `acceptInsecureCerts`,
    /// whatever the capabilities file says.
    pub certificates: CertificateTrust,
    /// The longest a navigation may wait for the page (WebDriver's `pageLoad` timeout;
    /// chromedriver's own default is 300 s).
    pub page_load_timeout: Option<Duration>,
    /// Device pixels per CSS pixel (`--scale 2` for the docs' sharp images).
    pub device_scale: f64,
}

/// What the browser is told about TLS certificates.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum CertificateTrust {
    /// Its own verification: a certificate it does not trust shows its error page.
    #[default]
    Verify,
    /// Also these certificates, whoever signed them: Chromium by their keys' pins, Firefox by
    /// the certificates themselves at their addresses.
    Pinned(Vec<TrustedCertificate>),
    /// Anything (`acceptInsecureCerts`).
    AcceptAny,
}

/// A certificate the harness checked, and where it is to be accepted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrustedCertificate {
    pub host: String,
    pub port: u16,
    /// The certificate itself, DER.
    pub der: Vec<u8>,
    /// Its key's pin: base64 SHA-256 of the SPKI.
    pub pin: String,
}

impl Default for BrowserOptions {
    fn default() -> Self {
        BrowserOptions {
            webdriver_url: None,
            browser: BrowserKind::Chromium,
            chromedriver: PathBuf::from("chromedriver"),
            capabilities_file: None,
            headed: false,
            viewport: (1280, 800),
            certificates: CertificateTrust::Verify,
            page_load_timeout: None,
            device_scale: 1.0,
        }
    }
}

/// A POST with a fixed body to an endpoint of the session that W3C WebDriver lacks.
#[derive(Debug)]
struct SessionPost {
    path: &'static str,
    body: &'static str,
}

impl fantoccini::wd::WebDriverCompatibleCommand for SessionPost {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/{}",
            session_id.unwrap_or_default(),
            self.path
        ))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(self.body.to_string()))
    }
}

/// chromedriver's log endpoint.
const BROWSER_LOG: SessionPost = SessionPost {
    path: "se/log",
    body: r#"{"type":"browser"}"#,
};

/// A screenshot of the viewport through chromedriver's DevTools endpoint (`Page.captureScreenshot`,
/// which is what chromedriver's own screenshot command runs), plus `optimizeForSpeed`: Chromium
/// compresses the PNG less. The pixels are the same; Chromium spends about a third of the CPU on
/// it (measured on the reference console's login page: 180 ms a shot against 55 ms) and answers
/// in less than half the time, for a PNG twice the size that the harness decodes anyway.
const FAST_SCREENSHOT: SessionPost = SessionPost {
    path: "goog/cdp/execute",
    body: r#"{"cmd":"Page.captureScreenshot","params":{"format":"png","optimizeForSpeed":true}}"#,
};

/// An element the page handed out, valid until the page replaces it.
#[derive(Clone, Debug)]
pub struct ElementHandle(Element);

impl ElementHandle {
    fn as_argument(&self) -> Value {
        json!({ ELEMENT_KEY: self.0.element_id().to_string() })
    }
}

/// What [`Browser::locate`] reports about an element (`locate/probe.js`).
#[derive(Clone, Debug, PartialEq, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Probe {
    pub visible: bool,
    pub enabled: bool,
    pub covered_by: Option<String>,
    pub selected: Option<bool>,
    pub rect: Option<[i64; 4]>,
    /// Wholly inside the viewport (a hit test for covering elements means nothing otherwise).
    #[serde(default = "yes")]
    pub in_view: bool,
    /// The same box two animation frames apart; only asked for when a click is coming.
    #[serde(default)]
    pub stable: Option<bool>,
}

fn yes() -> bool {
    true
}

/// How much [`Browser::locate`] should find out about the last level's candidates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LocateNeed {
    /// Only that they are there (and their selected state).
    Present,
    /// There, and selected (tabs, layers) where they show a selected state.
    Selected,
    /// Also visible, enabled, in view and not covered.
    Visible,
    /// Also whether they held still for two animation frames.
    Clickable,
    /// Their text (an editor's, a field's), and whether it stayed the same at the next
    /// animation frame.
    Text,
}

/// When a look with several targets has found enough to answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Satisfied {
    ByAll,
    ByAny,
}

/// What [`Browser::locate`] read of an editor or field.
#[derive(Clone, Debug, PartialEq, serde::Deserialize)]
pub struct EditorText {
    pub text: String,
    /// The same text at the next animation frame: the page is not still filling it in.
    pub settled: bool,
    /// The whole text, not only the lines a code editor widget renders: false for a widget
    /// whose API the page keeps out of reach, until [`Browser::copy_editor_text`] read it.
    #[serde(default = "whole")]
    pub complete: bool,
}

fn whole() -> bool {
    true
}

/// How long a code editor may take to apply a paste, over all attempts.
const PASTE_APPLIED_WITHIN: Duration = Duration::from_secs(10);

/// How many times a code editor that dropped a paste is given the text again.
const PASTE_ATTEMPTS: usize = 3;

/// How many times the keyboard focus is put back into a code editor whose page took it away
/// between the focus and the copy or paste.
const EDITOR_FOCUS_ATTEMPTS: usize = 5;

fn editor_focus_lost() -> BrowserError {
    BrowserError::UnexpectedReply(
        "the page kept taking the keyboard focus away from the code editor, so its text could not be copied or pasted"
            .to_string(),
    )
}

/// A candidate of one look at the page, with its element and, at the last level, its probe.
#[derive(Clone, Debug)]
pub struct Located {
    pub element: ElementHandle,
    pub candidate: Candidate,
    pub probe: Option<Probe>,
    /// With [`LocateNeed::Text`].
    pub text: Option<EditorText>,
}

impl AsRef<Candidate> for Located {
    fn as_ref(&self) -> &Candidate {
        &self.candidate
    }
}

/// What the page shows of a login form.
#[derive(Clone, Debug, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LoginFormProbe {
    /// A visible password field is on the page.
    pub has_password_field: bool,
    /// Visible alert text (a rejected login says why there).
    pub alert: String,
}

pub struct Browser {
    client: Client,
    /// Browser, major version and viewport, e.g. `chrome156-1280x800`: names image baselines.
    tag: String,
    /// The browser's name and full version, as its WebDriver session reports them.
    name_and_version: (String, String),
    /// The console log over WebDriver BiDi, where the session gave a `webSocketUrl`.
    bidi_log: Option<bidi::BidiLog>,
    /// Clean-up sent with the next script (see `owed.rs`).
    owed: owed::OwedCleanup,
    /// Screenshots go through [`FAST_SCREENSHOT`]: a Chromium session whose driver (or Grid)
    /// has not refused that endpoint yet.
    fast_screenshots: std::sync::atomic::AtomicBool,
    // Declared after the client so the session closes before the driver is killed.
    driver: Option<DriverProcess>,
    user_data_dir: Option<PathBuf>,
}

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
        let (driver, url, user_data_dir) = match &options.webdriver_url {
            Some(url) => (None, url.trim_end_matches('/').to_string(), None),
            None => {
                let driver = DriverProcess::start(
                    &options.chromedriver,
                    options.browser,
                    session_dir.clone(),
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
            driver,
            user_data_dir,
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

    /// Runs a script in the page (WebDriver's execute), with the clean-up owed to the page
    /// first, in the same command.
    async fn script(
        &self,
        script: &str,
        arguments: Vec<Value>,
    ) -> Result<Value, fantoccini::error::CmdError> {
        self.run_with_owed(script, arguments, false).await
    }

    /// [`Browser::script`] through execute-async: the script answers through its callback.
    async fn script_async(
        &self,
        script: &str,
        arguments: Vec<Value>,
    ) -> Result<Value, fantoccini::error::CmdError> {
        self.run_with_owed(script, arguments, true).await
    }

    async fn run_with_owed(
        &self,
        script: &str,
        arguments: Vec<Value>,
        asynchronous: bool,
    ) -> Result<Value, fantoccini::error::CmdError> {
        let owed = self.owed.take();
        let combined;
        let script = if owed.is_empty() {
            script
        } else {
            combined = owed::run_first(&owed, script);
            &combined
        };
        let result = if asynchronous {
            self.client.execute_async(script, arguments).await
        } else {
            self.client.execute(script, arguments).await
        };
        if result.is_err() && !owed.is_empty() {
            self.owed.owe_again(owed);
        }
        result
    }

    /// Sends the owed clean-up on its own, before a command that is not a script (a click, a
    /// navigation, a screenshot). Where it cannot run now (the page is unloading) it stays owed.
    async fn settle_owed(&self) {
        if self.owed.is_empty() {
            return;
        }
        let _ = self.script("", vec![]).await;
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

    /// Device pixels per CSS pixel.
    pub async fn device_pixel_ratio(&self) -> Result<f64, BrowserError> {
        let ratio = self
            .script("return window.devicePixelRatio || 1", vec![])
            .await?;
        Ok(ratio.as_f64().unwrap_or(1.0))
    }

    /// Removes the highlights [`Browser::draw_highlights`] drew, as the first thing the next
    /// command does (see `owed.rs`).
    pub async fn remove_highlights(&self) -> Result<(), BrowserError> {
        self.owed.owe(REMOVE_HIGHLIGHTS_SCRIPT);
        Ok(())
    }

    /// Browser, major version and viewport, e.g. `chrome156-1280x800`.
    pub fn tag(&self) -> &str {
        &self.tag
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
        let reply = self.script(
                "const rects = Array.from(arguments).map((e) => { const r = e.getBoundingClientRect(); return [Math.round(r.left), Math.round(r.top), Math.round(r.width), Math.round(r.height)]; }); return { rects, scale: window.devicePixelRatio || 1 };",
                arguments,
            )
            .await?;
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
        self.script(
                r#"const [hidden, ...elements] = arguments;
for (const e of elements) {
  if (hidden) { e.dataset.paletteHarnessVisibility = e.style.visibility; e.style.visibility = 'hidden'; }
  else { e.style.visibility = e.dataset.paletteHarnessVisibility || ''; delete e.dataset.paletteHarnessVisibility; }
}"#,
                arguments,
            )
            .await?;
        Ok(())
    }

    pub async fn goto(&self, url: &str) -> Result<(), BrowserError> {
        self.settle_owed().await;
        Ok(self.client.goto(url).await?)
    }

    /// The HTTP status the page was served with (`None` where the browser does not say).
    pub async fn response_status(&self) -> Result<Option<u16>, BrowserError> {
        let reply = self.script(
                "const entry = performance.getEntriesByType('navigation')[0]; return entry && entry.responseStatus ? entry.responseStatus : null;",
                vec![],
            )
            .await?;
        Ok(reply.as_u64().and_then(|status| u16::try_from(status).ok()))
    }

    /// What the browser's own error page says, when it shows one instead of the page (a refused
    /// certificate, a refused connection): `None` for any page a server sent.
    pub async fn error_page(&self) -> Result<Option<String>, BrowserError> {
        let reply = self.script(
                r#"if (!/^(chrome-error|about|moz-neterror):/.test(document.URL) || document.URL === 'about:blank') return null;
return (document.body ? document.body.innerText : '').replace(/\s+/g, ' ').trim().slice(0, 400);"#,
                vec![],
            )
            .await?;
        Ok(reply.as_str().map(str::to_string))
    }

    pub async fn current_url(&self) -> Result<String, BrowserError> {
        self.settle_owed().await;
        Ok(self.client.current_url().await?.to_string())
    }

    /// Every visible element of `role` (a `collect.js` role name), inside `scope` if given.
    pub async fn collect(
        &self,
        role: &str,
        scope: Option<&ElementHandle>,
    ) -> Result<Vec<(ElementHandle, Candidate)>, BrowserError> {
        let scope = scope.map(ElementHandle::as_argument).unwrap_or(Value::Null);
        let reply = self
            .script(COLLECT_SCRIPT, vec![json!(role), scope])
            .await?;
        let Value::Array(items) = reply else {
            return Err(BrowserError::UnexpectedReply(format!(
                "collect returned {reply}"
            )));
        };
        let mut found = Vec::with_capacity(items.len());
        for item in items {
            let element = self.element_of(&item)?;
            let candidate: Candidate = serde_json::from_value(item)
                .map_err(|error| BrowserError::UnexpectedReply(error.to_string()))?;
            found.push((element, candidate));
        }
        Ok(found)
    }

    /// One look for a target (`locate.js`): per level (outermost first, each a role and what
    /// is wanted of it), the candidates that could match inside each possible scope, probed at
    /// the last level as `need` says. One round trip; while the page does not show what `need`
    /// asks for, the page looks again at each animation frame, for up to `budget`.
    pub async fn locate(
        &self,
        chain: &[(&str, &Wanted)],
        need: LocateNeed,
        budget: Duration,
    ) -> Result<Vec<Vec<Group<Located>>>, BrowserError> {
        let mut looks = self
            .locate_all(&[(chain, need)], budget, Satisfied::ByAll)
            .await?;
        Ok(looks.pop().unwrap_or_default())
    }

    /// [`Browser::locate`] for several targets, seen at the same moment, in one round trip; the
    /// page looks again until all of them (or any, as `satisfied` says) show what is needed.
    pub async fn locate_all(
        &self,
        targets: &[(&[(&str, &Wanted)], LocateNeed)],
        budget: Duration,
        satisfied: Satisfied,
    ) -> Result<Vec<Vec<Vec<Group<Located>>>>, BrowserError> {
        let targets: Vec<Value> = targets
            .iter()
            .map(|(chain, need)| {
                let chain: Vec<Value> = chain
                    .iter()
                    .map(|(role, wanted)| json!({ "role": role, "labels": wanted.labels() }))
                    .collect();
                let need = match need {
                    LocateNeed::Present => "present",
                    LocateNeed::Selected => "selected",
                    LocateNeed::Visible => "visible",
                    LocateNeed::Clickable => "clickable",
                    LocateNeed::Text => "text",
                };
                json!({ "chain": chain, "need": need })
            })
            .collect();
        let mode = match satisfied {
            Satisfied::ByAll => "all",
            Satisfied::ByAny => "any",
        };
        let reply = self
            .script_async(
                LOCATE_SCRIPT,
                vec![
                    json!(targets),
                    json!(budget.as_millis() as u64),
                    json!(mode),
                ],
            )
            .await?;
        #[derive(serde::Deserialize)]
        struct Look {
            levels: Vec<Vec<Group<Value>>>,
        }
        #[derive(serde::Deserialize)]
        struct Reply {
            targets: Vec<Look>,
        }
        let reply: Reply = serde_json::from_value(reply)
            .map_err(|error| BrowserError::UnexpectedReply(format!("locate: {error}")))?;
        let mut looks = reply
            .targets
            .into_iter()
            .map(|look| self.located_levels(look.levels))
            .collect::<Result<Vec<_>, _>>()?;
        for located in looks
            .iter_mut()
            .filter_map(|levels| levels.last_mut())
            .flatten()
            .flat_map(|group| group.candidates.iter_mut())
        {
            if let Some(read) = located.text.as_mut().filter(|read| !read.complete) {
                read.text = self.copy_editor_text(&located.element).await?;
                read.complete = true;
            }
        }
        Ok(looks)
    }

    /// The whole text of a code editor widget whose API is out of reach, as its own copy
    /// handler gives it: the widget is focused, all is selected with the keyboard (Ctrl+A, as a
    /// person does), a copy event is sent to it, and the cursor goes back to the top (Ctrl+Home).
    pub async fn copy_editor_text(&self, element: &ElementHandle) -> Result<String, BrowserError> {
        for _ in 0..EDITOR_FOCUS_ATTEMPTS {
            self.select_all_in_editor(element).await?;
            let copied = self
                .script(
                    concat!(
                        include_str!("../locate/code_editor.js"),
                        "\nreturn copyFromEditor(arguments[0]);"
                    ),
                    vec![element.as_argument()],
                )
                .await?;
            if copied["focused"] != Value::Bool(true) {
                continue;
            }
            self.press_ctrl('\u{E011}').await?;
            // Firefox keeps the data of a clipboard event the page did not get from the user
            // empty: an editor that shows text but copies none cannot be read this way.
            if copied["text"].as_str() == Some("") && copied["shows"] == Value::Bool(true) {
                return Err(BrowserError::UnexpectedReply(
                    "the code editor shows text but its copy handler gave none (this browser keeps \
                     the clipboard data of a copy the harness starts empty), so its text cannot be read"
                        .to_string(),
                ));
            }
            return copied["text"].as_str().map(str::to_string).ok_or_else(|| {
                BrowserError::UnexpectedReply(
                    "the code editor answered a copy with nothing: its text cannot be read"
                        .to_string(),
                )
            });
        }
        Err(editor_focus_lost())
    }

    /// Focuses a code editor widget's input, waits in the page until the focus stays there,
    /// and selects all its text with Ctrl+A.
    async fn select_all_in_editor(&self, element: &ElementHandle) -> Result<(), BrowserError> {
        let focused = self
            .script_async(
                concat!(
                    include_str!("../locate/code_editor.js"),
                    "\nfocusEditorInputSteadily(arguments[0], arguments[1]);"
                ),
                vec![element.as_argument()],
            )
            .await?;
        if focused != Value::Bool(true) {
            return Err(editor_focus_lost());
        }
        self.press_ctrl('a').await
    }

    /// Presses `key` with Control held (Ctrl+Home is `\u{E011}`).
    async fn press_ctrl(&self, key: char) -> Result<(), BrowserError> {
        let control: char = fantoccini::key::Key::Control.into();
        let keys = KeyActions::new("palette-harness-keys".to_string())
            .then(KeyAction::Down { value: control })
            .then(KeyAction::Down { value: key })
            .then(KeyAction::Up { value: key })
            .then(KeyAction::Up { value: control });
        self.settle_owed().await;
        self.client.perform_actions(keys).await?;
        Ok(())
    }

    fn located_levels(
        &self,
        levels: Vec<Vec<Group<Value>>>,
    ) -> Result<Vec<Vec<Group<Located>>>, BrowserError> {
        let mut located = Vec::with_capacity(levels.len());
        for groups in levels {
            let mut level = Vec::with_capacity(groups.len());
            for group in groups {
                let mut candidates = Vec::with_capacity(group.candidates.len());
                for item in group.candidates {
                    let element = self.element_of(&item)?;
                    let probe = optional_field(&item, "probe")?;
                    let text = optional_field(&item, "read")?;
                    let candidate: Candidate = serde_json::from_value(item)
                        .map_err(|error| BrowserError::UnexpectedReply(error.to_string()))?;
                    candidates.push(Located {
                        element,
                        candidate,
                        probe,
                        text,
                    });
                }
                level.push(Group {
                    scope: group.scope,
                    candidates,
                    others: group.others,
                });
            }
            located.push(level);
        }
        Ok(located)
    }

    fn element_of(&self, item: &Value) -> Result<ElementHandle, BrowserError> {
        let id = item
            .get("element")
            .and_then(|element| element.get(ELEMENT_KEY))
            .and_then(Value::as_str)
            .ok_or_else(|| {
                BrowserError::UnexpectedReply(format!("candidate without element: {item}"))
            })?
            .to_string();
        Ok(ElementHandle(Element::from_element_id(
            self.client.clone(),
            ElementRef::from(id),
        )))
    }

    /// Scrolls an element to the middle of the viewport, as a person scrolls to what they want.
    pub async fn scroll_into_view(&self, element: &ElementHandle) -> Result<(), BrowserError> {
        self.script(
                "const e = arguments[0]; const t = e.tagName === 'OPTION' && e.closest('select') ? e.closest('select') : e; t.scrollIntoView({ block: 'center', inline: 'center' });",
                vec![element.as_argument()],
            )
            .await?;
        Ok(())
    }

    /// Clicks an element as a mouse does (move, press, release: trusted events) at the point
    /// the actionability probe checked for covering elements (see `probe.js`), inside its `rect`.
    /// An `<option>` is chosen through its select with WebDriver's element click, which knows
    /// closed drop-downs. The runner has checked that the element is visible, enabled, in view,
    /// uncovered and still, so WebDriver's own element click, three times slower, is not needed.
    pub async fn click(
        &self,
        element: &ElementHandle,
        candidate: &Candidate,
        rect: Option<[i64; 4]>,
    ) -> Result<(), fantoccini::error::CmdError> {
        if candidate.description.starts_with("option") {
            self.settle_owed().await;
            return element.0.click().await;
        }
        // The probe's point: the middle, but no lower than 20 px from the top of a tall element.
        let y = match rect {
            Some([_, _, _, height]) if height > 40 => 20.0 - height as f64 / 2.0,
            _ => 0.0,
        };
        self.mouse_click(&element.0, y).await
    }

    /// Moves the mouse to `y` px below the element's middle, presses and releases it.
    async fn mouse_click(
        &self,
        element: &Element,
        y: f64,
    ) -> Result<(), fantoccini::error::CmdError> {
        let mouse = MouseActions::new("palette-harness-mouse".to_string())
            .then(PointerAction::MoveToElement {
                element: element.clone(),
                duration: Some(Duration::ZERO),
                x: 0.0,
                y,
            })
            .then(PointerAction::Down {
                button: MOUSE_BUTTON_LEFT,
            })
            .then(PointerAction::Up {
                button: MOUSE_BUTTON_LEFT,
            });
        self.settle_owed().await;
        self.client.perform_actions(mouse).await
    }

    /// Replaces a field's or editor's text the way a paste does, so the page's own input
    /// handlers see the change.
    pub async fn write_text(
        &self,
        element: &ElementHandle,
        text: &str,
    ) -> Result<(), BrowserError> {
        let written = self
            .script(WRITE_TEXT_SCRIPT, vec![element.as_argument(), json!(text)])
            .await?;
        if written.as_str() != Some("needs a paste") {
            return Ok(());
        }
        // A code editor widget whose API is out of reach takes text as a person gives it: all
        // selected with the keyboard, then pasted through its own paste handler. The text is
        // read back once the editor has shown the paste; an editor that dropped it (a pending
        // paste is cancelled when the selection moves) is given it again.
        let deadline = std::time::Instant::now() + PASTE_APPLIED_WITHIN;
        let mut holds = String::new();
        for _ in 0..PASTE_ATTEMPTS {
            self.paste_into_editor(element, text).await?;
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            self.script_async(
                concat!(
                    include_str!("../locate/code_editor.js"),
                    "\nwaitForPasteShown(arguments[0], arguments[1], arguments[2]);"
                ),
                vec![element.as_argument(), json!(left.as_millis() as u64)],
            )
            .await?;
            holds = self.copy_editor_text(element).await?;
            if holds == text || std::time::Instant::now() >= deadline {
                break;
            }
        }
        if holds == text {
            return Ok(());
        }
        Err(BrowserError::UnexpectedReply(format!(
            "the code editor did not take the pasted text within {} s ({PASTE_ATTEMPTS} pastes): it holds {} lines, not the {} pasted",
            PASTE_APPLIED_WITHIN.as_secs(),
            holds.lines().count(),
            text.lines().count()
        )))
    }

    /// Selects all of a code editor widget's text with the keyboard and pastes `text` through
    /// its own paste handler, putting the focus back where the page took it away.
    async fn paste_into_editor(
        &self,
        element: &ElementHandle,
        text: &str,
    ) -> Result<(), BrowserError> {
        for _ in 0..EDITOR_FOCUS_ATTEMPTS {
            self.select_all_in_editor(element).await?;
            let answer = self
                .script(
                    concat!(
                        include_str!("../locate/code_editor.js"),
                        "\nreturn pasteIntoEditor(arguments[0], arguments[1]);"
                    ),
                    vec![element.as_argument(), json!(text)],
                )
                .await?;
            if answer == Value::Bool(true) {
                return Ok(());
            }
        }
        Err(editor_focus_lost())
    }

    /// Types into a field with real key events, replacing what it held: the field is emptied
    /// and focused in the page (as select-all and delete would, with the input event the page
    /// listens to), then typed into.
    pub async fn type_into(&self, element: &ElementHandle, text: &str) -> Result<(), BrowserError> {
        self.script(
                r#"const e = arguments[0];
e.focus();
if ((e instanceof HTMLInputElement || e instanceof HTMLTextAreaElement) && e.value !== '') {
  const prototype = e instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
  Object.getOwnPropertyDescriptor(prototype, 'value').set.call(e, '');
  e.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'deleteContentBackward' }));
} else if (e.isContentEditable && e.textContent !== '') {
  document.execCommand('selectAll', false);
  document.execCommand('delete', false);
}"#,
                vec![element.as_argument()],
            )
            .await?;
        element.0.send_keys(text).await?;
        Ok(())
    }

    /// Submits the form a field belongs to as a person would: its submit button, else Enter.
    pub async fn submit_form_of(&self, field: &ElementHandle) -> Result<(), BrowserError> {
        let reply = self.script(
                concat!(include_str!("../locate/accname.js"), r#"
const visible = (b) => b.getBoundingClientRect().width > 0 && !b.disabled;
const form = flatClosest(arguments[0], 'form');
const inForm = form ? deepQueryAll(form, "button[type='submit'], input[type='submit'], button:not([type])").find(visible) : null;
if (inForm) return inForm;
// No form: the login button a person would press, a real button first, else anything clickable.
const words = /^(log ?in|sign ?in|submit|continue)$/i;
const named = (b) => words.test(accessibleName(b).name || (b.innerText || b.value || '').trim());
const real = deepQueryAll(document, "button, [role='button'], input[type='submit'], input[type='button']").filter(visible).find(named);
if (real) return real;
return deepQueryAll(document, "body *").filter((b) => visible(b) && getComputedStyle(b).cursor === 'pointer').find(named) || null;"#),
                vec![field.as_argument()],
            )
            .await?;
        let submit = reply.get(ELEMENT_KEY).and_then(Value::as_str).map(|id| {
            Element::from_element_id(self.client.clone(), ElementRef::from(id.to_string()))
        });
        match submit {
            // Out of view, the mouse cannot reach it: WebDriver's element click scrolls first.
            Some(button) => {
                if self.mouse_click(&button, 0.0).await.is_err() {
                    button.click().await?;
                }
            }
            None => field.0.send_keys("\u{E007}").await?,
        }
        Ok(())
    }

    pub async fn login_form(&self) -> Result<LoginFormProbe, BrowserError> {
        let reply = self.script(
                concat!(include_str!("../locate/accname.js"), r#"
const visible = (e) => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0 && (!e.checkVisibility || e.checkVisibility({ checkVisibilityCSS: true })); };
const password = deepQueryAll(document, "input[type='password']").some(visible);
const alert = deepQueryAll(document, "[role='alert']").filter(visible).map((e) => e.innerText.trim()).filter(Boolean).join(' ');
return { hasPasswordField: password, alert };"#),
                vec![],
            )
            .await?;
        serde_json::from_value(reply)
            .map_err(|error| BrowserError::UnexpectedReply(error.to_string()))
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

    /// The visible texts of the page's alerts (`role="alert"`, `aria-live="assertive"`): the error
    /// a console shows when something it tried went wrong.
    pub async fn alerts(&self) -> Result<Vec<String>, BrowserError> {
        let reply = self.script(
                concat!(include_str!("../locate/accname.js"), r#"
const shown = (e) => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0 && (!e.checkVisibility || e.checkVisibility({ checkVisibilityCSS: true })); };
return deepQueryAll(document, "[role='alert'], [aria-live='assertive']")
  .filter(shown)
  .map((e) => (e.innerText || '').replace(/\s+/g, ' ').trim().slice(0, 200))
  .filter((text) => text.length > 0);"#),
                vec![],
            )
            .await?;
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
        let reply = self.script_async(
                r#"const [wait, done] = arguments;
const started = performance.now();
const covers = (e) => { const r = e.getBoundingClientRect(); return r.width * r.height >= 0.5 * innerWidth * innerHeight; };
const shown = (e) => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0 && (!e.checkVisibility || e.checkVisibility({ checkVisibilityCSS: true })); };
function status() {
  const blockers = Array.from(document.querySelectorAll("[role='alertdialog'], [aria-busy='true']"))
    .filter((e) => shown(e) && (e.getAttribute('role') === 'alertdialog' || covers(e)));
  if (!blockers.length) return null;
  const blocker = blockers[0];
  const bar = blocker.querySelector("[role='progressbar'][aria-valuenow]");
  const whole = (blocker.innerText || '').replace(/\s+/g, ' ').trim();
  const text = whole.length <= 120 ? whole : whole.slice(0, 120).replace(/\s+\S*$/, '') + '…';
  return bar ? `${bar.getAttribute('aria-valuenow')}% — ${text}` : (text || 'the page is busy');
}
(function look() {
  const now = status();
  if (now === null || performance.now() - started >= wait) done(now);
  else setTimeout(look, 50);
})();"#,
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

    /// A PNG of the viewport as it is.
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
        self.script_async(crate::capture::HOLD_STILL_SCRIPT, vec![])
            .await?;
        Ok(())
    }

    /// Runs `first` with `arguments`, then makes the page hold still, in one command (see
    /// [`crate::capture::then_hold_still`]); `first`'s answer.
    async fn then_hold_still(
        &self,
        first: &str,
        arguments: Vec<Value>,
    ) -> Result<Value, BrowserError> {
        Ok(self
            .script_async(&crate::capture::then_hold_still(first), arguments)
            .await?)
    }

    /// Undoes [`Browser::hold_still`]: carets show and endless animations play again, as the
    /// first thing the next command does (see `owed.rs`).
    pub async fn release(&self) -> Result<(), BrowserError> {
        self.owed.owe(crate::capture::RELEASE_SCRIPT);
        Ok(())
    }

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
        let reply = self.script(
                "return performance.getEntriesByType('resource')
                   .filter((entry) => typeof entry.responseStatus === 'number'
                     && (entry.responseStatus >= 400 || (entry.responseStatus === 0 && entry.transferSize === 0 && entry.duration > 0)))
                   .map((entry) => ({ url: entry.name, status: entry.responseStatus,
                     kind: entry.initiatorType, startMs: Math.round(entry.startTime), durationMs: Math.round(entry.duration) }))",
                vec![],
            )
            .await?;
        Ok(serde_json::from_value(reply).unwrap_or_default())
    }

    /// Ends the session, then the driver; the driver is also killed if this is never called.
    pub async fn close(mut self) {
        // Bounded: a browser that hangs on close must not hang the harness.
        let _ = tokio::time::timeout(Duration::from_secs(10), self.client.clone().close()).await;
        self.driver.take();
        if let Some(dir) = self.user_data_dir.take() {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// A field of a located candidate that only some looks fill in.
fn optional_field<T: serde::de::DeserializeOwned>(
    item: &Value,
    name: &str,
) -> Result<Option<T>, BrowserError> {
    match item.get(name) {
        Some(Value::Null) | None => Ok(None),
        Some(value) => serde_json::from_value(value.clone())
            .map(Some)
            .map_err(|error| BrowserError::UnexpectedReply(format!("{name}: {error}"))),
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

/// The element a command named is gone from the page, by the WebDriver error code (the words
/// differ: chromedriver says "stale element", geckodriver "no longer attached to the DOM").
fn is_stale(error: &fantoccini::error::CmdError) -> bool {
    if error.is_stale_element_reference() || error.is_no_such_element() {
        return true;
    }
    let text = error.to_string();
    text.contains("stale element") || text.contains("no such element") || text.contains("detached")
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
