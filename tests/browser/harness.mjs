// Shared set-up for the browser tests: serve dist/, launch Debian's Chromium through playwright-core,
// fail on any page error or console error, and save a screenshot of every test.
import { chromium } from 'playwright-core';
import path from 'node:path';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startServer } from './server.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
// DIST overrides the built app's folder (helpers and benchmarks build into their own).
export const DIST = process.env.DIST ? path.resolve(process.env.DIST) : path.resolve(here, '../../dist');
export const SHOTS = process.env.SHOTS ? path.resolve(process.env.SHOTS) : path.join(here, 'screenshots');

const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** A machine of `n` Pass states in a row (a big machine for the worker's check and the graph's
 * culling: worker-jobs.test.mjs, graph-big.test.mjs, longtasks.mjs). */
export const chainMachine = (n) => JSON.stringify({
  StartAt: 'S0',
  States: Object.fromEntries(Array.from({ length: n }, (_, i) => [`S${i}`,
    i < n - 1 ? { Type: 'Pass', Parameters: { 'i.$': '$.i', step: i }, Next: `S${i + 1}` } : { Type: 'Succeed' }])),
}, null, 2);

/** A JSONata Map of 2,000 items whose every item sums a range of 200,000 numbers: long enough
 * (tens of seconds) that Stop always comes before its end (worker and System-run tests). */
export const LONG_JSONATA_MAP = JSON.stringify({
  QueryLanguage: 'JSONata',
  StartAt: 'Items',
  States: {
    Items: {
      Type: 'Map', Items: '{% [1..2000] %}', End: true,
      ItemProcessor: {
        ProcessorConfig: { Mode: 'INLINE' }, StartAt: 'Work',
        States: { Work: { Type: 'Pass', Output: '{% $sum([1..200000]) + $states.input %}', End: true } },
      },
    },
  },
}, null, 2);

/** The benchmarks' JSONata Map of 2,000 items (perf.mjs, longtasks.mjs). */
export const JSONATA_MAP_2000 = {
  QueryLanguage: 'JSONata', StartAt: 'Items',
  States: {
    Items: { Type: 'Map', Items: '{% [1..2000] %}', End: true,
      ItemSelector: { n: '{% $states.context.Map.Item.Value %}', square: '{% $states.context.Map.Item.Value * $states.context.Map.Item.Value %}' },
      ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: 'Price',
        States: { Price: { Type: 'Pass', Output: '{% $merge([$states.input, {"total": $states.input.square + 1}]) %}', End: true } } } },
  },
};

/** Debian's Chromium, headless, with the flags every test and report uses. */
export function launch() {
  return chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ARGS });
}

/** Replaces the text of the editor at SELECTOR as a Ctrl+V paste delivers it: the code editor
 * reads the paste event's clipboard data; a textarea gets its new value and one input event.
 * (Playwright's `fill` goes through Chromium's insertText, which takes tens of seconds for a
 * text of thousands of lines, even on an empty page: not what a paste costs.) */
export async function paste(page, selector, text) {
  await page.locator(selector).evaluate((el, t) => {
    if (el.tagName === 'TEXTAREA') {
      el.value = t;
      el.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertFromPaste' }));
      return;
    }
    const data = new DataTransfer();
    data.setData('text/plain', t);
    el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, text);
}

/** Runs `body(page, url)` against the built app, with errors collected and a screenshot saved as NAME.png.
 * The editors are plain textareas (Playwright's `fill` drives them) unless `editor: 'code'` asks
 * for the code editor (CodeMirror, driven by keyboard typing). */
export async function withPage(name, body, { viewport = { width: 1440, height: 900 }, colorScheme = 'light', editor = 'plain' } = {}) {
  const server = await startServer(DIST);
  let browser;
  const errors = [];
  try {
    browser = await launch();
    const page = await browser.newPage({ viewport, colorScheme });
    await page.addInitScript((mode) => { try { localStorage.setItem('statebridge.editor', mode); } catch (_) { /* opaque origin */ } }, editor);
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(`console error: ${m.text()}`); });
    try {
      await body(page, server.url);
    } finally {
      fs.mkdirSync(SHOTS, { recursive: true });
      await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true }).catch(() => {});
    }
    if (errors.length) throw new Error(`the page reported errors:\n${errors.join('\n')}`);
  } finally {
    if (browser) await browser.close();
    await server.close();
  }
}

/** Picks an example in the menu and waits until it is the workspace (all but the first are
 * fetched when picked, so the editors change a moment later). */
export async function pickExample(page, name) {
  await page.selectOption('[data-testid=examples]', name);
  await page.waitForSelector(`[data-testid=examples][data-example="${name}"]`, { timeout: 30000 });
}

/** Shows an editor (the playground's editors are tabs, folded to a rail while a run plays; an
 * embed or a workshop page without tabs shows them all). */
export async function showEditor(page, testid) {
  const tab = page.locator(`[data-testid=tab-${testid}]`);
  if ((await tab.count()) && (await tab.getAttribute('aria-selected')) !== 'true') {
    await tab.click();
    await page.waitForSelector(`[data-testid=${testid}]`, { state: 'visible' });
  }
}

/** Shows an editor, then fills it as a paste would. */
export async function fillEditor(page, testid, text) {
  await showEditor(page, testid);
  await page.fill(`[data-testid=${testid}]`, text);
}

// How much slower this machine runs the page's JavaScript now than the machine the long-task
// bounds were set on, unloaded (at least 1). A CI machine may be busy: a task that took 60 ms
// there takes 180 ms when three other builds share the cores, so a bound in milliseconds is
// multiplied by this. The workload is fixed (parse and write back a 2 MB JSON text, about as
// long as the tasks the bounds are about, so the scheduler shares the cores during it as it
// does during them); its time is the median of seven runs, compared with `CALIBRATION_MS`,
// measured the same way on the unloaded 2-core machine the bounds come from.
export const CALIBRATION_MS = 22;
export async function slowdown(page) {
  const ms = await page.evaluate(() => {
    const rows = [];
    for (let i = 0; i < 16000; i++) rows.push({ id: `item-${i}`, price: i * 1.5, tags: ['a', 'b', String(i)], ok: i % 2 === 0, note: 'x'.repeat(60) });
    const text = JSON.stringify(rows);
    const times = [];
    for (let k = 0; k < 7; k++) {
      const t0 = performance.now();
      JSON.stringify(JSON.parse(text));
      times.push(performance.now() - t0);
    }
    return times.sort((a, b) => a - b)[3];
  });
  return Math.max(1, ms / CALIBRATION_MS);
}

/** Waits until the page's main thread has had no long task for `ms` (the code editor parses a
 * big pasted text in the background: idle callbacks of its own, not the work a test measures). */
export async function quiet(page, ms = 1500) {
  await page.evaluate((ms) => new Promise((resolve) => {
    let last = performance.now();
    const o = new PerformanceObserver(() => { last = performance.now(); });
    o.observe({ type: 'longtask' });
    const check = () => { if (performance.now() - last > ms) { o.disconnect(); resolve(); } else setTimeout(check, 100); };
    setTimeout(check, 100);
  }), ms);
}
