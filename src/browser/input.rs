//! What a person does with mouse and keyboard: scrolling to an element, clicking it, typing into
//! a field, submitting a form, and writing a field's or code editor's text as a paste does. A code
//! editor widget whose API the page keeps out of reach is written and read the way a person does
//! it: all selected with Ctrl+A, then pasted into or copied through its own handlers
//! (`locate/code_editor.js`).

use std::time::Duration;

use fantoccini::actions::{
    InputSource, KeyAction, KeyActions, MouseActions, PointerAction, MOUSE_BUTTON_LEFT,
};
use fantoccini::elements::{Element, ElementRef};
use serde_json::{json, Value};

use crate::locate::Candidate;

use super::{Browser, BrowserError, ElementHandle, ELEMENT_KEY};

/// Scrolls an element (or an option's select) to the middle of the viewport.
const SCROLL_INTO_VIEW_SCRIPT: &str = include_str!("scripts/scroll_into_view.js");
/// Focuses a field and empties it, for typing.
const CLEAR_FIELD_SCRIPT: &str = include_str!("scripts/clear_field.js");
/// The button that submits a field's form, or null.
const SUBMIT_BUTTON_SCRIPT: &str = concat!(
    include_str!("../locate/accname.js"),
    "\n",
    include_str!("scripts/submit_button.js")
);
/// Replaces a field's or editor's text (`arguments[0]`) with `arguments[1]` the way a paste does,
/// so the page's own input handlers see the change.
const WRITE_TEXT_SCRIPT: &str = concat!(
    include_str!("../locate/code_editor.js"),
    "\n",
    include_str!("scripts/write_text.js")
);
/// Waits, with execute-async, until a code editor widget shows a paste (for up to `arguments[1]` ms).
const WAIT_FOR_PASTE_SHOWN_SCRIPT: &str = concat!(
    include_str!("../locate/code_editor.js"),
    "\nwaitForPasteShown(arguments[0], arguments[1], arguments[2]);"
);
/// Sends a copy event to a code editor widget whose text is selected: `{focused, text, shows}`.
const COPY_FROM_EDITOR_SCRIPT: &str = concat!(
    include_str!("../locate/code_editor.js"),
    "\nreturn copyFromEditor(arguments[0]);"
);
/// Sends a paste of `arguments[1]` to a code editor widget whose text is selected: true if it
/// still had the focus.
const PASTE_INTO_EDITOR_SCRIPT: &str = concat!(
    include_str!("../locate/code_editor.js"),
    "\nreturn pasteIntoEditor(arguments[0], arguments[1]);"
);
/// Focuses a code editor widget's input until the focus stays there, with execute-async: true
/// once it did.
const FOCUS_EDITOR_INPUT_SCRIPT: &str = concat!(
    include_str!("../locate/code_editor.js"),
    "\nfocusEditorInputSteadily(arguments[0], arguments[1]);"
);

/// How long a code editor may take to apply a paste, over all attempts.
const PASTE_APPLIED_WITHIN: Duration = Duration::from_secs(10);

/// How many times a code editor that dropped a paste is given the text again.
const PASTE_ATTEMPTS: usize = 3;

/// How many times the keyboard focus is put back into a code editor whose page took it away
/// between the focus and the copy or paste.
const EDITOR_FOCUS_ATTEMPTS: usize = 5;

/// The error of a code editor whose page kept taking the focus away.
fn editor_focus_lost() -> BrowserError {
    BrowserError::UnexpectedReply(
        "the page kept taking the keyboard focus away from the code editor, so its text could not be copied or pasted"
            .to_string(),
    )
}

impl Browser {
    /// Scrolls an element to the middle of the viewport, as a person scrolls to what they want.
    pub async fn scroll_into_view(&self, element: &ElementHandle) -> Result<(), BrowserError> {
        self.script(SCROLL_INTO_VIEW_SCRIPT, vec![element.as_argument()])
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
            return self.element(element).click().await;
        }
        // The probe's point: the middle, but no lower than 20 px from the top of a tall element.
        let y = match rect {
            Some([_, _, _, height]) if height > 40 => 20.0 - height as f64 / 2.0,
            _ => 0.0,
        };
        self.mouse_click(&self.element(element), y).await
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

    /// Types into a field with real key events, replacing what it held: the field is emptied
    /// and focused in the page (as select-all and delete would, with the input event the page
    /// listens to), then typed into.
    pub async fn type_into(&self, element: &ElementHandle, text: &str) -> Result<(), BrowserError> {
        self.script(CLEAR_FIELD_SCRIPT, vec![element.as_argument()])
            .await?;
        self.element(element).send_keys(text).await?;
        Ok(())
    }

    /// Submits the form a field belongs to as a person would: its submit button, else Enter.
    pub async fn submit_form_of(&self, field: &ElementHandle) -> Result<(), BrowserError> {
        let reply = self
            .script(SUBMIT_BUTTON_SCRIPT, vec![field.as_argument()])
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
            None => self.element(field).send_keys("\u{E007}").await?,
        }
        Ok(())
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
                WAIT_FOR_PASTE_SHOWN_SCRIPT,
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
                    PASTE_INTO_EDITOR_SCRIPT,
                    vec![element.as_argument(), json!(text)],
                )
                .await?;
            if answer == Value::Bool(true) {
                return Ok(());
            }
        }
        Err(editor_focus_lost())
    }

    /// The whole text of a code editor widget whose API is out of reach, as its own copy
    /// handler gives it: the widget is focused, all is selected with the keyboard (Ctrl+A, as a
    /// person does), a copy event is sent to it, and the cursor goes back to the top (Ctrl+Home).
    pub async fn copy_editor_text(&self, element: &ElementHandle) -> Result<String, BrowserError> {
        for _ in 0..EDITOR_FOCUS_ATTEMPTS {
            self.select_all_in_editor(element).await?;
            let copied = self
                .script(COPY_FROM_EDITOR_SCRIPT, vec![element.as_argument()])
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
            .script_async(FOCUS_EDITOR_INPUT_SCRIPT, vec![element.as_argument()])
            .await?;
        if focused != Value::Bool(true) {
            return Err(editor_focus_lost());
        }
        self.press_ctrl('a').await
    }
}
