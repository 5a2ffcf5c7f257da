// palette-harness capture preparation: makes the page hold still for a screenshot, as a person
// waits for a page to settle before taking one. Runs through execute-async; no arguments but the
// callback. It blurs the focused element (no focus ring or caret), hides carets (text fields'
// and the code editor widgets' own) and Monaco's fading overlay scroll bars, finishes CSS and
// scripted animations and transitions that end, cancels those that never end (back to their
// first frame, the same in every run; release.js plays them again), and waits for web fonts
// still loading. The page's own scroll bars stay as they are.
// Safe to run again between shots: it only does what is still left to do.
const done = arguments[arguments.length - 1];
if (document.activeElement && document.activeElement !== document.body && document.activeElement.blur) document.activeElement.blur();
if (!document.getElementById("palette-harness-hold-still")) {
  const style = document.createElement("style");
  style.id = "palette-harness-hold-still";
  // Monaco's overlay scroll bars show for half a second after any scroll (a paste scrolls) and
  // then fade: like a caret, whether a shot catches one is timing, not the page.
  style.textContent = "*, *::before, *::after { caret-color: transparent !important; }\n" +
    ".monaco-editor .cursors-layer, .CodeMirror-cursors, .cm-cursorLayer, .ace_cursor-layer { visibility: hidden !important; }\n" +
    ".monaco-editor .monaco-scrollable-element > .scrollbar { visibility: hidden !important; }";
  (document.head || document.documentElement).append(style);
}
const stopped = window.__paletteHarnessStopped || (window.__paletteHarnessStopped = []);
for (const animation of document.getAnimations ? document.getAnimations() : []) {
  if (animation.playState !== "running") continue;
  const timing = animation.effect && animation.effect.getComputedTiming ? animation.effect.getComputedTiming() : null;
  if (timing && Number.isFinite(timing.endTime)) animation.finish();
  else { animation.cancel(); stopped.push(animation); }
}
// A screenshot paints a fresh frame of its own, so with its fonts loaded the page is ready now;
// fonts still loading are waited for, and painted, up to 2 s.
if (!document.fonts || document.fonts.status === "loaded") {
  done(true);
} else {
  const painted = () => requestAnimationFrame(() => requestAnimationFrame(() => done(true)));
  setTimeout(() => done(false), 2000);
  document.fonts.ready.then(painted, painted);
}
