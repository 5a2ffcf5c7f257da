// palette-harness recorder: turns what a person does in the page into events a recorder drains.
// Runs after locate/code_editor.js, locate/accname.js, locate/candidates.js, shown.js and
// login_form.js wrapped as `loginForm()`. `installRecorder()` adds capture-phase listeners on the
// window (once per document); `drainRecording()` hands out and forgets the queued events, with
// the dialogs open now and the page's address.
//
// The naming is read at `pointerdown`, in the capture phase, before the page reacts to the
// press (a select menu opens on mousedown, a list re-renders on click): for each role a click
// can mean, every candidate the locator lists for it (`candidatesOf`, the runner's own naming)
// and which one holds the pressed element, unscoped and inside the dialog around it. Rust ranks
// them (`record::naming`), as the runner would, to check the sentence it writes finds exactly
// that element. Events queue in sessionStorage, so a click that navigates is not lost.
//
// Alt+click marks an expectation: the page never sees that press (every pointer and mouse event
// of it is stopped), and the event names the element or text under it. Typing is recorded at
// `change`; anything done while a login form shows is a login, and no value typed then is kept.
const RECORDING_KEY = "palette-harness-recording";
const CLICK_ROLES = ["tab", "menuitem", "button", "link", "dropdown", "layer", "row"];
const EXPECT_ROLES = ["button", "tab", "menuitem", "link", "heading"];

// The locator's caches hold for one look; every event is a new look.
function freshLook() {
  layerCache.clear();
  runningFont = null;
  textLineCache = null;
  shadowHostsSeen = null;
}

// A candidate without its element, as Rust reads it (`locate::Candidate`).
function plain(candidate) {
  return {
    name: candidate.name, nameSource: candidate.nameSource, names: candidate.names, titles: candidate.titles,
    origins: candidate.origins, description: candidate.description, parent: candidate.parent,
    selected: candidate.selected, fallback: candidate.fallback,
  };
}

// The innermost candidate holding `target`: one that really has the role before a look-alike.
function holding(candidates, target) {
  for (const fallback of [false, true]) {
    let best = -1;
    candidates.forEach((candidate, index) => {
      if (candidate.fallback !== fallback) return;
      if (candidate.element !== target && !flatContains(candidate.element, target)) return;
      if (best < 0 || flatContains(candidates[best].element, candidate.element)) best = index;
    });
    if (best >= 0) return best;
  }
  return -1;
}

function firstLine(element) {
  const text = element.innerText !== undefined ? element.innerText : element.textContent;
  return (text || "").split("\n").map(normalize).find(Boolean) || "";
}

function openDialogs() {
  return withParents(candidatesOf("dialog", null));
}

// What a press on `target` could mean, role by role.
function seenAt(roles, target) {
  freshLook();
  const dialogs = openDialogs();
  const dialog = holding(dialogs, target);
  const found = [];
  for (const role of roles) {
    const all = withParents(candidatesOf(role, null));
    const index = holding(all, target);
    if (index < 0) continue;
    const entry = { role, candidates: all.map(plain), index, firstLine: firstLine(all[index].element) };
    if (dialog >= 0) {
      const scoped = withParents(candidatesOf(role, dialogs[dialog].element));
      entry.scoped = { candidates: scoped.map(plain), index: holding(scoped, target) };
    }
    found.push(entry);
  }
  return { roles: found, dialogs: dialogs.map(plain), dialog };
}

// The text a person points at: the nearest element around the press that says something.
function textAt(target) {
  for (let node = target; node && node !== document.body; node = flatParent(node)) {
    if (node.nodeType === Node.ELEMENT_NODE && textOf(node)) return textOf(node);
  }
  return "";
}

function loggingIn() {
  return loginForm().hasPasswordField;
}

function pressed(event) {
  const path = event.composedPath();
  return path.length && path[0].nodeType === Node.ELEMENT_NODE ? path[0] : event.target;
}

function describePress(target, alt) {
  try {
    if (alt) return { kind: "expect", seen: seenAt(EXPECT_ROLES, target), text: textAt(target) };
    if (loggingIn()) return { kind: "login" };
    // Focusing a field or a code editor is no action of its own: what is typed there is.
    if (target.matches && (target.matches(FIELD) || flatClosest(target, CODE_EDITOR_WIDGETS))) return null;
    return { kind: "click", seen: seenAt(CLICK_ROLES, target) };
  } catch (error) {
    return { kind: "unreadable", why: String(error && error.message || error) };
  }
}

function queueEvent(event) {
  let queue = [];
  try { queue = JSON.parse(sessionStorage.getItem(RECORDING_KEY) || "[]"); } catch (error) { queue = []; }
  freshLook();
  const dialogs = event.seen ? event.seen.dialogs : openDialogs().map(plain);
  queue.push({ ...event, dialogs, url: location.href });
  sessionStorage.setItem(RECORDING_KEY, JSON.stringify(queue));
}

function installRecorder() {
  if (window.__paletteHarnessRecorder) return;
  window.__paletteHarnessRecorder = true;
  let pending = null;
  const swallow = (event) => {
    if (!event.altKey) return;
    event.preventDefault();
    event.stopImmediatePropagation();
  };
  // Only what a person (or WebDriver's input, which is a person's to the page) does: a page's
  // own `element.click()` is no action of theirs.
  window.addEventListener("pointerdown", (event) => {
    if (!event.isTrusted) return;
    const target = pressed(event);
    pending = { target, described: describePress(target, event.altKey) };
    swallow(event);
  }, true);
  for (const type of ["mousedown", "pointerup", "mouseup", "auxclick", "dblclick"]) window.addEventListener(type, swallow, true);
  window.addEventListener("click", (event) => {
    if (!event.isTrusted) return;
    const target = pressed(event);
    const samePress = pending && (pending.target === target || flatContains(target, pending.target) || flatContains(pending.target, target));
    // A click without a press before it (the keyboard's Enter) is named now.
    const described = samePress ? pending.described : describePress(target, event.altKey);
    pending = null;
    swallow(event);
    if (described) queueEvent(described);
  }, true);
  window.addEventListener("change", (event) => {
    const target = pressed(event);
    if (!target.matches) return;
    if (target.matches("input[type='password']") || loggingIn()) { queueEvent({ kind: "login" }); return; }
    try {
      if (target.matches("select")) {
        const option = target.selectedOptions[0];
        if (option) queueEvent({ kind: "choose", seen: seenAt(["layer"], option) });
      } else if (target.matches("input:not([type='checkbox']):not([type='radio']):not([type='file']), textarea")) {
        queueEvent({ kind: "type", text: target.value, seen: seenAt(["field"], target) });
      }
    } catch (error) {
      queueEvent({ kind: "unreadable", why: String(error && error.message || error) });
    }
  }, true);
}

function drainRecording() {
  let events = [];
  try { events = JSON.parse(sessionStorage.getItem(RECORDING_KEY) || "[]"); } catch (error) { events = []; }
  sessionStorage.removeItem(RECORDING_KEY);
  freshLook();
  return { events, dialogs: openDialogs().map(plain), url: location.href };
}
