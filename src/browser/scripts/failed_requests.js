// The page's requests that failed, as its own Resource Timing records them: an HTTP status of 400
// or more, or none at all (status 0, nothing transferred, some time spent: refused, reset,
// blocked). No arguments. Returns [{ url, status, kind, startMs, durationMs }], kind being the
// initiator type (fetch, xmlhttprequest, script, ...), the times in whole milliseconds.
return performance.getEntriesByType('resource')
  .filter((entry) => typeof entry.responseStatus === 'number'
    && (entry.responseStatus >= 400 || (entry.responseStatus === 0 && entry.transferSize === 0 && entry.duration > 0)))
  .map((entry) => ({ url: entry.name, status: entry.responseStatus,
    kind: entry.initiatorType, startMs: Math.round(entry.startTime), durationMs: Math.round(entry.duration) }))
