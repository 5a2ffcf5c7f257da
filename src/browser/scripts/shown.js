// palette-harness `shown(element)`: whether a person can see an element: it has a box, and CSS
// does not hide it (`checkVisibility`, where the browser has it). A library for the scripts after
// it (login_form.js, alerts.js, blocking_status.js); no arguments.
const shown = (e) => {
  const r = e.getBoundingClientRect();
  return r.width > 0 && r.height > 0 && (!e.checkVisibility || e.checkVisibility({ checkVisibilityCSS: true }));
};
