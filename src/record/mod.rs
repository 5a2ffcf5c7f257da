//! What `record` writes: a person's clicks, choices, typing and marked expectations, turned into
//! a scenario in the guide language, named by the same rules the runner finds elements by.
//!
//! Pure: the page (`browser/scripts/recorder.js`) reports, for each press, every candidate the
//! locator lists for the roles a press can mean and which one holds the pressed element;
//! [`naming`] picks the role and the label a person reads and checks, with `locate`'s own
//! ranking, that the sentence finds exactly that element (scoped to its dialog where the label
//! alone is ambiguous; written as a `# TODO` comment where even that does not); [`recording`]
//! turns the page's events into steps (cut at navigations, dialogs opening and the console's
//! lock; `log in` for anything done on a login form, so no password is ever kept); [`write`]
//! renders them as a scenario file that `check` accepts at every moment. It does not drive a
//! browser or write files: `harness::record` does.
//!
//! Not recorded: typing into code editors (their text is written through their own API by the
//! runner's merge actions, which a person's keystrokes do not map to), drags, hovers, keyboard
//! shortcuts, and presses on what no role names (empty space).

pub mod naming;
pub mod recording;
pub mod write;
