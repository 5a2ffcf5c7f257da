// palette-harness candidates: the visible elements of one role with the names a person reads.
// A library for the scripts after it (collect_all.js, locate.js); `code_editor.js` runs first.
// `candidatesOf(role, scope)` returns [{element, names, titles, description, selected, fallback}];
// `withParents(candidates)` adds `parent`, the index of the nearest one that contains each (or -1).
// `names` are what the markup names the element (text, <label>, aria-label(ledby), placeholder,
// title, a heading); `titles` are what a person reads for it where the markup says nothing: the
// heading-like line at the top of a dialog or pane, the text beside or above a field, an icon
// button's tooltip. Ranking by label happens in Rust (locate/mod.rs).

function normalize(text) {
  return (text || "").replace(/\s+/g, " ").trim();
}

function isVisible(element) {
  if (!element.isConnected) return false;
  if (element.closest("[aria-hidden='true'], [hidden], [inert]")) return false;
  if (element.checkVisibility && !element.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) return false;
  const rect = element.getBoundingClientRect();
  return rect.width > 0 && rect.height > 0;
}

function textOf(element) {
  // An option's innerText is empty while its select is closed.
  if (element.tagName === "OPTION") return normalize(element.textContent);
  return normalize(element.innerText !== undefined ? element.innerText : element.textContent);
}

function byIds(ids) {
  return normalize((ids || "").split(/\s+/).map((id) => {
    const node = id && document.getElementById(id);
    return node ? node.textContent : "";
  }).join(" "));
}

function explicitName(element) {
  const labelledBy = byIds(element.getAttribute("aria-labelledby"));
  if (labelledBy) return labelledBy;
  return normalize(element.getAttribute("aria-label"));
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
  for (const heading of node.querySelectorAll(HEADING)) {
    if (heading.contains(element) || !isVisible(heading)) continue;
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
  let node = element.parentElement;
  while (node && node !== document.body) {
    // A container with several fields: only a heading right above this one names it, as column
    // headings over side-by-side editors do.
    if (node.querySelectorAll(FIELD).length > 1) {
      const above = headingAbove(node, element);
      if (above) return above;
      node = node.parentElement;
      continue;
    }
    const own = explicitName(node);
    if (own && node !== element) return own;
    const headings = Array.from(node.querySelectorAll(HEADING)).filter((heading) =>
      !heading.contains(element) && (heading.compareDocumentPosition(element) & Node.DOCUMENT_POSITION_FOLLOWING) && isVisible(heading));
    if (headings.length) return textOf(headings[headings.length - 1]);
    node = node.parentElement;
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
  while (node.parentElement && node !== document.body && getComputedStyle(node).display.startsWith("inline")) node = node.parentElement;
  return node;
}

function hasOwnText(element) {
  return Array.from(element.childNodes).some((node) => node.nodeType === Node.TEXT_NODE && node.textContent.trim());
}

// Short lines of text that stand on their own (not inside a control, a code view or an editor),
// in document order, each with whether it looks like a title: larger or bolder than the running
// text, on one line. Computed once per call.
let textLineCache = null;
function textLines() {
  if (textLineCache) return textLineCache;
  textLineCache = [];
  const base = runningTextFont();
  for (const element of document.body.querySelectorAll("*")) {
    if (["SCRIPT", "STYLE", "TEMPLATE", "NOSCRIPT", "OPTION"].includes(element.tagName) || !hasOwnText(element)) continue;
    if (element.closest(INTERACTIVE) || element.closest("pre, code, td, th") || element.closest(CODE_EDITOR_WIDGETS)) continue;
    const text = textOf(element);
    if (!text || text.length > 80) continue;
    const block = blockOf(element);
    if (textOf(block) !== text || !isVisible(element)) continue;
    const style = getComputedStyle(element);
    if (/mono/i.test(style.fontFamily) || style.cursor === "pointer") continue;
    const size = parseFloat(style.fontSize) || base.size;
    const weight = Number(style.fontWeight) || 400;
    const rect = block.getBoundingClientRect();
    const lineHeight = parseFloat(style.lineHeight) || size * 1.3;
    const oneLine = rect.height <= lineHeight * 1.6 + 4;
    const standsOut = size >= base.size * 1.15 || (weight >= 600 && weight > base.weight);
    textLineCache.push({ element: block, text, rect, title: oneLine && standsOut && !element.matches(HEADING) });
  }
  return textLineCache;
}

// The title a person reads at the top of a dialog, pane or card that the markup leaves unnamed:
// its first title-like line, in its upper part.
function visibleTitleOf(container) {
  const box = container.getBoundingClientRect();
  const line = textLines().find((candidate) => candidate.title && container.contains(candidate.element) && candidate.element !== container);
  if (!line) return "";
  return line.rect.top - box.top <= Math.max(100, box.height / 3) ? line.text : "";
}

// The panel a person reads as a popup menu around `element`: the nearest ancestor laid over the
// page (positioned absolute or fixed, or an open popover) that is no dialog, covers less than a
// quarter of the viewport and holds a few short clickable entries. `verdicts` keeps each
// ancestor's answer for the rest of the look: entries share their ancestors.
const NOT_FLOATING = 0, MENU = 1, NOT_A_MENU = 2;
function floatingMenuOf(element, verdicts) {
  for (let node = element.parentElement; node && node !== document.body; node = node.parentElement) {
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
  const entries = node.querySelectorAll("button, a[href], [role='button'], [role='option'], li").length;
  return entries >= 1 && entries <= 12 && !node.querySelector(FIELD) ? MENU : NOT_A_MENU;
}

// The text a person reads as a field's or editor's label when the markup gives none: the
// nearest line right above it (over its width), or, for a one-line field, the text to its left.
function textNear(element) {
  const box = element.getBoundingClientRect();
  let best = "";
  let bestGap = Infinity;
  for (const line of textLines()) {
    if (line.element.contains(element) || element.contains(line.element)) continue;
    const rect = line.rect;
    const above = box.top - rect.bottom;
    const overlaps = rect.left < box.right && rect.right > box.left;
    if (overlaps && above >= -2 && above <= 48 && above < bestGap) { best = line.text; bestGap = above; }
    const beside = box.left - rect.right;
    const middle = (rect.top + rect.bottom) / 2;
    if (box.height <= 48 && beside >= 0 && beside <= 200 && middle >= box.top && middle <= box.bottom && beside < bestGap) { best = line.text; bestGap = beside; }
  }
  return best;
}

// What an icon-only control says when a person hovers it: its tooltip, however the page
// keeps it (an SVG <title>, aria-describedby, a tooltip element beside it, a data attribute).
function tooltipOf(element) {
  const tips = [];
  for (const title of element.querySelectorAll("svg title")) tips.push(title.textContent);
  tips.push(byIds(element.getAttribute("aria-describedby")));
  for (const attribute of ["data-tooltip", "data-tip", "data-title", "data-original-title", "data-bs-original-title"]) tips.push(element.getAttribute(attribute) || "");
  const near = [element.querySelector("[role='tooltip']"), element.nextElementSibling, element.previousElementSibling];
  for (const tip of near) if (tip && tip.matches("[role='tooltip']")) tips.push(tip.textContent);
  return tips;
}

function fieldNames(element) {
  const names = [explicitName(element)];
  if (element.labels) for (const label of element.labels) names.push(textOf(label));
  const wrapping = element.closest("label");
  if (wrapping) names.push(textOf(wrapping));
  names.push(normalize(element.getAttribute("placeholder")), normalize(element.getAttribute("title")));
  names.push(containerTitle(element));
  return names;
}

function describe(element) {
  const tag = element.tagName.toLowerCase();
  const explicitRole = element.getAttribute("role");
  const inNavigation = element.closest("nav, [role='navigation'], [role='menu'], [role='menubar']");
  return (explicitRole ? `${tag}[role=${explicitRole}]` : tag) + (inNavigation ? " in navigation" : "");
}

function openModal() {
  const modals = Array.from(document.querySelectorAll("dialog[open], [role='dialog'], [role='alertdialog'], [aria-modal='true']"))
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

// Roles a person clicks: an icon-only one is named by its tooltip.
const CONTROL_ROLES = ["menuitem", "tab", "button", "link", "layer"];

function candidatesOf(role, scope) {
  const root = scope || document;
  const found = new Map();
  // Visible titles by element: the second tier of names (see the header).
  const titled = new Map();
  const addTitles = (element, titles) => {
    const clean = titles.map(normalize).filter(Boolean);
    if (!clean.length) return;
    titled.set(element, (titled.get(element) || []).concat(clean));
  };
  // Elements that only look like the role (a div with a pointer cursor in the left menu, a
  // monospace block of YAML): a second tier, chosen only when nothing of the first matches.
  const fallback = new Map();
  // Code editor widgets (CODE_EDITOR_WIDGETS, from code_editor.js) render their text as many
  // small elements: the widget is one editor, and nothing inside it is a button, layer or field.
  const insideCodeEditor = (element) => role !== "text" && element.parentElement !== null && element.parentElement.closest(CODE_EDITOR_WIDGETS) !== null;
  const addFallback = (element, names) => {
    if (found.has(element) || fallback.has(element) || !isVisible(element) || insideCodeEditor(element)) return;
    if (CONTROL_ROLES.includes(role)) addTitles(element, tooltipOf(element));
    fallback.set(element, names.map(normalize).filter(Boolean));
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
    const clean = names.map(normalize).filter(Boolean);
    const existing = found.get(element);
    if (existing) existing.push(...clean);
    else found.set(element, clean);
  };
  const all = (selector) => Array.from(root.querySelectorAll(selector));
  const ownText = (element) => [explicitName(element), textOf(element), normalize(element.getAttribute("title")), normalize(element.value && element.type !== "password" ? element.value : "")];

  switch (role) {
    case "menuitem":
      for (const element of all("[role='menuitem'], [role='menuitemradio'], [role='menuitemcheckbox']")) add(element, ownText(element));
      for (const element of all("nav a[href], nav button, nav [role='link'], nav [role='button'], nav [role='treeitem'], [role='navigation'] a[href], [role='navigation'] button, [role='menu'] a[href], [role='menubar'] a[href], aside a[href], aside button"))
        add(element, ownText(element));
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
      for (const element of all("[role='tab'], [role='tablist'] > button, [role='tablist'] > a[href], [role='tablist'] > li > a[href], [role='tablist'] > li > button"))
        add(element, ownText(element));
      clickableFallback(30);
      break;
    case "button":
      // A person asked to click a button looks at the page before the menu: buttons in the
      // navigation (Logout) come second.
      for (const element of all("button, [role='button'], input[type='button'], input[type='submit'], input[type='reset'], summary")) {
        if (element.closest("nav, aside, [role='navigation'], [role='menu'], [role='menubar']")) addFallback(element, ownText(element));
        else add(element, ownText(element));
      }
      clickableFallback(40);
      break;
    case "link":
      for (const element of all("a[href], [role='link']")) add(element, ownText(element));
      break;
    case "dialog":
      for (const element of all("dialog[open], [role='dialog'], [role='alertdialog'], [aria-modal='true']")) {
        const heading = element.querySelector(HEADING);
        add(element, [explicitName(element), heading ? textOf(heading) : ""]);
        addTitles(element, [visibleTitleOf(element)]);
      }
      // A dialog built without dialog semantics: a fixed layer over the page with a heading.
      for (const element of all("body *")) {
        if (getComputedStyle(element).position !== "fixed") continue;
        const rect = element.getBoundingClientRect();
        const heading = element.querySelector(HEADING);
        if (rect.width * rect.height < 0.1 * innerWidth * innerHeight || element.closest(CODE_EDITOR_WIDGETS)) continue;
        const title = heading ? textOf(heading) : visibleTitleOf(element);
        if (title) addFallback(element, [title]);
      }
      break;
    case "pane":
      for (const element of all(PANE + ", [aria-label], [aria-labelledby]")) {
        if (element.matches(FIELD)) continue;
        // A pane is titled by its own first heading, not by one of a pane nested inside it.
        const heading = Array.from(element.querySelectorAll(HEADING)).find((candidate) => candidate.closest(PANE) === element);
        add(element, [explicitName(element), heading ? textOf(heading) : ""]);
        addTitles(element, [visibleTitleOf(element)]);
      }
      for (const heading of all(HEADING)) {
        let container = heading.parentElement;
        while (container && container !== document.body) {
          const content = Array.from(container.querySelectorAll(CONTENT)).some((node) => !heading.contains(node));
          if (content) break;
          container = container.parentElement;
        }
        if (container && container !== document.body) add(container, [textOf(heading)]);
      }
      // Panes titled by a plain line of larger or bolder text: the smallest container that holds
      // the line and something else.
      for (const line of textLines()) {
        if (!line.title || (scope && !scope.contains(line.element))) continue;
        let container = line.element.parentElement;
        while (container && container !== document.body && textOf(container) === line.text && !container.querySelector(CONTENT)) container = container.parentElement;
        if (!container || container === document.body) continue;
        add(container, []);
        addTitles(container, [line.text]);
      }
      break;
    case "field":
      for (const element of all(FIELD)) { add(element, fieldNames(element)); addTitles(element, [textNear(element)]); }
      break;
    case "editor":
      for (const element of all(CODE_EDITOR_WIDGETS)) { add(element, fieldNames(element)); addTitles(element, [textNear(element)]); }
      for (const element of all("textarea, [contenteditable=''], [contenteditable='true'], [role='textbox'][aria-multiline='true'], pre, code")) {
        if (element.matches("code") && element.closest("pre")) continue;
        if (element.parentElement && element.parentElement.closest("[contenteditable=''], [contenteditable='true']")) continue;
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
        const chosen = lines.filter((element) => !lines.some((other) => other !== element && element.contains(other)));
        const preformatted = new Set(styled.filter((entry) => entry.pre).map((entry) => entry.element));
        for (const element of preformatted) {
          if (preformatted.has(element.parentElement)) continue;
          if (!chosen.some((block) => block.contains(element) || element.contains(block))) chosen.push(element);
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
        add(element, ownText(element));
      }
      // Layers offered in a drop-down: its options, visible through their select.
      for (const element of all("select option")) {
        if (isVisible(element.closest("select"))) { found.set(element, [textOf(element), normalize(element.label)].filter(Boolean)); }
      }
      clickableFallback(80);
      break;
    case "heading":
      for (const element of all(HEADING)) add(element, [textOf(element)]);
      break;
    case "text":
      for (const element of all("body *")) {
        if (element.children.length === 0 || Array.from(element.childNodes).some((node) => node.nodeType === Node.TEXT_NODE && node.textContent.trim()))
          add(element, [textOf(element)]);
      }
      break;
    default:
      throw new Error(`unknown role ${role}`);
  }

  for (const [element, names] of fallback) if (!found.has(element)) found.set(element, names);
  // While a modal dialog is open, a person can only reach what is inside it.
  const modal = role === "dialog" ? null : openModal();
  const elements = Array.from(found.keys()).filter((element) => !modal || modal.contains(element) || (scope && scope.contains(element)));
  return elements.map((element) => ({
    element,
    names: Array.from(new Set(found.get(element))),
    titles: Array.from(new Set(titled.get(element) || [])).filter((title) => !found.get(element).includes(title)),
    description: describe(element),
    selected: stateOf(element),
    fallback: fallback.has(element),
  }));
}

// The candidates with `parent`: the index of the nearest one among them that contains each (or -1).
function withParents(candidates) {
  return candidates.map((candidate) => {
    let parent = -1;
    candidates.forEach((other, index) => {
      if (other !== candidate && other.element.contains(candidate.element) && (parent === -1 || candidates[parent].element.contains(other.element))) parent = index;
    });
    return { ...candidate, parent };
  });
}

