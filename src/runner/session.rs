//! The console session: logging in through whatever login form the console shows, and waiting
//! through the upgrade lock, which ends the session.

use super::page::Page;
use std::time::{Duration, Instant};

use super::find::{last_level, Query};
use super::wait::{page_summary, Attempt};
use super::{ActionFailure, ScenarioRun};
use crate::browser::{BrowserError, ElementHandle, LocateNeed};
use crate::event::{Event, Fact};
use crate::locate::{self, Candidate};
use crate::scenario::{Action, Role};

/// How long the lock wait gives the console to show that it locked at all.
const LOCK_APPEARANCE: Duration = Duration::from_secs(30);

/// How long one look at a locked console watches it in the page for the lock to go away; the
/// progress line is refreshed about this often.
const LOCK_LOOK: Duration = Duration::from_secs(1);

enum LoginAnswer {
    Accepted,
    /// The console refused because it is locked; the alert says so.
    Locked(String),
}

impl<P: Page> ScenarioRun<'_, P> {
    /// Logs in through whatever login form the console shows; does nothing when logged in.
    pub(super) async fn log_in(
        &mut self,
        action: &Action,
        deadline: Instant,
    ) -> Result<Option<String>, ActionFailure> {
        let browser = self.browser;
        let page = self
            .poll(
                action,
                "a login form or the Main Menu",
                deadline,
                |_budget| async move {
                    if browser.login_form().await?.has_password_field {
                        return Ok(Attempt::Done(true));
                    }
                    if main_menu_usable(browser).await? {
                        return Ok(Attempt::Done(false));
                    }
                    Ok(Attempt::NotYet(page_summary(browser).await?))
                },
            )
            .await?;
        if !page {
            return Ok(Some("already logged in".to_string()));
        }
        let mut first_attempt = true;
        loop {
            // What the form said before the first attempt (a console's "log in again" note after
            // an upgrade) is not its answer to it. A later attempt follows a "locked" answer, and
            // the same answer again means the console is still locked.
            let before = browser.login_form().await?;
            if !before.has_password_field && main_menu_usable(browser).await? {
                return Ok(Some("logged in".to_string()));
            }
            let alert_before = if first_attempt {
                before.alert
            } else {
                String::new()
            };
            let alert_before = &alert_before;
            first_attempt = false;
            let username_field = self
                .find_field(
                    action,
                    &["Username", "Email", "Email address", "User name"],
                    deadline,
                )
                .await?;
            let password_field = self.find_field(action, &["Password"], deadline).await?;
            self.browser
                .type_into(&username_field, &self.settings.credentials.username)
                .await?;
            self.browser
                .type_into(&password_field, &self.settings.credentials.password)
                .await?;
            self.browser.submit_form_of(&password_field).await?;
            // The first look comes before the console could answer: a form asking for a new
            // password is looked for from the second on.
            let looks = std::cell::Cell::new(0);
            let looks = &looks;
            let answer = self
                .poll(action, "the console to accept the login", deadline, |_budget| async move {
                    let mut form = browser.login_form().await?;
                    if !form.has_password_field {
                        return Ok(Attempt::Done(LoginAnswer::Accepted));
                    }
                    if form.alert == *alert_before {
                        form.alert.clear();
                    }
                    looks.set(looks.get() + 1);
                    if looks.get() > 1 && asks_for_new_password(browser).await? {
                        return Ok(Attempt::Fail(
                            "the console accepted the login but asks for a new password (a first login): set one in \
                             the console, then pass it in PALETTE_PASSWORD"
                                .to_string(),
                        ));
                    }
                    if form.alert.is_empty() {
                        // A refusal written as plain text beside the form, not as an alert.
                        if looks.get() > 1 {
                            let page = browser.page_text().await?;
                            if let Some(line) = refusal_line(&page) {
                                return Ok(Attempt::Fail(format!(
                                    "the console refused the login: \"{line}\"; check PALETTE_USERNAME and PALETTE_PASSWORD"
                                )));
                            }
                        }
                        return Ok(Attempt::NotYet("the login form is still shown".to_string()));
                    }
                    // A console that is still locked refuses logins until it unlocks: try again.
                    if says_try_later(&form.alert) {
                        return Ok(Attempt::Done(LoginAnswer::Locked(form.alert)));
                    }
                    Ok(Attempt::Fail(format!(
                        "the console refused the login: \"{}\"; check PALETTE_USERNAME and PALETTE_PASSWORD",
                        form.alert
                    )))
                })
                .await?;
            match answer {
                LoginAnswer::Accepted => return Ok(Some("logged in".to_string())),
                LoginAnswer::Locked(alert) if Instant::now() >= deadline => {
                    return Err(ActionFailure {
                        expected: "the console to accept the login".to_string(),
                        page_showed: format!("the console is still locked: \"{alert}\""),
                    })
                }
                LoginAnswer::Locked(alert) => {
                    self.reporter.on_event(&Event::Waiting {
                        action: action.text.clone(),
                        waiting_for: "the console to accept logins".to_string(),
                        elapsed: Duration::ZERO,
                        timeout: deadline.saturating_duration_since(Instant::now()),
                        page_says: Some(self.settings.redactor.redact(&alert)),
                    });
                    // Poll interval before the next attempt, not a wait for the page.
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
            }
        }
    }

    /// The first of `labels` that names a visible field.
    async fn find_field(
        &mut self,
        action: &Action,
        labels: &[&str],
        deadline: Instant,
    ) -> Result<ElementHandle, ActionFailure> {
        let browser = self.browser;
        let waiting_for = format!(
            "a field labelled {}",
            labels
                .iter()
                .map(|label| format!("\"{label}\""))
                .collect::<Vec<_>>()
                .join(" or ")
        );
        self.poll(action, &waiting_for, deadline, |_budget| async move {
            let candidates = browser.collect(Role::Field.script_name(), None).await?;
            let names: Vec<Candidate> = candidates
                .iter()
                .map(|(_, candidate)| candidate.clone())
                .collect();
            let mut last_miss = String::new();
            for label in labels {
                match locate::choose(Some(label), &names, &[]) {
                    Ok(index) => return Ok(Attempt::Done(candidates[index].0.clone())),
                    Err(miss) => last_miss = miss.explain(&format!("field \"{label}\""), "field"),
                }
            }
            Ok(Attempt::NotYet(last_miss))
        })
        .await
    }

    /// Waits through the upgrade lock: first for the console to lock (or log out, or stop
    /// answering), then until a login form or a usable Main Menu is back and the console answers
    /// again, reporting the lock screen's progress. The wait ends at `deadline`, which `ended_by`
    /// names for the failure.
    pub(super) async fn wait_until_unlocked(
        &mut self,
        action: &Action,
        deadline: Instant,
        ended_by: &str,
    ) -> Result<Option<String>, ActionFailure> {
        let browser = self.browser;
        let started = Instant::now();
        // Whether the console still answers at all: a console that died during the lock is
        // not a long upgrade, and one that restarts its services comes back.
        let liveness = Liveness::new(&self.settings.console);
        let liveness = &liveness;
        let appearance_deadline = deadline.min(Instant::now() + LOCK_APPEARANCE);
        let saw_lock = self
            .poll(
                action,
                "the console to lock for the upgrade",
                appearance_deadline,
                |_budget| async move {
                    if liveness.down_since().await.is_some()
                        || browser.login_form().await?.has_password_field
                        || browser.blocking_status(Duration::ZERO).await?.is_some()
                        || !main_menu_usable(browser).await?
                    {
                        return Ok(Attempt::Done(()));
                    }
                    Ok(Attempt::NotYet("the console is still usable".to_string()))
                },
            )
            .await
            .is_ok();
        // The console's own words while it is locked, kept for the failure and the report.
        let progress = std::cell::RefCell::new(None::<String>);
        let progress_ref = &progress;
        let settings = self.settings;
        let redactor = &settings.redactor;
        let waited = self
            .poll(
                action,
                "the console to unlock",
                deadline,
                |_budget| async move {
                    if let Some(since) = liveness.down_since().await {
                        return Ok(Attempt::NotYet(format!(
                            "the console does not answer at {} (for {:.0} s)",
                            liveness.address(),
                            since.elapsed().as_secs_f64()
                        )));
                    }
                    let busy = browser.blocking_status(LOCK_LOOK).await?;
                    if busy.is_none()
                        && (browser.login_form().await?.has_password_field
                            || main_menu_usable(browser).await?)
                    {
                        return Ok(Attempt::Done(()));
                    }
                    if let Some(status) = &busy {
                        *progress_ref.borrow_mut() = Some(redactor.redact(status));
                    }
                    Ok(Attempt::NotYet(match busy {
                        Some(status) => status,
                        None => page_summary(browser).await?,
                    }))
                },
            )
            .await;
        let seconds = started.elapsed().as_secs_f64();
        let progress = progress.into_inner();
        self.reporter.on_event(&Event::Fact(Fact::Lock {
            seconds,
            progress: progress.clone(),
        }));
        if let Err(failure) = waited {
            let limit = deadline.saturating_duration_since(started);
            return Err(ActionFailure {
                expected: format!(
                    "the console to unlock within {} ({ended_by})",
                    in_words(limit)
                ),
                page_showed: match (liveness.went_down(), progress) {
                    (Some(since), _) => format!(
                        "the console stopped answering {:.0} s into the lock ({}: no connection from then on, {:.0} s in all)",
                        since.duration_since(started).as_secs_f64(),
                        liveness.address(),
                        since.elapsed().as_secs_f64()
                    ),
                    (None, Some(progress)) => format!(
                        "it was still locked after {seconds:.0} s; the last progress it showed: \"{progress}\""
                    ),
                    (None, None) => failure.page_showed,
                },
            });
        }
        // A console that unlocks to say the upgrade failed has not upgraded.
        let alerts = browser.alerts().await?;
        if let Some(error) = alerts.iter().find(|alert| says_failure(alert)) {
            return Err(ActionFailure {
                expected: "the console to unlock with the upgrade applied".to_string(),
                page_showed: format!(
                    "it unlocked after {seconds:.1} s showing an error: \"{error}\""
                ),
            });
        }
        let last = progress
            .map(|progress| format!("; its last progress: \"{progress}\""))
            .unwrap_or_default();
        Ok(Some(if saw_lock {
            format!("the console was locked and unlocked after {seconds:.1} s{last}")
        } else {
            format!(
                "the console never showed a lock within {} s",
                LOCK_APPEARANCE.as_secs()
            )
        }))
    }
}

/// Whether the console takes TCP connections, looked at no more than once a second.
struct Liveness {
    /// `host:port`; none for a URL without one, which is then never probed.
    address: Option<String>,
    last_probe: std::cell::Cell<Option<Instant>>,
    down_since: std::cell::Cell<Option<Instant>>,
}

impl Liveness {
    fn new(console: &crate::settings::ConsoleAddress) -> Self {
        let address = Some(console.socket_address());
        Liveness {
            address,
            last_probe: std::cell::Cell::new(None),
            down_since: std::cell::Cell::new(None),
        }
    }

    fn address(&self) -> &str {
        self.address.as_deref().unwrap_or("its address")
    }

    /// Since when the console has not answered (probing if the last look is a second old).
    async fn down_since(&self) -> Option<Instant> {
        let address = self.address.as_deref()?;
        if self
            .last_probe
            .get()
            .is_none_or(|at| at.elapsed() >= Duration::from_secs(1))
        {
            self.last_probe.set(Some(Instant::now()));
            if answers(address).await {
                self.down_since.set(None);
            } else if self.down_since.get().is_none() {
                self.down_since.set(Some(Instant::now()));
            }
        }
        self.down_since.get()
    }

    /// Since when the console has not answered, as last seen, without probing.
    fn went_down(&self) -> Option<Instant> {
        self.down_since.get()
    }
}

/// Whether something accepts a TCP connection at `address` within a second.
async fn answers(address: &str) -> bool {
    matches!(
        tokio::time::timeout(
            Duration::from_secs(1),
            tokio::net::TcpStream::connect(address)
        )
        .await,
        Ok(Ok(_))
    )
}

/// A line of the login page that says the credentials were refused.
fn refusal_line(page: &str) -> Option<&str> {
    const WORDS: [&str; 6] = [
        "invalid",
        "incorrect",
        "wrong",
        "failed",
        "do not match",
        "denied",
    ];
    page.lines().map(str::trim).find(|line| {
        let lower = line.to_lowercase();
        line.len() < 200 && WORDS.iter().any(|word| lower.contains(word))
    })
}

/// `30 minutes`, `1m30s`, `8 s`.
fn in_words(duration: Duration) -> String {
    let seconds = duration.as_secs_f64().round() as u64;
    match (seconds / 60, seconds % 60) {
        (0, seconds) => format!("{seconds} s"),
        (minutes, 0) => format!("{minutes} minutes"),
        (minutes, seconds) => format!("{minutes}m{seconds:02}s"),
    }
}

/// An alert that says something went wrong, as opposed to a notice.
fn says_failure(alert: &str) -> bool {
    let alert = alert.to_lowercase();
    [
        "fail",
        "error",
        "could not",
        "unable",
        "rolled back",
        "restored",
    ]
    .iter()
    .any(|word| alert.contains(word))
}

/// A first login's password change: a visible field named "New password".
async fn asks_for_new_password(browser: &impl Page) -> Result<bool, BrowserError> {
    let fields = browser.collect(Role::Field.script_name(), None).await?;
    Ok(fields.iter().any(|(_, field)| {
        field
            .names
            .iter()
            .any(|name| name.to_lowercase().contains("new password"))
    }))
}

/// A person could use the Main Menu now: there is a menu (a few entries, not one stray button on
/// an error page), and some entry is visible with nothing covering it.
async fn main_menu_usable(browser: &impl Page) -> Result<bool, BrowserError> {
    const FEWEST_MENU_ITEMS: usize = 3;
    let every_item = Query::every(Role::MenuItem);
    let levels = browser
        .locate(&every_item.request(), LocateNeed::Visible, Duration::ZERO)
        .await?;
    let items = last_level(levels);
    Ok(items.len() >= FEWEST_MENU_ITEMS
        && items.iter().take(3).any(|item| {
            item.probe
                .as_ref()
                .is_some_and(|probe| probe.visible && probe.covered_by.is_none())
        }))
}

/// A login refusal that means "not now" rather than "wrong credentials": the console is locked,
/// upgrading or in maintenance, and the same login will work once it is done.
fn says_try_later(alert: &str) -> bool {
    const WORDS: [&str; 7] = [
        "lock",
        "upgrad",
        "maintenance",
        "try again later",
        "in progress",
        "unavailable",
        "not ready",
    ];
    let alert = alert.to_lowercase();
    let wrong_credentials = ["invalid", "incorrect", "wrong"]
        .iter()
        .any(|word| alert.contains(word));
    !wrong_credentials && WORDS.iter().any(|word| alert.contains(word))
}

#[cfg(test)]
mod tests {
    use super::{refusal_line, says_try_later};

    #[test]
    fn a_refusal_in_plain_text_is_found_on_the_login_page() {
        assert_eq!(
            refusal_line("Palette\nUsername\nPassword\nInvalid credentials\nLog in"),
            Some("Invalid credentials")
        );
        assert_eq!(refusal_line("Palette\nUsername\nPassword\nLog in"), None);
    }

    #[test]
    fn a_console_that_is_busy_upgrading_is_asked_again_later() {
        for alert in [
            "The system console is locked while the upgrade is applied (41s left).",
            "Palette is upgrading. Try again later.",
            "Service unavailable",
            "Upgrade in progress",
        ] {
            assert!(says_try_later(alert), "{alert}");
        }
    }

    #[test]
    fn wrong_credentials_are_not_retried() {
        for alert in [
            "Invalid username or password.",
            "Wrong email or password",
            "Incorrect password. Try again later or reset it.",
        ] {
            assert!(!says_try_later(alert), "{alert}");
        }
    }
}
