import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withPage, fillEditor, showEditor } from './harness.mjs';

const EDITORS = ['editor-event', 'editor-rule', 'editor-machine', 'editor-mocks'];

test('the first screen shows a seed example in four editors with line numbers', async () => {
  await withPage('first-screen', async (page, url) => {
    await page.goto(url);
    await page.waitForSelector('[data-testid=run]:not([disabled])');
    assert.match(await page.textContent('.topbar h1'), /statebridge$/);
    // The first example of the gallery is loaded (its name in the picker, its texts in the editors).
    const picked = await page.$eval('[data-testid=examples]', (s) => s.value);
    assert.notEqual(picked, '', 'an example is selected');
    for (const id of EDITORS) {
      const text = await page.inputValue(`[data-testid=${id}]`);
      assert.ok(text.trim().startsWith('{'), `${id} holds JSON`);
      const lines = text.split('\n').length;
      // Runs of plain numbers are one text each; a flagged line is an element of its own.
      const numbers = await page.$$eval(`#ed-${id}-title`, (h) =>
        [...h[0].closest('.editor').querySelector('.gutter').children].flatMap((c) =>
          c.classList.contains('ln-run') ? c.textContent.split('\n') : [c.textContent.replace('● ', '')]).map(Number));
      assert.deepEqual(numbers, Array.from({ length: lines }, (_, i) => i + 1), `${id}: one line number per line`);
    }
    // The event and rule agree: the rule matches, and the machine is drawn.
    await page.waitForSelector('[data-testid=rule-result][data-matched=true]');
    await page.waitForSelector('[data-testid=graph] [data-state]');
    assert.equal(await page.getAttribute('[data-testid=diagnostics]', 'data-count'), '0');
    // Landmarks a screen reader announces.
    for (const sel of ['header[role=banner], .topbar', 'main', '[aria-label=Editors]']) {
      assert.ok(await page.$(sel), sel);
    }
  });
});

test('dark mode follows the system', async () => {
  await withPage('dark-mode', async (page, url) => {
    await page.goto(url);
    await page.waitForSelector('[data-testid=run]:not([disabled])');
    await page.click('[data-testid=run]');
    await page.waitForSelector('[data-testid=result][data-outcome=SUCCEEDED]', { timeout: 20000 });
    const bg = await page.$eval('body', (b) => getComputedStyle(b).backgroundColor);
    const [r, g, b] = bg.match(/\d+/g).map(Number);
    assert.ok(r + g + b < 120, `a dark background, got ${bg}`);
  }, { colorScheme: 'dark' });
});
