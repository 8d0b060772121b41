// The app's few JavaScript helpers, in one module (one request instead of one per Rust file).

// src/embed.rs
const TYPE_RESIZE = 'statebridge:resize';
const TYPE_MEASURE = 'statebridge:measure';
export function report_height(id, origin, root) {
  if (!origin || window.parent === window) return;
  const post = () => {
    const height = Math.ceil(root.getBoundingClientRect().height);
    window.parent.postMessage({ type: TYPE_RESIZE, version: 1, id, height }, origin);
  };
  new ResizeObserver(post).observe(root);
  window.addEventListener('message', (e) => {
    // Only the embedding page, from its own origin, with the one message shape it may send.
    if (e.source !== window.parent || e.origin !== origin) return;
    const d = e.data;
    if (!d || typeof d !== 'object' || d.type !== TYPE_MEASURE || d.version !== 1 || d.id !== id) return;
    post();
  });
  post();
}
export function referrer_origin() {
  try { return document.referrer ? new URL(document.referrer).origin : ''; } catch (_) { return ''; }
}

// src/dom.rs
export function after_paint(f) {
  requestAnimationFrame(() => setTimeout(f, 0));
}

// src/dom.rs watch_size (the graph re-fits when its box changes size): f(width, height) now
// and on every change of the rounded size.
export function observe_size(el, f) {
  let last = '';
  const o = new ResizeObserver((entries) => {
    const r = entries[entries.length - 1].contentRect;
    const w = Math.round(r.width), h = Math.round(r.height);
    if (`${w}x${h}` !== last) { last = `${w}x${h}`; f(w, h); }
  });
  o.observe(el);
  return o;
}
export function unobserve(o) {
  if (o) o.disconnect();
}

// src/fetch.rs
export function fetch_texts(urls, done) {
  // (In the engine's worker there is no document: the worker's script is beside the page.)
  const base = globalThis.document ? document.baseURI : self.location.href;
  Promise.all(urls.map((u) => fetch(new URL(u, base)).then((r) => {
    if (!r.ok) throw new Error(`${u}: ${r.status} ${r.statusText}`);
    return r.text();
  }))).then((texts) => done(texts, null), (e) => done(null, String((e && e.message) || e)));
}

// src/jsonata.rs
export function load_jsonata(url, done) {
  // (In the engine's worker there is no document: the worker's script is beside the page.)
  import(new URL(url, globalThis.document ? document.baseURI : self.location.href).href)
    .then(async (m) => { await m.default(); done(m.serve); })
    .catch((e) => { console.warn('statebridge: the JSONata engine did not load', e); done(null); });
}

// src/link.rs: a share link's deflate-raw, by the browser's own compressor (the wasm keeps
// only the inflate that opens links, synchronously, in the first frame).
export function deflate_raw(text, done) {
  const packed = new Blob([text]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  new Response(packed).arrayBuffer().then((b) => done(new Uint8Array(b), null), (e) => done(null, String((e && e.message) || e)));
}

// src/components/editor.rs: the code editor (CodeMirror 6, dist/editor/codemirror.js), imported
// once, after the first paint; the editors are textareas until it arrives (or if it never does).
let codeEditor = null;
let codeEditorLoad = null;
const codeEditors = new Map();
export function load_editor(url, done) {
  if (!codeEditorLoad) {
    codeEditorLoad = import(new URL(url, document.baseURI).href).then((m) => { codeEditor = m; }, (e) => {
      console.warn('statebridge: the code editor did not load; the editors stay plain text', e);
    });
  }
  codeEditorLoad.then(() => done(!!codeEditor));
}
export function editor_loaded() { return !!codeEditor; }
export function mount_editor(id, host, text, testid, label, lang, on_change, complete, hover) {
  if (!codeEditor || !host) return false;
  const old = codeEditors.get(id);
  if (old) old.destroy();
  codeEditors.set(id, codeEditor.mount(host, { text, testid, label, lang, onChange: on_change, services: { complete, hover } }));
  return true;
}
export function unmount_editor(id, host) {
  const h = codeEditors.get(id);
  // Only the editor still mounted in this host (a remount may have replaced it).
  if (h && (!host || h.view.dom.parentNode === host)) { h.destroy(); codeEditors.delete(id); }
}
export function editor_set(id, text) { const h = codeEditors.get(id); if (h) h.set(text); }
export function editor_marks(id, marks) { const h = codeEditors.get(id); if (h) h.marks(JSON.parse(marks)); }
export function editor_goto(id, line, column) {
  const h = codeEditors.get(id);
  if (!h) return false;
  h.goto(line, column);
  return true;
}
// Offers `text` as a file download named `name`: a Blob URL on a link made for the click (a data
// URL of a long history is megabytes in the page's DOM), revoked once the browser has it.
export function save_text(name, mime, text) {
  const url = URL.createObjectURL(new Blob([text], { type: mime }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}
