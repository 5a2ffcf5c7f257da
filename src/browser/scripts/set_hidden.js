// Hides elements with `visibility: hidden` (keeping the layout), or gives them back the visibility
// they had before (kept in data-palette-harness-visibility meanwhile).
// arguments: [hidden, ...elements]; hidden: true to hide, false to restore. Returns nothing.
const [hidden, ...elements] = arguments;
for (const e of elements) {
  if (hidden) { e.dataset.paletteHarnessVisibility = e.style.visibility; e.style.visibility = 'hidden'; }
  else { e.style.visibility = e.dataset.paletteHarnessVisibility || ''; delete e.dataset.paletteHarnessVisibility; }
}
