// Removes the boxes capture/highlight.js drew (every layer marked data-palette-harness-highlight).
// Owed clean-up, run at the start of the next script (see owed.rs). No arguments; returns nothing.
for (const layer of document.querySelectorAll('[data-palette-harness-highlight]')) layer.remove();
