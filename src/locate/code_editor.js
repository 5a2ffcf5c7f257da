// Code editor widgets (Monaco, CodeMirror 5 and 6, Ace), for the scripts that run after this one:
// the locator treats each as one editor, the page outline as one textbox.
const CODE_EDITOR_WIDGETS = ".monaco-editor, .CodeMirror, .cm-editor, .ace_editor";

// The code editor widget that holds `element` (Monaco, CodeMirror 5 or 6, Ace), as an object with
// get() and set(text), or null. These editors render only the lines in view and keep their text
// in a model, so their text is read and written through the editor itself, the way its own
// copy and paste would. `element` may be the widget, something inside it, or a box around it.
function codeEditorOf(element) {
  const widget = (selector) => element.closest(selector) || (element.querySelectorAll ? element.querySelectorAll(selector) : []).length === 1 && element.querySelector(selector) || null;
  const monacoRoot = widget(".monaco-editor");
  if (monacoRoot && window.monaco && monaco.editor && monaco.editor.getEditors) {
    // A diff editor's two sides are code editors of their own.
    const sides = (monaco.editor.getDiffEditors ? monaco.editor.getDiffEditors() : []).flatMap((diff) => [diff.getOriginalEditor(), diff.getModifiedEditor()]);
    const editor = monaco.editor.getEditors().concat(sides).find((candidate) => {
      const node = candidate.getContainerDomNode();
      return node === monacoRoot || node.contains(monacoRoot) || monacoRoot.contains(node);
    });
    if (editor && editor.getModel()) return {
      get: () => editor.getModel().getValue(),
      set: (text) => {
        editor.pushUndoStop();
        editor.executeEdits("palette-harness", [{ range: editor.getModel().getFullModelRange(), text, forceMoveMarkers: true }]);
        editor.pushUndoStop();
        editor.setScrollTop(0);
      },
    };
  }
  const cm5 = widget(".CodeMirror");
  if (cm5 && cm5.CodeMirror) return {
    get: () => cm5.CodeMirror.getValue(),
    set: (text) => { cm5.CodeMirror.setValue(text); cm5.CodeMirror.scrollTo(0, 0); },
  };
  const cm6 = widget(".cm-editor");
  if (cm6) {
    // CodeMirror 6 keeps its view on the content element: `cmView` before @codemirror/view 6.39,
    // `cmTile` (whose root tile holds the view) since, as its own EditorView.findFromDOM reads it.
    const content = cm6.querySelector(".cm-content");
    const contentView = content && content.cmView;
    const tile = content && content.cmTile;
    const view = (contentView && ((contentView.rootView && contentView.rootView.view) || contentView.view)) || (tile && tile.root && tile.root.view);
    if (view && view.state && view.dispatch) return {
      get: () => view.state.doc.toString(),
      set: (text) => view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } }),
    };
  }
  const ace = widget(".ace_editor");
  if (ace && ace.env && ace.env.editor) return {
    get: () => ace.env.editor.getValue(),
    set: (text) => ace.env.editor.setValue(text, -1),
  };
  return null;
}

// The code editor widget `element` is, or sits in, or holds alone; null for anything else.
function codeEditorWidgetOf(element) {
  const inside = flatClosestWidget(element);
  if (inside) return inside;
  const held = element.querySelectorAll ? element.querySelectorAll(CODE_EDITOR_WIDGETS) : [];
  return held.length === 1 ? held[0] : null;
}

function flatClosestWidget(element) {
  for (let node = element; node; node = node.assignedSlot || node.parentNode || node.host) {
    if (node.nodeType === Node.ELEMENT_NODE && node.matches(CODE_EDITOR_WIDGETS)) return node;
  }
  return null;
}

// A widget whose own API the page keeps out of reach (Monaco bundled as a module sets no
// `window.monaco`): its text is what its own copy handler puts on the clipboard, and it takes
// text through its own paste handler. The runner selects all with the keyboard first
// (Browser::copy_editor_text); these run in the page around that.

// The element that takes the widget's keyboard: Monaco's EditContext box or its text area,
// CodeMirror's content, Ace's text input; not a read-only helper such as Monaco's IME text area.
function editorInputOf(element) {
  const widget = codeEditorWidgetOf(element) || element;
  return widget.querySelector("[role='textbox'], [contenteditable='true'], [contenteditable=''], textarea:not([readonly])") || widget;
}

function deepActiveElement() {
  let active = document.activeElement;
  while (active && active.shadowRoot && active.shadowRoot.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

// Focuses the widget's input and answers (through `done`) once the focus has stayed there for
// two animation frames, or false after 60 frames: a popup closing around it (a select menu in
// a dialog) may hand the focus back to its own button just after.
function focusEditorInputSteadily(element, done) {
  const input = editorInputOf(element);
  let still = 0;
  let frames = 0;
  const look = () => {
    if (deepActiveElement() === input) {
      still += 1;
      if (still >= 2) { done(true); return; }
    } else {
      still = 0;
      input.focus();
    }
    frames += 1;
    if (frames > 60) { done(false); return; }
    let called = false;
    const once = () => { if (!called) { called = true; look(); } };
    requestAnimationFrame(once);
    setTimeout(once, 50);
  };
  input.focus();
  look();
}

// The widget's text as its copy handler gives it, or null when the focus left its input.
function copyFromEditor(element) {
  const target = deepActiveElement();
  if (target !== editorInputOf(element)) return { focused: false, text: null };
  const data = new DataTransfer();
  const event = new ClipboardEvent("copy", { clipboardData: data, bubbles: true, cancelable: true, composed: true });
  target.dispatchEvent(event);
  const shows = ((codeEditorWidgetOf(element) || element).innerText || "").trim().length > 0;
  return { focused: true, text: event.defaultPrevented ? data.getData("text/plain") : null, shows };
}

// Pastes `text` through the widget's paste handler; false when the focus left its input.
function pasteIntoEditor(element, text) {
  const target = deepActiveElement();
  if (target !== editorInputOf(element)) return false;
  const data = new DataTransfer();
  data.setData("text/plain", text);
  target.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true, composed: true }));
  return true;
}

// Answers (through `done`) once the widget has shown a paste: its rendered text changed (lines or
// text nodes added, removed or rewritten; a blinking cursor only changes attributes) and then
// stayed as it is for 150 ms; false when nothing changed within `withinMs`. An editor may apply a
// paste after its paste providers answered (Monaco's "paste as"), and moving the selection
// before then cancels the paste, so the text is not read back (select all, copy) until then.
function waitForPasteShown(element, withinMs, done) {
  const widget = codeEditorWidgetOf(element) || element;
  let changedAt = 0;
  const observer = new MutationObserver(() => { changedAt = performance.now(); });
  observer.observe(widget, { childList: true, characterData: true, subtree: true });
  const started = performance.now();
  const look = () => {
    const now = performance.now();
    if (changedAt && now - changedAt >= 150) { observer.disconnect(); done(true); return; }
    if (!changedAt && now - started >= withinMs) { observer.disconnect(); done(false); return; }
    setTimeout(look, 25);
  };
  look();
}
