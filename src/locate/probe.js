// palette-harness actionability probe: can a person act on this element right now? A library
// for the scripts after it: `probeElement(element)` returns {visible, enabled, inView, coveredBy,
// selected, rect, stable: null}. It never scrolls; the runner scrolls when it must.

function describeNode(node) {
  if (!node || !node.tagName) return "nothing";
  const text = (node.innerText || node.textContent || "").replace(/\s+/g, " ").trim().slice(0, 60);
  const role = node.getAttribute("role");
  return `${node.tagName.toLowerCase()}${role ? `[role=${role}]` : ""}${text ? ` "${text}"` : ""}`;
}

// An option is seen, covered and clicked through its select.
function actedOn(element) {
  return element.tagName === "OPTION" && element.closest("select") ? element.closest("select") : element;
}

// The element a click at (x, y) reaches, through open shadow roots.
function deepElementFromPoint(x, y) {
  let hit = document.elementFromPoint(x, y);
  while (hit && hit.shadowRoot) {
    const inner = hit.shadowRoot.elementFromPoint(x, y);
    if (!inner || inner === hit) break;
    hit = inner;
  }
  return hit;
}

// Whether `host` holds `element` in its shadow tree: a click on the host's slotted text (a web
// component's label) reaches the control inside it.
function isShadowHostOf(host, element) {
  for (let root = element.getRootNode(); root && root.host; root = root.host.getRootNode()) {
    if (root.host === host) return true;
  }
  return false;
}

function boxOf(element) {
  const rect = element.getBoundingClientRect();
  return [Math.round(rect.left), Math.round(rect.top), Math.round(rect.width), Math.round(rect.height)];
}

function probeElement(given) {
  if (!given.isConnected) return { visible: false, enabled: false, inView: false, coveredBy: null, selected: null, rect: null, stable: null };
  const element = actedOn(given);
  const rect = element.getBoundingClientRect();
  const inView = rect.top >= 0 && rect.left >= 0 && rect.bottom <= innerHeight && rect.right <= innerWidth;
  const visible = rect.width > 0 && rect.height > 0 && (!element.checkVisibility || element.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true }));
  const enabled = !element.disabled && !flatClosest(element, "[aria-disabled='true'], fieldset[disabled], [inert]");
  let coveredBy = null;
  if (visible) {
    const x = Math.min(Math.max(rect.left + rect.width / 2, 0), innerWidth - 1);
    const y = Math.min(Math.max(rect.top + Math.min(rect.height / 2, 20), 0), innerHeight - 1);
    const hit = deepElementFromPoint(x, y);
    if (hit && hit !== element && !flatContains(element, hit) && !isShadowHostOf(hit, element) && !(hit.tagName === "LABEL" && hit.control === element)) coveredBy = describeNode(hit);
  }
  let selected = given.tagName === "OPTION" ? given.selected : null;
  for (const attribute of ["aria-selected", "aria-current", "aria-pressed", "aria-checked"]) {
    const value = element.getAttribute(attribute);
    if (value !== null) { selected = value !== "false"; break; }
  }
  return { visible, enabled, inView, coveredBy, selected, rect: boxOf(element), stable: null };
}
