// The playground's code editor: CodeMirror 6 set up for JSON documents, with the app's
// diagnostics (squiggles, gutter marks, quick fixes), completion and hover documentation.
// The app (src/components/editor.rs, through src/glue.js) mounts one per pane after its first
// paint; until then, and in plain-text mode, the pane is a textarea.
//
// What to offer and what a word means is decided in Rust (the engine's `assist` module, reached
// through the `services` the app hands over): this file only finds where the cursor is in the
// JSON (which member names lead to it, whether it is in a member name or a value) and shows the
// answers. It renders only the lines in view, so a 2 MB document types as fast as a short one.

// First: how CodeMirror paces its background parse (see pace.js).
import './pace.js';
import { EditorView, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter, drawSelection,
  hoverTooltip, ViewPlugin, Decoration } from '@codemirror/view';
import { EditorState, EditorSelection, Compartment } from '@codemirror/state';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { syntaxHighlighting, HighlightStyle, matchBrackets, foldGutter, foldKeymap, syntaxTree, forceParsing } from '@codemirror/language';
import { autocompletion, completionKeymap, closeBrackets, closeBracketsKeymap } from '@codemirror/autocomplete';
import { lintGutter, setDiagnostics, lintKeymap } from '@codemirror/lint';
import { searchKeymap, highlightSelectionMatches } from '@codemirror/search';
import { json } from '@codemirror/lang-json';
import { tags as t } from '@lezer/highlight';
import { locate, stringAt, memberKeys } from './locate.js';
import { yaml, looksLikeYaml } from './yaml.js';
import { LONG, longDocument, longPlace } from './long.js';

// The app's own colours (style.css's custom properties), so light and dark follow the page.
const colours = HighlightStyle.define([
  { tag: t.propertyName, class: 't-key' },
  { tag: t.string, class: 't-str' },
  { tag: t.number, class: 't-num' },
  { tag: t.bool, class: 't-bool' },
  { tag: t.null, class: 't-null' },
  { tag: [t.brace, t.squareBracket, t.separator, t.punctuation], class: 't-punct' },
  { tag: t.comment, class: 't-comment' },
  { tag: t.meta, class: 't-tag' },
]);

// JSONata strings ("{% … %}") set apart, as the plain editor does. Only the text in view is
// scanned (not whole changed lines: a one-line document is one 2 MB line).
const ataMark = Decoration.mark({ class: 't-ata' });
function ataDecorations(view) {
  const marks = [];
  for (const { from, to } of view.visibleRanges) {
    const text = view.state.doc.sliceString(from, to);
    const re = /"\{%(?:[^"\\\n]|\\.)*%\}"/g;
    let m;
    while ((m = re.exec(text))) marks.push(ataMark.range(from + m.index, from + m.index + m[0].length));
  }
  return Decoration.set(marks, true);
}
const jsonataStrings = ViewPlugin.define((view) => ({
  decorations: ataDecorations(view),
  update(u) { if (u.docChanged || u.viewportChanged) this.decorations = ataDecorations(u.view); },
}), { decorations: (v) => v.decorations });

// The brackets at the cursor and their partners. CodeMirror's own `bracketMatching` looks for a
// bracket the syntax tree does not know (not parsed yet, or half-written JSON) by reading the
// text, a line at a time up to 10,000 characters: but a one-line document is one line, so after
// a paste of 2 MB on one line it read 2 MB in the paste's task (50–100 ms). In a big document
// only the tree answers: the bracket's partner is the other end of its object or array (nothing
// is marked where the tree has not reached yet; it is marked once the parse gets there).
const matchMark = Decoration.mark({ class: 'cm-matchingBracket' });
const mismatchMark = Decoration.mark({ class: 'cm-nonmatchingBracket' });
const OPEN = { '{': '}', '[': ']' };
const CLOSE = { '}': '{', ']': '[' };
function treeMatch(state, pos, dir) {
  const tree = syntaxTree(state);
  if (pos < 0 || pos > tree.length) return null;
  const node = tree.resolveInner(pos, dir);
  const want = dir < 0 ? CLOSE[node.name] : OPEN[node.name];
  if (!want || (dir < 0 ? node.to !== pos : node.from !== pos)) return null;
  const parent = node.parent;
  const other = parent && (dir < 0 ? parent.firstChild : parent.lastChild);
  const start = { from: node.from, to: node.to };
  if (start.from === start.to) return null;
  // Where the parse has not reached the end yet (or the text is half-written), the object's
  // last child is an empty error node: no partner there.
  if (!other || other.from === node.from || other.from === other.to) return { start, matched: false };
  return { start, end: { from: other.from, to: other.to }, matched: other.name === want };
}
function bracketDecorations(state) {
  const big = state.doc.length > BIG;
  const at = (pos, dir) => (big ? treeMatch(state, pos, dir) : (pos >= 0 && matchBrackets(state, pos, dir)) || null);
  const marks = [];
  for (const r of state.selection.ranges) {
    if (!r.empty) continue;
    const m = at(r.head, -1) || at(r.head - 1, 1) || at(r.head, 1) || (r.head < state.doc.length ? at(r.head + 1, -1) : null);
    if (!m) continue;
    const mark = m.matched ? matchMark : mismatchMark;
    marks.push(mark.range(m.start.from, m.start.to));
    if (m.end) marks.push(mark.range(m.end.from, m.end.to));
  }
  return Decoration.set(marks, true);
}
const bracketsAtCursor = ViewPlugin.define((view) => ({
  decorations: bracketDecorations(view.state),
  update(u) {
    if (u.docChanged || u.selectionSet || syntaxTree(u.state) !== syntaxTree(u.startState)) this.decorations = bracketDecorations(u.state);
  },
}), { decorations: (v) => v.decorations });

const theme = EditorView.theme({
  '&': { height: '100%', fontSize: 'var(--code-size)', backgroundColor: 'var(--panel)', color: 'var(--fg)' },
  '.cm-scroller': { fontFamily: 'var(--mono)', lineHeight: 'var(--code-line)' },
  '.cm-content': { caretColor: 'var(--fg)' },
  '.cm-cursor, .cm-dropCursor': { borderLeftColor: 'var(--fg)' },
  '.cm-gutters': { backgroundColor: 'var(--panel-2)', color: 'var(--muted)', borderRight: '1px solid var(--line-2)' },
  '.cm-activeLine': { backgroundColor: 'color-mix(in srgb, var(--accent) 6%, transparent)' },
  '&.cm-focused .cm-matchingBracket': { backgroundColor: 'color-mix(in srgb, var(--accent) 30%, transparent)' },
  '&.cm-focused .cm-nonmatchingBracket': { backgroundColor: 'color-mix(in srgb, var(--bad) 30%, transparent)' },
  '.cm-activeLineGutter': { backgroundColor: 'color-mix(in srgb, var(--accent) 12%, transparent)', color: 'var(--fg)' },
  '&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection': { backgroundColor: 'color-mix(in srgb, var(--accent) 28%, transparent)' },
  '.cm-tooltip': { backgroundColor: 'var(--panel)', color: 'var(--fg)', border: '1px solid var(--line)', borderRadius: '6px',
    boxShadow: '0 4px 14px rgba(0,0,0,.18)', fontFamily: 'var(--sans)', fontSize: '13px' },
  '.cm-tooltip-autocomplete > ul': { fontFamily: 'var(--mono)', maxHeight: '16em' },
  '.cm-tooltip-autocomplete > ul > li[aria-selected]': { backgroundColor: 'var(--accent)', color: 'var(--accent-fg)' },
  '.cm-completionDetail': { fontStyle: 'normal', opacity: 0.75, marginLeft: '1em' },
  '.cm-completionInfo': { maxWidth: '26em', padding: '6px 9px', lineHeight: 1.45 },
  '.cm-tooltip-lint': { padding: 0 },
  '.cm-diagnostic-error': { borderLeftColor: 'var(--bad)' },
  '.cm-lintRange-error': { backgroundColor: 'rgba(222, 50, 47, 0.1)' },
  '.cm-diagnosticAction': { backgroundColor: 'var(--accent)', color: 'var(--accent-fg)', borderRadius: '4px' },
  '.sb-doc': { maxWidth: '28em', padding: '7px 10px', lineHeight: 1.45 },
  '.sb-doc h4': { margin: '0 0 4px', fontFamily: 'var(--mono)', fontSize: '12.5px' },
  '.sb-doc p': { margin: '4px 0 0' },
  '.sb-doc code': { fontFamily: 'var(--mono)', fontSize: '12px', backgroundColor: 'var(--panel-2)', padding: '0 3px', borderRadius: '3px' },
});

// A doc text from Rust: the first line is the title, the rest paragraphs; `code` in backquotes.
function renderDoc(text) {
  const dom = document.createElement('div');
  dom.className = 'sb-doc';
  const [title, ...rest] = text.split('\n');
  const inline = (el, s) => {
    s.split(/(`[^`]*`)/).forEach((part) => {
      if (part.startsWith('`') && part.endsWith('`') && part.length > 1) {
        const c = document.createElement('code'); c.textContent = part.slice(1, -1); el.appendChild(c);
      } else if (part) el.appendChild(document.createTextNode(part));
    });
  };
  const h = document.createElement('h4'); inline(h, title); dom.appendChild(h);
  for (const para of rest.join('\n').split(/\n+/)) {
    if (!para.trim()) continue;
    const p = document.createElement('p'); inline(p, para); dom.appendChild(p);
  }
  return dom;
}

// Above this size a document is read from the start (`locate`) only when the syntax tree says
// the cursor is in a string that may be answered: a keystroke in a 2 MB event must not cost a
// scan of 2 MB.
const BIG = 256 * 1024;
// An edit that inserts this much goes in without the language for a frame (see `mount`).
const BIG_INSERT = 64 * 1024;
// At most this many tasks of 10 ms parse up to the view after it (then CodeMirror's own pace).
const PARSE_TASKS = 90;

// Whether finding the place at `pos` is worth a scan of the document: always for a small one; in
// a big one only inside a string (the only place completion and hover answer), and for an event
// only in a member of its top object (the only place the event's language answers).
function worthLocating(state, pos, lang, explicit) {
  if (state.doc.length <= BIG) return true;
  // A long document has no syntax tree: its own reading says whether the cursor is in a string.
  const place = longPlace(state, pos);
  if (place) return (place.inString || explicit) && (lang !== 'event' || place.depth <= 1);
  const tree = syntaxTree(state);
  const isString = (n) => n.name === 'String' || n.name === 'PropertyName';
  let node = tree.resolveInner(pos, -1);
  if (!isString(node)) node = tree.resolveInner(pos, 1);
  if (!isString(node) && !explicit) return false;
  if (lang === 'event') {
    let objects = 0;
    for (let n = node; n; n = n.parent) if (n.name === 'Object' || n.name === 'Array') objects++;
    if (objects > 1) return false;
  }
  return true;
}

// The place the cursor is, as the Rust side reads it (see crates/engine/src/assist).
function contextAt(doc, pos) {
  const text = doc.toString();
  const at = locate(text, pos);
  if (!at) return null;
  const inStates = at.statesStart >= 0 ? memberKeys(text, at.statesStart) : [];
  return { at, text, request: { path: at.path, key: at.key, prefix: at.prefix, seen: at.seen, states: inStates } };
}

function completionSource(lang, services) {
  return (ctx) => {
    // A template (YAML or JSON) has no language of its own here: colouring only.
    if (lang === 'template') return null;
    // Past this, finding the place would cost more than a frame; big documents are data, not code.
    if (ctx.pos > 4_000_000 || !worthLocating(ctx.state, ctx.pos, lang, ctx.explicit)) return null;
    const found = contextAt(ctx.state.doc, ctx.pos);
    if (!found) return null;
    const { at } = found;
    // Only in a string, or on request (Ctrl+Space) where a member name may start.
    if (!at.inString && !(ctx.explicit && at.key)) return null;
    let answer;
    try { answer = JSON.parse(services.complete(lang, JSON.stringify(found.request))); } catch (_) { return null; }
    if (!answer || !answer.items || !answer.items.length) return null;
    const from = at.inString ? ctx.pos - answer.back : ctx.pos;
    const options = answer.items.map((it) => {
      const option = { label: it.label, detail: it.detail || undefined, type: it.kind || undefined,
        info: it.doc ? () => renderDoc(it.doc) : undefined };
      if (at.key) {
        // A member name: write the whole `"Name": ` (replacing the quotes typed so far; `from`
        // and `to` are the word's range now, after any typing since the list opened).
        option.apply = (view, _c, wordFrom, wordTo) => {
          const doc = view.state.doc;
          const start = at.inString ? wordFrom - 1 : wordFrom;
          const end = doc.sliceString(wordTo, wordTo + 1) === '"' ? wordTo + 1 : wordTo;
          const colon = /^\s*:/.test(doc.sliceString(end, end + 20));
          const insert = `"${it.label}"${colon ? '' : ': '}`;
          view.dispatch({ changes: { from: start, to: end, insert }, selection: { anchor: start + insert.length }, userEvent: 'input.complete' });
        };
      } else if (it.insert) {
        option.apply = it.insert;
      }
      return option;
    });
    return { from, to: ctx.pos, options, validFor: /^[\w$.\-]*$/, filter: true };
  };
}

function hoverSource(lang, services) {
  return hoverTooltip((view, pos) => {
    if (lang === 'template') return null;
    if (pos > 4_000_000 || !worthLocating(view.state, pos, lang, false)) return null;
    const found = contextAt(view.state.doc, pos);
    if (!found) return null;
    const s = stringAt(found.text, found.at, pos);
    if (!s) return null;
    let doc;
    const request = { ...found.request, prefix: s.content, offset: s.offset };
    try { doc = services.hover(lang, JSON.stringify(request)); } catch (_) { return null; }
    if (!doc) return null;
    return { pos: s.from, end: s.to, above: true, create: () => ({ dom: renderDoc(doc) }) };
  }, { hoverTime: 250 });
}

// A line and column (1-based, the column counted in characters as the engine counts them) as a
// position in the document, clamped to it. Characters past U+FFFF are two UTF-16 units: only a
// line holding such characters is walked (a mark at the end of a 2 MB line is found at once).
function position(doc, line, column) {
  const l = doc.line(Math.max(1, Math.min(line || 1, doc.lines)));
  const want = Math.max(0, (column || 1) - 1);
  const head = l.text.slice(0, Math.min(l.length, want * 2));
  if (!/[\uD800-\uDFFF]/.test(head)) return l.from + Math.min(want, l.length);
  let i = 0, chars = 0;
  while (i < head.length && chars < want) {
    i += head.codePointAt(i) > 0xffff ? 2 : 1;
    chars++;
  }
  return l.from + i;
}

// The end of the token that starts at `from` (a string with its quotes, or a bare word), so a
// mark underlines what it is about.
function tokenEnd(doc, from) {
  const ahead = doc.sliceString(from, Math.min(doc.length, from + 4000));
  if (ahead.startsWith('"')) {
    for (let i = 1; i < ahead.length; i++) {
      if (ahead[i] === '\\') { i++; continue; }
      if (ahead[i] === '"' || ahead[i] === '\n') return from + i + 1;
    }
    return from + ahead.length;
  }
  const m = /^[^\s,:\]\}\[\{"]+/.exec(ahead);
  return from + (m ? m[0].length : Math.min(1, ahead.length));
}

// Where the text a quick fix replaces (`find`) is, near a mark from..to: the mark itself, or
// the last occurrence before it on its line (the key before a value).
function fixTarget(doc, from, to, find) {
  const line = doc.lineAt(from);
  // Near the mark only: a line may be a whole 2 MB document.
  const start = Math.max(line.from, from - 4000);
  const hay = doc.sliceString(start, Math.min(Math.max(line.to, to), to + 4000));
  let at = hay.lastIndexOf(find, from - start + find.length);
  if (at < 0) at = hay.indexOf(find);
  if (at < 0) return null;
  return { from: start + at, to: start + at + find.length };
}

/** Mounts an editor in `host`; returns its handle. */
export function mount(host, opts) {
  const { text, testid, label, lang, onChange, services } = opts;
  let pending = null;
  let outside = false;
  // The text the app last heard from this editor: when it comes back as the app's value, it is
  // this editor's own edit echoed, not a change to show (the user may have typed on since).
  let lastSent = text;
  const flush = () => {
    if (pending === null) return;
    clearTimeout(pending);
    pending = null;
    lastSent = view.state.doc.toString();
    onChange(lastSent);
  };
  // A template is coloured as YAML or JSON by what it starts with, and a JSON text longer than
  // LONG without a syntax tree (long.js); looked at again when an edit changes either.
  const language = new Compartment();
  const kindOf = (doc) => (lang === 'template' && looksLikeYaml(doc.sliceString(0, 4096)) ? 'yaml'
    : doc.length > LONG ? 'long' : 'json');
  const languageOf = (k) => (k === 'yaml' ? yaml : k === 'long' ? longDocument : json());
  let kind = lang === 'template' && looksLikeYaml(text.slice(0, 4096)) ? 'yaml' : text.length > LONG ? 'long' : 'json';
  // A big insertion (a paste of hundreds of KB; an example or Format from the app) goes in
  // without the language: with it, CodeMirror parses the new text for up to 20 ms in the same
  // task and builds a tree of what it parsed (30 of a pretty-printed 2 MB paste's 65 ms). The
  // language comes back once the frame showing the text is drawn (a fresh language parses only
  // the first 3,000 characters at once; the rest in the background, in slices: pace.js). Undo is
  // unchanged: the history holds the edit, not the language.
  let languageOff = false;
  let destroyed = false;
  const inserted = (tr) => {
    let n = 0;
    tr.changes.iterChanges((_fa, _ta, _fb, _tb, ins) => { n += ins.length; });
    return n;
  };
  // `always`: also when the kind is the same (the language was taken out for a big insertion).
  const relanguage = (always) => {
    if (destroyed) return;
    const now = kindOf(view.state.doc);
    if (now === kind && !always) return;
    kind = now;
    view.dispatch({ effects: language.reconfigure(languageOf(kind)) });
    parseToView(PARSE_TASKS);
  };
  // The text in view (the end of a paste) parsed in tasks of 10 ms one after the other, each in a
  // task of its own (CodeMirror's background parse waits 100 ms between its slices): a paste of a
  // few hundred KB is coloured in about the time its parse takes.
  const parseToView = (left) => {
    if (destroyed || languageOff || kind === 'long') return;
    if (forceParsing(view, view.viewport.to, 10) || left <= 1) return;
    setTimeout(() => parseToView(left - 1), 0);
  };
  const bigInsert = EditorState.transactionExtender.of((tr) => {
    if (!tr.docChanged || languageOff || inserted(tr) < BIG_INSERT) return null;
    languageOff = true;
    requestAnimationFrame(() => setTimeout(() => { languageOff = false; relanguage(true); }, 0));
    return { effects: language.reconfigure([]) };
  });
  // The caret stays in view when the editor's box shrinks under it: the line naming the first
  // problem appears below the editor (or a pane above grows) while the user types on the last
  // lines in view, which would otherwise be hidden under it.
  let boxHeight = 0;
  const keepCaret = EditorView.updateListener.of((u) => {
    if (!u.geometryChanged) return;
    u.view.requestMeasure({
      read(v) {
        const box = v.scrollDOM.getBoundingClientRect();
        const shrunk = boxHeight - box.height;
        boxHeight = box.height;
        if (shrunk <= 0 || box.height <= 0) return null;
        const head = v.state.selection.main.head;
        const at = v.coordsAtPos(head);
        // Hidden now, and in view in the taller box.
        return at && at.bottom > box.bottom && at.top < box.bottom + shrunk ? head : null;
      },
      write(head, v) {
        if (head === null) return;
        queueMicrotask(() => {
          if (!destroyed && head <= v.state.doc.length) v.dispatch({ effects: EditorView.scrollIntoView(head, { y: 'nearest' }) });
        });
      },
    });
  });
  const extensions = [
    keepCaret,
    lineNumbers(), highlightActiveLineGutter(), foldGutter(), lintGutter(),
    history(), drawSelection(), highlightActiveLine(), highlightSelectionMatches(),
    bracketsAtCursor, closeBrackets(),
    language.of(languageOf(kind)), bigInsert, syntaxHighlighting(colours), jsonataStrings, theme,
    autocompletion({ override: [completionSource(lang, services)], icons: false, activateOnTyping: true }),
    hoverSource(lang, services),
    keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...searchKeymap, ...historyKeymap, ...foldKeymap,
      ...completionKeymap, ...lintKeymap, indentWithTab]),
    EditorState.tabSize.of(2),
    EditorView.contentAttributes.of({ 'data-testid': testid, 'aria-label': label, spellcheck: 'false', autocapitalize: 'off' }),
    // The app hears of an edit once typing pauses (or the editor loses focus): the keystroke is
    // painted first, whatever the app then does with a 2 MB text.
    EditorView.updateListener.of((u) => {
      if (u.docChanged && !languageOff && kindOf(u.state.doc) !== kind) queueMicrotask(() => relanguage(false));
      if (!u.docChanged || outside) return;
      if (pending !== null) clearTimeout(pending);
      // A big document waits for a longer pause: handing 2 MB to the app (and the checks that
      // follow) between two keystrokes would delay the second.
      pending = setTimeout(flush, u.state.doc.length > BIG ? 600 : 120);
    }),
    EditorView.domEventHandlers({ blur: () => { flush(); } }),
  ];
  const view = new EditorView({ state: EditorState.create({ doc: text, extensions }), parent: host });
  let marks = [];
  const handle = {
    view,
    flush,
    /** The app's text changed (an example, Format, another machine): show it, keeping what is the same. */
    set(next) {
      if (next === lastSent) return;
      lastSent = next;
      if (pending !== null) { clearTimeout(pending); pending = null; }
      const doc = view.state.doc;
      const old = doc.toString();
      if (old === next) return;
      let a = 0;
      const max = Math.min(old.length, next.length);
      while (a < max && old.charCodeAt(a) === next.charCodeAt(a)) a++;
      let b = 0;
      while (b < max - a && old.charCodeAt(old.length - 1 - b) === next.charCodeAt(next.length - 1 - b)) b++;
      outside = true;
      try {
        view.dispatch({ changes: { from: a, to: old.length - b, insert: next.slice(a, next.length - b) } });
      } finally { outside = false; }
    },
    /** The engine's diagnostics: [{line, column, message, fix: {title, find, replace}?}]. */
    marks(list) {
      marks = list || [];
      const doc = view.state.doc;
      const diagnostics = marks.map((m) => {
        let from = position(doc, m.line, m.column);
        let to = Math.max(tokenEnd(doc, from), Math.min(doc.length, from + 1));
        // A fix's mark lies on what the fix replaces (the member name `Input`, when the engine
        // points at its value).
        const target = m.fix && fixTarget(doc, from, to, m.fix.find);
        if (target) ({ from, to } = target);
        const d = { from, to: Math.max(from, to), severity: 'error', message: m.message };
        if (m.fix) {
          d.actions = [{ name: m.fix.title, apply(v, f, t2) {
            const at = fixTarget(v.state.doc, f, t2, m.fix.find);
            if (!at) return;
            v.dispatch({ changes: { from: at.from, to: at.to, insert: m.fix.replace }, userEvent: 'input.fix' });
            v.focus();
          } }];
        }
        return d;
      });
      view.dispatch(setDiagnostics(view.state, diagnostics));
    },
    /** Brings a line and column into view, with the caret there. */
    goto(line, column) {
      const at = position(view.state.doc, line, column);
      view.dispatch({ selection: EditorSelection.cursor(at), effects: EditorView.scrollIntoView(at, { y: 'center' }) });
      view.focus();
    },
    destroy() { destroyed = true; flush(); view.destroy(); },
  };
  return handle;
}
