// The button a person would press to submit the form a field belongs to: the form's first
// visible, enabled submit button; without one in a form, the page's visible login button
// ("Log in", "Sign in", "Submit", "Continue" by its name or text), a real button first, else
// anything with a pointer cursor. Runs after locate/accname.js (`flatClosest`, `deepQueryAll`,
// `accessibleName`). arguments: [field]. Returns the button, or null (the harness then presses
// Enter in the field).
const visible = (b) => b.getBoundingClientRect().width > 0 && !b.disabled;
const form = flatClosest(arguments[0], 'form');
const inForm = form ? deepQueryAll(form, "button[type='submit'], input[type='submit'], button:not([type])").find(visible) : null;
if (inForm) return inForm;
// No form: the login button a person would press, a real button first, else anything clickable.
const words = /^(log ?in|sign ?in|submit|continue)$/i;
const named = (b) => words.test(accessibleName(b).name || (b.innerText || b.value || '').trim());
const real = deepQueryAll(document, "button, [role='button'], input[type='submit'], input[type='button']").filter(visible).find(named);
if (real) return real;
return deepQueryAll(document, "body *").filter((b) => visible(b) && getComputedStyle(b).cursor === 'pointer').find(named) || null;
