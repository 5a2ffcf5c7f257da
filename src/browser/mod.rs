//! The only module that talks WebDriver: starts (or connects to) a driver, opens one browser
//! session at a fixed viewport, and offers the page operations the runner needs. It does not
//! decide anything: which element a label means is `locate`'s job, when to act is the runner's.
//!
//! This file holds the types; the operations of [`Browser`] are split by concern, each file an
//! `impl Browser` block of its own:
//! - `session.rs`: opening a session (capabilities, viewport), navigating, closing;
//! - `execute.rs`: running scripts in the page, with the clean-up owed to it (`owed.rs`) first;
//! - `locating.rs`: looking for elements (`locate/locate.js`, `locate/candidates.js`) and turning
//!   the page's answer into [`Located`] candidates;
//! - `input.rs`: what a person does with mouse and keyboard: scrolling, clicking, typing,
//!   submitting, and writing and reading code editors' text through copy and paste;
//! - `page_status.rs`: what the page shows about its state: its HTTP status, the browser's error
//!   page, its text, a login form, alerts, a blocking overlay;
//! - `capture.rs`: screenshots, holding the page still and letting it go, highlights, masks and
//!   the page outline;
//! - `diagnostics.rs`: what the trace of a failed step keeps: HTML, console log, failed requests.
//!
//! The scripts these run in the page are in `scripts/` (and in `locate/` and `capture/`), each
//! saying at its top what it does, what it takes and what it returns.

mod bidi;
mod capture;
mod diagnostics;
mod driver;
mod execute;
mod firefox_profile;
mod input;
mod locating;
mod owed;
mod page_status;
mod recording;
mod session;
mod virtual_display;

use std::path::PathBuf;
use std::time::Duration;

use fantoccini::elements::{Element, ElementRef};
use fantoccini::Client;

pub use crate::locate::look::{
    EditorText, ElementHandle, LocateNeed, Located, Probe, Satisfied, ELEMENT_KEY,
};
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
    #[error(
        "a headed browser needs a display, and this machine has none (DISPLAY is not set): {message}. \
         Install xvfb (`webdriver/install.sh`), or set DISPLAY"
    )]
    VirtualDisplay { message: String },
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

/// A POST with a fixed body to an endpoint of the session that W3C WebDriver lacks (chromedriver's
/// log and DevTools endpoints: see `diagnostics.rs` and `capture.rs`).
#[derive(Debug)]
struct SessionPost {
    path: &'static str,
    body: std::borrow::Cow<'static, str>,
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

impl Browser {
    /// The element as fantoccini acts on it, in this session.
    fn element(&self, handle: &ElementHandle) -> Element {
        Element::from_element_id(
            self.client.clone(),
            ElementRef::from(handle.id().to_string()),
        )
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
    /// Screenshots go through chromedriver's DevTools endpoint (see `capture.rs`): a Chromium
    /// session whose driver (or Grid) has not refused that endpoint yet.
    fast_screenshots: std::sync::atomic::AtomicBool,
    /// A hold-still gave up waiting for web fonts (2 s) since the runner last asked.
    fonts_late: std::sync::atomic::AtomicBool,
    /// The WebDriver server's URL: the driver this session started, or `--webdriver`.
    webdriver_url: String,
    // Declared after the client so the session closes before the driver is killed.
    driver: Option<DriverProcess>,
    user_data_dir: Option<PathBuf>,
    // Declared after the driver so the browser is gone before its display.
    virtual_display: Option<virtual_display::VirtualDisplay>,
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
