// The graph is the hero (issue 17): readable state names at the first view, editors one at a time
// behind tabs (folded to a rail while a run plays), Catch edges that do not web across the drawing,
// retries with their attempt and virtual wait, smooth wheel and pinch zoom; a page that opens on
// the graph on a phone; a screen that is always true (a failed Choice, a stale run, history rows
// with their details); and focus that follows the user after Run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withPage, pickExample, fillEditor, showEditor } from './harness.mjs';

async function ready(page, url) {
  await page.goto(url);
  await page.waitForSelector('[data-testid=run]:not([disabled])');
}

async function orderProcessing(page, url) {
  await ready(page, url);
  await pickExample(page, 'order-processing');
  await page.waitForSelector('[data-testid=graph] [data-state=ChargeCard]');
}

/** Runs, pauses and goes back to the start, so a test steps through the history itself. */
async function runPaused(page) {
  await page.click('[data-testid=run]');
  await page.waitForSelector('[data-testid=scrubber]:not([disabled])');
  if ((await page.getAttribute('[data-testid=play]', 'aria-label')) === 'Pause') await page.click('[data-testid=play]');
  // Paused before the first frame, it is already at the start (the button is disabled there).
  if (await page.isEnabled('[aria-label="To the start"]')) await page.click('[aria-label="To the start"]');
  await page.waitForFunction(() => document.querySelector('[data-testid=scrubber]').value === '0');
}

/** Steps forward until `selector` is in the page (or the history ends). */
async function stepUntil(page, selector) {
  const len = Number(await page.getAttribute('[data-testid=scrubber]', 'max'));
  for (let i = Number(await page.inputValue('[data-testid=scrubber]')); i < len; i++) {
    if (await page.$(selector)) return;
    await page.click('[data-testid=step-forward]');
    await page.waitForFunction((n) => document.querySelector('[data-testid=scrubber]').value === String(n), i + 1);
  }
  assert.ok(await page.$(selector), `${selector} never appeared`);
}

/** The rendered font size (screen px) of every state name in view. */
function nameSizes(page) {
  return page.$$eval('[data-testid=graph] .node .name', (texts) => {
    const svg = document.querySelector('[data-testid=graph] svg');
    const box = svg.getBoundingClientRect();
    const perUnit = svg.getScreenCTM().a;
    return texts.filter((t) => {
      const r = t.getBoundingClientRect();
      return r.right > box.left && r.left < box.right && r.bottom > box.top && r.top < box.bottom;
    }).map((t) => parseFloat(getComputedStyle(t).fontSize) * perUnit);
  });
}

/** Catch edges drawn (not hidden) in the graph. */
const shownCatches = (page) => page.$$eval('[data-testid=graph] .edge-catch',
  (es) => es.filter((e) => getComputedStyle(e).display !== 'none').length);

test('at 1280×720 state names are at least 12 px, the editors are tabs and the graph has the room', async () => {
  await withPage('hero-1280', async (page, url) => {
    await orderProcessing(page, url);
    // 18 states: every name in view is drawn at 12 px or more.
    const sizes = await nameSizes(page);
    assert.ok(sizes.length >= 3, `${sizes.length} names in view`);
    const smallest = Math.min(...sizes);
    console.log(`order-processing at 1280×720: state names ${smallest.toFixed(1)} px (smallest in view)`);
    assert.ok(smallest >= 12, `names ${smallest.toFixed(2)} px`);
    // A four-state machine is drawn whole, at least as large.
    await pickExample(page, 'order-fulfilment');
    await page.waitForFunction(() => !document.querySelector('[data-testid=graph] [data-state=ChargeCard]'));
    const small = await nameSizes(page);
    assert.ok(Math.min(...small) >= 12, `fulfilment names ${Math.min(...small)} px`);

    // One editor at a time: the machine's, then the event's after its tab is picked.
    const visible = () => page.$$eval('.editor-panel', (ps) => ps.filter((p) => !p.hidden).length);
    assert.equal(await visible(), 1);
    assert.ok(await page.isVisible('[data-testid=editor-machine]'));
    await page.click('[data-testid=tab-editor-event]');
    assert.ok(await page.isVisible('[data-testid=editor-event]'));
    assert.ok(!(await page.isVisible('[data-testid=editor-machine]')));
    assert.equal(await page.getAttribute('[data-testid=tab-editor-event]', 'aria-selected'), 'true');

    // Run folds the editors to a rail: the graph gets most of the width.
    await page.click('[data-testid=run]');
    await page.waitForSelector('[data-testid=editors][data-rail=true]');
    const g = await page.$eval('[data-testid=graph]', (e) => e.getBoundingClientRect().width);
    assert.ok(g >= 1280 * 0.55, `graph ${g} px wide`);
    // Nothing is cut off: no sideways scrolling, the toolbar and playback inside the window.
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth));
    for (const sel of ['[data-testid=run]', '[data-testid=share]', '[data-testid=scrubber]', '[data-testid=play]']) {
      const r = await page.$eval(sel, (e) => { const b = e.getBoundingClientRect(); return [b.left, b.right, b.bottom]; });
      assert.ok(r[0] >= 0 && r[1] <= 1280 && r[2] <= 720, `${sel} at ${r}`);
    }
    // A tab on the rail opens its editor again.
    await page.click('[data-testid=tab-editor-rule]');
    await page.waitForSelector('[data-testid=editors][data-rail=false]');
    assert.ok(await page.isVisible('[data-testid=editor-rule]'));
  }, { viewport: { width: 1280, height: 720 } });
});

test('Catch edges are drawn only for the state pointed at, inspected or at work', async () => {
  await withPage('hero-catches', async (page, url) => {
    await orderProcessing(page, url);
    // At rest no Catch edge crosses the drawing; the badge counts ChargeCard's three.
    assert.equal(await shownCatches(page), 0);
    assert.equal((await page.textContent('[data-state=ChargeCard] .catches')).trim(), '↷ 3');
    await page.hover('[data-testid=graph] [data-state=ChargeCard] .box');
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=graph] .edge-catch')]
      .filter((e) => getComputedStyle(e).display !== 'none').length === 3);
    await page.mouse.move(2, 2);
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=graph] .edge-catch')]
      .every((e) => getComputedStyle(e).display === 'none'));
  });
});

test('a retry shows its attempt and the virtual wait; the path taken is marked', async () => {
  await withPage('hero-retry', async (page, url) => {
    await orderProcessing(page, url);
    await runPaused(page);
    await stepUntil(page, '[data-state=ChargeCard][data-status=retrying]');
    // The first throttling: attempt 1 failed, the Retrier waits 1 s on the virtual clock.
    assert.match(await page.textContent('[data-state=ChargeCard] [data-testid=attempts]'), /attempt 1 failed.*retry in 1\.0 s/);
    // The state at work shows its Catch routes.
    assert.equal(await shownCatches(page), 3);
    await page.click('[data-testid=step-forward]');
    await stepUntil(page, '[data-state=ChargeCard][data-status=retrying]');
    assert.match(await page.textContent('[data-state=ChargeCard] [data-testid=attempts]'), /attempt 2 failed.*retry in 2\.0 s/);
    await page.click('[aria-label="To the end"]');
    await page.waitForSelector('[data-state=MarkOrderComplete][data-status=succeeded]');
    // The route taken is drawn: Start → ValidateOrder → ChargeCard → … and no Catch was taken.
    const taken = await page.$$eval('[data-testid=graph] .edge.taken', (es) => es.map((e) => e.classList.contains('edge-catch')));
    assert.ok(taken.length >= 4, `${taken.length} edges taken`);
    assert.ok(taken.every((c) => !c));
  });
});

test('the wheel zooms in proportion to its travel, and two fingers pinch', async () => {
  await withPage('hero-zoom', async (page, url) => {
    await orderProcessing(page, url);
    const width = () => page.$eval('[data-testid=graph] svg', (s) => Number(s.getAttribute('viewBox').split(' ')[2]));
    const box = await page.$eval('[data-testid=graph] svg', (s) => { const b = s.getBoundingClientRect(); return { x: b.x + b.width / 2, y: b.y + b.height / 2 }; });
    await page.mouse.move(box.x, box.y);
    const w0 = await width();
    await page.mouse.wheel(0, 10); // a trackpad's small step
    await page.waitForFunction((w) => Number(document.querySelector('[data-testid=graph] svg').getAttribute('viewBox').split(' ')[2]) !== w, w0);
    const w1 = await width();
    assert.ok(w1 > w0 && w1 < w0 * 1.05, `small step ${w0} → ${w1}`);
    await page.mouse.wheel(0, -100); // a mouse notch back in
    await page.waitForFunction((w) => Number(document.querySelector('[data-testid=graph] svg').getAttribute('viewBox').split(' ')[2]) !== w, w1);
    const w2 = await width();
    assert.ok(w2 < w1 * 0.9 && w2 > w1 * 0.75, `notch ${w1} → ${w2}`);
    // A pinch: two touch pointers moving apart zoom in.
    await page.$eval('[data-testid=graph] svg', (svg, c) => {
      const fire = (type, id, x) => svg.dispatchEvent(new PointerEvent(type, {
        pointerId: id, pointerType: 'touch', clientX: x, clientY: c.y, bubbles: true, isPrimary: id === 1, button: 0,
      }));
      fire('pointerdown', 1, c.x - 40); fire('pointerdown', 2, c.x + 40);
      fire('pointermove', 1, c.x - 80); fire('pointermove', 2, c.x + 80);
      fire('pointerup', 1, c.x - 80); fire('pointerup', 2, c.x + 80);
    }, box);
    await page.waitForFunction((w) => Number(document.querySelector('[data-testid=graph] svg').getAttribute('viewBox').split(' ')[2]) < w * 0.6, w2);
  });
});

test('on a phone the page opens on the graph with Run; editors come one at a time below it', async () => {
  await withPage('hero-phone', async (page, url) => {
    await orderProcessing(page, url);
    const rect = (sel) => page.$eval(sel, (e) => { const b = e.getBoundingClientRect(); return { top: b.top, bottom: b.bottom, left: b.left, right: b.right }; });
    const run = await rect('[data-testid=run]');
    const graph = await rect('[data-testid=graph]');
    assert.ok(run.bottom <= 844 && run.right <= 390, `Run at ${JSON.stringify(run)}`);
    assert.ok(graph.top < 844 * 0.35 && graph.bottom - graph.top >= 300, `graph at ${JSON.stringify(graph)}`);
    assert.ok((await rect('[data-testid=editors]')).top >= graph.bottom, 'editors after the graph');
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth), 'no sideways scrolling');
    assert.ok(Math.min(...(await nameSizes(page))) >= 12);
    await page.click('[data-testid=run]');
    await page.waitForSelector('[data-testid=editors][data-rail=true]');
    await showEditor(page, 'editor-mocks');
    assert.ok(await page.isVisible('[data-testid=editor-mocks]'));
    assert.ok(!(await page.isVisible('[data-testid=editor-event]')));
  }, { viewport: { width: 390, height: 844 } });
});

const NO_MATCH = JSON.stringify({
  StartAt: 'Route',
  States: {
    Route: { Type: 'Choice', Choices: [{ Variable: '$.missing.field', StringEquals: 'x', Next: 'Done' }], Default: 'Done' },
    Done: { Type: 'Succeed' },
  },
}, null, 2);

test('a Choice that fails the execution is drawn failed and says so in its inspector', async () => {
  await withPage('hero-choice-failed', async (page, url) => {
    await ready(page, url);
    await fillEditor(page, 'editor-machine', NO_MATCH);
    await page.waitForSelector('[data-testid=graph] [data-state=Route]');
    await page.click('[data-testid=run]');
    await page.waitForSelector('[data-testid=scrubber]:not([disabled])');
    await page.click('[aria-label="To the end"]');
    await page.waitForSelector('[data-testid=result][data-outcome=FAILED]');
    assert.equal(await page.getAttribute('[data-testid=graph] [data-state=Route]', 'data-status'), 'failed');
    await page.click('[data-testid=graph] [data-state=Route] .box');
    const inspector = await page.waitForSelector('[data-testid=inspector] [data-testid=failed-here]');
    assert.match(await inspector.textContent(), /States\.Runtime/);
    assert.doesNotMatch(await page.textContent('[data-testid=inspector]'), /running…/);
  });
});

test('a run made before an edit is marked out of date until it is run again', async () => {
  await withPage('hero-stale', async (page, url) => {
    await orderProcessing(page, url);
    await page.click('[data-testid=run]');
    await page.waitForSelector('[data-testid=scrubber]:not([disabled])');
    assert.equal(await page.$('[data-testid=stale]'), null);
    // Rename a state: the run on screen no longer describes the machine.
    await showEditor(page, 'editor-machine');
    const machine = await page.inputValue('[data-testid=editor-machine]');
    await fillEditor(page, 'editor-machine', machine.replaceAll('"ChargeCard"', '"ChargePayment"'));
    await page.waitForSelector('[data-testid=stale]');
    assert.match(await page.textContent('[data-testid=stale]'), /state machine changed/);
    assert.equal(await page.getAttribute('[data-testid=result]', 'data-stale'), 'true');
    await page.click('[data-testid=stale] button');
    await page.waitForFunction(() => !document.querySelector('[data-testid=stale]'));
    // Change the event so no rule matches: out of date again, for the event.
    await showEditor(page, 'editor-event');
    const event = await page.inputValue('[data-testid=editor-event]');
    await fillEditor(page, 'editor-event', event.replace('"order.service"', '"somewhere.else"'));
    await page.waitForSelector('[data-testid=rule-result][data-matched=false]');
    assert.match(await page.textContent('[data-testid=stale]'), /event changed/);
  });
});

test('a history row opens to the event\'s error, cause, input and output', async () => {
  await withPage('hero-history', async (page, url) => {
    await orderProcessing(page, url);
    await page.click('[data-testid=run]');
    await page.waitForSelector('[data-testid=scrubber]:not([disabled])');
    await page.click('[aria-label="To the end"]');
    // Back to the start: the list shows its first rows (it draws only the rows in view).
    await page.click('[aria-label="To the start"]');
    await page.waitForSelector('[data-testid=history] .row[data-index="0"]');
    // The first LambdaFunctionFailed: ChargeCard throttled.
    const row = page.locator('[data-testid=history] .row', { hasText: 'LambdaFunctionFailed' }).first();
    await row.locator('[data-testid=expand-row]').click();
    const details = page.locator('[data-testid=row-details]');
    await details.waitFor();
    assert.match(await details.locator('dt[data-field=error] + dd').textContent(), /Lambda\.TooManyRequestsException/);
    assert.ok(await details.locator('dt[data-field=cause]').count());
    // A state's Entered and Exited events carry its input and output, pretty-printed.
    await row.locator('[data-testid=expand-row]').click();
    await details.waitFor({ state: 'detached' });
    const entered = page.locator('[data-testid=history] .row', { hasText: 'TaskStateEntered' }).first();
    await entered.locator('[data-testid=expand-row]').click();
    assert.match(await page.locator('[data-testid=row-details] dt[data-field=input] + dd').textContent(), /\n\s+"orderId"/);
    const exited = page.locator('[data-testid=history] .row', { hasText: 'TaskStateExited' }).first();
    await exited.locator('[data-testid=expand-row]').click();
    // Waits for the opened row's details (a count taken at once could precede the re-render).
    await page.locator('[data-testid=row-details] dt[data-field=output]').waitFor();
  });
});

test('after Run the focus is on the graph: Space plays, Tab reaches a state, Enter and Space inspect it', async () => {
  await withPage('hero-keyboard', async (page, url) => {
    await orderProcessing(page, url);
    await page.focus('[data-testid=run]');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid=scrubber]:not([disabled])');
    await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'graph');
    const label = () => page.getAttribute('[data-testid=play]', 'aria-label');
    const before = await label();
    await page.keyboard.press('Space');
    await page.waitForFunction((b) => document.querySelector('[data-testid=play]').getAttribute('aria-label') !== b, before);
    await page.keyboard.press('Home');
    await page.waitForFunction(() => document.querySelector('[data-testid=scrubber]').value === '0');
    // Into the drawing: the first state takes Enter.
    await page.keyboard.press('Tab');
    const name = await page.evaluate(() => document.activeElement?.getAttribute('data-state'));
    assert.ok(name, 'Tab reaches a state of the graph');
    await page.keyboard.press('Enter');
    await page.waitForSelector(`[data-testid=inspector][aria-label="Inspector: ${name}"]`);
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid=inspector]', { state: 'detached' });
    // Space on a state inspects it and leaves playback alone.
    await page.focus(`[data-testid=graph] [data-state="${name}"]`);
    const playing = await label();
    await page.keyboard.press('Space');
    await page.waitForSelector('[data-testid=inspector]');
    assert.equal(await label(), playing);
  });
});
