// The visible texts of the page's alerts (role="alert", aria-live="assertive"), through shadow
// roots: the error a console shows when something it tried went wrong. Runs after
// locate/accname.js (`deepQueryAll`) and shown.js (`shown`). No arguments. Returns their texts,
// whitespace collapsed, at most 200 characters each, empty ones left out.
return deepQueryAll(document, "[role='alert'], [aria-live='assertive']")
  .filter(shown)
  .map((e) => (e.innerText || '').replace(/\s+/g, ' ').trim().slice(0, 200))
  .filter((text) => text.length > 0);
