// `textOfEditor(element)`: the text of a field, an editor or a code view, as a person would copy
// it. A library for the scripts after it; `code_editor.js` runs first.
function textOfEditor(element) {
  const codeEditor = codeEditorOf(element);
  if (codeEditor) return codeEditor.get();
  if ("value" in element && typeof element.value === "string" && !(element instanceof HTMLLIElement)) return element.value;
  // Code views built from elements show blank lines and indentation as no-break spaces; the text
  // a person copies has plain ones.
  return element.innerText.replace(/\u00a0/g, " ").split("\n").map((line) => line.replace(/\s+$/, "")).join("\n");
}
