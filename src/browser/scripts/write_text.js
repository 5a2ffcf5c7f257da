// Replaces a field's or editor's text the way a paste does, so the page's own input handlers see
// the change: a code editor through its own API, an input or textarea through its value setter
// (with input and change events, then shown from its first line), an editable element through
// the editing commands. Runs after locate/code_editor.js (`codeEditorOf`, `codeEditorWidgetOf`).
// arguments: [element, text]. Returns "needs a paste" for a code editor widget whose API the
// page keeps out of reach (the harness then pastes through its paste handler), else nothing.
const [e, text] = arguments;
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
e.blur();
