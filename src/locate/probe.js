// palette-harness actionability probe: can a person act on this element right now?
// Argument: element. Returns {visible, enabled, rect, coveredBy, selected}.
const [given] = arguments;
// An option is seen, covered and clicked through its select.
const element = given.tagName === "OPTION" && given.closest("select") ? given.closest("select") : given;

function describe(node) {
  if (!node || !node.tagName) return "nothing";
  const text = (node.innerText || node.textContent || "").replace(/\s+/g, " ").trim().slice(0, 60);
  const role = node.getAttribute("role");
  return `${node.tagName.toLowerCase()}${role ? `[role=${role}]` : ""}${text ? ` "${text}"` : ""}`;
}

if (!given.isConnected) return { visible: false, enabled: false, rect: null, coveredBy: null, selected: null, detached: true };
let rect = element.getBoundingClientRect();
if (rect.top < 0 || rect.left < 0 || rect.bottom > innerHeight || rect.right > innerWidth) {
  element.scrollIntoView({ block: "center", inline: "center" });
  rect = element.getBoundingClientRect();
}
const visible = rect.width > 0 && rect.height > 0 && (!element.checkVisibility || element.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true }));
const enabled = !element.disabled && !element.closest("[aria-disabled='true'], fieldset[disabled], [inert]");
let coveredBy = null;
if (visible) {
  const x = Math.min(Math.max(rect.left + rect.width / 2, 0), innerWidth - 1);
  const y = Math.min(Math.max(rect.top + Math.min(rect.height / 2, 20), 0), innerHeight - 1);
  const hit = document.elementFromPoint(x, y);
  if (hit && hit !== element && !element.contains(hit) && !(hit.tagName === "LABEL" && hit.control === element)) coveredBy = describe(hit);
}
let selected = given.tagName === "OPTION" ? given.selected : null;
for (const attribute of ["aria-selected", "aria-current", "aria-pressed", "aria-checked"]) {
  const value = element.getAttribute(attribute);
  if (value !== null) { selected = value !== "false"; break; }
}
return {
  visible, enabled, coveredBy, selected, detached: false,
  rect: [Math.round(rect.left), Math.round(rect.top), Math.round(rect.width), Math.round(rect.height)],
};
