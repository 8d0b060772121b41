// More of the engine in the Web Worker: Test this state runs there (the page keeps drawing frames
// and answers the keyboard while it works, says it is testing, and Stop ends it), and typing is
// never held up by a check (the panes being checked again say "checking…" meanwhile).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { withPage, SHOTS, chainMachine, fillEditor, showEditor } from './harness.mjs';

// A JSONata Pass state whose output sums `n` ranges of 20,000 numbers: seconds of work.
const heavy = (n) => JSON.stringify({
  QueryLanguage: 'JSONata',
  StartAt: 'Heavy',
  States: {
    Heavy: { Type: 'Pass', Output: `{% {"sum": $sum($map([1..${n}], function($i) { $sum([1..20000]) })) + $states.input.add} %}`, Next: 'Done' },
    Done: { Type: 'Succeed' },
  },
}, null, 2);

// Counts animation frames while `selector` is in the page (a frozen page draws none).
async function countFramesWhile(page, selector) {
  await page.evaluate((sel) => {
    window.__frames = { during: 0, seen: false };
    const tick = () => {
      if (document.querySelector(sel)) { window.__frames.seen = true; window.__frames.during++; }
      if (!window.__frames.seen || document.querySelector(sel)) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  }, selector);
}

test('Test this state runs in the worker: the page keeps drawing and typing, and Stop ends a test', async () => {
  await withPage('worker-test-state', async (page, url) => {
    await page.goto(url);
    await page.waitForSelector('[data-testid=run]:not([disabled])');
    await fillEditor(page, 'editor-machine', heavy(1500));
    await page.waitForSelector('[data-testid=graph] [data-state="Heavy"]', { timeout: 60000 });
    await page.click('[data-testid=graph] [data-state="Heavy"]');
    await page.click('[data-testid=inspector] [data-testid=test-state-open]');
    await page.fill('[data-testid=test-state-input]', '{"add": 1}');

    await countFramesWhile(page, '[data-testid=test-state-pending]');
    await page.click('[data-testid=test-state-run]');
    await page.waitForSelector('[data-testid=test-state-pending]');
    // While it works the page answers: an edit lands in the event editor.
    await showEditor(page, 'editor-event');
    await page.fill('[data-testid=editor-event]', '{"source": "shop", "detail-type": "typed during the test", "detail": {}}');
    assert.match(await page.inputValue('[data-testid=editor-event]'), /typed during the test/);
    const result = await page.waitForSelector('[data-testid=test-state-result][data-status=SUCCEEDED]', { timeout: 180000 });
    const output = JSON.parse(await result.$eval('[data-testid=test-state-output]', (p) => p.textContent));
    assert.equal(output.sum, 1500 * 200010000 + 1);
    const frames = await page.evaluate(() => window.__frames);
    assert.ok(frames.seen && frames.during >= 5, `the page drew ${frames.during} frames while the test worked`);

    // A longer test (another input: another request) shows in the Working bar; Stop ends it.
    await fillEditor(page, 'editor-machine', heavy(200000));
    await page.waitForFunction(() => !document.querySelector('[data-testid=diagnostics-checking]'), null, { timeout: 60000 });
    await page.click('[data-testid=graph] [data-state="Heavy"]');
    const opener = await page.$('[data-testid=inspector] [data-testid=test-state-open]');
    if (opener) await opener.click();
    await page.fill('[data-testid=test-state-input]', '{"add": 2}');
    await page.click('[data-testid=test-state-run]');
    await page.waitForSelector('[data-testid=working] [data-kind=test]', { timeout: 30000 });
    assert.match(await page.textContent('[data-testid=working]'), /Testing the state/);
    await page.screenshot({ path: path.join(SHOTS, 'worker-test-state-working.png') });
    await page.click('[data-testid=stop]');
    await page.waitForSelector('[data-testid=working]', { state: 'detached' });
    await page.waitForSelector('[data-testid=test-state-result]');
    assert.match(await page.textContent('[data-testid=test-state-result]'), /You stopped the test after [\d.]+ s/);
    assert.equal(await page.$('[data-testid=test-state-pending]'), null);
  });
});

// A machine of many states (harness.mjs): its check (validated and laid out) takes the worker a while.
const big = chainMachine;

test('typing never waits for a check: keys land while a big machine is checked, which says "checking…"', async () => {
  await withPage('worker-typing-during-check', async (page, url) => {
    await page.goto(url);
    await page.waitForSelector('[data-testid=run]:not([disabled])');
    await page.evaluate(() => {
      window.__long = [];
      new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push(e.duration); }).observe({ type: 'longtask' });
    });
    // Pasted at once (a textarea's own insertion of thousands of lines is slow in Chromium itself).
    await showEditor(page, 'editor-machine');
    await page.evaluate((t) => {
      const el = document.querySelector('[data-testid=editor-machine]');
      el.value = t;
      el.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertFromPaste' }));
    }, big(1500));
    // The check starts after the typing pause: the diagnostics say the machine is being checked.
    await page.waitForSelector('[data-testid=diagnostics][data-count]');
    await page.waitForSelector('[data-testid=diagnostics-checking]', { timeout: 30000 });
    await showEditor(page, 'editor-event');
    await page.click('[data-testid=editor-event]');
    await page.keyboard.press('Control+End');
    await page.keyboard.type(' ', { delay: 0 });
    const typedWhileChecking = await page.evaluate(() => !!document.querySelector('[data-testid=diagnostics-checking]'));
    await page.keyboard.type('typed', { delay: 0 });
    assert.match(await page.inputValue('[data-testid=editor-event]'), /typed$/);
    // The check's answer arrives: "checking…" goes, and the graph starts at the machine's start.
    await page.waitForFunction(() => !document.querySelector('[data-testid=diagnostics-checking]'), null, { timeout: 180000 });
    await page.waitForSelector('[data-testid=graph] [data-state="S0"]', { state: 'attached', timeout: 30000 });
    const long = await page.evaluate(() => window.__long);
    console.log(`typed while checking: ${typedWhileChecking}; tasks over 50 ms: ${long.length}, longest ${long.length ? Math.max(...long).toFixed(0) : 0} ms`);
  });
});
