// A 1,500-state machine's graph puts in the page only what is in or near the view (a sketch of
// boxes and lines when zoomed too far out to read), so the page holds a bounded number of
// elements whatever the machine's size; panning to the far end shows the states there, readable;
// Tab walks on to a state out of view and the view comes to it; Enter inspects it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { SHOTS, withPage, chainMachine, paste, showEditor } from './harness.mjs';

/** Elements the graph's drawing may hold, whatever the machine's size (all 1,500 states drawn
 * in full were 12,000). */
const MOST = 2500;

async function pasteBig(page, url) {
  await page.goto(url);
  await page.waitForSelector('[data-testid=run]:not([disabled])');
  await showEditor(page, 'editor-machine');
  await paste(page, '[data-testid=editor-machine]', chainMachine(1500));
  // 1,500 states and the Start and End markers.
  await page.waitForSelector('[data-testid=graph] svg[data-states="1502"]', { timeout: 120000 });
}

const elements = (page) => page.evaluate(() => document.querySelectorAll('[data-testid=graph] svg *').length);

/** The states drawn wholly inside the view, with the screen height of their names. */
const inView = (page) => page.evaluate(() => {
  const svg = document.querySelector('[data-testid=graph] svg');
  const [x, y, w, h] = svg.getAttribute('viewBox').split(' ').map(Number);
  return [...svg.querySelectorAll('.node[data-state]')].filter((g) => {
    const b = g.querySelector('rect.box').getBBox();
    return b.x >= x && b.y >= y && b.x + b.width <= x + w && b.y + b.height <= y + h;
  }).map((g) => ({ state: g.dataset.state, px: g.querySelector('.name').getBoundingClientRect().height }));
});

test('a 1,500-state graph holds a bounded number of elements; the far end, panned to, is readable', async () => {
  await withPage('graph-big-pan', async (page, url) => {
    await pasteBig(page, url);
    // It opens readable on its Start, with only the states near the view in the page.
    const opened = await inView(page);
    assert.ok(opened.some((s) => s.state === 'S0'), 'S0 in view');
    assert.ok(opened.length >= 5, `${opened.length} states in view`);
    assert.ok(Math.min(...opened.map((s) => s.px)) >= 12, 'names at least 12 px');
    const first = await elements(page);
    assert.ok(first <= MOST, `${first} elements in the graph`);
    assert.ok(await page.$('[data-testid=graph] [data-marker=Start]'));

    // ⤢: the whole machine, as a sketch of a few paths (no names to read at that size).
    await page.click('[aria-label="Fit to view"]');
    await page.waitForSelector('[data-testid=graph] svg.sketch');
    const sketch = await elements(page);
    assert.ok(sketch <= 40, `${sketch} elements in the sketch`);
    await page.waitForSelector('[data-testid=graph-sketch]');
    await page.screenshot({ path: path.join(SHOTS, 'graph-big-sketch.png') });

    // A press on the sketch near the far end (the last column's foot) zooms in there, readable.
    const { w, h } = await page.$eval('[data-testid=graph] svg', (s) => ({ w: Number(s.dataset.width), h: Number(s.dataset.height) }));
    const last = await page.evaluate(({ w, h }) => {
      const svg = document.querySelector('[data-testid=graph] svg');
      const b = svg.getBoundingClientRect();
      const [x, y, vw, vh] = svg.getAttribute('viewBox').split(' ').map(Number);
      // The drawing's far side, a little in from its corner.
      const at = (dx, dy) => ({ x: b.left + ((dx - x) / vw) * b.width, y: b.top + ((dy - y) / vh) * b.height });
      return at(w - 120, h * 0.5);
    }, { w, h });
    await page.mouse.click(last.x, last.y);
    await page.waitForSelector('[data-testid=graph] svg:not(.sketch)');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=graph] .node[data-state]').length > 5);
    const far = await inView(page);
    const numbers = far.map((s) => Number(s.state.slice(1)));
    assert.ok(far.length >= 3 && Math.min(...numbers) > 1000, `far end shows ${far.map((s) => s.state).join(', ')}`);
    assert.ok(Math.min(...far.map((s) => s.px)) >= 12, 'names readable at the far end');
    assert.ok((await elements(page)) <= MOST);
    await page.screenshot({ path: path.join(SHOTS, 'graph-big-far-end.png') });

    // Dragged by hand across the far end: other states come into the page, and still few.
    const box = await page.$eval('[data-testid=graph] svg', (s) => { const b = s.getBoundingClientRect(); return { x: b.x + b.width / 2, y: b.y + b.height / 2 }; });
    const before = new Set(far.map((s) => s.state));
    await page.mouse.move(box.x - 200, box.y - 150);
    await page.mouse.down();
    for (let i = 1; i <= 10; i++) await page.mouse.move(box.x - 200 + i * 40, box.y - 150 + i * 30);
    await page.mouse.up();
    await page.waitForFunction((seen) => [...document.querySelectorAll('[data-testid=graph] .node[data-state]')]
      .some((g) => !seen.includes(g.dataset.state)), [...before]);
    const moved = await inView(page);
    assert.ok(moved.some((s) => !before.has(s.state)), 'new states in view after the drag');
    assert.ok((await elements(page)) <= MOST);
  });
});

test('Tab walks on to a state out of view and the view comes to it; Enter inspects it', async () => {
  await withPage('graph-big-keyboard', async (page, url) => {
    await pasteBig(page, url);
    await page.focus('[data-testid=graph] [data-state="S0"]');
    let broughtIn = 0;
    let at = 0;
    for (let i = 0; i < 40 && broughtIn < 2; i++) {
      const next = `S${at + 1}`;
      const wasInView = (await inView(page)).some((s) => s.state === next);
      await page.keyboard.press('Tab');
      await page.waitForFunction((s) => document.activeElement?.getAttribute('data-state') === s, next, { timeout: 5000 });
      at += 1;
      // The focused state is (or comes) into view.
      await page.waitForFunction((s) => {
        const svg = document.querySelector('[data-testid=graph] svg');
        const [x, y, w, h] = svg.getAttribute('viewBox').split(' ').map(Number);
        const g = svg.querySelector(`[data-state="${s}"]`);
        if (!g) return false;
        const b = g.querySelector('rect.box').getBBox();
        return b.x >= x && b.y >= y && b.x + b.width <= x + w && b.y + b.height <= y + h;
      }, next);
      if (!wasInView) broughtIn += 1;
      assert.ok((await elements(page)) <= MOST);
    }
    assert.ok(broughtIn >= 1, 'Tab reached a state that was out of view');
    const name = await page.evaluate(() => document.activeElement?.getAttribute('data-state'));
    await page.keyboard.press('Enter');
    await page.waitForSelector(`[data-testid=inspector][aria-label="Inspector: ${name}"]`);
    // Shift+Tab walks back.
    await page.focus(`[data-testid=graph] [data-state="${name}"]`);
    await page.keyboard.press('Shift+Tab');
    await page.waitForFunction((s) => document.activeElement?.getAttribute('data-state') === s, `S${at - 1}`, { timeout: 5000 });
  });
});
