// Replaying an execution: the throttled payment of the order-processing example is retried, then the
// success path animates; the scrubber goes back to the retry and the inspector shows its error; a
// share link made there reopens the same view in a fresh browser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { SHOTS, withPage, pickExample, fillEditor, showEditor } from './harness.mjs';

async function ready(page, url) {
  await page.goto(url);
  await page.waitForSelector('[data-testid=run]:not([disabled])');
}

async function loadExample(page, name) {
  await pickExample(page, name);
  // The machine editor shows the example's machine once it is loaded.
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=graph] [data-state]').length > 0);
}

const statusOf = (page, state) =>
  page.getAttribute(`[data-testid=graph] [data-state="${state}"]`, 'data-status');

test('a throttled payment is retried, then the success path animates; scrubbing back shows the retry and its error, and its share link reopens that view', async () => {
  let link;
  let moment;
  await withPage('replay-throttled-payment', async (page, url) => {
    await ready(page, url);
    await loadExample(page, 'order-processing');
    await page.click('[data-testid=run]');
    // Playback starts by itself; pause it at once and drive it by hand.
    await page.waitForSelector('[data-testid=scrubber]:not([disabled])');
    if ((await page.getAttribute('[data-testid=play]', 'aria-label')) === 'Pause') await page.click('[data-testid=play]');
    const len = Number(await page.getAttribute('[data-testid=scrubber]', 'max'));
    assert.ok(len > 10, `history has ${len} events`);

    // Step forward one event at a time and record ChargeCard's status at each moment.
    await page.fill('[data-testid=scrubber]', '0');
    const seen = [];
    let retryAt = -1;
    for (let i = 1; i <= len; i++) {
      await page.click('[data-testid=step-forward]');
      await page.waitForFunction((n) => document.querySelector('[data-testid=scrubber]').value === String(n), i);
      const s = await statusOf(page, 'ChargeCard');
      if (seen[seen.length - 1] !== s) seen.push(s);
      if (s === 'retrying' && retryAt < 0) retryAt = i;
    }
    // Two throttled attempts (the mock throws for invocations 0-1): active and retrying alternate.
    assert.deepEqual(seen, ['idle', 'active', 'retrying', 'active', 'retrying', 'active', 'succeeded'],
      `ChargeCard went ${seen.join(' → ')}`);
    assert.equal(await statusOf(page, 'MarkOrderComplete'), 'succeeded');
    assert.equal(await statusOf(page, 'RefundAndFail'), 'idle');
    // The success path's edges are marked taken.
    assert.ok(await page.$('[data-testid=graph] .edge.taken[data-from="ChargeCard"]'));
    await page.screenshot({ path: path.join(SHOTS, 'replay-end.png') });

    // Scrub back to the retry and inspect ChargeCard there.
    await page.fill('[data-testid=scrubber]', String(retryAt));
    assert.equal(await statusOf(page, 'ChargeCard'), 'retrying');
    assert.equal(await statusOf(page, 'MarkOrderComplete'), 'idle');
    await page.click('[data-testid=graph] [data-state="ChargeCard"]');
    const inspector = await page.waitForSelector('[data-testid=inspector]');
    const text = await inspector.textContent();
    assert.match(text, /Lambda\.TooManyRequestsException/);
    assert.match(text, /Rate exceeded/);
    // The history row of the current moment is marked, and is ChargeCard's.
    const current = await page.textContent('[data-testid=history] .row.current');
    assert.match(current, /ChargeCard/);

    // Share from here: the link reopens this run at this moment, ChargeCard inspected.
    await page.click('[data-testid=share]');
    await page.waitForSelector('[data-testid=notice]:has-text("Share link")');
    link = await page.evaluate(() => location.hash);
    moment = retryAt;
  });
  await withPage('replay-share-link-opened', async (page, url) => {
    await page.goto(url + link);
    await page.waitForSelector(`[data-testid=notice]:has-text("Its run is shown at event ${moment} of")`);
    await page.waitForFunction((n) => document.querySelector('[data-testid=scrubber]')?.value === String(n), moment);
    assert.equal(await page.getAttribute('[data-testid=play]', 'aria-label'), 'Play', 'the run waits at the shared moment');
    assert.equal(await statusOf(page, 'ChargeCard'), 'retrying');
    assert.equal(await statusOf(page, 'MarkOrderComplete'), 'idle');
    const text = await (await page.waitForSelector('[data-testid=inspector]')).textContent();
    assert.match(text, /ChargeCard/);
    assert.match(text, /Lambda\.TooManyRequestsException/);
    assert.match(await page.textContent('[data-testid=history] .row.current'), /ChargeCard/);
  });
});

/** A Map of 1,000 items through 12 Pass states: 25,000 history events. */
const MACHINE_25K = {
  StartAt: 'Items',
  States: {
    Items: { Type: 'Pass', Parameters: { 'items.$': 'States.ArrayRange(1, 1000, 1)' }, Next: 'EachItem' },
    EachItem: {
      Type: 'Map', ItemsPath: '$.items', End: true,
      ItemProcessor: {
        StartAt: 'Work',
        States: Object.fromEntries(Array.from({ length: 12 }, (_, i) => [i ? `Step${i}` : 'Work',
          i < 11 ? { Type: 'Pass', Next: `Step${i + 1}` } : { Type: 'Pass', End: true }])),
      },
    },
  },
};

test('a history of 25,000 events keeps only the rows in view in the page; scrolling far down and clicking a row moves there', async () => {
  await withPage('history-25000', async (page, url) => {
    await ready(page, url);
    await fillEditor(page, 'editor-machine', JSON.stringify(MACHINE_25K, null, 2));
    await page.waitForSelector('[data-testid=graph] [data-state="Step11"]');
    await page.click('[data-testid=run]');
    await page.waitForSelector('[data-testid=scrubber]:not([disabled])', { timeout: 60000 });
    if ((await page.getAttribute('[data-testid=play]', 'aria-label')) === 'Pause') await page.click('[data-testid=play]');
    assert.equal(await page.getAttribute('[data-testid=scrubber]', 'max'), '25000');
    await page.click('[aria-label="To the end"]');
    const rows = () => page.$$eval('[data-testid=history] .row', (r) => r.length);
    assert.ok(await rows() < 100, `${await rows()} rows in the page`);
    // Scroll to the middle of the table: the rows there are drawn, still only a window of them.
    await page.$eval('[data-testid=history]', (el) => {
      const s = el.closest('.history-body') || el;
      s.scrollTop = s.scrollHeight / 2;
      s.dispatchEvent(new Event('scroll'));
    });
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=history] .row')]
      .some((r) => /^\s*[▸▾]?\s*125\d\d/.test(r.textContent)));
    assert.ok(await rows() < 100);
    // The list re-renders its window while scrolling settles: a click can land as the row under
    // the pointer is replaced. Click again until the scrubber answers (a condition, not a time).
    const row = page.locator('[data-testid=history] .row', { hasText: /^\s*[▸▾]?\s*12510/ }).first();
    const moved = () => page.waitForFunction(
      () => document.querySelector('[data-testid=scrubber]').value === '12510', null, { timeout: 5000 })
      .then(() => true, () => false);
    let there = false;
    for (let attempt = 0; attempt < 6 && !there; attempt++) {
      await row.click();
      there = await moved();
    }
    assert.ok(there, 'clicking row 12510 moves the scrubber there');
    assert.match(await page.textContent('[data-testid=history] .row.current'), /^\s*[▸▾]?\s*12510/);
  });
});
