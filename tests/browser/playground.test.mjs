import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withPage, pickExample, fillEditor, showEditor } from './harness.mjs';

async function ready(page, url, hash = '') {
  await page.goto(url + hash);
  await page.waitForSelector('[data-testid=run]:not([disabled])');
}

test('bad JSON is marked at its line and column, in the editor and in the diagnostics list', async () => {
  await withPage('bad-json', async (page, url) => {
    await ready(page, url);
    // Line 3 misses the colon after "source"; the parser stops at the string after the key.
    await fillEditor(page, 'editor-event', '{\n  "detail-type": "OrderCreated",\n  "source" "shop"\n}');
    const item = await page.waitForSelector('[data-testid=diagnostics] .diag[data-source=Event]');
    assert.equal(await item.getAttribute('data-line'), '3');
    assert.equal(await item.getAttribute('data-column'), '12');
    assert.match(await item.textContent(), /Event:3:12/);
    // The gutter flags line 3 with the message as its tooltip; the token is underlined.
    const flagged = await page.waitForSelector('.editor:has([data-testid=editor-event]) .gutter .has-diag');
    assert.equal(await flagged.getAttribute('data-line'), '3');
    assert.match(await flagged.getAttribute('title'), /JSON/);
    assert.equal(await page.textContent('.editor:has([data-testid=editor-event]) .t-diag'), '"shop"');
    // Picking the diagnostic puts the cursor there.
    await item.click('button');
    await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'editor-event');
    const caret = await page.$eval('[data-testid=editor-event]', (t) => [document.activeElement === t, t.selectionStart]);
    assert.deepEqual(caret, [true, '{\n  "detail-type": "OrderCreated",\n  "source" '.length]);
  });
});

test('changing the event source gives a one-line reason the rule no longer matches', async () => {
  await withPage('pattern-mismatch', async (page, url) => {
    await ready(page, url);
    await page.waitForSelector('[data-testid=rule-result][data-matched=true]');
    const event = await page.inputValue('[data-testid=editor-event]');
    const changed = event.replace('"com.my-ecommerce.orders"', '"com.example.billing"');
    assert.notEqual(changed, event, 'the first example is the OrderCreated seed');
    await fillEditor(page, 'editor-event', changed);
    const rule = await page.waitForSelector('[data-testid=rule-result][data-matched=false]');
    const why = (await rule.$eval('[data-testid=explanation]', (e) => e.textContent)).trim();
    assert.match(why, /source/);
    assert.match(why, /com\.example\.billing/);
    assert.match(why, /com\.my-ecommerce\.orders/);
    assert.equal(why.split('\n').length, 1, `one line: ${why}`);
  });
});

test('typing works in every editor, Format re-indents, and the machine shows JSONata', async () => {
  await withPage('typing-format', async (page, url) => {
    await ready(page, url);
    for (const id of ['editor-event', 'editor-rule', 'editor-machine', 'editor-mocks']) {
      const sel = `[data-testid=${id}]`;
      await showEditor(page, id);
      await page.fill(sel, '');
      await page.click(sel);
      await page.keyboard.type('{"a":[1,true,null]}');
      assert.equal(await page.inputValue(sel), '{"a":[1,true,null]}', id);
      await page.click(`.editor:has(${sel}) button:has-text("Format")`);
      await page.waitForFunction((s) => document.querySelector(s).value.includes('\n'), sel);
      assert.equal(await page.inputValue(sel), '{\n  "a": [\n    1,\n    true,\n    null\n  ]\n}', id);
    }
    await pickExample(page, 'order-fulfilment-jsonata');
    await showEditor(page, 'editor-machine');
    await page.waitForSelector('.editor:has([data-testid=editor-machine]) .t-ata');
    // The JSONata engine is a second module, fetched on first need: the run waits for it.
    await page.click('[data-testid=run]');
    await page.keyboard.press('End');
    await page.waitForSelector('[data-testid=result][data-outcome=SUCCEEDED]', { timeout: 20000 });
    assert.ok(await page.$('[data-testid=output]'));
  });
});

test('the order-processing run retries the throttled payment and succeeds, with the rule\'s input', async () => {
  await withPage('run-order-processing', async (page, url) => {
    await ready(page, url);
    await pickExample(page, 'order-processing');
    await page.waitForSelector('[data-testid=rule-result][data-matched=true]');
    const target = JSON.parse(await page.textContent('[data-testid=target-input]'));
    await page.click('[data-testid=run]');
    await page.keyboard.press('End');
    await page.waitForSelector('[data-testid=result][data-outcome=SUCCEEDED]', { timeout: 20000 });
    const input = JSON.parse(await page.textContent('[data-testid=machine-input]'));
    assert.deepEqual(input, target, 'the machine starts with the transformed event');
    assert.ok(await page.$('[data-testid=output]'));
    // The throttled attempts are in the history (read from its JSON download).
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('.history a[download]')]);
    const { readFile } = await import('node:fs/promises');
    const events = JSON.parse(await readFile(await download.path(), 'utf8')).events;
    const throttled = events.filter((e) => JSON.stringify(e).includes('Lambda.TooManyRequestsException'));
    assert.ok(throttled.length >= 2, `two throttled attempts, found ${throttled.length}`);
    if (process.env.README_SHOT) {
      // The README's picture: the finished run, with the retried payment open in the inspector.
      await page.click('[data-testid=notice] [aria-label=Dismiss]');
      await page.click('[data-testid=graph] [data-state=ChargeCard]');
      await page.waitForSelector('[data-testid=inspector]');
      await page.screenshot({ path: process.env.README_SHOT });
    }
    // Reset forgets the run.
    await page.click('[data-testid=reset]');
    await page.waitForSelector('[data-testid=result][data-outcome=none]');
  });
});

test('keyboard: Ctrl+Enter runs, F10 steps, ? opens the help listing the shortcuts', async () => {
  await withPage('keyboard-help', async (page, url) => {
    await ready(page, url);
    await page.click('.topbar h1');
    await page.keyboard.press('F10');
    await page.waitForSelector('[data-testid=result][data-outcome=RUNNING]');
    await page.keyboard.press('Control+Enter');
    await page.keyboard.press('End');
    await page.waitForSelector('[data-testid=result][data-outcome=SUCCEEDED]');
    await page.keyboard.press('?');
    const dialog = await page.waitForSelector('[role=dialog]');
    const text = await dialog.textContent();
    for (const k of ['Ctrl + Enter', 'F10', 'Shift + Alt + F']) assert.ok(text.includes(k), k);
    await page.keyboard.press('Escape');
    await page.waitForSelector('[role=dialog]', { state: 'detached' });
  });
});

test('a laptop (1280x800) and a tablet (1024x768) keep every pane reachable', async () => {
  for (const [w, h] of [[1280, 800], [1024, 768]]) {
    await withPage(`layout-${w}x${h}`, async (page, url) => {
      await ready(page, url);
      for (const id of ['editor-event', 'editor-rule', 'editor-machine', 'editor-mocks', 'run', 'graph', 'history', 'diagnostics']) {
        // The editors are tabs: each one is a click away.
        if (id.startsWith('editor-')) await showEditor(page, id);
        const box = await page.locator(`[data-testid=${id}]`).first().boundingBox();
        assert.ok(box && box.width > 40 && box.height > 14, `${id} visible at ${w}x${h}: ${JSON.stringify(box)}`);
      }
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `no sideways scrolling at ${w}x${h} (${overflow}px)`);
    }, { viewport: { width: w, height: h } });
  }
});
