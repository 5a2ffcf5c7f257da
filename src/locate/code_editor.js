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
    const editor = monaco.editor.getEditors().find((candidate) => {
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
