// Imported first (before CodeMirror's modules read it): how long CodeMirror's background parser
// works in one go. It parses in idle callbacks, and ends a slice when
// `navigator.scheduling.isInputPending()` says so (then up to 100 ms a slice) or, in a browser
// without it, at the idle callback's time left (25 to 45 ms), and a slice that ends the parse
// also redraws the editor: tasks of 50–60 ms while a 2 MB paste is parsed (100 ms with the
// browser's own isInputPending, which also cost a quarter of the parse's time). We answer that
// question ourselves, cheaply: "yes" once the slice has run SLICE_MS, so every slice is that long
// in every browser and the page draws its frames in between. Only CodeMirror's parser asks it.
const SLICE_MS = 20;
// When the slice now at work began: set at its first question, and cleared by a microtask, which
// runs once the idle callback that works the slice returns (not by a pause between questions: on
// a busy machine the thread is often held up for more than a few ms inside one slice).
let sliceStart = -1;
function sliceOver() {
  const now = performance.now();
  if (sliceStart < 0) {
    sliceStart = now;
    queueMicrotask(() => { sliceStart = -1; });
  }
  return now - sliceStart > SLICE_MS;
}
try {
  if (typeof navigator !== 'undefined') {
    const s = navigator.scheduling;
    if (s) Object.defineProperty(s, 'isInputPending', { value: sliceOver, configurable: true });
    else Object.defineProperty(navigator, 'scheduling', { value: { isInputPending: sliceOver }, configurable: true });
  }
} catch (_) { /* a browser that refuses: CodeMirror's own pacing */ }
