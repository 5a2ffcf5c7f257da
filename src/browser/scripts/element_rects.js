// Each element's box in CSS pixels, as it is (without scrolling), and device pixels per CSS pixel.
// arguments: the elements. Returns { rects: [[left, top, width, height], ...], scale }, the boxes
// rounded to whole pixels, in the order of the arguments.
const rects = Array.from(arguments).map((e) => { const r = e.getBoundingClientRect(); return [Math.round(r.left), Math.round(r.top), Math.round(r.width), Math.round(r.height)]; });
return { rects, scale: window.devicePixelRatio || 1 };
