// Size and speed report of the release build (a benchmark, not a test):
// bundle sizes (wasm, JS, CSS and HTML at dist/'s top, raw and gzip; the JSONata module apart), the time from navigation to an interactive app in
// headless Chromium (median of 7), drawing a 100-state machine, playing a Map of 1,000 items, a
// history of 25,000 events, the editors with a 2 MB event (paste, keypress to frame), and the main
// thread's longest task while a JSONata Map of 2,000 items runs, while a 2 MB event is pasted, and
// while a System run starts that Map. Run `scripts/report.sh` (it builds first). `PERF_ONLY=editors`,
// `PERF_ONLY=main-thread` or `PERF_ONLY=system` runs only that part.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { startServer } from './server.mjs';
import { DIST, JSONATA_MAP_2000, fillEditor, launch, paste, showEditor } from './harness.mjs';

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const rows = [];
for (const f of fs.readdirSync(DIST)) {
  if (!/\.(wasm|js|css|html)$/.test(f)) continue;
  const body = fs.readFileSync(path.join(DIST, f));
  rows.push({ file: f, raw: body.length, gzip: zlib.gzipSync(body, { level: 9 }).length });
}
rows.sort((a, b) => b.raw - a.raw);
console.log('bundle (release):');
for (const r of rows) console.log(`  ${r.file.padEnd(48)} ${kb(r.raw).padStart(10)} raw ${kb(r.gzip).padStart(10)} gzip`);
const total = rows.reduce((s, r) => ({ raw: s.raw + r.raw, gzip: s.gzip + r.gzip }), { raw: 0, gzip: 0 });
console.log(`  ${'total'.padEnd(48)} ${kb(total.raw).padStart(10)} raw ${kb(total.gzip).padStart(10)} gzip`);
// What opening the playground downloads: index.html and what it links (wasm, JS glue and its
// snippets, CSS); docs-demo.html and embed.js are for other pages.
const indexHtml = fs.readFileSync(path.join(DIST, 'index.html'), 'utf8');
// (Quoted or not: a minified index.html drops the quotes.)
const linked = [...indexHtml.matchAll(/(?:href=|module_or_path: |from )["']?\/?([^"'\s>]+\.(?:wasm|js|css))/g)].map((m) => m[1]);
let page = { raw: 0, gzip: 0 };
for (const f of new Set(['index.html', ...linked])) {
  const file = path.join(DIST, f);
  if (!fs.existsSync(file)) continue;
  const body = fs.readFileSync(file);
  page = { raw: page.raw + body.length, gzip: page.gzip + zlib.gzipSync(body, { level: 9 }).length };
}
console.log(`  ${'opening the playground (index.html + what it links)'.padEnd(48)} ${kb(page.raw).padStart(10)} raw ${kb(page.gzip).padStart(10)} gzip`);
// The JSONata engine is a second module, fetched only when a machine first uses JSONata.
const lazyDir = path.join(DIST, 'jsonata');
if (fs.existsSync(lazyDir)) {
  console.log('loaded on demand (the first JSONata machine):');
  for (const f of fs.readdirSync(lazyDir).filter((f) => /\.(wasm|js)$/.test(f))) {
    const body = fs.readFileSync(path.join(lazyDir, f));
    console.log(`  ${('jsonata/' + f).padEnd(48)} ${kb(body.length).padStart(10)} raw ${kb(zlib.gzipSync(body, { level: 9 }).length).padStart(10)} gzip`);
  }
}

// Graph figures: the time to lay out and draw a 100-state machine (from the end of the typing pause
// to its nodes in the page), and frames per second while playing a Map of 1,000 items.
async function graphFigures(browser, url) {
  const here = path.dirname(new URL(import.meta.url).pathname);
  const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
  await page.addInitScript(() => localStorage.setItem('statebridge.editor', 'plain'));
  await page.goto(url);
  await page.waitForSelector('[data-testid="run"]:not([disabled])');
  const big = fs.readFileSync(path.join(here, 'fixtures/machine-100.json'), 'utf8');
  const draws = [];
  for (let i = 0; i < 3; i++) {
    // Alternate a trailing space so that every round is a new text to lay out.
    await fillEditor(page, 'editor-machine', big + ' '.repeat(i));
    // Measured in the page: from the moment the machine is re-inspected (a MutationObserver sees the
    // graph change) is not observable directly, so time fill → nodes present, minus the debounce.
    const t0 = await page.evaluate(() => performance.now());
    // Laid out (all its states) and drawn (those in view: it opens readable on its Start).
    await page.waitForFunction(() => {
      const svg = document.querySelector('[data-testid="graph"] svg[data-states]');
      return svg && Number(svg.dataset.states) > 100 && Number(svg.dataset.drawn) > 0
        && document.querySelector('[data-testid="graph"] [data-state]');
    });
    const t1 = await page.evaluate(() => performance.now());
    draws.push(t1 - t0);
    await fillEditor(page, 'editor-machine', '{}');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="graph"] [data-state]').length === 0);
  }
  draws.sort((a, b) => a - b);
  console.log(`100-state machine, typing pause (${DEBOUNCE_MS} ms) included → drawn, ms: median ${draws[1].toFixed(0)} (runs: ${draws.map((d) => d.toFixed(0)).join(', ')})`);

  const map = {
    StartAt: 'Items', States: {
      Items: { Type: 'Pass', Parameters: { 'items.$': 'States.ArrayRange(1, 1000, 1)' }, Next: 'EachItem' },
      EachItem: { Type: 'Map', ItemsPath: '$.items', MaxConcurrency: 10,
        ItemProcessor: { StartAt: 'Work', States: { Work: { Type: 'Pass', Next: 'Check' },
          Check: { Type: 'Choice', Choices: [{ Variable: '$', NumericGreaterThan: 500, Next: 'Big' }], Default: 'Small' },
          Big: { Type: 'Pass', End: true }, Small: { Type: 'Pass', End: true } } },
        End: true },
    },
  };
  await fillEditor(page, 'editor-machine', JSON.stringify(map, null, 2));
  await page.waitForSelector('[data-testid="graph"] [data-state="Work"]');
  await page.click('[data-testid="run"]');
  await page.waitForSelector('[data-testid="scrubber"]:not([disabled])', { timeout: 60000 });
  const events = Number(await page.getAttribute('[data-testid="scrubber"]', 'max'));
  if ((await page.getAttribute('[data-testid="play"]', 'aria-label')) === 'Play') await page.click('[data-testid="play"]');
  // Fastest speed, then count animation frames and history events shown over 3 s.
  await page.selectOption('[aria-label="Playback speed"]', '10');
  const r = await page.evaluate(() => new Promise((done) => {
    const scrub = document.querySelector('[data-testid="scrubber"]');
    const from = Number(scrub.value);
    let frames = 0; const start = performance.now(); let worst = 0; let last = start;
    const tick = (now) => {
      frames++; worst = Math.max(worst, now - last); last = now;
      if (now - start < 3000) requestAnimationFrame(tick);
      else done({ frames, ms: now - start, worst, events: Number(scrub.value) - from });
    };
    requestAnimationFrame(tick);
  }));
  console.log(`Map of 1,000 items (${events} events) playing at 10×: ${(r.frames * 1000 / r.ms).toFixed(1)} fps, worst frame ${r.worst.toFixed(0)} ms, ${r.events} events shown in ${(r.ms / 1000).toFixed(1)} s`);
}

// The editors with a 2 MB event, on one line and pretty-printed, in both modes (the code editor,
// and the plain textarea): the time a paste takes to show (insertText of the whole document,
// as Ctrl+V delivers it, to the next frame), and keypress to frame while typing at its end (in
// the page: from the keydown's timestamp to a task queued from the next animation frame, i.e.
// after that frame's style, layout and paint). Keys are sent back to back, as fast typing does.
async function editorFigures(browser, url) {
  const items = [];
  for (let i = 0, size = 0; size < 2 * 1024 * 1024; i++) {
    const item = { id: `item-${i}`, sku: `SKU-${(i * 7919) % 100000}`, qty: i % 9, price: (i % 1000) / 10, note: 'lorem ipsum' };
    items.push(item);
    size += JSON.stringify(item).length + 1;
  }
  const event = { version: '0', id: 'big', 'detail-type': 'OrderCreated', source: 'shop', account: '123456789012',
    time: '2026-03-01T00:00:00Z', region: 'us-east-1', resources: [], detail: { items } };
  // Pretty-printed from half as many items, so that both texts are about 2 MB.
  const half = { ...event, detail: { items: items.slice(0, items.length >> 1) } };
  const layouts = { 'one line': JSON.stringify(event), 'pretty-printed': JSON.stringify(half, null, 2) };
  const modes = (process.env.EDITOR_MODES || 'code,plain').split(',');
  for (const mode of modes) {
    for (const [layout, text] of Object.entries(layouts)) {
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
      const page = await context.newPage();
      await page.addInitScript((m) => {
        localStorage.setItem('statebridge.editor', m);
        window.__keys = [];
        window.__long = [];
        try {
          new PerformanceObserver((list) => { for (const e of list.getEntries()) { window.__long.push(e.duration); window.__lastLong = e.startTime + e.duration; } })
            .observe({ type: 'longtask' });
        } catch (_) { /* no long-task timing */ }
        addEventListener('keydown', (e) => {
          const t0 = e.timeStamp;
          requestAnimationFrame(() => {
            const ch = new MessageChannel();
            ch.port1.onmessage = () => window.__keys.push(performance.now() - t0);
            ch.port2.postMessage(0);
          });
        }, true);
      }, mode);
      await page.goto(url);
      await page.waitForSelector('[data-testid=run]:not([disabled])');
      const target = mode === 'code' ? '.cm-content[data-testid=editor-event]' : 'textarea[data-testid=editor-event]';
      await page.click('[data-testid=tab-editor-event]').catch(() => {});
      await page.waitForSelector(target, { timeout: 30000 });
      await page.click(target);
      await page.keyboard.press('Control+a');
      // A paste as Ctrl+V delivers it: the code editor reads the paste event's clipboard data; a
      // textarea's own paste inserts the text as insertText does.
      const t0 = await page.evaluate(() => performance.now());
      await page.locator(target).evaluate((el, t) => {
        if (el.tagName === 'TEXTAREA') { document.execCommand('insertText', false, t); return; }
        const data = new DataTransfer();
        data.setData('text/plain', t);
        el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
      }, text);
      const pasted = (await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => setTimeout(() => done(performance.now()), 0))))) - t0;
      // Let the checks the paste started finish, then type.
      // (Until the main thread has been quiet for a second: no task over 50 ms.)
      await page.waitForFunction((since) => performance.now() - Math.max(since + 1500, window.__lastLong || 0) > 1000, t0, { timeout: 600000, polling: 200 });
      await page.keyboard.press('Control+End');
      await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => setTimeout(done, 50))));
      // Typed twice: keys back to back (as fast as the driver sends them), then at a brisk
      // typist's pace (a key every 150 ms, so the pauses between keys are real).
      const typed = [];
      for (const [how, delay] of [['back to back', 0], ['150 ms apart', 150]]) {
        await page.evaluate(() => { window.__keys = []; window.__long = []; });
        const keys = 'abcdefghijklmnopqrst';
        for (const k of keys) await page.keyboard.press(k, { delay: 0 }).then(() => delay && page.waitForTimeout(delay));
        await page.waitForFunction((n) => window.__keys.length >= n, keys.length, { timeout: 600000 });
        const lat = (await page.evaluate(() => window.__keys)).sort((a, b) => a - b);
        const long = await page.evaluate(() => window.__long);
        typed.push(`${how}: median ${lat[lat.length >> 1].toFixed(1)} ms, worst ${lat[lat.length - 1].toFixed(1)} ms (${lat.length} keys; ${long.length} tasks over 50 ms${long.length ? `, longest ${Math.max(...long).toFixed(0)} ms` : ''})`);
      }
      console.log(`editor (${mode}), 2 MB event ${layout}: paste → frame ${pasted.toFixed(0)} ms; keypress → frame ${typed.join('; ')}`);
      await context.close();
    }
  }
}

// The history with 25,000 events (a Map of 1,000 items through 12 Pass states): the time from Run
// to the scrubber being ready, then frames per second while its table scrolls from end to start.
async function historyFigures(browser, url) {
  const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
  await page.addInitScript(() => localStorage.setItem('statebridge.editor', 'plain'));
  await page.goto(url);
  await page.waitForSelector('[data-testid="run"]:not([disabled])');
  const steps = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [i ? `Step${i}` : 'Work',
    i < 11 ? { Type: 'Pass', Next: `Step${i + 1}` } : { Type: 'Pass', End: true }]));
  const machine = { StartAt: 'Items', States: {
    Items: { Type: 'Pass', Parameters: { 'items.$': 'States.ArrayRange(1, 1000, 1)' }, Next: 'EachItem' },
    EachItem: { Type: 'Map', ItemsPath: '$.items', End: true, ItemProcessor: { StartAt: 'Work', States: steps } } } };
  await fillEditor(page, 'editor-machine', JSON.stringify(machine, null, 2));
  await page.waitForSelector('[data-testid="graph"] [data-state="Step11"]');
  const t0 = await page.evaluate(() => performance.now());
  await page.click('[data-testid=run]');
  await page.waitForSelector('[data-testid=scrubber]:not([disabled])', { timeout: 120000 });
  const ran = (await page.evaluate(() => performance.now())) - t0;
  if ((await page.getAttribute('[data-testid=play]', 'aria-label')) === 'Pause') await page.click('[data-testid=play]');
  await page.click('[aria-label="To the end"]');
  const events = await page.getAttribute('[data-testid=scrubber]', 'max');
  const r = await page.evaluate(() => new Promise((done) => {
    const table = document.querySelector('[data-testid=history]');
    const scroller = table.closest('.history-body') || table;
    let frames = 0, worst = 0, rows = 0; const start = performance.now(); let last = start;
    const tick = (now) => {
      frames++; worst = Math.max(worst, now - last); last = now;
      rows = Math.max(rows, document.querySelectorAll('[data-testid=history] .row').length);
      scroller.scrollTop = (scroller.scrollHeight - scroller.clientHeight) * Math.max(0, 1 - (now - start) / 3000);
      if (now - start < 3000) requestAnimationFrame(tick); else done({ frames, ms: now - start, worst, rows });
    };
    requestAnimationFrame(tick);
  }));
  console.log(`history of ${events} events: Run → ready ${ran.toFixed(0)} ms; scrolling end to start in 3 s: ${(r.frames * 1000 / r.ms).toFixed(1)} fps, worst frame ${r.worst.toFixed(0)} ms, at most ${r.rows} rows in the page`);
}

// The main thread while the engine works: the longest task (PerformanceObserver 'longtask', which
// lists every task over 50 ms) and the longest gap between animation frames, from a start to a
// condition, for a JSONata Map of 2,000 items run and for a 2 MB event pasted into its editor.
// Goal: no task over 50 ms (the engine works in a Web Worker: src/worker.rs).
// Measured twice in the same session: first without Web Workers (the engine on the main thread,
// as before src/worker.rs: the anchor), then with them; the ratios compare the two.
async function mainThreadFigures(browser, url) {
  // WORKER_ONLY=1 skips the anchor (its 2 MB paste freezes the page for tens of seconds).
  const anchor = process.env.WORKER_ONLY ? {} : await mainThreadRun(browser, url, false);
  const worker = await mainThreadRun(browser, url, true);
  const ratio = (a, b) => (b ? (a / b).toFixed(2) : 'n/a');
  console.log(`worker against the main thread: Map Run → SUCCEEDED ${ratio(worker.ran, anchor.ran)}×, its longest task ${ratio(worker.mapLongest, anchor.mapLongest)}×; 2 MB paste → rules answered ${ratio(worker.checked, anchor.checked)}×, its longest task ${ratio(worker.pasteLongest, anchor.pasteLongest)}×`);
}

async function mainThreadRun(browser, url, workers) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  const mode = workers ? 'with the worker' : 'engine on the main thread (no Worker)';
  if (!workers) await page.addInitScript(() => { delete window.Worker; });
  await page.addInitScript(() => {
    window.__probe = { tasks: [], gap: 0, on: false };
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (window.__probe.on) window.__probe.tasks.push(e.duration);
    }).observe({ type: 'longtask' });
    let last = 0;
    const frame = (now) => {
      if (window.__probe.on && last) window.__probe.gap = Math.max(window.__probe.gap, now - last);
      last = now;
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  });
  const start = () => page.evaluate(() => Object.assign(window.__probe, { tasks: [], gap: 0, on: true }));
  let longest = 0;
  const stop = async () => {
    const p = await page.evaluate(() => { window.__probe.on = false; return window.__probe; });
    longest = p.tasks.length ? Math.max(...p.tasks) : 0;
    return `longest task ${longest.toFixed(0)} ms (${p.tasks.length} tasks over 50 ms), longest gap between frames ${p.gap.toFixed(0)} ms`;
  };
  await page.goto(url);
  await page.waitForSelector('[data-testid="run"]:not([disabled])');


  await fillEditor(page, 'editor-machine', JSON.stringify(JSONATA_MAP_2000, null, 2));
  await page.waitForSelector('[data-testid="graph"] [data-state="Price"]', { timeout: 60000 });
  // The JSONata module may still be on its way (a Run waits for it): let it arrive first.
  await page.waitForFunction(() => !document.querySelector('[data-testid=notice]')?.textContent.includes('JSONata'), null, { timeout: 60000 });
  await start();
  const t0 = Date.now();
  await page.click('[data-testid=run]');
  await page.keyboard.press('End');
  await page.waitForSelector('[data-testid=result][data-outcome=SUCCEEDED]', { timeout: 300000 });
  const ran = Date.now() - t0;
  const events = await page.getAttribute('[data-testid=scrubber]', 'max');
  console.log(`${mode}: main thread while a JSONata Map of 2,000 items runs (${events} events, Run → SUCCEEDED ${ran} ms): ${await stop()}`);
  const mapLongest = longest;

  // A 2 MB event, pasted: the rules see it (its detail-type no longer matches the example's rule).
  await page.click('[data-testid=reset]');
  const items = Array.from({ length: 15000 }, (_, i) => ({ sku: `SKU-${i}`, name: `Item number ${i}`, qty: i % 7, price: (i % 100) + 0.99 }));
  const big = JSON.stringify({ version: '0', id: 'big', 'detail-type': 'BigPaste', source: 'shop', account: '123456789012',
    time: '2026-01-01T00:00:00Z', region: 'us-east-1', resources: [], detail: { items } }, null, 2);
  await showEditor(page, 'editor-event');
  // The anchor for this machine's speed, in the same page: the main thread's longest task over a
  // second of nothing, and one JSON.parse of the same 2 MB text (median of 5).
  await start();
  await page.evaluate(() => new Promise((done) => setTimeout(done, 1000)));
  const idle = await page.evaluate(() => window.__probe.tasks.length ? Math.max(...window.__probe.tasks) : 0);
  await page.evaluate(() => { window.__probe.on = false; });
  const parseMs = await page.evaluate((t) => {
    const times = [];
    for (let i = 0; i < 5; i++) { const a = performance.now(); JSON.parse(t); times.push(performance.now() - a); }
    return times.sort((x, y) => x - y)[2];
  }, big);
  console.log(`${mode}: anchor: longest task on the idle page ${idle.toFixed(0)} ms; JSON.parse of the ${(big.length / 1e6).toFixed(1)} MB event ${parseMs.toFixed(0)} ms`);
  const rulesBefore = await page.textContent('.rules-pane');
  await start();
  const t1 = Date.now();
  // Pasted as Ctrl+V delivers it (as editorFigures does): the code editor reads the paste event's
  // clipboard data; a textarea's value is replaced at once. (Playwright's fill types the text
  // into the code editor's contenteditable line by line, which Chromium's editing makes take
  // minutes: that is not what a paste costs.)
  await page.click('[data-testid=editor-event]');
  await page.keyboard.press('Control+a');
  await paste(page, '[data-testid=editor-event]', big);
  // Routed: the Rules pane is not being checked and says something else than before (the event
  // is over EventBridge's 256 KB, so it asks for the problem to be fixed). With the engine on
  // the main thread, the check may end before a frame shows the pane pending.
  await page.waitForFunction((before) => {
    const pane = document.querySelector('.rules-pane');
    return pane?.dataset.pending === 'false' && pane.textContent !== before;
  }, rulesBefore, { timeout: 300000, polling: 'raf' });
  const checked = Date.now() - t1;
  console.log(`${mode}: main thread while a ${(big.length / 1e6).toFixed(1)} MB event is pasted and checked (paste → rules answered ${checked} ms): ${await stop()}`);
  console.log(`${mode}: longest tasks against one JSON.parse of the event: Map run ${(mapLongest / parseMs).toFixed(2)}×, 2 MB paste ${(longest / parseMs).toFixed(2)}×`);
  await context.close();
  return { ran, mapLongest, checked, pasteLongest: longest };
}

// The main thread during a System run whose rule starts the JSONata Map of 2,000 items (the first
// example's rule, the machine in the editor replaced): the longest task from Run system to its
// first execution open in the graph. Goal: no task over 50 ms while the runs' worker makes it.
// `PERF_ONLY=system` runs only this part (run it against another build with DIST).
async function systemFigures(browser, url) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await page.addInitScript(() => {
    localStorage.setItem('statebridge.editor', 'plain');
    window.__probe = { tasks: [], on: false };
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (window.__probe.on) window.__probe.tasks.push(e.duration);
    }).observe({ type: 'longtask' });
  });
  await page.goto(url);
  await page.waitForSelector('[data-testid="run"]:not([disabled])');
  await fillEditor(page, 'editor-machine', JSON.stringify(JSONATA_MAP_2000, null, 2));
  await page.waitForSelector('[data-testid="graph"] [data-state="Price"]', { timeout: 60000 });
  await page.waitForFunction(() => !document.querySelector('[data-testid=notice]')?.textContent.includes('JSONata'), null, { timeout: 60000 });
  await page.evaluate(() => Object.assign(window.__probe, { tasks: [], on: true }));
  const t0 = Date.now();
  await page.click('[data-testid=run-system]');
  // Until the report is shown and its execution open (not its playback, which plays on).
  await page.waitForSelector('[data-testid=sys-execution][data-status=SUCCEEDED]', { timeout: 300000 });
  await page.waitForSelector('[data-testid=scrubber]:not([disabled])', { timeout: 300000 });
  const ran = Date.now() - t0;
  const p = await page.evaluate(() => { window.__probe.on = false; return window.__probe; });
  const longest = p.tasks.length ? Math.max(...p.tasks) : 0;
  const events = await page.getAttribute('[data-testid=scrubber]', 'max');
  console.log(`System run starting a JSONata Map of 2,000 items (${events} events; Run system → its report shown and execution open ${ran} ms): longest main-thread task ${longest.toFixed(0)} ms (${p.tasks.length} tasks over 50 ms)`);
  await context.close();
}

const DEBOUNCE_MS = Number(process.env.DEBOUNCE_MS || 200);
const server = await startServer(DIST);
let browser;
try {
  browser = await launch();
  if (process.env.PERF_ONLY === 'editors') {
    await editorFigures(browser, server.url);
    process.exit(0);
  }
  if (process.env.PERF_ONLY === 'system') {
    await systemFigures(browser, server.url);
    process.exit(0);
  }
  // Measured in the page, on its own clock (0 = navigation start), so neither Playwright's polling
  // nor the round trip to Node counts: when the Run button is first in the document, and when the
  // first frame with content is painted (the page is empty before the app renders, so that frame
  // holds the app). Interactive = both. The time seen from Node is printed beside it.
  const times = [], outside = [], inserted = [], painted = [];
  for (let i = 0; i < (process.env.PERF_ONLY === 'main-thread' ? 0 : 7); i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.addInitScript(() => {
      window.__sb = {};
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) if (e.name === 'first-contentful-paint') window.__sb.fcp = e.startTime;
      }).observe({ type: 'paint', buffered: true });
      const seen = () => {
        if (!window.__sb.run && document.querySelector('[data-testid="run"]:not([disabled])')) window.__sb.run = performance.now();
      };
      new MutationObserver(seen).observe(document, { childList: true, subtree: true });
    });
    const t0 = Date.now();
    await page.goto(server.url);
    // Interactive: the Run button is rendered and enabled, and the first example is in the editors.
    await page.waitForSelector('[data-testid="run"]:not([disabled])', { timeout: 30000 });
    outside.push(Date.now() - t0);
    await page.waitForFunction(() => window.__sb.fcp !== undefined, null, { timeout: 30000 });
    const { run, fcp } = await page.evaluate(() => window.__sb);
    inserted.push(Math.round(run));
    painted.push(Math.round(fcp));
    times.push(Math.round(Math.max(run, fcp)));
    await context.close();
  }
  const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
  if (times.length) console.log(`time to interactive (navigation → Run in the page and painted), ms: median ${median(times)} (runs: ${times.join(', ')})`);
  if (times.length) console.log(`  Run in the document: median ${median(inserted)}; first paint with content: median ${median(painted)}; seen from Node through Playwright: median ${median(outside)}`);
  if (process.env.PERF_ONLY !== 'main-thread') {
    await graphFigures(browser, server.url);
    await historyFigures(browser, server.url);
    await editorFigures(browser, server.url);
  }
  await mainThreadFigures(browser, server.url);
  await systemFigures(browser, server.url);
} finally {
  if (browser) await browser.close();
  await server.close();
}
