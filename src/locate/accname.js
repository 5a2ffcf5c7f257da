// palette-harness accname: the page as the browser's accessibility tree presents it, for the
// scripts after this one (candidates.js, outline.js). A library; no arguments.
//
// - The flat tree: shadow roots are no wall. `flatParent`, `flatContains`, `flatClosest` and
//   `deepQueryAll` walk the tree as it renders: a shadow host's shadow root in place of its
//   children, a slot's assigned nodes in place of the slot.
// - `roleOf(element)`: the element's ARIA role, explicit or implicit (HTML-AAM), or null.
// - `accessibleName(element)`: {name, source}, the accessible name as accname 1.2 computes it and
//   where it came from ("aria-labelledby", "aria-label", "label", "alt", "legend", "caption",
//   "contents", "title", "placeholder", "value"), or {name: "", source: null} where the markup
//   names nothing. Tests compare it with WebDriver's Get Computed Label.

function normalizeSpace(text) {
  return (text || "").replace(/\s+/g, " ").trim();
}

function flatParent(node) {
  if (node.assignedSlot) return node.assignedSlot;
  const parent = node.parentNode;
  if (!parent) return null;
  if (parent.nodeType === Node.DOCUMENT_FRAGMENT_NODE && parent.host) return parent.host;
  return parent.nodeType === Node.ELEMENT_NODE ? parent : null;
}

function flatContains(ancestor, node) {
  for (let current = node; current; current = flatParent(current)) if (current === ancestor) return true;
  return false;
}

function flatClosest(element, selector) {
  for (let current = element; current; current = flatParent(current)) {
    if (current.nodeType === Node.ELEMENT_NODE && current.matches(selector)) return current;
  }
  return null;
}

// The children a node renders, in order: a host's shadow root's, a slot's assigned nodes (or its
// fallback content).
function flatChildren(node) {
  if (node.shadowRoot) return Array.from(node.shadowRoot.childNodes);
  if (node.tagName === "SLOT") {
    const assigned = node.assignedNodes();
    return assigned.length ? assigned : Array.from(node.childNodes);
  }
  return Array.from(node.childNodes);
}

// Whether any open shadow root exists in the document: where none does, the browser's own
// querySelectorAll answers, in document order.
let shadowHostsSeen = null;
function pageHasShadowRoots() {
  if (shadowHostsSeen !== null) return shadowHostsSeen;
  shadowHostsSeen = false;
  const walker = document.createTreeWalker(document.body || document.documentElement, NodeFilter.SHOW_ELEMENT);
  for (let node = walker.currentNode; node; node = walker.nextNode()) {
    if (node.shadowRoot) { shadowHostsSeen = true; break; }
  }
  return shadowHostsSeen;
}

// Every element under `root` (an element or the document) matching `selector`, in flat-tree order.
function deepQueryAll(root, selector) {
  const start = root || document;
  if (!pageHasShadowRoots()) return Array.from(start.querySelectorAll(selector));
  const found = [];
  const visit = (node) => {
    for (const child of flatChildren(node)) {
      if (child.nodeType !== Node.ELEMENT_NODE) continue;
      if (child.matches(selector)) found.push(child);
      visit(child);
    }
  };
  visit(start === document ? document.documentElement : start);
  return found;
}

// The element with `id` in the same tree as `element` (its shadow root or the document).
function byIdNear(element, id) {
  const root = element.getRootNode();
  return (root.getElementById ? root.getElementById(id) : null) || document.getElementById(id);
}

function hiddenFromTree(element) {
  if (element.hidden || element.getAttribute("aria-hidden") === "true" || element.inert) return true;
  const style = getComputedStyle(element);
  return style.display === "none" || style.visibility === "hidden" || style.visibility === "collapse";
}

const ROLE_BY_TAG = {
  BUTTON: "button", SUMMARY: "button", NAV: "navigation", MAIN: "main", ASIDE: "complementary",
  DIALOG: "dialog", UL: "list", OL: "list", MENU: "list", LI: "listitem", TABLE: "table", TR: "row",
  TD: "cell", TEXTAREA: "textbox", PROGRESS: "progressbar", DL: "list", DT: "term", DD: "definition",
  OPTION: "option", FIELDSET: "group", OPTGROUP: "group", HR: "separator", ARTICLE: "article",
  FIGURE: "figure", H1: "heading", H2: "heading", H3: "heading", H4: "heading", H5: "heading", H6: "heading",
};

function roleOf(element) {
  const explicit = normalizeSpace(element.getAttribute("role")).split(" ")[0];
  if (explicit && explicit !== "none" && explicit !== "presentation" && explicit !== "generic") return explicit;
  if (explicit) return null;
  const tag = element.tagName;
  switch (tag) {
    case "A": case "AREA": return element.hasAttribute("href") ? "link" : null;
    case "HEADER": return flatClosest(element.parentElement || element, "article, section, main, aside, nav") && element.parentElement ? null : "banner";
    case "FOOTER": return flatClosest(element.parentElement || element, "article, section, main, aside, nav") && element.parentElement ? null : "contentinfo";
    case "SECTION": return element.hasAttribute("aria-label") || element.hasAttribute("aria-labelledby") ? "region" : null;
    case "FORM": return element.hasAttribute("aria-label") || element.hasAttribute("aria-labelledby") ? "form" : null;
    case "IMG": return element.getAttribute("alt") === "" ? null : "img";
    case "SVG": return null;
    case "TH": return element.closest("thead") || element.getAttribute("scope") === "col" ? "columnheader" : "rowheader";
    case "SELECT": return element.multiple || element.size > 1 ? "listbox" : "combobox";
    case "INPUT": {
      const type = (element.getAttribute("type") || "text").toLowerCase();
      if (type === "hidden") return null;
      if (["button", "submit", "reset", "image"].includes(type)) return "button";
      if (type === "checkbox") return element.getAttribute("switch") !== null ? "switch" : "checkbox";
      if (type === "radio") return "radio";
      if (type === "range") return "slider";
      if (type === "number") return "spinbutton";
      if (type === "search") return element.hasAttribute("list") ? "combobox" : "searchbox";
      return element.hasAttribute("list") ? "combobox" : "textbox";
    }
  }
  if (ROLE_BY_TAG[tag]) return ROLE_BY_TAG[tag];
  if (element.isContentEditable && !(element.parentElement && element.parentElement.isContentEditable)) return "textbox";
  return null;
}

// Roles whose name comes from their content (accname's "name from content").
const NAMED_BY_CONTENT = new Set(["button", "cell", "checkbox", "columnheader", "gridcell", "heading", "link",
  "menuitem", "menuitemcheckbox", "menuitemradio", "option", "radio", "row", "rowheader", "switch", "tab",
  "tooltip", "treeitem", "sectionhead", "term"]);
// Roles never named from content, even inside a name being computed from content.
const NEVER_FROM_CONTENT = new Set(["dialog", "alertdialog", "table", "grid", "tree", "treegrid", "list", "listbox",
  "menu", "menubar", "tablist", "tabpanel", "navigation", "main", "region", "form", "banner", "contentinfo",
  "complementary", "article", "document", "application", "img", "figure", "radiogroup", "toolbar", "textbox",
  "searchbox", "combobox", "progressbar", "slider", "spinbutton", "scrollbar", "separator", "group"]);
const FORM_FIELD_ROLES = new Set(["textbox", "searchbox", "combobox", "listbox", "spinbutton", "slider"]);

// The value an embedded control contributes to a name computed from content.
function embeddedValue(element, role) {
  if (role === "textbox" || role === "searchbox") return "value" in element ? element.value : element.textContent;
  if (role === "combobox" && element.tagName === "SELECT") return Array.from(element.selectedOptions).map((option) => option.textContent).join(" ");
  if (role === "spinbutton" || role === "slider") return element.getAttribute("aria-valuetext") || element.getAttribute("aria-valuenow") || element.value || "";
  return null;
}

// A text node as it renders: the browser's accessible name follows CSS text-transform ("Log in"
// styled uppercase is "LOG IN").
function transformed(node) {
  const text = node.textContent;
  const parent = node.parentElement;
  if (!parent || !text.trim()) return text;
  switch (getComputedStyle(parent).textTransform) {
    case "uppercase": return text.toUpperCase();
    case "lowercase": return text.toLowerCase();
    case "capitalize": return text.replace(/(^|[^\p{L}\p{N}])(\p{L})/gu, (_, before, letter) => before + letter.toUpperCase());
    default: return text;
  }
}

function isBlockLike(element) {
  const display = getComputedStyle(element).display;
  return !display.startsWith("inline") || display === "inline-block" || display === "inline-flex" || display === "inline-grid";
}

// The text alternative of `node` (accname 1.2, steps 2A to 2I), as part of a computation that
// started at `root`. `state.visited` stops reference loops; `state.inReference` is true while
// following aria-labelledby (where hidden nodes still count).
function textAlternative(node, root, state) {
  if (node.nodeType === Node.TEXT_NODE) return transformed(node);
  if (node.nodeType !== Node.ELEMENT_NODE) return "";
  const element = node;
  if (state.visited.has(element)) return "";
  state.visited.add(element);
  // 2A: hidden. A referenced element (aria-labelledby, a <label>) counts even when hidden, and
  // then so does all it holds; a visible one's hidden parts (a required-field asterisk with
  // aria-hidden) do not.
  if (element !== root && hiddenFromTree(element) && !(state.inReference && state.hiddenRoot)) return "";
  if (["SCRIPT", "STYLE", "TEMPLATE", "NOSCRIPT"].includes(element.tagName)) return "";
  // 2B: aria-labelledby, unless already following one.
  if (!state.followingLabelledBy) {
    const ids = normalizeSpace(element.getAttribute("aria-labelledby")).split(" ").filter(Boolean);
    const targets = ids.map((id) => byIdNear(element, id)).filter(Boolean);
    if (targets.length) {
      const text = targets.map((target) => textAlternative(target, target, { visited: state.visited, inReference: true, hiddenRoot: hiddenFromTree(target), followingLabelledBy: true })).join(" ");
      if (normalizeSpace(text)) { state.source = state.source || "aria-labelledby"; return text; }
    }
  }
  const role = roleOf(element);
  // 2C/2E: an embedded control inside a name computed from content contributes its value.
  if (element !== root && FORM_FIELD_ROLES.has(role)) {
    const label = normalizeSpace(element.getAttribute("aria-label"));
    if (label && role !== "combobox" && role !== "listbox") return label;
    const value = embeddedValue(element, role);
    if (value !== null) return value;
  }
  // 2D: aria-label.
  const ariaLabel = normalizeSpace(element.getAttribute("aria-label"));
  if (ariaLabel) { if (element === root) state.source = "aria-label"; return ariaLabel; }
  // 2E: the host language's label.
  if (role !== "none") {
    const native = nativeLabel(element, role);
    if (native) { if (element === root) state.source = native.source; return native.name; }
  }
  // 2F: name from content (for the root, only where its role allows it).
  const fromContent = element !== root ? !NEVER_FROM_CONTENT.has(role) || state.inReference : NAMED_BY_CONTENT.has(role) || state.inReference;
  if (fromContent) {
    const parts = [];
    const before = getComputedStyle(element, "::before").content;
    if (before && before !== "none" && before !== "normal" && /^".*"$/.test(before)) parts.push(before.slice(1, -1));
    for (const child of flatChildren(element)) {
      const text = textAlternative(child, root, { visited: state.visited, inReference: state.inReference, hiddenRoot: state.hiddenRoot, followingLabelledBy: state.followingLabelledBy });
      if (child.nodeType === Node.ELEMENT_NODE && isBlockLike(child)) parts.push(" ", text, " ");
      else parts.push(text);
    }
    const after = getComputedStyle(element, "::after").content;
    if (after && after !== "none" && after !== "normal" && /^".*"$/.test(after)) parts.push(after.slice(1, -1));
    const text = parts.join("");
    if (normalizeSpace(text)) { if (element === root) state.source = "contents"; return text; }
  }
  // 2I: the tooltip attribute, then a field's placeholder.
  const title = normalizeSpace(element.getAttribute("title"));
  if (title) { if (element === root) state.source = "title"; return title; }
  const placeholder = normalizeSpace(element.getAttribute("placeholder") || element.getAttribute("aria-placeholder"));
  if (placeholder && FORM_FIELD_ROLES.has(role)) { if (element === root) state.source = "placeholder"; return placeholder; }
  return "";
}

// HTML's own naming (HTML-AAM): labels, alt, legend, caption, figcaption, button values.
function nativeLabel(element, role) {
  const tag = element.tagName;
  if (element.labels && element.labels.length && tag !== "BUTTON") {
    const text = Array.from(element.labels).map((label) => textAlternative(label, label, { visited: new Set([element]), inReference: true, hiddenRoot: hiddenFromTree(label), followingLabelledBy: false })).join(" ");
    if (normalizeSpace(text)) return { name: text, source: "label" };
  }
  if (tag === "INPUT") {
    const type = (element.getAttribute("type") || "text").toLowerCase();
    if (["button", "submit", "reset"].includes(type)) {
      const value = element.getAttribute("value");
      if (value) return { name: value, source: "value" };
      if (type === "submit") return { name: "Submit", source: "value" };
      if (type === "reset") return { name: "Reset", source: "value" };
    }
    if (type === "image") return { name: element.getAttribute("alt") || element.getAttribute("value") || "Submit", source: "alt" };
  }
  if ((tag === "IMG" || tag === "AREA") && element.getAttribute("alt")) return { name: element.getAttribute("alt"), source: "alt" };
  if (tag === "FIELDSET") {
    const legend = Array.from(element.children).find((child) => child.tagName === "LEGEND");
    if (legend && normalizeSpace(legend.textContent)) return { name: textAlternative(legend, legend, { visited: new Set(), inReference: true, hiddenRoot: false }), source: "legend" };
  }
  if (tag === "TABLE" && element.caption && normalizeSpace(element.caption.textContent)) return { name: element.caption.textContent, source: "caption" };
  if (tag === "FIGURE") {
    const caption = Array.from(element.children).find((child) => child.tagName === "FIGCAPTION");
    if (caption && normalizeSpace(caption.textContent)) return { name: caption.textContent, source: "caption" };
  }
  if (element instanceof SVGElement) {
    const title = Array.from(element.children).find((child) => child.tagName.toLowerCase() === "title");
    if (title && normalizeSpace(title.textContent)) return { name: title.textContent, source: "title" };
  }
  return null;
}

function accessibleName(element) {
  const state = { visited: new Set(), inReference: false, followingLabelledBy: false, source: null };
  const name = normalizeSpace(textAlternative(element, element, state));
  return name ? { name, source: state.source || "contents" } : { name: "", source: null };
}
