// What the browser's own error page says (a chrome-error:, about: or moz-neterror: page, not
// about:blank), when it shows one instead of the page: a refused certificate, a refused
// connection. No arguments. Returns its text, whitespace collapsed, at most 400 characters; null
// for any page a server sent.
if (!/^(chrome-error|about|moz-neterror):/.test(document.URL) || document.URL === 'about:blank') return null;
return (document.body ? document.body.innerText : '').replace(/\s+/g, ' ').trim().slice(0, 400);
