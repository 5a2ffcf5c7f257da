// palette-harness locate: one look at the page for one or more targets, in one round trip. Runs
// through WebDriver's execute-async after code_editor.js, candidates.js, probe.js and
// editor_text.js. Arguments: targets, each {chain, need}: chain is the target and the targets it
// sits in, outermost first, each {role, labels} (its label and the other names it may go by);
// need is "present", "selected", "visible", "clickable" or "text"; then `budget` (ms) and `mode`
// ("all" or "any"), then the callback. Returns {targets: [{levels}]}, one per target, all seen at
// the same moment.
// A look that does not yet find what it needs (every target, or any with mode "any": a possible
// candidate that is there, selected, visible, ready for a click or settled, as its need says)
// looks again at each animation frame, in the page, until it does or `budget` ms have passed:
// the page answers within a frame or two of changing, sooner than another round trip could.
// For each level of a target it lists the candidates that could match one of the labels (every word of the
// label appears in one of their names; Rust ranks them exactly), scoped by each possible
// candidate of the level above, plus the other names seen there, for "closest" messages. The
// possible candidates of the last level are probed: visible, enabled, in view, covered, selected;
// for "clickable", their boxes are compared across two animation frames (stable when unmoved);
// for "text", their text is read (editor_text.js) and read again at the next animation frame.
const [targets, budget, mode, done] = arguments;
const started = performance.now();

function wordsOf(text) {
  return (text || "").toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
}

// A superset of every tier `locate::match_tier` accepts: each word of the label is in the name.
function couldMatch(labels, candidate) {
  if (!labels.length) return true;
  const names = candidate.names.concat(candidate.titles).map((name) => name.toLowerCase());
  return labels.some((label) => {
    const words = wordsOf(label);
    const whole = label.toLowerCase().replace(/\s+/g, " ").trim();
    return names.some((name) => name.includes(whole) || (words.length > 0 && words.every((word) => name.includes(word))));
  });
}

function look(chain) {
  const levels = [];
  let scopes = [null];
  for (const [depth, level] of chain.entries()) {
    const groups = [];
    const next = [];
    scopes.forEach((scope, scopeIndex) => {
      const all = candidatesOf(level.role, scope);
      const possible = all.filter((candidate) => couldMatch(level.labels, candidate));
      const isPossible = new Set(possible);
      // The rest, without their elements, for messages: what else a person sees of this role.
      const clip = (names) => names.map((name) => name.slice(0, 80));
      const others = all.filter((candidate) => !isPossible.has(candidate)).slice(0, 200)
        .map((candidate) => ({ name: candidate.name, nameSource: candidate.nameSource, names: clip(candidate.names), titles: clip(candidate.titles), origins: candidate.origins, description: candidate.description, parent: -1, selected: candidate.selected, fallback: candidate.fallback, rect: boxOf(candidate.element) }));
      // Parent links among the possible candidates only: the nearest possible one containing it.
      const candidates = withParents(possible).map((candidate) => ({ ...candidate, rect: boxOf(candidate.element) }));
      groups.push({ scope: depth === 0 ? -1 : scopeIndex, candidates, others });
      next.push(...candidates.map((candidate) => candidate.element));
    });
    levels.push(groups);
    scopes = next;
    if (!scopes.length) break;
  }
  return levels;
}

// A page that re-renders while it is looked at (a click's answer arriving) replaces the elements
// found: the look starts again, in the page, rather than hand back elements that are gone.
const LOOKS_AT_MOST = 5;

function lookAtEverything() {
  return targets.map(({ chain, need }) => {
    const levels = look(chain);
    const last = levels.length === chain.length ? levels[levels.length - 1] : [];
    const finals = last.flatMap((group) => group.candidates);
    if (need === "visible" || need === "clickable") for (const candidate of finals) candidate.probe = probeElement(candidate.element);
    // A code editor widget whose API is out of reach shows only the lines in view: the runner
    // reads it whole through its copy handler.
    if (need === "text") for (const candidate of finals) candidate.read = { text: textOfEditor(candidate.element), settled: false, complete: !codeEditorWidgetOf(candidate.element) || codeEditorOf(candidate.element) !== null };
    return { levels, need, finals };
  });
}

const allConnected = (looks) => looks.every(({ levels }) => levels.every((groups) => groups.every((group) => group.candidates.every((candidate) => candidate.element.isConnected))));
const reply = (looks) => ({ targets: looks.map(({ levels }) => ({ levels })) });

// Whether a look found what its need asks for, as far as the page can tell (Rust ranks).
function found({ need, finals }) {
  if (!finals.length) return false;
  switch (need) {
    case "selected": return finals.some((candidate) => candidate.selected !== false);
    case "visible": return finals.some((candidate) => candidate.probe.visible);
    case "clickable": return finals.some(({ probe }) => probe.visible && probe.inView && probe.enabled && !probe.coveredBy && probe.stable);
    case "text": return finals.some((candidate) => candidate.read.settled);
    default: return true;
  }
}
const satisfied = (looks) => mode === "any" ? looks.some(found) : looks.every(found);

// The next animation frame, or 20 ms where the page renders none.
function nextFrame(then) {
  let called = false;
  const once = () => { if (!called) { called = true; then(); } };
  requestAnimationFrame(once);
  setTimeout(once, 20);
}

function settle(looks) {
  for (const { need, finals } of looks) for (const candidate of finals) {
    const element = actedOn(candidate.element);
    if (need === "text") {
      candidate.read.settled = element.isConnected && textOfEditor(candidate.element) === candidate.read.text;
    } else if (need === "clickable") {
      const after = element.isConnected ? boxOf(element) : null;
      candidate.probe.stable = after !== null && after.every((value, index) => value === candidate.probe.rect[index]);
      if (after) candidate.probe.rect = after;
    }
  }
}

function attempt(staleLooksLeft) {
  const looks = lookAtEverything();
  const conclude = () => {
    if (!allConnected(looks) && staleLooksLeft > 1) {
      attempt(staleLooksLeft - 1);
      return;
    }
    settle(looks);
    if (!satisfied(looks) && performance.now() - started < budget) {
      nextFrame(() => attempt(LOOKS_AT_MOST));
      return;
    }
    done(reply(looks));
  };
  const waitsFor = (kind) => looks.some(({ need, finals }) => need === kind && finals.length);
  if (!waitsFor("clickable") && !waitsFor("text")) {
    conclude();
    return;
  }
  // Still: the same box two animation frames later (for a click), as Playwright checks it, or
  // the same text at the next frame (for a read: an editor being filled changes between frames).
  // A page that renders no frames (hidden, throttled) is given 100 ms instead.
  let answered = false;
  const answer = () => {
    if (answered) return;
    answered = true;
    conclude();
  };
  if (waitsFor("clickable")) requestAnimationFrame(() => requestAnimationFrame(answer));
  else requestAnimationFrame(answer);
  setTimeout(answer, 100);
}

attempt(LOOKS_AT_MOST);
