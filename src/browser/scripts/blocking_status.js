// What a page that blocks the user says about itself: the first (in document order) of its shown
// alert dialogs and shown busy elements (aria-busy) covering half the viewport or more; its text
// (at most 120 characters, cut at a word), after the percentage of a progress bar inside it.
// Runs through execute-async, after shown.js (`shown`). arguments: [wait, done]: while something
// blocks, the page looks again every 50 ms, for up to `wait` ms. Answers `done` with that text
// ("the page is busy" where it has none), or with null as soon as nothing blocks the page.
const [wait, done] = arguments;
const started = performance.now();
const covers = (e) => { const r = e.getBoundingClientRect(); return r.width * r.height >= 0.5 * innerWidth * innerHeight; };
function status() {
  const blockers = Array.from(document.querySelectorAll("[role='alertdialog'], [aria-busy='true']"))
    .filter((e) => shown(e) && (e.getAttribute('role') === 'alertdialog' || covers(e)));
  if (!blockers.length) return null;
  const blocker = blockers[0];
  const bar = blocker.querySelector("[role='progressbar'][aria-valuenow]");
  const whole = (blocker.innerText || '').replace(/\s+/g, ' ').trim();
  const text = whole.length <= 120 ? whole : whole.slice(0, 120).replace(/\s+\S*$/, '') + '…';
  return bar ? `${bar.getAttribute('aria-valuenow')}% — ${text}` : (text || 'the page is busy');
}
(function look() {
  const now = status();
  if (now === null || performance.now() - started >= wait) done(now);
  else setTimeout(look, 50);
})();
