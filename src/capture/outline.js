// palette-harness page outline: what a person sees on the page, in document order, as an
// indented list of roles, names, states and text (like an accessibility-tree snapshot).
// Generic containers (div, span) are transparent; hidden content is left out; shadow roots are
// read where they render (`flatChildren` from locate/accname.js, which runs first). `normalize`,
// `byIds` and the naming rules come from locate/candidates.js, which runs before this. No arguments.
// A code editor widget is one textbox whose value is its whole text, read through the editor
// (`CODE_EDITOR_WIDGETS` and `codeEditorOf` come from locate/code_editor.js, which runs first):
// its internals render only the lines in view and change with timing, which no person would call
// a page change.
const lines = [];

function visible(element) {
  if (element.getAttribute("aria-hidden") === "true" || element.hidden || element.inert) return false;
  const style = getComputedStyle(element);
  if (style.display === "none" || style.visibility === "hidden" || style.visibility === "collapse") return false;
  if (style.opacity === "0") return false;
  return true;
}

function outlineRoleOf(element) {
  if (element.matches(CODE_EDITOR_WIDGETS)) return "textbox";
  const explicit = element.getAttribute("role");
  if (explicit && explicit !== "none" && explicit !== "presentation") return explicit.split(/\s+/)[0];
  if (explicit) return null;
  const tag = element.tagName.toLowerCase();
  switch (tag) {
    case "a": return element.hasAttribute("href") ? "link" : null;
    case "button": case "summary": return "button";
    case "h1": case "h2": case "h3": case "h4": case "h5": case "h6": return "heading";
    case "nav": return "navigation";
    case "main": return "main";
    case "aside": return "complementary";
    case "header": return element.closest("article, section, main, aside, nav") ? null : "banner";
    case "footer": return element.closest("article, section, main, aside, nav") ? null : "contentinfo";
    case "section": return element.hasAttribute("aria-label") || element.hasAttribute("aria-labelledby") ? "region" : null;
    case "form": return element.hasAttribute("aria-label") || element.hasAttribute("aria-labelledby") ? "form" : null;
    case "dialog": return "dialog";
    case "ul": case "ol": return "list";
    case "li": return "listitem";
    case "table": return "table";
    case "tr": return "row";
    case "th": return "columnheader";
    case "td": return "cell";
    case "img": return element.getAttribute("alt") ? "img" : null;
    case "textarea": return "textbox";
    case "select": return "combobox";
    case "progress": return "progressbar";
    case "dl": return "list";
    case "dt": return "term";
    case "dd": return "definition";
    case "input": {
      const type = (element.getAttribute("type") || "text").toLowerCase();
      if (type === "hidden") return null;
      if (["button", "submit", "reset"].includes(type)) return "button";
      if (type === "checkbox") return "checkbox";
      if (type === "radio") return "radio";
      if (type === "search") return "searchbox";
      if (type === "number") return "spinbutton";
      return "textbox";
    }
  }
  if (element.isContentEditable && !(element.parentElement && element.parentElement.isContentEditable)) return "textbox";
  return null;
}

const LEAF = new Set(["button", "link", "heading", "tab", "option", "menuitem", "menuitemradio", "menuitemcheckbox", "img", "textbox", "searchbox", "spinbutton", "combobox", "checkbox", "radio", "switch", "progressbar", "columnheader", "term"]);
const FIELD_ROLES = new Set(["textbox", "searchbox", "spinbutton", "combobox"]);

// One naming model with the locator (candidates.js) and its messages: the browser's accessible
// name where the markup gives one (accname.js), else the title a person reads by the locator's
// own rules: a field's or editor's label or the caption above it, a dialog's first line at its top.
function nameOf(element, role) {
  if (FIELD_ROLES.has(role)) {
    const markup = fieldNames(element).map((entry) => normalize(entry.text)).find(Boolean);
    return markup || normalize(textNear(element).text);
  }
  const accessible = accessibleName(element).name;
  if (accessible || !["dialog", "alertdialog", "region"].includes(role)) return accessible;
  const top = topTitleOf(element);
  return top ? normalize(top.text) : "";
}

function statesOf(element, role) {
  const states = [];
  if (role === "heading") states.push(`level=${element.getAttribute("aria-level") || element.tagName.slice(1)}`);
  if (element.matches(CODE_EDITOR_WIDGETS)) states.push("code");
  const flag = (attribute, word) => {
    const value = element.getAttribute(attribute);
    if (value !== null && value !== "false") states.push(value === "true" || value === "" ? word : `${word}=${value}`);
  };
  flag("aria-selected", "selected");
  flag("aria-current", "current");
  flag("aria-pressed", "pressed");
  flag("aria-expanded", "expanded");
  flag("aria-checked", "checked");
  if (element.checked) states.push("checked");
  if (element.disabled || element.getAttribute("aria-disabled") === "true") states.push("disabled");
  if (element.readOnly && FIELD_ROLES.has(role)) states.push("readonly");
  if (role === "progressbar") {
    const value = element.getAttribute("aria-valuenow") || (element.value !== undefined ? element.value : "");
    if (value !== "") states.push(`value=${value}`);
  }
  return states;
}

function quote(text) {
  return JSON.stringify(text);
}

function fieldValue(element) {
  if (element.type === "password") return element.value ? "********" : "";
  const codeEditor = element.matches(CODE_EDITOR_WIDGETS) ? codeEditorOf(element) : null;
  if (codeEditor) return codeEditor.get();
  const value = "value" in element && typeof element.value === "string" ? element.value : element.innerText;
  return value || "";
}

function emit(depth, text) {
  lines.push(`${"  ".repeat(depth)}- ${text}`);
}

function walk(node, depth) {
  let pendingText = "";
  const flush = () => {
    const text = normalize(pendingText);
    if (text) emit(depth, `text: ${quote(text)}`);
    pendingText = "";
  };
  // The flat tree, as it renders: a web component's shadow root, a slot's assigned nodes.
  for (const child of flatChildren(node)) {
    if (child.nodeType === Node.TEXT_NODE) {
      pendingText += " " + child.textContent;
      continue;
    }
    if (child.nodeType !== Node.ELEMENT_NODE) continue;
    const tag = child.tagName.toLowerCase();
    if (["script", "style", "template", "noscript", "svg", "head", "link", "meta"].includes(tag)) continue;
    if (!visible(child)) continue;
    if (tag === "br") { pendingText += " "; continue; }
    const role = outlineRoleOf(child);
    if (!role) {
      const display = getComputedStyle(child).display;
      if (display.startsWith("inline")) {
        // Inline containers (span, b) are part of the surrounding sentence.
        const nested = deepQueryAll(child, "a[href], button, input, select, textarea, [role], img[alt], h1, h2, h3, h4, h5, h6").length > 0;
        if (!nested) { pendingText += " " + child.innerText; continue; }
      }
      flush();
      walk(child, depth);
      continue;
    }
    flush();
    const name = nameOf(child, role);
    const states = statesOf(child, role);
    let line = role + (name ? ` ${quote(name)}` : "") + states.map((state) => ` [${state}]`).join("");
    if (FIELD_ROLES.has(role)) {
      const value = fieldValue(child);
      if (value) {
        const valueLines = value.replace(/\s+$/, "").split("\n");
        if (valueLines.length === 1) line += `: ${quote(valueLines[0])}`;
        else {
          emit(depth, `${line}:`);
          for (const valueLine of valueLines) lines.push(`${"  ".repeat(depth + 1)}| ${valueLine.replace(/\s+$/, "")}`);
          continue;
        }
      }
    }
    if (LEAF.has(role)) { emit(depth, line); continue; }
    const before = lines.length;
    emit(depth, `${line}:`);
    walk(child, depth + 1);
    if (lines.length === before + 1) {
      // Nothing inside: drop the colon, keep any text the element holds as its value.
      lines[before] = lines[before].replace(/:$/, "");
    }
  }
  flush();
}

walk(document.body, 0);
return lines.join("\n");
