//! What the runner needs of a page: the operations it asks for, in its own terms, not
//! fantoccini's. [`Browser`] is the real page; the runner's unit tests drive a scripted one
//! (`runner/fake_page.rs`) to check polling, retries, the stop before a console-changing step,
//! failure evidence and `when` conditions without a browser.

use std::time::Duration;

use crate::browser::{
    Browser, BrowserError, ElementHandle, LocateNeed, Located, LoginFormProbe, Satisfied,
};
use crate::locate::{Candidate, Group, Wanted};
use crate::scenario::HighlightStyle;
use crate::trace::{ConsoleEntry, FailedRequest};

/// The levels a look found for one target (see `locate.js`).
pub(crate) type Levels = Vec<Vec<Group<Located>>>;

/// A page the runner drives. Every method is one request to the page; none waits for a
/// condition (waiting is the runner's `poll`), except where a budget is given.
#[allow(async_fn_in_trait)] // Used within the crate only, never spawned across threads.
pub(crate) trait Page {
    // Where the page is.
    async fn goto(&self, url: &str) -> Result<(), BrowserError>;
    async fn current_url(&self) -> Result<String, BrowserError>;
    async fn response_status(&self) -> Result<Option<u16>, BrowserError>;
    async fn error_page(&self) -> Result<Option<String>, BrowserError>;
    /// The browser's name and full version.
    fn name_and_version(&self) -> (&str, &str);
    /// Browser, major version and viewport (`chrome156-1280x800`): names image baselines.
    fn tag(&self) -> &str;
    async fn viewport_size(&self) -> Result<(f64, f64), BrowserError>;
    async fn device_pixel_ratio(&self) -> Result<f64, BrowserError>;

    // What the page says.
    async fn page_text(&self) -> Result<String, BrowserError>;
    async fn login_form(&self) -> Result<LoginFormProbe, BrowserError>;
    async fn alerts(&self) -> Result<Vec<String>, BrowserError>;
    async fn blocking_status(&self, until_clear: Duration) -> Result<Option<String>, BrowserError>;

    // Finding elements.
    async fn collect(
        &self,
        role: &str,
        scope: Option<&ElementHandle>,
    ) -> Result<Vec<(ElementHandle, Candidate)>, BrowserError>;
    async fn locate(
        &self,
        chain: &[(&str, &Wanted)],
        need: LocateNeed,
        budget: Duration,
    ) -> Result<Levels, BrowserError>;
    async fn locate_all(
        &self,
        targets: &[(&[(&str, &Wanted)], LocateNeed)],
        budget: Duration,
        satisfied: Satisfied,
    ) -> Result<Vec<Levels>, BrowserError>;

    // Acting on them.
    async fn scroll_into_view(&self, element: &ElementHandle) -> Result<(), BrowserError>;
    async fn click(
        &self,
        element: &ElementHandle,
        candidate: &Candidate,
        rect: Option<[i64; 4]>,
    ) -> Result<(), BrowserError>;
    async fn type_into(&self, element: &ElementHandle, text: &str) -> Result<(), BrowserError>;
    async fn submit_form_of(&self, field: &ElementHandle) -> Result<(), BrowserError>;
    async fn write_text(&self, element: &ElementHandle, text: &str) -> Result<(), BrowserError>;

    // Capturing it.
    async fn screenshot(&self) -> Result<Vec<u8>, BrowserError>;
    async fn hold_still(&self) -> Result<(), BrowserError>;
    /// Whether holding still gave up waiting for web fonts since the last call.
    fn take_fonts_late(&self) -> bool;
    async fn release(&self) -> Result<(), BrowserError>;
    async fn draw_highlights_then_hold_still(
        &self,
        elements: &[ElementHandle],
        style: &HighlightStyle,
    ) -> Result<(), BrowserError>;
    async fn remove_highlights(&self) -> Result<(), BrowserError>;
    async fn page_outline(&self) -> Result<String, BrowserError>;
    async fn page_outline_then_hold_still(&self) -> Result<String, BrowserError>;
    async fn rects(&self, elements: &[ElementHandle])
        -> Result<(Vec<[i64; 4]>, f64), BrowserError>;
    async fn set_hidden(
        &self,
        elements: &[ElementHandle],
        hidden: bool,
    ) -> Result<(), BrowserError>;

    // Evidence for a failure.
    async fn html(&self) -> Result<String, BrowserError>;
    async fn console_log(&self) -> Result<Option<Vec<ConsoleEntry>>, BrowserError>;
    async fn failed_requests(&self) -> Result<Vec<FailedRequest>, BrowserError>;
}

impl Page for Browser {
    async fn goto(&self, url: &str) -> Result<(), BrowserError> {
        Browser::goto(self, url).await
    }
    async fn current_url(&self) -> Result<String, BrowserError> {
        Browser::current_url(self).await
    }
    async fn response_status(&self) -> Result<Option<u16>, BrowserError> {
        Browser::response_status(self).await
    }
    async fn error_page(&self) -> Result<Option<String>, BrowserError> {
        Browser::error_page(self).await
    }
    fn name_and_version(&self) -> (&str, &str) {
        Browser::name_and_version(self)
    }
    fn tag(&self) -> &str {
        Browser::tag(self)
    }
    async fn viewport_size(&self) -> Result<(f64, f64), BrowserError> {
        Browser::viewport_size(self).await
    }
    async fn device_pixel_ratio(&self) -> Result<f64, BrowserError> {
        Browser::device_pixel_ratio(self).await
    }
    async fn page_text(&self) -> Result<String, BrowserError> {
        Browser::page_text(self).await
    }
    async fn login_form(&self) -> Result<LoginFormProbe, BrowserError> {
        Browser::login_form(self).await
    }
    async fn alerts(&self) -> Result<Vec<String>, BrowserError> {
        Browser::alerts(self).await
    }
    async fn blocking_status(&self, until_clear: Duration) -> Result<Option<String>, BrowserError> {
        Browser::blocking_status(self, until_clear).await
    }
    async fn collect(
        &self,
        role: &str,
        scope: Option<&ElementHandle>,
    ) -> Result<Vec<(ElementHandle, Candidate)>, BrowserError> {
        Browser::collect(self, role, scope).await
    }
    async fn locate(
        &self,
        chain: &[(&str, &Wanted)],
        need: LocateNeed,
        budget: Duration,
    ) -> Result<Levels, BrowserError> {
        Browser::locate(self, chain, need, budget).await
    }
    async fn locate_all(
        &self,
        targets: &[(&[(&str, &Wanted)], LocateNeed)],
        budget: Duration,
        satisfied: Satisfied,
    ) -> Result<Vec<Levels>, BrowserError> {
        Browser::locate_all(self, targets, budget, satisfied).await
    }
    async fn scroll_into_view(&self, element: &ElementHandle) -> Result<(), BrowserError> {
        Browser::scroll_into_view(self, element).await
    }
    async fn click(
        &self,
        element: &ElementHandle,
        candidate: &Candidate,
        rect: Option<[i64; 4]>,
    ) -> Result<(), BrowserError> {
        Ok(Browser::click(self, element, candidate, rect).await?)
    }
    async fn type_into(&self, element: &ElementHandle, text: &str) -> Result<(), BrowserError> {
        Browser::type_into(self, element, text).await
    }
    async fn submit_form_of(&self, field: &ElementHandle) -> Result<(), BrowserError> {
        Browser::submit_form_of(self, field).await
    }
    async fn write_text(&self, element: &ElementHandle, text: &str) -> Result<(), BrowserError> {
        Browser::write_text(self, element, text).await
    }
    async fn screenshot(&self) -> Result<Vec<u8>, BrowserError> {
        Browser::screenshot(self).await
    }
    async fn hold_still(&self) -> Result<(), BrowserError> {
        Browser::hold_still(self).await
    }
    fn take_fonts_late(&self) -> bool {
        Browser::take_fonts_late(self)
    }
    async fn release(&self) -> Result<(), BrowserError> {
        Browser::release(self).await
    }
    async fn draw_highlights_then_hold_still(
        &self,
        elements: &[ElementHandle],
        style: &HighlightStyle,
    ) -> Result<(), BrowserError> {
        Browser::draw_highlights_then_hold_still(self, elements, style).await
    }
    async fn remove_highlights(&self) -> Result<(), BrowserError> {
        Browser::remove_highlights(self).await
    }
    async fn page_outline(&self) -> Result<String, BrowserError> {
        Browser::page_outline(self).await
    }
    async fn page_outline_then_hold_still(&self) -> Result<String, BrowserError> {
        Browser::page_outline_then_hold_still(self).await
    }
    async fn rects(
        &self,
        elements: &[ElementHandle],
    ) -> Result<(Vec<[i64; 4]>, f64), BrowserError> {
        Browser::rects(self, elements).await
    }
    async fn set_hidden(
        &self,
        elements: &[ElementHandle],
        hidden: bool,
    ) -> Result<(), BrowserError> {
        Browser::set_hidden(self, elements, hidden).await
    }
    async fn html(&self) -> Result<String, BrowserError> {
        Browser::html(self).await
    }
    async fn console_log(&self) -> Result<Option<Vec<ConsoleEntry>>, BrowserError> {
        Browser::console_log(self).await
    }
    async fn failed_requests(&self) -> Result<Vec<FailedRequest>, BrowserError> {
        Browser::failed_requests(self).await
    }
}
