// palette-harness candidates: the visible elements of one role with the names a person reads.
// A library for the scripts after it (collect_all.js, locate.js); `code_editor.js` and
// `accname.js` run first. Shadow roots are no wall: every query walks the flat tree.
// `candidatesOf(role, scope)` returns [{element, names, titles, description, selected, fallback}];
// `withParents(candidates)` adds `parent`, the index of the nearest one that contains each (or -1).
// `name` is the element's accessible name as the browser computes it (accname.js) and
// `nameSource` where it came from; `names` are what the markup names the element (that name, its
// visible text, <label>, placeholder, title, a heading); `titles` are what a person reads for it
// where the markup says nothing: the first line at the top of a dialog or pane, the caption or
// text above or beside a field, an icon button's tooltip. Titles are read in the element's own
// layer only: nothing behind a modal's mask or under an overlay names what is on top. `origins`
// says where each name and title came from, for messages. Ranking happens in Rust (locate/mod.rs).

function normalize(text) {
  return (text || "").replace(/\s+/g, " ").trim();
}

// Content only a screen reader gets: clipped to nothing, as the "screen-reader only" classes of
// component libraries do (a selectable list's hidden radio, a visually hidden label).
function visuallyHidden(element) {
  for (let node = element, depth = 0; node && node.nodeType === Node.ELEMENT_NODE && depth < 2; node = flatParent(node), depth++) {
    const style = getComputedStyle(node);
    if ((style.position === "absolute" || style.position === "fixed") && (/rect\(0(px)?,? 0(px)?,? 0(px)?,? 0(px)?\)/.test(style.clip) || /inset\(50%\)/.test(style.clipPath))) return true;
  }
  return false;
}

// What a person sees. aria-hidden inside an element's layer marks a decorative copy (a
// highlighted code view under a transparent text area); set on or around the layer itself, it is
// a modal manager hiding a whole dialog from assistive technology while the dialog's own popup is
// open (MUI's select menu in a dialog), and the dialog is still there on the screen.
function isVisible(element) {
  if (!element.isConnected) return false;
  if (flatClosest(element, "[hidden], [inert]")) return false;
  if (visuallyHidden(element)) return false;
  const ariaHidden = flatClosest(element, "[aria-hidden='true']");
  if (ariaHidden) {
    const layer = layerOf(element);
    if (layer === document.documentElement || ariaHidden === layer || flatContains(layer, ariaHidden)) return false;
  }
  if (element.checkVisibility && !element.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) return false;
  const rect = element.getBoundingClientRect();
  return rect.width > 0 && rect.height > 0;
}

function textOf(element) {
  // An option's innerText is empty while its select is closed.
  if (element.tagName === "OPTION") return normalize(element.textContent);
  return normalize(element.innerText !== undefined ? element.innerText : element.textContent);
}

function byIds(element, ids) {
  return normalize((ids || "").split(/\s+/).map((id) => {
    const node = id && byIdNear(element, id);
    return node ? node.textContent : "";
  }).join(" "));
}

// What the markup names the element: its accessible name, with where it came from.
function markupName(element) {
  const { name, source } = accessibleName(element);
  return { text: name, source: source || "markup" };
}

// The layer an element is drawn in: the nearest dialog, popover, menu, listbox or tooltip around
// it, or a fixed-position box laid over the page; else the page itself. Cached for the call.
const LAYERS = "dialog, [role='dialog'], [role='alertdialog'], [aria-modal='true'], [popover], [role='menu'], [role='listbox'], [role='tooltip']";
const layerCache = new Map();
function layerOf(element) {
  const path = [];
  let layer = document.documentElement;
  for (let node = element; node && node !== document.documentElement; node = flatParent(node)) {
    if (node.nodeType !== Node.ELEMENT_NODE) continue;
    if (layerCache.has(node)) { layer = layerCache.get(node); break; }
    path.push(node);
    if (node.matches(LAYERS) || getComputedStyle(node).position === "fixed") { layer = node; break; }
  }
  for (const node of path) layerCache.set(node, layer);
  return layer;
}

const HEADING = "h1, h2, h3, h4, h5, h6, [role='heading'], legend, caption";
const FIELD = "input:not([type='hidden']):not([type='submit']):not([type='button']):not([type='reset']):not([type='checkbox']):not([type='radio']), textarea, select, [contenteditable=''], [contenteditable='true'], [role='textbox'], [role='combobox'], [role='searchbox'], [role='spinbutton']";
const CONTENT = FIELD + ", pre, table, ul, ol, dl, p, img, button, a[href], [role='listbox'], [role='list'], [role='grid']";
const PANE = "section, article, aside, fieldset, [role='region'], [role='group'], [role='tabpanel'], [role='dialog']";
const CLICKABLE = "button, a[href], [role='button'], [role='link'], [role='option'], [role='tab'], [role='treeitem'], [role='menuitem'], [role='listitem'], [role='row'], li, tr, [onclick], [tabindex]";

// The nearest heading inside `node` whose text sits above `element` and within its width.
function headingAbove(node, element) {
  const box = element.getBoundingClientRect();
  let best = "";
  let bestGap = Infinity;
  for (const heading of deepQueryAll(node, HEADING)) {
    if (flatContains(heading, element) || !isVisible(heading) || layerOf(heading) !== layerOf(element)) continue;
    const range = document.createRange();
    range.selectNodeContents(heading);
    const text = range.getBoundingClientRect();
    const center = (text.left + text.right) / 2;
    const gap = box.top - text.bottom;
    if (gap < -2 || center < box.left || center > box.right) continue;
    if (gap < bestGap) { best = textOf(heading); bestGap = gap; }
  }
  return best;
}

// The title a person reads for a pane, card or field: the nearest heading that comes before the
// element inside the smallest container that holds both and no other field; where fields share
// containers, the nearest heading right above the element.
function containerTitle(element) {
  let node = flatParent(element);
  while (node && node !== document.body) {
    // A container with several fields: only a heading right above this one names it, as column
    // headings over side-by-side editors do.
    if (deepQueryAll(node, FIELD).length > 1) {
      const above = headingAbove(node, element);
      if (above) return above;
      node = flatParent(node);
      continue;
    }
    const own = markupName(node).text;
    if (own && node !== element) return own;
    const headings = deepQueryAll(node, HEADING).filter((heading) =>
      !flatContains(heading, element) && (heading.compareDocumentPosition(element) & Node.DOCUMENT_POSITION_FOLLOWING) && isVisible(heading));
    if (headings.length) return textOf(headings[headings.length - 1]);
    node = flatParent(node);
  }
  return "";
}

// Elements a person acts on: their text is a control's label, never a title.
const INTERACTIVE = "button, a[href], input, select, textarea, label, summary, option, [role='button'], [role='link'], [role='tab'], [role='menuitem'], [role='option'], [role='checkbox'], [role='switch']";

// The size and weight of the page's running text, which a title stands out from: the most
// common among the page's (non-monospace) text, weighted by length. Computed once per call.
let runningFont = null;
function runningTextFont() {
  if (runningFont) return runningFont;
  const sizes = new Map();
  const weights = new Map();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let seen = 0;
  for (let node = walker.nextNode(); node && seen < 4000; node = walker.nextNode(), seen++) {
    const length = node.textContent.trim().length;
    if (!length || !node.parentElement) continue;
    const style = getComputedStyle(node.parentElement);
    if (/mono/i.test(style.fontFamily) || style.display === "none") continue;
    sizes.set(style.fontSize, (sizes.get(style.fontSize) || 0) + length);
    weights.set(style.fontWeight, (weights.get(style.fontWeight) || 0) + length);
  }
  const mode = (counts, fallback) => counts.size ? Array.from(counts).sort((a, b) => b[1] - a[1])[0][0] : fallback;
  runningFont = { size: parseFloat(mode(sizes, "16px")) || 16, weight: Number(mode(weights, "400")) || 400 };
  return runningFont;
}

// The block an inline element sits in: a title is a line of its own, not a bold word in a sentence.
function blockOf(element) {
  let node = element;
  while (flatParent(node) && node !== document.body && getComputedStyle(node).display.startsWith("inline")) node = flatParent(node);
  return node;
}

function hasOwnText(element) {
  return Array.from(element.childNodes).some((node) => node.nodeType === Node.TEXT_NODE && node.textContent.trim());
}

// Short lines of text that stand on their own (not inside a control, a code view or an editor),
// in reading order, each with whether it looks like a title: larger or bolder than the running
// text, on one line. A caption row (a bold title on the left, other text in another style to its
// right) gives its title as a line of its own. Computed once per call.
let textLineCache = null;
function textLines() {
  if (textLineCache) return textLineCache;
  textLineCache = [];
  const base = runningTextFont();
  const standsOut = (style) => (parseFloat(style.fontSize) || base.size) >= base.size * 1.15 || ((Number(style.fontWeight) || 400) >= 600 && (Number(style.fontWeight) || 400) > base.weight);
  for (const element of deepQueryAll(document.body, "*")) {
    if (["SCRIPT", "STYLE", "TEMPLATE", "NOSCRIPT", "OPTION"].includes(element.tagName) || !hasOwnText(element)) continue;
    if (flatClosest(element, INTERACTIVE) || flatClosest(element, "pre, code, td, th") || flatClosest(element, CODE_EDITOR_WIDGETS)) continue;
    const text = textOf(element);
    if (!text || text.length > 80) continue;
    const block = blockOf(element);
    if (!isVisible(element)) continue;
    const style = getComputedStyle(element);
    if (/mono/i.test(style.fontFamily) || style.cursor === "pointer") continue;
    const size = parseFloat(style.fontSize) || base.size;
    const blockText = textOf(block);
    if (blockText !== text) {
      // A caption row: this text opens its line and stands out from the rest of it.
      const rest = blockText.slice(text.length).trim();
      if (!blockText.startsWith(text) || !rest || !standsOut(style)) continue;
      const rect = element.getBoundingClientRect();
      textLineCache.push({ element, text, rect, title: !element.matches(HEADING), caption: true });
      continue;
    }
    const rect = block.getBoundingClientRect();
    const lineHeight = parseFloat(style.lineHeight) || size * 1.3;
    const oneLine = rect.height <= lineHeight * 1.6 + 4;
    textLineCache.push({ element: block, text, rect, title: oneLine && standsOut(style) && !element.matches(HEADING), caption: false });
  }
  return textLineCache;
}

// The first line a person reads at the top of a dialog, pane or card, in its own layer: its
// topmost heading or title-like line (leftmost where two share a row), in its upper part, as
// {text, heading}; or null.
function topTitleOf(container) {
  const box = container.getBoundingClientRect();
  const layer = layerOf(container);
  const lines = textLines().filter((line) => line.title && line.element !== container && flatContains(container, line.element) && layerOf(line.element) === layer)
    .map((line) => ({ text: line.text, rect: line.rect, heading: false }));
  for (const heading of deepQueryAll(container, HEADING)) {
    if (isVisible(heading) && layerOf(heading) === layer && textOf(heading)) lines.push({ text: textOf(heading), rect: heading.getBoundingClientRect(), heading: true });
  }
  if (!lines.length) return null;
  lines.sort((a, b) => (Math.abs(a.rect.top - b.rect.top) < 4 ? a.rect.left - b.rect.left : a.rect.top - b.rect.top));
  const first = lines[0];
  return first.rect.top - box.top <= Math.max(100, box.height / 3) ? first : null;
}

// The title a person reads at the top of a dialog, pane or card that the markup leaves unnamed.
function visibleTitleOf(container) {
  const top = topTitleOf(container);
  return top && !top.heading ? top.text : "";
}

// The panel a person reads as a popup menu around `element`: the nearest ancestor laid over the
// page (positioned absolute or fixed, or an open popover) that is no dialog, covers less than a
// quarter of the viewport and holds a few short clickable entries. `verdicts` keeps each
// ancestor's answer for the rest of the look: entries share their ancestors.
const NOT_FLOATING = 0, MENU = 1, NOT_A_MENU = 2;
function floatingMenuOf(element, verdicts) {
  for (let node = flatParent(element); node && node !== document.body; node = flatParent(node)) {
    let verdict = verdicts.get(node);
    if (verdict === undefined) {
      verdict = menuVerdict(node);
      verdicts.set(node, verdict);
    }
    if (verdict !== NOT_FLOATING) return verdict === MENU ? node : null;
  }
  return null;
}

function menuVerdict(node) {
  const floating = /^(absolute|fixed)$/.test(getComputedStyle(node).position) || (node.matches("[popover]") && node.matches(":popover-open"));
  if (!floating) return NOT_FLOATING;
  if (node.matches("dialog, [role='dialog'], [role='alertdialog'], [aria-modal='true']")) return NOT_A_MENU;
  const box = node.getBoundingClientRect();
  if (box.width * box.height > innerWidth * innerHeight / 4) return NOT_A_MENU;
  const entries = deepQueryAll(node, "button, a[href], [role='button'], [role='option'], li").length;
  return entries >= 1 && entries <= 12 && !deepQueryAll(node, FIELD).length ? MENU : NOT_A_MENU;
}

// The text a person reads as a field's or editor's label when the markup gives none: the
// nearest line right above it (over its width), or, for a one-line field, the text to its left.
function textNear(element) {
  const box = element.getBoundingClientRect();
  const layer = layerOf(element);
  let best = { text: "", source: null };
  let bestGap = Infinity;
  for (const line of textLines()) {
    if (flatContains(line.element, element) || flatContains(element, line.element) || layerOf(line.element) !== layer) continue;
    const rect = line.rect;
    const above = box.top - rect.bottom;
    const overlaps = rect.left < box.right && rect.right > box.left;
    if (overlaps && above >= -2 && above <= 48 && above < bestGap) { best = { text: line.text, source: line.caption ? "caption row" : "text above" }; bestGap = above; }
    const beside = box.left - rect.right;
    const middle = (rect.top + rect.bottom) / 2;
    if (box.height <= 48 && beside >= 0 && beside <= 200 && middle >= box.top && middle <= box.bottom && beside < bestGap) { best = { text: line.text, source: "text beside" }; bestGap = beside; }
  }
  return best;
}

// What an icon-only control says when a person hovers it: its tooltip, however the page
// keeps it (an SVG <title>, aria-describedby, a tooltip element beside it, a data attribute).
function tooltipOf(element) {
  const tips = [];
  for (const title of deepQueryAll(element, "svg title")) tips.push(title.textContent);
  tips.push(byIds(element, element.getAttribute("aria-describedby")));
  for (const attribute of ["data-tooltip", "data-tip", "data-title", "data-original-title", "data-bs-original-title"]) tips.push(element.getAttribute(attribute) || "");
  // A tooltip component wrapping the control (web components put the control in its slot).
  const wrapper = flatParent(element);
  if (wrapper && wrapper.getAttribute && wrapper.getAttribute("content") && /tooltip/i.test(wrapper.tagName)) tips.push(wrapper.getAttribute("content"));
  const near = [element.querySelector("[role='tooltip']"), element.nextElementSibling, element.previousElementSibling];
  for (const tip of near) if (tip && tip.matches("[role='tooltip']")) tips.push(tip.textContent);
  return tips.map((tip) => ({ text: tip, source: "tooltip" }));
}

// The names a field or editor's markup gives it: its accessible name (a code editor widget's is
// its text box's), its <label>, placeholder and title, and the heading of its container.
function fieldNames(element) {
  const names = [markupName(element)];
  if (element.matches(CODE_EDITOR_WIDGETS)) {
    // The widget's text box carries the page's name for it (Monaco's ariaLabel option), unless
    // it is the library's own default or a live status (Monaco's "Editor content", Ace's
    // "Cursor at row 1"), which no person reads as the editor's name.
    const box = deepQueryAll(element, "textarea, [contenteditable=''], [contenteditable='true'], [role='textbox']")[0];
    const boxName = box ? markupName(box) : null;
    if (boxName && !/^(editor content\b|cursor at row \d+)/i.test(boxName.text)) names.push(boxName);
  }
  if (element.labels) for (const label of element.labels) names.push({ text: textOf(label), source: "label" });
  const wrapping = flatClosest(element, "label");
  if (wrapping) names.push({ text: textOf(wrapping), source: "label" });
  names.push({ text: element.getAttribute("placeholder"), source: "placeholder" }, { text: element.getAttribute("title"), source: "title" });
  names.push({ text: containerTitle(element), source: "heading above" });
  return names;
}

function describe(element) {
  const tag = element.tagName.toLowerCase();
  const explicitRole = element.getAttribute("role");
  const inNavigation = flatClosest(element, "nav, [role='navigation'], [role='menu'], [role='menubar']");
  return (explicitRole ? `${tag}[role=${explicitRole}]` : tag) + (inNavigation ? " in navigation" : "");
}

function openModal() {
  const modals = deepQueryAll(document, "dialog[open], [role='dialog'], [role='alertdialog'], [aria-modal='true']")
    .filter((dialog) => isVisible(dialog) && (dialog.getAttribute("aria-modal") === "true" || (dialog.matches("dialog") && dialog.matches(":modal"))));
  return modals.length ? modals[modals.length - 1] : null;
}

function stateOf(element) {
  if (element.tagName === "OPTION") return element.selected;
  for (const attribute of ["aria-selected", "aria-current", "aria-pressed", "aria-checked", "aria-expanded"]) {
    const value = element.getAttribute(attribute);
    if (value !== null) return value !== "false";
  }
  if (element.checked !== undefined && (element.type === "checkbox" || element.type === "radio")) return element.checked;
  return null;
}

// A control that opens a list of choices: a combobox, a button announcing a listbox.
const DROPDOWN = "[role='combobox']:not(input):not(textarea), [aria-haspopup='listbox']";

// Roles a person clicks: an icon-only one is named by its tooltip.
const CONTROL_ROLES = ["menuitem", "tab", "button", "link", "layer"];

// A name as {text, source}: plain strings are what the markup says.
function named(entry, source) {
  return typeof entry === "string" || entry === null || entry === undefined ? { text: normalize(entry), source } : { text: normalize(entry.text), source: entry.source || source };
}

// The popups a scope has opened: what its expanded controls point at (aria-controls,
// aria-owns), as the layer each is drawn in; where none points anywhere, the listboxes and menus
// floating over the page. A drop-down's list is rendered in a portal, outside the dialog that
// opened it, yet a person reads it as part of that dialog.
function popupsOwnedBy(scope) {
  const expanded = deepQueryAll(scope, "[aria-expanded='true']");
  if (!expanded.length) return [];
  const popups = [];
  for (const control of expanded) {
    for (const attribute of ["aria-controls", "aria-owns"]) {
      for (const id of normalize(control.getAttribute(attribute)).split(" ").filter(Boolean)) {
        const target = byIdNear(control, id);
        if (!target || flatContains(scope, target)) continue;
        const layer = layerOf(target);
        popups.push(layer !== document.documentElement ? layer : target);
      }
    }
  }
  if (popups.length) return popups;
  return deepQueryAll(document, "[role='listbox'], [role='menu']").filter((popup) => !flatContains(scope, popup) && isVisible(popup));
}

function candidatesOf(role, scope) {
  const root = scope || document;
  const popups = scope ? popupsOwnedBy(scope) : [];
  const found = new Map();
  const origins = new Map();
  const noteOrigins = (element, entries) => {
    const known = origins.get(element) || {};
    for (const entry of entries) if (!(entry.text in known)) known[entry.text] = entry.source;
    origins.set(element, known);
  };
  // Visible titles by element: the second tier of names (see the header).
  const titled = new Map();
  const addTitles = (element, titles) => {
    const clean = titles.map((title) => named(title, "visible title")).filter((title) => title.text);
    if (!clean.length) return;
    noteOrigins(element, clean);
    titled.set(element, (titled.get(element) || []).concat(clean.map((title) => title.text)));
  };
  // Elements that only look like the role (a div with a pointer cursor in the left menu, a
  // monospace block of YAML): a second tier, chosen only when nothing of the first matches.
  const fallback = new Map();
  // Code editor widgets (CODE_EDITOR_WIDGETS, from code_editor.js) render their text as many
  // small elements: the widget is one editor, and nothing inside it is a button, layer or field.
  const insideCodeEditor = (element) => role !== "text" && flatParent(element) !== null && flatClosest(flatParent(element), CODE_EDITOR_WIDGETS) !== null;
  const addFallback = (element, names) => {
    if (found.has(element) || fallback.has(element) || !isVisible(element) || insideCodeEditor(element)) return;
    if (CONTROL_ROLES.includes(role)) addTitles(element, tooltipOf(element));
    const clean = names.map((name) => named(name, "text")).filter((name) => name.text);
    noteOrigins(element, clean);
    fallback.set(element, clean.map((name) => name.text));
  };
  const looksClickable = (element) =>
    element.matches("a[href], button, [onclick], [tabindex], li, [role='button'], [role='link']") || getComputedStyle(element).cursor === "pointer";
  const shortText = (element, limit) => { const text = textOf(element); return text.length > 0 && text.length <= limit; };
  const clickableFallback = (limit, where = () => true) => {
    for (const element of all("body *")) {
      if (["script", "style", "svg", "path", "input", "textarea", "select", "option"].includes(element.tagName.toLowerCase())) continue;
      if (looksClickable(element) && shortText(element, limit) && where(element)) addFallback(element, ownText(element));
    }
  };
  const add = (element, names) => {
    if (!isVisible(element) || insideCodeEditor(element)) return;
    if (CONTROL_ROLES.includes(role)) addTitles(element, tooltipOf(element));
    const clean = names.map((name) => named(name, "markup")).filter((name) => name.text);
    noteOrigins(element, clean);
    const existing = found.get(element);
    if (existing) existing.push(...clean.map((name) => name.text));
    else found.set(element, clean.map((name) => name.text));
  };
  const all = (selector) => [root, ...popups].flatMap((start) => deepQueryAll(start, selector === "body *" ? "*" : selector))
    .filter((element) => selector !== "body *" || flatContains(document.body, element) && element !== document.body);
  const ownText = (element) => [markupName(element), { text: textOf(element), source: "text" }, { text: element.getAttribute("title"), source: "title" }, { text: element.value && element.type !== "password" ? element.value : "", source: "value" }];
  const inNavigation = "nav, aside, [role='navigation'], [role='menu'], [role='menubar']";

  switch (role) {
    case "menuitem":
      for (const element of all("[role='menuitem'], [role='menuitemradio'], [role='menuitemcheckbox']")) add(element, ownText(element));
      for (const element of all("a[href], button, [role='link'], [role='button'], [role='treeitem']")) {
        const inNav = flatClosest(element, "nav, [role='navigation']");
        const inMenu = flatClosest(element, "[role='menu'], [role='menubar']") && element.matches("a[href]");
        const inAside = flatClosest(element, "aside") && element.matches("a[href], button");
        if (inNav || inMenu || inAside) add(element, ownText(element));
      }
      // A popup menu without the markup for one: entries of a small panel floating over the page.
      {
        const verdicts = new Map();
        for (const element of all("button, a[href], [role='button'], [role='option'], li")) {
          if (shortText(element, 40) && floatingMenuOf(element, verdicts)) add(element, ownText(element));
        }
      }
      // The left Main Menu as a person finds it: clickable entries in the left part of the page.
      clickableFallback(40, (element) => element.getBoundingClientRect().right <= innerWidth * 0.35);
      break;
    case "tab":
      for (const element of all("[role='tab']")) add(element, ownText(element));
      for (const element of all("button, a[href], li > a[href], li > button")) {
        const list = flatParent(element);
        const listOf = (node) => node && node.matches && node.matches("[role='tablist']");
        if (listOf(list) || (list && list.tagName === "LI" && listOf(flatParent(list)))) add(element, ownText(element));
      }
      clickableFallback(30);
      break;
    case "button":
      // A person asked to click a button looks at the page before the menu: buttons in the
      // navigation (Logout) come second.
      for (const element of all("button, [role='button'], input[type='button'], input[type='submit'], input[type='reset'], summary")) {
        if (flatClosest(element, inNavigation)) addFallback(element, ownText(element));
        else add(element, ownText(element));
      }
      // Anything clickable may be a button drawn without markup, but not in the navigation: an
      // entry of the menu is a menu item to a person ("Update" is no button in "Update
      // Management"); the navigation's real buttons (Logout) were listed above.
      clickableFallback(40, (element) => !flatClosest(element, inNavigation));
      break;
    case "link":
      for (const element of all("a[href], [role='link']")) add(element, ownText(element));
      break;
    case "dialog":
      for (const element of all("dialog[open], [role='dialog'], [role='alertdialog'], [aria-modal='true']")) {
        // Titled by its accessible name, else by the first line at its top: a heading there is
        // markup; a pane's heading further down never titles the dialog.
        const top = topTitleOf(element);
        add(element, [markupName(element), top && top.heading ? { text: top.text, source: "heading at the top" } : ""]);
        addTitles(element, [top && !top.heading ? { text: top.text, source: "title at the top" } : ""]);
      }
      // A dialog built without dialog semantics: a fixed layer over the page with a title.
      for (const element of all("body *")) {
        if (getComputedStyle(element).position !== "fixed") continue;
        const rect = element.getBoundingClientRect();
        if (rect.width * rect.height < 0.1 * innerWidth * innerHeight || flatClosest(element, CODE_EDITOR_WIDGETS)) continue;
        const top = topTitleOf(element);
        if (top) addFallback(element, [{ text: top.text, source: top.heading ? "heading at the top" : "title at the top" }]);
      }
      break;
    case "pane":
      for (const element of all(PANE + ", [aria-label], [aria-labelledby]")) {
        if (element.matches(FIELD)) continue;
        // A pane is titled by its own first heading, not by one of a pane nested inside it.
        const heading = deepQueryAll(element, HEADING).find((candidate) => flatClosest(flatParent(candidate), PANE) === element);
        add(element, [markupName(element), heading ? { text: textOf(heading), source: "heading" } : ""]);
        addTitles(element, [{ text: visibleTitleOf(element), source: "title at the top" }]);
      }
      for (const heading of all(HEADING)) {
        let container = flatParent(heading);
        while (container && container !== document.body) {
          const content = deepQueryAll(container, CONTENT).some((node) => !flatContains(heading, node));
          if (content) break;
          container = flatParent(container);
        }
        if (container && container !== document.body) add(container, [{ text: textOf(heading), source: "heading" }]);
      }
      // Panes titled by a plain line of larger or bolder text, or by a caption row: the smallest
      // container that holds the line and something else (for a caption row, something more
      // than the row).
      for (const line of textLines()) {
        if (!line.title || (scope && !flatContains(scope, line.element))) continue;
        let container = flatParent(line.element);
        const holdsMore = (node) => line.caption ? deepQueryAll(node, CONTENT).length > 0 : textOf(node) !== line.text || deepQueryAll(node, CONTENT).length > 0;
        while (container && container !== document.body && !holdsMore(container)) container = flatParent(container);
        if (!container || container === document.body) continue;
        add(container, []);
        addTitles(container, [{ text: line.text, source: line.caption ? "caption row" : "title at the top" }]);
      }
      break;
    case "field":
      for (const element of all(FIELD)) { add(element, fieldNames(element)); addTitles(element, [textNear(element)]); }
      break;
    case "editor":
      for (const element of all(CODE_EDITOR_WIDGETS)) {
        // A widget's part that takes no text (a Monaco diff editor's middle gutter carries the
        // class too) is no editor.
        if (!deepQueryAll(element, "textarea, [contenteditable=''], [contenteditable='true'], [role='textbox']").length) continue;
        add(element, fieldNames(element));
        addTitles(element, [textNear(element)]);
      }
      for (const element of all("textarea, [contenteditable=''], [contenteditable='true'], [role='textbox'][aria-multiline='true'], pre, code")) {
        if (element.matches("code") && flatClosest(element, "pre")) continue;
        if (flatParent(element) && flatClosest(flatParent(element), "[contenteditable=''], [contenteditable='true']")) continue;
        add(element, fieldNames(element));
        addTitles(element, [textNear(element)]);
      }
      // A code view built from plain elements: the innermost monospace block of several lines,
      // or, for code of one line, the outermost monospace element that keeps its white space.
      {
        const styled = all("body *").map((element) => {
          const style = getComputedStyle(element);
          return { element, mono: /mono/i.test(style.fontFamily), pre: /^pre|break-spaces/.test(style.whiteSpace) };
        }).filter((entry) => entry.mono && textOf(entry.element).length > 0);
        const lines = styled.filter((entry) => (entry.element.innerText || "").trim().includes("\n")).map((entry) => entry.element);
        const chosen = lines.filter((element) => !lines.some((other) => other !== element && flatContains(element, other)));
        const preformatted = new Set(styled.filter((entry) => entry.pre).map((entry) => entry.element));
        for (const element of preformatted) {
          if (preformatted.has(flatParent(element))) continue;
          if (!chosen.some((block) => flatContains(block, element) || flatContains(element, block))) chosen.push(element);
        }
        for (const element of chosen) {
          addFallback(element, fieldNames(element));
          addTitles(element, [textNear(element)]);
        }
      }
      break;
    case "layer":
      for (const element of all(CLICKABLE)) {
        if (element.matches("tr") && element.querySelector("th")) continue;
        // A drop-down shows the chosen entry; the entries are what it lists once opened. An
        // entry is a label, never a box holding an editor or a field.
        if (element.matches(DROPDOWN) || deepQueryAll(element, CODE_EDITOR_WIDGETS + ", textarea").length) continue;
        add(element, ownText(element));
      }
      // Layers offered in a drop-down: its options, visible through their select.
      for (const element of all("select option")) {
        if (isVisible(element.closest("select"))) { found.set(element, [textOf(element), normalize(element.label)].filter(Boolean)); }
      }
      clickableFallback(80, (element) => !element.matches(DROPDOWN));
      break;
    case "row":
      // Rows of data, named by their first cell (a registry's name) and by all they say.
      for (const element of all("tr, [role='row']")) {
        const cells = deepQueryAll(element, "td, th, [role='cell'], [role='gridcell'], [role='rowheader'], [role='columnheader']");
        if (!cells.length || cells.every((cell) => cell.matches("th, [role='columnheader']"))) continue;
        const first = cells.find((cell) => textOf(cell));
        add(element, [{ text: first ? textOf(first) : "", source: "first cell" }, { text: textOf(element), source: "cells" }, markupName(element)]);
      }
      // A list drawn without table markup (a card per registry): a box whose children sit side
      // by side, named by the first line it says.
      if (!found.size) {
        for (const element of all("body *")) {
          const children = Array.from(element.children).filter(isVisible);
          if (children.length < 2 || !textOf(element) || textOf(element).length > 300) continue;
          const boxes = children.map((child) => child.getBoundingClientRect());
          const sideBySide = boxes.slice(1).every((box, index) => box.left >= boxes[index].right - 1 && box.top < boxes[index].bottom && box.bottom > boxes[index].top);
          if (!sideBySide) continue;
          const firstLine = normalize((children[0].innerText || "").split("\n").find((line) => line.trim()));
          addFallback(element, [{ text: firstLine, source: "first line" }, { text: textOf(element), source: "text" }]);
        }
      }
      break;
    case "cell":
      // A cell of a data row, named by what it says and titled by its column's header (the
      // header cell at its column in the table's header row).
      for (const element of all("td, [role='cell'], [role='gridcell'], [role='rowheader']")) {
        const header = columnHeaderOf(element);
        add(element, [{ text: textOf(element), source: "text" }, markupName(element)]);
        addTitles(element, [header ? { text: textOf(header), source: "column header" } : ""]);
      }
      break;
    case "dropdown":
      for (const element of all(DROPDOWN + ", select")) add(element, ownText(element));
      break;
    case "heading":
      for (const element of all(HEADING)) add(element, [{ text: textOf(element), source: "heading" }]);
      break;
    case "text":
      for (const element of all("body *")) {
        if (element.children.length === 0 || Array.from(element.childNodes).some((node) => node.nodeType === Node.TEXT_NODE && node.textContent.trim()))
          add(element, [{ text: textOf(element), source: "text" }]);
      }
      break;
    default:
      throw new Error(`unknown role ${role}`);
  }

  for (const [element, names] of fallback) if (!found.has(element)) found.set(element, names);
  // While a modal dialog is open, a person can only reach what is inside it.
  const modal = role === "dialog" ? null : openModal();
  const reachable = modal ? [modal, ...popupsOwnedBy(modal)] : [];
  const inScope = (element) => scope && (flatContains(scope, element) || popups.some((popup) => flatContains(popup, element)));
  const elements = Array.from(found.keys()).filter((element) => !modal || reachable.some((area) => flatContains(area, element)) || inScope(element));
  return elements.map((element) => {
    const names = Array.from(new Set(found.get(element)));
    const titles = Array.from(new Set(titled.get(element) || [])).filter((title) => !found.get(element).includes(title));
    const known = origins.get(element) || {};
    const accessible = accessibleName(element);
    return {
      element,
      name: accessible.name,
      nameSource: accessible.source,
      ariaRole: roleOf(element),
      names,
      titles,
      origins: Object.fromEntries(names.concat(titles).map((text) => [text, known[text] || "text"])),
      description: describe(element),
      selected: stateOf(element),
      fallback: fallback.has(element),
    };
  });
}

// The header cell over a data cell: the cell at the same column in the table's (or grid's) first
// row of column headers; null where there is none.
function columnHeaderOf(cell) {
  const row = flatClosest(cell, "tr, [role='row']");
  const table = row && flatParent(row) && flatClosest(flatParent(row), "table, [role='table'], [role='grid'], [role='treegrid']");
  if (!table) return null;
  const cellsOf = (node) => deepQueryAll(node, "td, th, [role='cell'], [role='gridcell'], [role='rowheader'], [role='columnheader']")
    .filter((candidate) => flatClosest(candidate, "tr, [role='row']") === node);
  const column = (cells, target) => {
    let at = 0;
    for (const candidate of cells) {
      if (candidate === target) return at;
      at += Number(candidate.getAttribute("colspan")) || 1;
    }
    return -1;
  };
  const at = column(cellsOf(row), cell);
  const headerRow = deepQueryAll(table, "tr, [role='row']").find((candidate) => {
    const cells = cellsOf(candidate);
    return cells.length && cells.every((each) => each.matches("th, [role='columnheader']"));
  });
  if (!headerRow || at < 0) return null;
  const headers = cellsOf(headerRow);
  let start = 0;
  for (const header of headers) {
    const span = Number(header.getAttribute("colspan")) || 1;
    if (at >= start && at < start + span) return header;
    start += span;
  }
  return null;
}

// The candidates with `parent`: the index of the nearest one among them that contains each (or -1).
function withParents(candidates) {
  return candidates.map((candidate) => {
    let parent = -1;
    candidates.forEach((other, index) => {
      if (other !== candidate && flatContains(other.element, candidate.element) && (parent === -1 || flatContains(candidates[parent].element, other.element))) parent = index;
    });
    return { ...candidate, parent };
  });
}

