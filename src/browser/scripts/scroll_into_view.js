// Scrolls an element to the middle of the viewport, as a person scrolls to what they want; an
// <option> of a <select> scrolls its select into view. arguments: [element]. Returns nothing.
const e = arguments[0];
const t = e.tagName === 'OPTION' && e.closest('select') ? e.closest('select') : e;
t.scrollIntoView({ block: 'center', inline: 'center' });
