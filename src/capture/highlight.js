// Draws a box around each element given, for a docs screenshot: one layer over the whole
// viewport, in the top layer when the browser has one (so it sits above a modal <dialog>),
// ignoring the pointer, changing no layout. Removed by the caller after the shot.
// arguments: [style, ...elements]; style: { color, width, padding, radius } in CSS pixels.
const [style, ...elements] = arguments;
const layer = document.createElement("div");
layer.setAttribute("data-palette-harness-highlight", "");
layer.style.cssText = [
  "position: fixed",
  "inset: 0",
  "width: 100vw",
  "height: 100vh",
  "margin: 0",
  "padding: 0",
  "border: 0",
  "background: transparent",
  "overflow: visible",
  "pointer-events: none",
  "z-index: 2147483647",
].join(";");
// What a person sees as the element: a text area with a line-number gutter beside it is one
// editor, so the box goes round the frame that holds both. The frame is the largest ancestor
// no taller than the element (and a little), that holds no other control or heading.
const OTHERS = "button, a[href], input, select, textarea, [role='button'], [role='textbox'], [contenteditable='true'], h1, h2, h3, h4, h5, h6, [role='heading']";
function frameOf(element) {
  let frame = element;
  const own = element.getBoundingClientRect();
  for (let node = element.parentElement; node && node !== document.body; node = node.parentElement) {
    const box = node.getBoundingClientRect();
    if (box.height > own.height + 16 || box.width > own.width * 1.5 + 80) break;
    const others = Array.from(node.querySelectorAll(OTHERS)).some((other) => other !== element && !element.contains(other) && !other.contains(element));
    if (others) break;
    frame = node;
  }
  return frame;
}
for (const element of elements) {
  const box = frameOf(element).getBoundingClientRect();
  const out = style.padding + style.width;
  const frame = document.createElement("div");
  frame.style.cssText = [
    "position: absolute",
    "box-sizing: border-box",
    `left: ${box.left - out}px`,
    `top: ${box.top - out}px`,
    `width: ${box.width + 2 * out}px`,
    `height: ${box.height + 2 * out}px`,
    `border: ${style.width}px solid ${style.color}`,
    `border-radius: ${style.radius}px`,
    "background: transparent",
    "margin: 0",
    "padding: 0",
  ].join(";");
  layer.appendChild(frame);
}
document.documentElement.appendChild(layer);
if (typeof layer.showPopover === "function") {
  layer.setAttribute("popover", "manual");
  try {
    layer.showPopover();
  } catch (error) {
    // Not shown in the top layer; it still sits above everything with its z-index.
  }
}
