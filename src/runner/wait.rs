//! Waiting for the page, never sleeping for it: the one `poll` loop with its deadline and
//! progress events, actionability (visible, enabled, stable, not covered), expected text, stable
//! screenshots, and the short descriptions of the page that failures quote.

use super::page::Page;
use std::future::Future;
use std::time::{Duration, Instant};

use super::find::{find, Found, Need};
use super::{ActionFailure, ScenarioRun};
use crate::browser::{BrowserError, ElementHandle, LocateNeed, Located, Probe};
use crate::event::Event;
use crate::locate::{self, Candidate};
use crate::scenario::{Action, Role, Target};

/// The pauses between checks of a condition, never a wait for the page itself: the first check
/// is immediate, the next ones back off to the last pause, which then repeats. (Ending a pause
/// when the page's DOM changes, through a MutationObserver, was measured: no faster, one more
/// round trip per pause.)
const POLL_PAUSES: [Duration; 4] = [
    Duration::from_millis(20),
    Duration::from_millis(50),
    Duration::from_millis(100),
    Duration::from_millis(100),
];

/// The pause after check number `polls + 1`, which that check may spend waiting in the page.
fn poll_pause(polls: usize) -> Duration {
    POLL_PAUSES[polls.min(POLL_PAUSES.len() - 1)]
}

/// How long two elements may match equally before that is an error rather than a page in motion.
const AMBIGUITY_GRACE: Duration = Duration::from_secs(1);

/// Screenshots taken at most, until two consecutive ones are identical.
const STABLE_SHOTS: usize = 5;

pub(super) const UNSETTLED: &str =
    "the page never held still for two screenshots in a row; the last one was kept";

/// A screenshot and whether the page held still for it.
pub(super) struct StableShot {
    pub(super) png: Vec<u8>,
    pub(super) settled: bool,
    /// Holding still gave up waiting for web fonts: text may be in a fallback font.
    pub(super) fonts_late: bool,
}

pub(super) const FONTS_LATE: &str =
    "web fonts were still loading after 2 s, so text may show in a fallback font";

/// One poll of a condition.
pub(super) enum Attempt<T> {
    Done(T),
    /// Not yet; what the page shows instead.
    NotYet(String),
    /// Several elements match; an error once it persists.
    Ambiguous(String),
    /// Will never succeed: fail now.
    Fail(String),
}

impl<P: Page> ScenarioRun<'_, P> {
    /// Polls `attempt` until it is done, fails, or the deadline passes, reporting progress.
    pub(super) async fn poll<T, F, Fut>(
        &mut self,
        action: &Action,
        waiting_for: &str,
        deadline: Instant,
        mut attempt: F,
    ) -> Result<T, ActionFailure>
    where
        F: FnMut(Duration) -> Fut,
        Fut: Future<Output = Result<Attempt<T>, BrowserError>>,
    {
        let started = Instant::now();
        let timeout = deadline.saturating_duration_since(started);
        let mut ambiguous_since: Option<Instant> = None;
        let mut last_report = 0;
        let mut polls = 0;
        loop {
            // A look at the page may wait in the page for up to the pause (it answers as soon as
            // the page shows what it needs); the pause is what is left of it afterwards.
            let budget = poll_pause(polls);
            let attempt_started = Instant::now();
            let attempt = match attempt(budget).await {
                Err(error) if error.is_stale() => {
                    Attempt::NotYet("the page re-rendered while it was being read".to_string())
                }
                other => other?,
            };
            let page_showed = match attempt {
                Attempt::Done(value) => return Ok(value),
                Attempt::Fail(reason) => {
                    return Err(ActionFailure {
                        expected: waiting_for.to_string(),
                        page_showed: reason,
                    })
                }
                Attempt::Ambiguous(reason) => {
                    let since = *ambiguous_since.get_or_insert_with(Instant::now);
                    if since.elapsed() >= AMBIGUITY_GRACE {
                        return Err(ActionFailure {
                            expected: waiting_for.to_string(),
                            page_showed: reason,
                        });
                    }
                    reason
                }
                Attempt::NotYet(reason) => {
                    ambiguous_since = None;
                    reason
                }
            };
            let elapsed = started.elapsed();
            if Instant::now() >= deadline {
                // An error the console shows usually explains a missing element best.
                let alerts = self.browser.alerts().await.unwrap_or_default();
                let page_showed = match alerts.as_slice() {
                    [] => page_showed,
                    alerts => format!(
                        "{page_showed}; the page says \"{}\"",
                        alerts.join("\" / \"")
                    ),
                };
                return Err(ActionFailure {
                    expected: format!("{waiting_for} (waited {:.1} s)", elapsed.as_secs_f64()),
                    page_showed,
                });
            }
            if elapsed.as_secs() > last_report {
                last_report = elapsed.as_secs();
                self.reporter.on_event(&Event::Waiting {
                    action: action.text.clone(),
                    waiting_for: waiting_for.to_string(),
                    elapsed,
                    timeout,
                    page_says: Some(self.settings.redactor.redact(&page_showed)),
                });
            }
            // A pause between checks of a condition, not a wait for the page.
            tokio::time::sleep(budget.saturating_sub(attempt_started.elapsed())).await;
            polls += 1;
        }
    }

    pub(super) async fn wait_for(
        &mut self,
        action: &Action,
        target: &Target,
        need: Need,
        deadline: Instant,
    ) -> Result<(ElementHandle, Candidate), ActionFailure> {
        let (element, candidate, _) = self.wait_until(action, target, need, deadline).await?;
        Ok((element, candidate))
    }

    /// [`Self::wait_for`], with the box the element had when it was found ready.
    async fn wait_until(
        &mut self,
        action: &Action,
        target: &Target,
        need: Need,
        deadline: Instant,
    ) -> Result<(ElementHandle, Candidate, Option<[i64; 4]>), ActionFailure> {
        let browser = self.browser;
        let waiting_for = match need {
            Need::Visible => format!("{target} to be visible"),
            Need::Clickable => format!("{target} to be visible, enabled, stable and not covered"),
        };
        let look = match need {
            Need::Visible => LocateNeed::Visible,
            Need::Clickable => LocateNeed::Clickable,
        };
        self.poll(action, &waiting_for, deadline, |budget| async move {
            let Located {
                element,
                candidate,
                probe,
                ..
            } = match find(browser, target, look, budget).await? {
                Found::One(located) => *located,
                Found::Missing(reason) if target.role == Role::Layer => {
                    return Ok(Attempt::NotYet(
                        match open_dropdown_offering(browser, target).await? {
                            Some(opened) => opened,
                            None => reason,
                        },
                    ))
                }
                Found::Missing(reason) => return Ok(Attempt::NotYet(reason)),
                Found::Ambiguous(reason) => return Ok(Attempt::Ambiguous(reason)),
            };
            let Some(probe) = probe else {
                return Err(BrowserError::UnexpectedReply(
                    "the locator returned no probe".to_string(),
                ));
            };
            if !probe.visible {
                let shown = candidate.display_name().to_string();
                return Ok(Attempt::NotYet(format!(
                    "{target} (\"{shown}\") is on the page but hidden"
                )));
            }
            if need == Need::Visible {
                return Ok(Attempt::Done((element, candidate, probe.rect)));
            }
            if !probe.in_view {
                // A person scrolls to what they are about to click; the next look checks it.
                browser.scroll_into_view(&element).await?;
                return Ok(Attempt::NotYet(format!("{target} is out of view")));
            }
            if let Some(reason) = ready_to_click(&probe) {
                return Ok(Attempt::NotYet(format!("{target} {reason}")));
            }
            Ok(Attempt::Done((element, candidate, probe.rect)))
        })
        .await
    }

    /// Clicks a target once it can be clicked; when the target shows a selected state (tabs,
    /// layers), waits until the click has selected it.
    pub(super) async fn click(
        &mut self,
        action: &Action,
        target: &Target,
        deadline: Instant,
    ) -> Result<(), ActionFailure> {
        loop {
            let (element, candidate, rect) = self
                .wait_until(action, target, Need::Clickable, deadline)
                .await?;
            match self.browser.click(&element, &candidate, rect).await {
                Ok(()) => {
                    if candidate.selected == Some(false) {
                        self.wait_selected(action, target, deadline).await?;
                    }
                    return Ok(());
                }
                // The page moved or re-rendered between the check and the click: check again.
                Err(_) if Instant::now() < deadline => continue,
                Err(error) => return Err(error.into()),
            }
        }
    }

    async fn wait_selected(
        &mut self,
        action: &Action,
        target: &Target,
        deadline: Instant,
    ) -> Result<(), ActionFailure> {
        let browser = self.browser;
        let waiting_for = format!("{target} to become selected after the click");
        self.poll(action, &waiting_for, deadline, |budget| async move {
            Ok(
                match find(browser, target, LocateNeed::Selected, budget).await? {
                    Found::One(located) if located.candidate.selected != Some(false) => {
                        Attempt::Done(())
                    }
                    Found::One(_) => Attempt::NotYet(format!("{target} is not selected")),
                    // The click navigated away: nothing left to check.
                    Found::Missing(_) => Attempt::Done(()),
                    Found::Ambiguous(reason) => Attempt::Ambiguous(reason),
                },
            )
        })
        .await
    }

    pub(super) async fn expect_text(
        &mut self,
        action: &Action,
        text: &str,
        deadline: Instant,
    ) -> Result<(), ActionFailure> {
        let browser = self.browser;
        let wanted = collapse(text);
        let wanted = &wanted;
        self.poll(
            action,
            &format!("the page to show the text \"{text}\""),
            deadline,
            |_budget| async move {
                let page = browser.page_text().await?;
                if collapse(&page).contains(wanted.as_str()) {
                    return Ok(Attempt::Done(()));
                }
                Ok(Attempt::NotYet(closest_lines(wanted, &page)))
            },
        )
        .await
    }

    /// Waits until `scope` (a row, a pane, a dialog) shows `text`, as `expect text` does for
    /// the whole page: the same words in the same case, white space aside. "Synced" is not in a
    /// row that says "Not synced", and a column header elsewhere does not count.
    pub(super) async fn expect_text_within(
        &mut self,
        action: &Action,
        text: &str,
        scope: &Target,
        deadline: Instant,
    ) -> Result<(), ActionFailure> {
        let browser = self.browser;
        let wanted = collapse(text);
        let wanted = &wanted;
        self.poll(
            action,
            &format!("{scope} to show the text \"{text}\""),
            deadline,
            |budget| async move {
                match find(browser, scope, LocateNeed::Text, budget).await? {
                    Found::One(located) => {
                        let shown =
                            collapse(&located.text.map(|read| read.text).unwrap_or_default());
                        if shown.contains(wanted.as_str()) {
                            return Ok(Attempt::Done(()));
                        }
                        let shown: String = shown.chars().take(200).collect();
                        Ok(Attempt::NotYet(format!("{scope} says \"{shown}\"")))
                    }
                    Found::Missing(reason) => Ok(Attempt::NotYet(reason)),
                    Found::Ambiguous(reason) => Ok(Attempt::Ambiguous(reason)),
                }
            },
        )
        .await
    }

    /// Makes the page hold still (no caret or focus, animations finished, fonts loaded), then
    /// retakes the screenshot until two consecutive shots are byte-identical, at most
    /// [`STABLE_SHOTS`] times; `settled` says whether two ever agreed. A first shot that
    /// `matches_baseline` accepts is kept at once, as Playwright's `toHaveScreenshot` does: the
    /// baseline was itself a settled page, so a second shot would prove nothing more. The page is
    /// let go afterwards, whatever happened. `held` says the command before made the page hold
    /// still already (see [`crate::capture::then_hold_still`]).
    pub(super) async fn stable_screenshot(
        &mut self,
        held: bool,
        matches_baseline: impl FnMut(&[u8]) -> bool,
    ) -> Result<StableShot, ActionFailure> {
        if !held {
            self.browser.hold_still().await?;
        }
        let shot = self.consecutive_identical_shots(matches_baseline).await;
        let released = self.browser.release().await;
        let mut shot = shot?;
        released?;
        shot.fonts_late = self.browser.take_fonts_late();
        Ok(shot)
    }

    async fn consecutive_identical_shots(
        &mut self,
        mut matches_baseline: impl FnMut(&[u8]) -> bool,
    ) -> Result<StableShot, ActionFailure> {
        let mut previous = self.browser.screenshot().await?;
        if matches_baseline(&previous) {
            return Ok(StableShot {
                png: previous,
                settled: true,
                fonts_late: false,
            });
        }
        for _ in 1..STABLE_SHOTS {
            let next = self.browser.screenshot().await?;
            if next == previous {
                return Ok(StableShot {
                    png: next,
                    settled: true,
                    fonts_late: false,
                });
            }
            // Something moved: settle what started since (a new animation, a late font).
            self.browser.hold_still().await?;
            previous = next;
        }
        Ok(StableShot {
            png: previous,
            settled: false,
            fonts_late: false,
        })
    }
}

/// Why a visible element cannot be clicked yet, or `None` when it can: in view, enabled, not
/// covered, and still across two animation frames.
pub(super) fn ready_to_click(probe: &Probe) -> Option<String> {
    if !probe.visible {
        return Some("is hidden".to_string());
    }
    if !probe.in_view {
        return Some("is out of view".to_string());
    }
    if !probe.enabled {
        return Some("is disabled".to_string());
    }
    if let Some(cover) = &probe.covered_by {
        return Some(format!("is covered by {cover}"));
    }
    if probe.stable != Some(true) {
        return Some("is still moving".to_string());
    }
    None
}

/// The first line or two of what the page says, for progress and failure messages.
pub(super) async fn page_summary(browser: &impl Page) -> Result<String, BrowserError> {
    let text = browser.page_text().await?;
    let summary: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .take(3)
        .collect();
    Ok(if summary.is_empty() {
        format!(
            "an empty page at {}",
            browser.current_url().await.unwrap_or_default()
        )
    } else {
        format!("the page shows \"{}\"", summary.join(" / "))
    })
}

pub(super) fn meaningful_lines(text: &str) -> Vec<&str> {
    text.lines()
        .map(str::trim_end)
        .filter(|line| !line.is_empty())
        .collect()
}

pub(super) fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The page's lines most like `wanted`, for a failed text expectation.
fn closest_lines(wanted: &str, page: &str) -> String {
    let lines = page.lines().map(|line| line.trim().to_string());
    let closest = locate::most_similar(wanted, lines, 3);
    if closest.is_empty() {
        return "the text is not on the page, which shows no text".to_string();
    }
    format!(
        "the text is not on the page; closest lines: {}",
        closest
            .iter()
            .map(|line| format!("\"{line}\""))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// A layer a console offers only in a closed drop-down (a select menu whose entries are rendered
/// once it opens, often in a portal): a person opens the drop-down first. Clicks the one closed
/// drop-down in the layer's scope, if there is exactly one ready for a click, and says so.
async fn open_dropdown_offering(
    browser: &impl Page,
    layer: &Target,
) -> Result<Option<String>, BrowserError> {
    let dropdown = Target {
        role: Role::Dropdown,
        label: None,
        within: layer.within.clone(),
    };
    let Found::One(located) =
        find(browser, &dropdown, LocateNeed::Clickable, Duration::ZERO).await?
    else {
        return Ok(None);
    };
    let Some(probe) = located.probe.as_ref() else {
        return Ok(None);
    };
    if located.candidate.selected == Some(true) || !probe.visible || ready_to_click(probe).is_some()
    {
        return Ok(None);
    }
    browser
        .click(&located.element, &located.candidate, probe.rect)
        .await?;
    Ok(Some(format!(
        "{layer} is not among what the page offers; opened the drop-down \"{}\" that may list it",
        located.candidate.display_name()
    )))
}
