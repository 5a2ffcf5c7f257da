//! A scripted page for the runner's unit tests: elements that appear after some looks at the
//! page, clicks that are recorded, text that says versions, a screenshot and HTML for a
//! failure's evidence. No browser; the runner cannot tell.

use std::cell::{Cell, RefCell};
use std::time::Duration;

use super::page::{Levels, Page};
use crate::browser::{
    BrowserError, ElementHandle, LocateNeed, Located, LoginFormProbe, Probe, Satisfied,
};
use crate::locate::{Candidate, Group, Wanted};
use crate::scenario::HighlightStyle;
use crate::trace::{ConsoleEntry, FailedRequest};

/// One element of the page: a role as `locate.js` names it (`button`, `menuitem`, …), the name
/// a person reads, and from which look at the page on it is there.
pub(super) struct FakeElement {
    pub role: &'static str,
    pub name: String,
    /// The number of looks at the page before it appears (0: there from the start).
    pub appears_after_looks: usize,
}

#[derive(Default)]
pub(super) struct FakePage {
    pub elements: Vec<FakeElement>,
    /// What `page_text` returns (the versions a rehearsal reads are in it).
    pub text: String,
    /// Every element clicked, as `role "name"`, in order.
    pub clicks: RefCell<Vec<String>>,
    /// Every URL the page was sent to.
    pub visited: RefCell<Vec<String>>,
    /// How many times the page was looked at for elements.
    pub looks: Cell<usize>,
}

impl FakePage {
    pub fn with(elements: &[(&'static str, &str)]) -> FakePage {
        FakePage {
            elements: elements
                .iter()
                .map(|(role, name)| FakeElement {
                    role,
                    name: name.to_string(),
                    appears_after_looks: 0,
                })
                .collect(),
            ..FakePage::default()
        }
    }

    /// The elements of `role` on the page at the current look, with their ids.
    fn shown(&self, role: &str) -> Vec<(usize, &FakeElement)> {
        self.elements
            .iter()
            .enumerate()
            .filter(|(_, element)| {
                element.role == role && element.appears_after_looks < self.looks.get()
            })
            .collect()
    }

    fn located(index: usize, element: &FakeElement) -> Located {
        Located {
            element: ElementHandle::new(format!("fake-{index}")),
            candidate: Candidate {
                name: element.name.clone(),
                names: vec![element.name.clone()],
                description: element.role.to_string(),
                parent: -1,
                rect: Some([10, 10 + 40 * index as i64, 120, 32]),
                ..Candidate::default()
            },
            probe: Some(Probe {
                visible: true,
                enabled: true,
                covered_by: None,
                selected: None,
                rect: Some([10, 10 + 40 * index as i64, 120, 32]),
                in_view: true,
                stable: Some(true),
            }),
            text: None,
        }
    }

    fn look(&self, chain: &[(&str, &Wanted)]) -> Levels {
        self.looks.set(self.looks.get() + 1);
        // One level per target; an inner level is looked for inside every element of the one
        // above (the fake page does not nest).
        let mut levels = Vec::new();
        let mut scopes = vec![-1i64];
        for (role, _) in chain {
            let candidates: Vec<Located> = self
                .shown(role)
                .into_iter()
                .map(|(index, element)| FakePage::located(index, element))
                .collect();
            let groups: Vec<Group<Located>> = scopes
                .iter()
                .map(|scope| Group {
                    scope: *scope,
                    candidates: candidates.clone(),
                    others: Vec::new(),
                })
                .collect();
            scopes = (0..(candidates.len() * scopes.len()) as i64).collect();
            levels.push(groups);
        }
        levels
    }

    fn element(&self, handle: &ElementHandle) -> Option<&FakeElement> {
        let index: usize = handle.id().strip_prefix("fake-")?.parse().ok()?;
        self.elements.get(index)
    }
}

impl Page for FakePage {
    async fn goto(&self, url: &str) -> Result<(), BrowserError> {
        self.visited.borrow_mut().push(url.to_string());
        Ok(())
    }
    async fn current_url(&self) -> Result<String, BrowserError> {
        Ok(self.visited.borrow().last().cloned().unwrap_or_default())
    }
    async fn response_status(&self) -> Result<Option<u16>, BrowserError> {
        Ok(Some(200))
    }
    async fn error_page(&self) -> Result<Option<String>, BrowserError> {
        Ok(None)
    }
    fn name_and_version(&self) -> (&str, &str) {
        ("fake", "1.0")
    }
    fn tag(&self) -> &str {
        "fake1-1280x800"
    }
    async fn viewport_size(&self) -> Result<(f64, f64), BrowserError> {
        Ok((1280.0, 800.0))
    }
    async fn device_pixel_ratio(&self) -> Result<f64, BrowserError> {
        Ok(1.0)
    }
    async fn page_text(&self) -> Result<String, BrowserError> {
        Ok(self.text.clone())
    }
    async fn login_form(&self) -> Result<LoginFormProbe, BrowserError> {
        Ok(LoginFormProbe {
            has_password_field: false,
            alert: String::new(),
        })
    }
    async fn alerts(&self) -> Result<Vec<String>, BrowserError> {
        Ok(Vec::new())
    }
    async fn blocking_status(
        &self,
        _until_clear: Duration,
    ) -> Result<Option<String>, BrowserError> {
        Ok(None)
    }
    async fn collect(
        &self,
        role: &str,
        _scope: Option<&ElementHandle>,
    ) -> Result<Vec<(ElementHandle, Candidate)>, BrowserError> {
        Ok(self
            .shown(role)
            .into_iter()
            .map(|(index, element)| {
                let located = FakePage::located(index, element);
                (located.element, located.candidate)
            })
            .collect())
    }
    async fn locate(
        &self,
        chain: &[(&str, &Wanted)],
        _need: LocateNeed,
        _budget: Duration,
    ) -> Result<Levels, BrowserError> {
        Ok(self.look(chain))
    }
    async fn locate_all(
        &self,
        targets: &[(&[(&str, &Wanted)], LocateNeed)],
        _budget: Duration,
        _satisfied: Satisfied,
    ) -> Result<Vec<Levels>, BrowserError> {
        Ok(targets.iter().map(|(chain, _)| self.look(chain)).collect())
    }
    async fn scroll_into_view(&self, _element: &ElementHandle) -> Result<(), BrowserError> {
        Ok(())
    }
    async fn click(
        &self,
        element: &ElementHandle,
        _candidate: &Candidate,
        _rect: Option<[i64; 4]>,
    ) -> Result<(), BrowserError> {
        let clicked = self
            .element(element)
            .map(|element| format!("{} \"{}\"", element.role, element.name))
            .unwrap_or_else(|| element.id().to_string());
        self.clicks.borrow_mut().push(clicked);
        Ok(())
    }
    async fn type_into(&self, _element: &ElementHandle, _text: &str) -> Result<(), BrowserError> {
        Ok(())
    }
    async fn submit_form_of(&self, _field: &ElementHandle) -> Result<(), BrowserError> {
        Ok(())
    }
    async fn write_text(&self, _element: &ElementHandle, _text: &str) -> Result<(), BrowserError> {
        Ok(())
    }
    async fn screenshot(&self) -> Result<Vec<u8>, BrowserError> {
        // A 1x1 PNG: what the failure evidence saves.
        Ok(ONE_PIXEL_PNG.to_vec())
    }
    async fn hold_still(&self) -> Result<(), BrowserError> {
        Ok(())
    }
    fn take_fonts_late(&self) -> bool {
        false
    }
    async fn release(&self) -> Result<(), BrowserError> {
        Ok(())
    }
    async fn draw_highlights_then_hold_still(
        &self,
        _elements: &[ElementHandle],
        _style: &HighlightStyle,
    ) -> Result<(), BrowserError> {
        Ok(())
    }
    async fn remove_highlights(&self) -> Result<(), BrowserError> {
        Ok(())
    }
    async fn page_outline(&self) -> Result<String, BrowserError> {
        Ok(self
            .elements
            .iter()
            .map(|element| format!("- {} \"{}\"", element.role, element.name))
            .collect::<Vec<_>>()
            .join("\n"))
    }
    async fn page_outline_then_hold_still(&self) -> Result<String, BrowserError> {
        self.page_outline().await
    }
    async fn rects(
        &self,
        elements: &[ElementHandle],
    ) -> Result<(Vec<[i64; 4]>, f64), BrowserError> {
        Ok((vec![[0, 0, 10, 10]; elements.len()], 1.0))
    }
    async fn set_hidden(
        &self,
        _elements: &[ElementHandle],
        _hidden: bool,
    ) -> Result<(), BrowserError> {
        Ok(())
    }
    async fn html(&self) -> Result<String, BrowserError> {
        Ok(format!("<html><body>{}</body></html>", self.text))
    }
    async fn console_log(&self) -> Result<Option<Vec<ConsoleEntry>>, BrowserError> {
        Ok(Some(Vec::new()))
    }
    async fn failed_requests(&self) -> Result<Vec<FailedRequest>, BrowserError> {
        Ok(Vec::new())
    }
}

/// A valid 1x1 white PNG.
const ONE_PIXEL_PNG: [u8; 69] = [
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x02, 0x00, 0x00, 0x00, 0x90, 0x77, 0x53,
    0xDE, 0x00, 0x00, 0x00, 0x0C, 0x49, 0x44, 0x41, 0x54, 0x08, 0xD7, 0x63, 0xF8, 0xFF, 0xFF, 0x3F,
    0x00, 0x05, 0xFE, 0x02, 0xFE, 0xA7, 0x35, 0x81, 0x84, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E,
    0x44, 0xAE, 0x42, 0x60, 0x82,
];
