// The graph: Parallel branches and Map processors drawn as nested groups, Catch edges distinct from
// Next edges, and a 100-state machine laid out readably (folded into columns, not one long column).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SHOTS, withPage, pickExample, fillEditor, showEditor } from './harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));

async function ready(page, url) {
  await page.goto(url);
  await page.waitForSelector('[data-testid=run]:not([disabled])');
}

async function loadExample(page, name) {
  await pickExample(page, name);
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=graph] [data-state]').length > 0);
}

test('Parallel branches and Map processors are nested groups; Catch edges are dashed and coloured', async () => {
  await withPage('graph-groups', async (page, url) => {
    await ready(page, url);
    await loadExample(page, 'order-processing');
    const parallel = await page.waitForSelector('[data-testid=graph] .group-parallel');
    const branches = await page.$$('[data-testid=graph] .group-branch');
    assert.ok(branches.length >= 2, `${branches.length} branches`);
    // Each branch's box lies inside the Parallel's box.
    const rect = (g) => g.$eval('rect', (r) => ['x', 'y', 'width', 'height'].map((k) => Number(r.getAttribute(k))));
    const pid = await parallel.getAttribute('data-group');
    const [ox, oy, ow, oh] = await rect(parallel);
    for (const b of branches) {
      if (!(await b.getAttribute('data-group')).startsWith(`${pid}/`)) continue;
      const [x, y, w, h] = await rect(b);
      assert.ok(x >= ox - 0.5 && y >= oy - 0.5 && x + w <= ox + ow + 0.5 && y + h <= oy + oh + 0.5,
        `branch ${[x, y, w, h]} inside its Parallel ${[ox, oy, ow, oh]}`);
    }
    // Catch edges look different from Next edges (not by colour alone: dashed).
    const dash = (sel) => page.$eval(sel, (p) => getComputedStyle(p).strokeDasharray);
    assert.notEqual(await dash('[data-testid=graph] .edge-catch path'), 'none');
    assert.equal(await dash('[data-testid=graph] .edge-next path'), 'none');
    // Choice rules and Catches carry their labels; Start and End are drawn.
    assert.ok(await page.$('[data-testid=graph] .edge-catch .edge-label'));
    assert.ok(await page.$('[data-testid=graph] [data-marker=Start]'));
    assert.ok(await page.$('[data-testid=graph] [data-marker=End]'));

    await loadExample(page, 'order-items-map');
    await page.waitForSelector('[data-testid=graph] .group-map');
    const inMap = await page.$$eval('[data-testid=graph] .group-map', (gs) => gs.length);
    assert.ok(inMap >= 1);
    await page.click('[data-testid=run]');
    await page.waitForSelector('[data-testid=scrubber]:not([disabled])');
    await page.click('[aria-label="To the end"]');
    // After the run, states inside the Map have a status other than idle.
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=graph] .node[data-status]')]
      .some((n) => n.getAttribute('data-status') !== 'idle'));
  });
});

test('a 100-state machine lays out in columns, opens readable on its Start and fits the view', async () => {
  await withPage('graph-100-states', async (page, url) => {
    await ready(page, url);
    const text = fs.readFileSync(path.join(here, 'fixtures/machine-100.json'), 'utf8');
    const t0 = Date.now();
    await fillEditor(page, 'editor-machine', text);
    // (Over 120 boxes: drawn only near the view, graph_cull.rs; its size is on the svg.)
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=graph] svg')?.dataset.states) > 100, null, { timeout: 20000 });
    await page.waitForSelector('[data-testid=graph] [data-marker=Start]');
    const ms = Date.now() - t0;
    const box = await page.$eval('[data-testid=graph] svg', (svg) => ({ w: Number(svg.dataset.width), h: Number(svg.dataset.height) }));
    // Folded: not one endless column.
    assert.ok(box.h < box.w * 3, `drawing ${box.w}x${box.h}`);
    // Too big to read whole in the pane: it opens at a readable zoom on its Start…
    const zoom = () => page.$eval('[data-testid=graph] svg', (svg) => {
      const [x, y, w, h] = svg.getAttribute('viewBox').split(' ').map(Number);
      return { x, y, w, h, perPx: w / svg.clientWidth };
    });
    const opened = await zoom();
    assert.ok(opened.perPx < 1.5, `opens at ${opened.perPx.toFixed(2)} drawing units per pixel`);
    const start = await page.$eval('[data-testid=graph] [data-marker=Start]', (g) => {
      const b = g.getBBox();
      return { x: b.x, y: b.y, width: b.width };
    });
    assert.ok(start.x >= opened.x && start.x + start.width <= opened.x + opened.w && start.y >= opened.y, 'Start is in view');
    assert.match(await page.textContent('[data-testid=graph-part]'), /⤢ shows all/);
    await page.screenshot({ path: path.join(SHOTS, 'graph-100-states-opened.png') });
    // …and ⤢ shows all of it.
    await page.click('[aria-label="Fit to view"]');
    const whole = await zoom();
    assert.ok(whole.w >= box.w && whole.h >= box.h, `fit shows ${whole.w}x${whole.h} of ${box.w}x${box.h}`);
    assert.equal(await page.$('[data-testid=graph-part]'), null);
    console.log(`100-state machine: drawn ${box.w.toFixed(0)}x${box.h.toFixed(0)} in ${ms} ms (typing pause included)`);
  });
});

test('while a run plays through a big machine, the view follows the active state', async () => {
  await withPage('graph-follows-run', async (page, url) => {
    await ready(page, url);
    // 150 Wait states in a row: too big to read whole, so the view shows a part of it.
    const States = {};
    for (let i = 0; i < 150; i++) States[`Step${i}`] = i < 149 ? { Type: 'Wait', Seconds: 1, Next: `Step${i + 1}` } : { Type: 'Succeed' };
    await fillEditor(page, 'editor-machine', JSON.stringify({ StartAt: 'Step0', States }, null, 2));
    // (Drawn only near the view: a machine of over 120 boxes is culled, graph_cull.rs.)
    await page.waitForSelector('[data-testid=graph] svg[data-states="152"]');
    await page.waitForSelector('[data-testid=graph] [data-state="Step0"]');
    await page.waitForSelector('[data-testid=graph-part]');
    await page.click('[data-testid=run]');
    await page.waitForSelector('[data-testid=scrubber]:not([disabled])');
    if ((await page.getAttribute('[data-testid=play]', 'aria-label')) === 'Pause') await page.click('[data-testid=play]');
    const inView = (state) => page.evaluate((s) => {
      const svg = document.querySelector('[data-testid=graph] svg');
      const [x, y, w, h] = svg.getAttribute('viewBox').split(' ').map(Number);
      const g = svg.querySelector(`[data-state="${s}"]`);
      if (!g) return false;
      const b = g.getBBox();
      return b.x >= x && b.y >= y && b.x + b.width <= x + w && b.y + b.height <= y + h;
    }, state);
    assert.equal(await inView('Step120'), false, 'Step120 starts out of view');
    // Move to the moment Step120 is entered (event 2 + 2×120: ExecutionStarted, then each Wait's
    // Entered and Exited): it is active, and the view has come to it.
    await page.fill('[data-testid=scrubber]', String(2 + 2 * 120));
    assert.equal(await page.getAttribute('[data-testid=graph] [data-state="Step120"]', 'data-status'), 'active');
    assert.equal(await inView('Step120'), true, 'the view follows to Step120');
  });
});
