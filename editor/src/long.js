// A very long JSON document (over LONG characters: a 2 MB event, pretty-printed or on one line)
// is coloured without a syntax tree, as other editors do past a size: CodeMirror's parser would
// read all of it in the background, build a tree of every member at its end (70 ms in one task
// for 2 MB), and parse again for up to 20 ms at each keystroke until it got there. Here only the
// text in view is read (a screenful, or a few thousand characters of a long line), from a state
// (in a string or not, and how deep in objects and arrays) known at every STEP characters and
// worked out once, from the start, as far as it is needed; an edit keeps the states before it.
// The text itself is CodeMirror's as ever: only the colours come from here. No folding, and
// brackets are not matched, in such a document.
import { StateField } from '@codemirror/state';
import { ViewPlugin, Decoration } from '@codemirror/view';

export const LONG = 1024 * 1024;
const STEP = 4096;

// `str`: 0 outside a string, 1 inside, 2 inside just after a backslash; `depth`: objects and
// arrays open (a raw line break ends a string: JSON has none inside one).
function advance(text, state) {
  let { str, depth } = state;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (str === 2) str = 1;
    else if (str === 1) {
      if (c === 92) str = 2;
      else if (c === 34 || c === 10) str = 0;
    } else if (c === 34) str = 1;
    else if (c === 123 || c === 91) depth++;
    else if (c === 125 || c === 93) depth--;
  }
  return { str, depth };
}

/** The states at every STEP characters of a document, as far as asked for. */
class Steps {
  constructor(points) { this.points = points; }
  /** The same after an edit: the states before the first change stay. */
  mapped(changes) {
    let first = Infinity;
    changes.iterChangedRanges((fromA) => { first = Math.min(first, fromA); });
    return new Steps(this.points.slice(0, Math.floor(first / STEP) + 1));
  }
  /** The state at `pos` of `doc`. */
  at(doc, pos) {
    const want = Math.floor(pos / STEP);
    while (this.points.length <= want) {
      const i = this.points.length - 1;
      this.points.push(advance(doc.sliceString(i * STEP, (i + 1) * STEP), this.points[i]));
    }
    return advance(doc.sliceString(want * STEP, pos), this.points[want]);
  }
}

export const longSteps = StateField.define({
  create: () => new Steps([{ str: 0, depth: 0 }]),
  update: (steps, tr) => (tr.docChanged ? steps.mapped(tr.changes) : steps),
});

const mark = Object.fromEntries(['t-key', 't-str', 't-num', 't-bool', 't-null', 't-punct']
  .map((c) => [c, Decoration.mark({ class: c })]));

// The colours of `text` (the document's from `base`, up to `end`; the text goes on a little past
// it, to see whether a string is a member name), starting in `state`.
function colour(text, base, end, state, marks) {
  const stop = end - base;
  const isKey = (after) => {
    let j = after;
    while (j < text.length && (text[j] === ' ' || text[j] === '\t' || text[j] === '\r' || text[j] === '\n')) j++;
    return text[j] === ':';
  };
  const stringEnd = (i) => {
    for (; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 92) i++;
      else if (c === 34) return i + 1;
      else if (c === 10) return i;
    }
    return text.length;
  };
  let i = 0;
  if (state.str) {
    const e = stringEnd(state.str === 2 ? 1 : 0);
    marks.push(mark[isKey(e) ? 't-key' : 't-str'].range(base, base + Math.min(e, stop)));
    i = e;
  }
  const word = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null/y;
  while (i < stop) {
    const c = text[i];
    if (c === '"') {
      const e = stringEnd(i + 1);
      marks.push(mark[isKey(e) ? 't-key' : 't-str'].range(base + i, base + Math.min(e, stop)));
      i = e;
    } else if (c === '{' || c === '}' || c === '[' || c === ']' || c === ',' || c === ':') {
      marks.push(mark['t-punct'].range(base + i, base + i + 1));
      i++;
    } else if (c === '-' || (c >= '0' && c <= '9') || c === 't' || c === 'f' || c === 'n') {
      word.lastIndex = i;
      const m = word.exec(text);
      if (!m) { i++; continue; }
      const kind = m[0] === 'null' ? 't-null' : m[0] === 'true' || m[0] === 'false' ? 't-bool' : 't-num';
      const e = Math.min(i + m[0].length, stop);
      marks.push(mark[kind].range(base + i, base + e));
      i += m[0].length;
    } else i++;
  }
}

function decorations(view) {
  const { doc } = view.state;
  const steps = view.state.field(longSteps);
  const marks = [];
  for (const { from, to } of view.visibleRanges) {
    const text = doc.sliceString(from, Math.min(doc.length, to + 200));
    colour(text, from, to, steps.at(doc, from), marks);
  }
  return Decoration.set(marks, true);
}

const longColours = ViewPlugin.define((view) => ({
  decorations: decorations(view),
  update(u) { if (u.docChanged || u.viewportChanged) this.decorations = decorations(u.view); },
}), { decorations: (v) => v.decorations });

/** The extension that stands in for the JSON language in a long document. */
export const longDocument = [longSteps, longColours];

/** Whether `pos` is in a string, and how deep, in a long document (null in any other). */
export function longPlace(state, pos) {
  const steps = state.field(longSteps, false);
  if (!steps) return null;
  const at = steps.at(state.doc, pos);
  return { inString: at.str !== 0, depth: at.depth };
}
