// The HTTP status the page was served with, from its Navigation Timing entry. No arguments.
// Returns the status, or null where the browser does not say.
const entry = performance.getEntriesByType('navigation')[0];
return entry && entry.responseStatus ? entry.responseStatus : null;
