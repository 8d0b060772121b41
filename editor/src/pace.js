// Imported first (before CodeMirror's modules read it): CodeMirror's background parser works in
// slices of up to 100 ms when the browser offers `navigator.scheduling.isInputPending`, ending a
// slice early only for input, and asks it at every step of the parse (a quarter of the parse's
// time in a 2 MB document). A frame waits for such a slice all the same: a 2 MB paste made
// thirteen tasks of 100 ms. Without it, CodeMirror sizes each slice by the idle callback's
// time left (25 to 45 ms), so the page keeps drawing frames while a big document is parsed.
try {
  const s = typeof navigator !== 'undefined' ? navigator.scheduling : undefined;
  if (s && s.isInputPending) Object.defineProperty(s, 'isInputPending', { value: undefined, configurable: true });
} catch (_) { /* a browser that refuses: CodeMirror's own pacing */ }
