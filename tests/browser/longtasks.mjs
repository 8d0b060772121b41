// Which main-thread tasks are long, and what they spend their time on (a probe, not a test):
// records a Chromium performance trace while a JSONata Map of 2,000 items runs and while a 2 MB
// event is pasted (the two cases of perf.mjs's main-thread figures), then lists every task over
// 50 ms with its time split by what ran inside it (script, style, layout, paint, GC, messages).
// `big`: a 1,500-state machine pasted (until its graph is drawn), then panned and zoomed across,
// with the elements in the graph counted and one JSON.parse of the machine's text as the anchor
// the times are divided by (so runs on machines of other speeds compare).
// `matrix`: the From AWS table of 10,000 sample events (2 MB of JSON Lines) × 10 rules: checked,
// scrolled, filtered, a cell picked, a rule edited; anchor: one JSON.parse of the events as a list.
// `save`: a 2 MB event pasted, then the autosave of an edit of the machine beside it, and of an
// edit of the event itself (every task over 5 ms listed; anchor: one JSON.parse of the event).
// `node tests/browser/longtasks.mjs [map|paste|paste1|big|matrix|save]...` against the built dist/ (DIST=…
// for another build).
import { startServer } from './server.mjs';
import { DIST, JSONATA_MAP_2000, chainMachine, fillEditor, launch, paste, quiet, showEditor } from './harness.mjs';


// Tasks longer than this are listed (OVER_MS=… for another threshold).
const OVER_MS = Number(process.env.OVER_MS || 50);

/** Long tasks of a trace, each with its time by the names of the events inside it. */
function longTasks(events, over = OVER_MS) {
  const main = new Map();
  for (const e of events) if (e.name === 'thread_name' && e.args?.name === 'CrRendererMain') main.set(`${e.pid}:${e.tid}`, true);
  const onMain = events.filter((e) => main.has(`${e.pid}:${e.tid}`) && e.ph === 'X' && e.dur);
  const tasks = onMain.filter((e) => (e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask') && e.dur > over * 1000);
  return tasks.map((t) => {
    const inside = onMain.filter((e) => e !== t && e.ts >= t.ts && e.ts + e.dur <= t.ts + t.dur);
    const by = {};
    // Only the outermost events under the task (their children are counted in them).
    const top = inside.filter((e) => !inside.some((o) => o !== e && o.ts <= e.ts && o.ts + o.dur >= e.ts + e.dur && o.dur > e.dur));
    for (const e of top) {
      const what = e.name === 'FunctionCall' || e.name === 'EventDispatch' || e.name === 'TimerFire' || e.name === 'FireAnimationFrame'
        ? `${e.name}${e.args?.data?.type ? `(${e.args.data.type})` : ''}${e.args?.data?.functionName ? ` ${e.args.data.functionName}` : ''}`
        : e.name;
      by[what] = (by[what] || 0) + e.dur / 1000;
    }
    const parts = Object.entries(by).sort((a, b) => b[1] - a[1]).slice(0, 6).map(([k, v]) => `${k} ${v.toFixed(0)}`);
    // Its thread time (CPU), which a machine busy with other work does not stretch.
    return { ms: t.dur / 1000, cpu: (t.tdur ?? t.dur) / 1000, parts };
  }).sort((a, b) => b.ms - a.ms);
}

async function traced(page, browser, label, act, anchor, over = OVER_MS) {
  await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'blink.user_timing', '__metadata'] });
  await act();
  const buf = await browser.stopTracing();
  const events = JSON.parse(buf.toString()).traceEvents;
  const tasks = longTasks(events, over);
  const ratio = anchor && tasks.length ? ` (${(tasks[0].ms / anchor).toFixed(2)}× JSON.parse)` : '';
  console.log(`${label}: ${tasks.length} tasks over ${over} ms${tasks.length ? `, longest ${tasks[0].ms.toFixed(0)} ms${ratio}` : ''}`);
  for (const t of tasks.slice(0, 16)) console.log(`  ${t.ms.toFixed(0)} ms (${t.cpu.toFixed(0)} ms CPU): ${t.parts.join(', ')}`);
  return tasks;
}

/** Waits for the next animation frame and the task after it (the frame has been drawn). */
const painted = (page) => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
const graphElements = (page) => page.evaluate(() => document.querySelectorAll('[data-testid=graph] svg *').length);

const which = process.argv.slice(2).length ? process.argv.slice(2) : ['map', 'paste', 'paste1'];
const server = await startServer(DIST);
let browser;
try {
  browser = await launch();
  const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
  await page.goto(server.url);
  await page.waitForSelector('[data-testid="run"]:not([disabled])');
  // An empty page's tasks, for scale: a second of nothing.
  await traced(page, browser, 'idle page (1 s)', () => page.waitForTimeout(1000));
  if (which.includes('map')) {
    await fillEditor(page, 'editor-machine', JSON.stringify(JSONATA_MAP_2000, null, 2));
    await page.waitForSelector('[data-testid="graph"] [data-state="Price"]', { timeout: 60000 });
    await page.waitForFunction(() => !document.querySelector('[data-testid=notice]')?.textContent.includes('JSONata'), null, { timeout: 60000 });
    await traced(page, browser, 'JSONata Map of 2,000 items: Run → SUCCEEDED, End', async () => {
      await page.click('[data-testid=run]');
      await page.keyboard.press('End');
      await page.waitForSelector('[data-testid=result][data-outcome=SUCCEEDED]', { timeout: 300000 });
      await page.waitForTimeout(500);
    });
    await page.click('[data-testid=reset]');
  }
  if (which.includes('big')) {
    const text = chainMachine(1500);
    await showEditor(page, 'editor-machine');
    const anchor = await page.evaluate((t) => {
      const t0 = performance.now();
      for (let i = 0; i < 10; i++) JSON.parse(t);
      return (performance.now() - t0) / 10;
    }, text);
    console.log(`anchor: one JSON.parse of the ${(text.length / 1e3).toFixed(0)} KB machine text takes ${anchor.toFixed(2)} ms`);
    let drawn = 0;
    const pasted = await traced(page, browser, '1,500-state machine pasted → graph drawn', async () => {
      await page.click('[data-testid=editor-machine]');
      await page.keyboard.press('Control+a');
      const t0 = Date.now();
      await paste(page, '[data-testid=editor-machine]', text);
      await page.waitForSelector('[data-testid=graph] [data-state="S0"]', { state: 'attached', timeout: 180000 });
      await painted(page);
      drawn = Date.now() - t0;
      await page.waitForTimeout(500);
    });
    const opened = await graphElements(page);
    let most = opened;
    const box = await page.$eval('[data-testid=graph] svg', (s) => { const b = s.getBoundingClientRect(); return { x: b.x + b.width / 2, y: b.y + b.height / 2 }; });
    const panned = await traced(page, browser, 'panned and zoomed across it', async () => {
      // Dragged across: 40 moves of 25 px, each drawn.
      await page.mouse.move(box.x + 300, box.y + 150);
      await page.mouse.down();
      for (let i = 1; i <= 40; i++) {
        await page.mouse.move(box.x + 300 - i * 15, box.y + 150 - i * 10);
        await painted(page);
        most = Math.max(most, await graphElements(page));
      }
      await page.mouse.up();
      // Zoomed out notch by notch (until the whole machine), then back in.
      for (const dy of [...Array(12).fill(300), ...Array(12).fill(-300)]) {
        await page.mouse.wheel(0, dy);
        await painted(page);
        most = Math.max(most, await graphElements(page));
      }
    });
    const longest = (tasks) => (tasks.length ? tasks[0].ms : 0);
    console.log(`big: anchor ${anchor.toFixed(2)} ms; paste → graph drawn ${drawn} ms (${(drawn / anchor).toFixed(0)}× anchor); `
      + `longest task at paste ${longest(pasted).toFixed(0)} ms (${(longest(pasted) / anchor).toFixed(0)}×), `
      + `panning/zooming ${longest(panned).toFixed(0)} ms (${(longest(panned) / anchor).toFixed(0)}×); `
      + `elements in the graph: ${opened} when drawn, at most ${most} while panned and zoomed`);
  }
  if (which.includes('save')) {
    const event = JSON.stringify({ source: 'shop', 'detail-type': 'Big', detail: { lines: Array.from({ length: 40000 }, (_, i) => ({ sku: `sku-${i}`, qty: i % 7 })) } }, null, 2);
    const anchor = await page.evaluate((t) => {
      const times = [];
      for (let i = 0; i < 5; i++) { const a = performance.now(); JSON.parse(t); times.push(performance.now() - a); }
      return times.sort((x, y) => x - y)[2];
    }, event);
    console.log(`save: anchor JSON.parse of the ${(event.length / 1e6).toFixed(1)} MB event ${anchor.toFixed(1)} ms`);
    await showEditor(page, 'editor-event');
    await paste(page, '[data-testid=editor-event]', event);
    await page.waitForFunction(() => (localStorage.getItem('statebridge.workspace.v1') || '').includes('"active"'));
    await quiet(page);
    const saved = (mark) => page.waitForFunction((m) => Object.keys(localStorage).some((k) => k.startsWith('statebridge.workspace.v1') && (localStorage.getItem(k) || '').includes(m)), mark, { timeout: 60000 });
    const machine = JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Pass', End: true } } }, null, 2);
    const edits = [
      ['machine edited beside a 2 MB event → saved', 'editor-machine', machine.replace('{', '{"Comment": "save-mark-1",'), 'save-mark-1'],
      ['the 2 MB event edited → saved', 'editor-event', event.replace('"Big"', '"save-mark-2"'), 'save-mark-2'],
    ];
    for (const [label, id, text, mark] of edits) {
      await showEditor(page, id);
      await traced(page, browser, label, async () => {
        await page.click(`[data-testid=${id}]`);
        await page.keyboard.press('Control+a');
        await paste(page, `[data-testid=${id}]`, text);
        await saved(mark);
        await page.waitForTimeout(300);
      }, anchor, 5);
    }
  }
  if (which.includes('matrix')) {
    const rules = (k) => JSON.stringify({ Rules: Array.from({ length: 10 }, (_, r) => ({
      Name: `rule-${r}`, EventPattern: { source: [`app.s${r % 5}`], detail: { n: [{ numeric: ['>=', r * k] }] } }, Targets: [],
    })) }, null, 2);
    const lines = Array.from({ length: 10000 }, (_, i) => JSON.stringify({
      source: `app.s${i % 7}`, 'detail-type': 'Sample', time: '2026-01-01T00:00:00Z',
      detail: { n: i % 1000, order: `o-${i}`, note: 'x'.repeat(120), items: [{ sku: `s-${i % 13}`, qty: i % 4 }] },
    }));
    const text = lines.join('\n');
    const anchor = await page.evaluate((t) => {
      const times = [];
      for (let i = 0; i < 5; i++) { const a = performance.now(); JSON.parse(t); times.push(performance.now() - a); }
      return times.sort((x, y) => x - y)[2];
    }, `[${lines.join(',')}]`);
    console.log(`matrix: anchor JSON.parse of the ${(text.length / 1e6).toFixed(1)} MB of events as a list ${anchor.toFixed(1)} ms`);
    const into = async (testid, t) => {
      const code = await page.$(`.cm-content[data-testid=${testid}]`);
      const sel = code ? `.cm-content[data-testid=${testid}]` : `[data-testid=${testid}]`;
      await page.click(sel);
      await page.keyboard.press('Control+a');
      await paste(page, sel, t);
      await page.locator(sel).evaluate((el) => el.blur());
    };
    await showEditor(page, 'editor-rule');
    await into('editor-rule', rules(50));
    await page.click('[data-testid=tab-aws]');
    await page.click('[data-testid=aws-part-matrix]');
    await page.waitForSelector('[data-testid=aws-events]');
    await into('aws-events', text);
    await page.waitForSelector('[data-testid=aws-matrix-run]:not([disabled])');
    // The code editor parses a pasted text in the background (idle callbacks of up to a few
    // hundred ms for 2 MB: the editor's, not the table's): the page is left to finish first.
    await quiet(page);
    const total = () => page.$$eval('[data-testid=matrix-total]', (els) => els.map((e) => e.textContent).join());
    const settled = () => page.waitForFunction(() => document.querySelector('[data-testid=aws-matrix]')
      && document.querySelector('[data-testid=aws-matrix]').dataset.pending !== 'true', null, { timeout: 120000, polling: 'raf' });
    const worst = {};
    const step = async (name, label, act) => {
      const tasks = await traced(page, browser, label, act, anchor);
      worst[name] = tasks.length ? tasks[0].ms : 0;
    };
    let shown = 0;
    await step('check', 'matrix: Check pressed → table shown', async () => {
      const t0 = Date.now();
      await page.click('[data-testid=aws-matrix-run]');
      await page.waitForSelector('[data-testid=matrix-total]', { timeout: 120000 });
      await settled();
      await painted(page);
      shown = Date.now() - t0;
      await page.waitForTimeout(300);
    });
    await step('scroll', 'matrix: scrolled in 20 steps to the end', async () => {
      for (let i = 1; i <= 20; i++) {
        await page.$eval('[data-testid=matrix-scroll]', (el, f) => { el.scrollTop = f * el.scrollHeight; }, i / 20);
        await page.waitForFunction((n) => [...document.querySelectorAll('[data-testid=matrix-cell]')].some((c) => Number(c.dataset.event) >= n),
          Math.floor((i / 20) * 10000) - 40, { polling: 'raf' });
      }
      await painted(page);
    });
    await step('filter', 'matrix: filtered (none, hit:1, miss:4, all)', async () => {
      for (const f of ['none', 'hit:1', 'miss:4', 'all']) {
        const before = await page.textContent('[data-testid=matrix-count]');
        await page.selectOption('[data-testid=matrix-filter]', f);
        if (f !== 'all') await page.waitForFunction((b) => document.querySelector('[data-testid=matrix-count]').textContent !== b, before, { polling: 'raf' });
        await painted(page);
      }
    });
    await step('pick', 'matrix: a cell picked → its reasons shown', async () => {
      await page.click('[data-testid=matrix-cell][data-matched=false]');
      await page.waitForSelector('[data-testid=matrix-detail] li', { timeout: 60000 });
      await painted(page);
    });
    const before = await total();
    let edited = 0;
    await step('edit', 'matrix: a rule edited → table updated', async () => {
      await page.click('[data-testid=tab-editor-rule]').catch(() => {});
      await into('editor-rule', rules(60));
      await page.click('[data-testid=tab-aws]');
      const t0 = Date.now();
      await page.waitForFunction((b) => [...document.querySelectorAll('[data-testid=matrix-total]')].map((e) => e.textContent).join() !== b, before, { timeout: 120000, polling: 'raf' });
      await settled();
      await painted(page);
      edited = Date.now() - t0;
    });
    const r = (ms) => `${ms.toFixed(0)} ms (${(ms / anchor).toFixed(2)}×)`;
    console.log(`matrix: anchor ${anchor.toFixed(1)} ms; check → table ${shown} ms (${(shown / anchor).toFixed(1)}×); longest task: `
      + Object.entries(worst).map(([k, v]) => `${k} ${r(v)}`).join(', ') + `; edit → table ${edited} ms`);
  }
  // The 2 MB paste, pretty-printed (`paste`) and on one line as the AWS CLI prints it (`paste1`):
  // its long tasks, paste → Rules pane answered, then keypress → frame at the document's end
  // (keys 150 ms apart) and the long tasks of that typing and of the checks after it; all
  // against one JSON.parse of the same text in the same page (the machine's speed, for ratios).
  const items = Array.from({ length: 15000 }, (_, i) => ({ sku: `SKU-${i}`, name: `Item number ${i}`, qty: i % 7, price: (i % 100) + 0.99 }));
  const event = (n) => ({ version: '0', id: 'big', 'detail-type': 'BigPaste', source: 'shop', account: '123456789012',
    time: '2026-01-01T00:00:00Z', region: 'us-east-1', resources: [], detail: { items: items.slice(0, n) } });
  const cases = [['paste', 'pretty-printed', JSON.stringify(event(15000), null, 2)], ['paste1', 'on one line', JSON.stringify({ ...event(15000), more: event(9000).detail })]];
  for (const [name, layout, big] of cases) {
    if (!which.includes(name)) continue;
    await page.goto(server.url);
    await page.waitForSelector('[data-testid="run"]:not([disabled])');
    await showEditor(page, 'editor-event');
    await page.waitForSelector('.cm-content[data-testid=editor-event]', { timeout: 30000 }).catch(() => {});
    const parseMs = await page.evaluate((t) => {
      const times = [];
      for (let i = 0; i < 5; i++) { const a = performance.now(); JSON.parse(t); times.push(performance.now() - a); }
      return times.sort((x, y) => x - y)[2];
    }, big);
    console.log(`${(big.length / 1e6).toFixed(1)} MB ${layout}: anchor JSON.parse ${parseMs.toFixed(1)} ms`);
    let answered = 0;
    await traced(page, browser, `${(big.length / 1e6).toFixed(1)} MB event ${layout} pasted → rules answered`, async () => {
      await page.click('[data-testid=editor-event]');
      await page.keyboard.press('Control+a');
      // The text is put in the page first, so the trace holds what the page does with a paste,
      // not the driver carrying 2 MB across.
      await page.evaluate((t) => { window.__big = t; }, big);
      const t0 = Date.now();
      await page.evaluate(() => {
        const data = new DataTransfer();
        data.setData('text/plain', window.__big);
        document.querySelector('[data-testid=editor-event]').dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
      });
      await page.waitForFunction(() => {
        const results = [...document.querySelectorAll('[data-testid=rule-result]')];
        return document.querySelector('.rules-pane')?.dataset.pending !== 'true'
          && results.every((r) => r.dataset.matched !== 'true');
      }, null, { timeout: 120000, polling: 'raf' });
      answered = Date.now() - t0;
      await page.waitForTimeout(1000);
    }, parseMs);
    console.log(`  paste → rules answered ${answered} ms (${(answered / parseMs).toFixed(1)}× JSON.parse)`);
    await page.keyboard.press('Control+End');
    await page.evaluate(() => {
      window.__keys = [];
      addEventListener('keydown', (e) => {
        const t0 = e.timeStamp;
        requestAnimationFrame(() => { const ch = new MessageChannel(); ch.port1.onmessage = () => window.__keys.push(performance.now() - t0); ch.port2.postMessage(0); });
      }, true);
    });
    await traced(page, browser, `  typing 10 keys 150 ms apart at its end, then the checks`, async () => {
      for (const k of ' abcdefghi') { await page.keyboard.press(k); await page.waitForTimeout(150); }
      await page.waitForFunction(() => window.__keys.length >= 10);
      await page.waitForTimeout(2500);
    }, parseMs);
    const lat = (await page.evaluate(() => window.__keys)).sort((a, b) => a - b);
    console.log(`  keypress → frame median ${lat[lat.length >> 1].toFixed(1)} ms, worst ${lat[lat.length - 1].toFixed(1)} ms (${(lat[lat.length - 1] / parseMs).toFixed(2)}× JSON.parse)`);
  }
} finally {
  if (browser) await browser.close();
  await server.close();
}
