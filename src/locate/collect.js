// palette-harness locator: lists the visible elements of one role with the names a person reads.
// Runs in the page through WebDriver's execute. Arguments: role (string), scope (element or null).
// Returns [{element, names, description, parent, state}] where `parent` is the index of the
// nearest candidate that contains this one (or -1). Ranking by label happens in Rust.
const [role, scope] = arguments;

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

function collect() {
  const root = scope || document;
  const found = new Map();
  // Elements that only look like the role (a div with a pointer cursor in the left menu, a
  // monospace block of YAML): a second tier, chosen only when nothing of the first matches.
  const fallback = new Map();
  // Code editor widgets (CODE_EDITOR_WIDGETS, from code_editor.js) render their text as many
  // small elements: the widget is one editor, and nothing inside it is a button, layer or field.
  const insideCodeEditor = (element) => role !== "text" && element.parentElement !== null && element.parentElement.closest(CODE_EDITOR_WIDGETS) !== null;
  const addFallback = (element, names) => {
    if (found.has(element) || fallback.has(element) || !isVisible(element) || insideCodeEditor(element)) return;
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
      }
      // A dialog built without dialog semantics: a fixed layer over the page with a heading.
      for (const element of all("body *")) {
        if (getComputedStyle(element).position !== "fixed") continue;
        const rect = element.getBoundingClientRect();
        const heading = element.querySelector(HEADING);
        if (heading && rect.width * rect.height >= 0.1 * innerWidth * innerHeight) addFallback(element, [textOf(heading)]);
      }
      break;
    case "pane":
      for (const element of all(PANE + ", [aria-label], [aria-labelledby]")) {
        if (element.matches(FIELD)) continue;
        // A pane is titled by its own first heading, not by one of a pane nested inside it.
        const heading = Array.from(element.querySelectorAll(HEADING)).find((candidate) => candidate.closest(PANE) === element);
        add(element, [explicitName(element), heading ? textOf(heading) : ""]);
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
      break;
    case "field":
      for (const element of all(FIELD)) add(element, fieldNames(element));
      break;
    case "editor":
      for (const element of all(CODE_EDITOR_WIDGETS)) add(element, fieldNames(element));
      for (const element of all("textarea, [contenteditable=''], [contenteditable='true'], [role='textbox'][aria-multiline='true'], pre, code")) {
        if (element.matches("code") && element.closest("pre")) continue;
        if (element.parentElement && element.parentElement.closest("[contenteditable=''], [contenteditable='true']")) continue;
        add(element, fieldNames(element));
      }
      // A code view built from plain elements: the innermost monospace block of several lines.
      {
        const monospace = all("body *").filter((element) => /mono/i.test(getComputedStyle(element).fontFamily) && textOf(element).length > 0 && (element.innerText || "").trim().includes("\n"));
        for (const element of monospace) {
          if (monospace.some((other) => other !== element && element.contains(other))) continue;
          addFallback(element, fieldNames(element));
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
  return elements.map((element) => {
    let parent = -1;
    for (let index = 0; index < elements.length; index++) {
      const other = elements[index];
      if (other !== element && other.contains(element) && (parent === -1 || elements[parent].contains(other))) parent = index;
    }
    return {
      element,
      names: Array.from(new Set(found.get(element))),
      description: describe(element),
      parent,
      selected: stateOf(element),
      fallback: fallback.has(element),
    };
  });
}

return collect();
