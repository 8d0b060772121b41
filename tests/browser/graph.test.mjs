// The graph: Parallel branches and Map processors drawn as nested groups, Catch edges distinct from
// Next edges, and a 100-state machine laid out readably (folded into columns, not one long column).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { withPage, pickExample } from './harness.mjs';

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

test('a 100-state machine lays out in columns and fits the view', async () => {
  await withPage('graph-100-states', async (page, url) => {
    await ready(page, url);
    const text = fs.readFileSync(path.join(here, 'fixtures/machine-100.json'), 'utf8');
    const t0 = Date.now();
    await page.fill('[data-testid=editor-machine]', text);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=graph] [data-state]').length > 100, null, { timeout: 20000 });
    const ms = Date.now() - t0;
    const box = await page.$eval('[data-testid=graph] svg', (svg) => {
      const b = svg.getBBox();
      return { w: b.width, h: b.height };
    });
    // Folded: not one endless column.
    assert.ok(box.h < box.w * 3, `drawing ${box.w}x${box.h}`);
    await page.click('[aria-label="Fit to view"]');
    console.log(`100-state machine: drawn ${box.w.toFixed(0)}x${box.h.toFixed(0)} in ${ms} ms (typing pause included)`);
  });
});
