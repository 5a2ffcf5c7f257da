// palette-harness locate: one look at the page for one target, in one round trip. Runs through
// WebDriver's execute-async after code_editor.js, candidates.js, probe.js and editor_text.js.
// Arguments: chain (the target and the targets it sits in, outermost first, each
// {role, labels}: its label and the other names it may go by), need ("present", "visible",
// "clickable" or "text"), and the callback.
// For each level it lists the candidates that could match one of the labels (every word of the
// label appears in one of their names; Rust ranks them exactly), scoped by each possible
// candidate of the level above, plus the other names seen there, for "closest" messages. The
// possible candidates of the last level are probed: visible, enabled, in view, covered, selected;
// for "clickable", their boxes are compared across two animation frames (stable when unmoved);
// for "text", their text is read (editor_text.js) and read again two animation frames later.
const [chain, need, done] = arguments;

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

function look() {
  const levels = [];
  let scopes = [null];
  for (const [depth, level] of chain.entries()) {
    const groups = [];
    const next = [];
    scopes.forEach((scope, scopeIndex) => {
      const all = candidatesOf(level.role, scope);
      const possible = all.filter((candidate) => couldMatch(level.labels, candidate));
      // The rest, without their elements, for messages: what else a person sees of this role.
      const clip = (names) => names.map((name) => name.slice(0, 80));
      const others = all.filter((candidate) => !possible.includes(candidate)).slice(0, 200)
        .map((candidate) => ({ names: clip(candidate.names), titles: clip(candidate.titles), description: candidate.description, parent: -1, selected: candidate.selected, fallback: candidate.fallback }));
      // Parent links among the possible candidates only: the nearest possible one containing it.
      const candidates = possible.map((candidate) => {
        let parent = -1;
        possible.forEach((other, index) => {
          if (other !== candidate && other.element.contains(candidate.element) && (parent === -1 || possible[parent].element.contains(other.element))) parent = index;
        });
        return { ...candidate, parent, probe: null };
      });
      groups.push({ scope: depth === 0 ? -1 : scopeIndex, candidates, others });
      next.push(...candidates.map((candidate) => candidate.element));
    });
    levels.push(groups);
    scopes = next;
    if (!scopes.length) break;
  }
  return levels;
}

const levels = look();
const last = levels.length === chain.length ? levels[levels.length - 1] : [];
const finals = last.flatMap((group) => group.candidates);
if (need === "visible" || need === "clickable") for (const candidate of finals) candidate.probe = probeElement(candidate.element);
if (need === "text") for (const candidate of finals) candidate.read = { text: textOfEditor(candidate.element), settled: false };
if ((need !== "clickable" && need !== "text") || !finals.length) {
  done({ levels });
} else {
  // Still: the same box (for a click) or the same text (for a read) two animation frames later,
  // as a person sees a still element. A page that renders no frames (hidden, throttled) is
  // given 100 ms instead.
  let answered = false;
  const answer = () => {
    if (answered) return;
    answered = true;
    for (const candidate of finals) {
      const element = actedOn(candidate.element);
      if (need === "text") {
        candidate.read.settled = element.isConnected && textOfEditor(candidate.element) === candidate.read.text;
        continue;
      }
      const after = element.isConnected ? boxOf(element) : null;
      candidate.probe.stable = after !== null && after.every((value, index) => value === candidate.probe.rect[index]);
      if (after) candidate.probe.rect = after;
    }
    done({ levels });
  };
  requestAnimationFrame(() => requestAnimationFrame(answer));
  setTimeout(answer, 100);
}
