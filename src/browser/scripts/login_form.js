// What the page shows of a login form, through shadow roots. Runs after locate/accname.js
// (`deepQueryAll`) and shown.js (`shown`). No arguments. Returns { hasPasswordField, alert }:
// whether a visible password field is on the page, and the visible texts of its alerts
// (role="alert", where a rejected login says why), joined by spaces.
const password = deepQueryAll(document, "input[type='password']").some(shown);
const alert = deepQueryAll(document, "[role='alert']").filter(shown).map((e) => e.innerText.trim()).filter(Boolean).join(' ');
return { hasPasswordField: password, alert };
