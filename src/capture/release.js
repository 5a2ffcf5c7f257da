// palette-harness capture release: undoes hold_still.js once the screenshots are taken: carets
// show again and animations that never end play on. Finished animations stay finished, as they
// would have a moment later anyway.
const style = document.getElementById("palette-harness-hold-still");
if (style) style.remove();
for (const animation of window.__paletteHarnessStopped || []) animation.play();
window.__paletteHarnessStopped = [];
