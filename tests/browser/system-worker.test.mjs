// A System run works in the runs' Web Worker: a long one shows "Running…" and then the Working
// bar with its progress (events on the buses, executions ended, history events recorded) and a
// Stop button; an editor takes keys while it works; Stop ends it, says so, and keeps the texts;
// the next System run shows what it always showed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { withPage, SHOTS, fillEditor, showEditor, pickExample, LONG_JSONATA_MAP } from './harness.mjs';

// The first example's rule starts the machine in the editor, made the long Map: Stop comes before
// its end.
const LONG = LONG_JSONATA_MAP;

for (const colorScheme of ['light', 'dark']) {
  test(`a long System run works in the worker, takes keys meanwhile, and Stop ends it (${colorScheme})`, async () => {
    await withPage(`system-worker-${colorScheme}`, async (page, url) => {
      await page.goto(url);
      await page.waitForSelector('[data-testid=run]:not([disabled])');
      await fillEditor(page, 'editor-machine', LONG);
      await page.waitForSelector('[data-testid=graph] [data-state="Work"]', { timeout: 30000 });
      await page.click('[data-testid=run-system]');

      // At once "Running…"; after a moment the Working bar, with how far the run has come.
      await page.waitForSelector('[data-testid=run-system][aria-busy=true]', { timeout: 30000 });
      assert.match(await page.textContent('[data-testid=run-system]'), /Running…/);
      await page.waitForSelector('[data-testid=working] [data-kind=system]', { timeout: 30000 });
      await page.waitForFunction(() => {
        const p = document.querySelector('[data-testid=working] [data-kind=system] [data-testid=working-progress]');
        return p && Number(p.dataset.events) > 0 && Number(p.dataset.bus) > 0;
      }, null, { timeout: 60000 });
      const said = await page.textContent('[data-testid=working]');
      assert.match(said, /Running the system/);
      assert.match(said, /1 event on the buses · 0 executions ended · [\d,]+ history events/);
      await page.screenshot({ path: path.join(SHOTS, `system-working-1280-${colorScheme}.png`) });

      // A key typed into the event editor lands while the run works.
      await showEditor(page, 'editor-event');
      await page.click('[data-testid=editor-event]');
      await page.keyboard.press('Control+End');
      await page.keyboard.type('  ');
      await page.keyboard.type('typed');
      await page.waitForFunction(() => document.querySelector('[data-testid=editor-event]').value.endsWith('typed'));
      assert.ok(await page.isVisible('[data-testid=working] [data-kind=system]'), 'the system run still works');

      // Stop: the bar goes, the System view says so and how far the run came; the texts stay.
      await page.click('[data-testid=stop]');
      await page.waitForSelector('[data-testid=working]', { state: 'detached' });
      await page.waitForSelector('[data-testid=system] .sys-problem');
      assert.match(await page.textContent('[data-testid=system] .sys-problem'),
        /You stopped the system run after [\d.]+ s, with 1 event on the buses and 0 executions ended/);
      await page.waitForSelector('[data-testid=run-system][aria-busy=false]');
      assert.match(await page.textContent('[data-testid=run-system]'), /Run system/);
      await page.screenshot({ path: path.join(SHOTS, `system-stopped-1280-${colorScheme}.png`) });
      await showEditor(page, 'editor-machine');
      assert.equal(await page.inputValue('[data-testid=editor-machine]'), LONG);
      await showEditor(page, 'editor-event');
      assert.match(await page.inputValue('[data-testid=editor-event]'), /typed$/);

      // A fresh worker makes the next System run, which shows what it always showed.
      await pickExample(page, 'system-orders');
      await page.waitForSelector('[data-testid=graph] [data-state=ValidateOrder]');
      await page.click('[data-testid=run-system]');
      await page.waitForSelector('[data-testid=system-log] [data-testid=sys-event]', { timeout: 30000 });
      assert.match(await page.textContent('[data-testid=system-summary]'), /3 executions · 1 dead letters/);
      const statuses = await page.$$eval('[data-testid=sys-execution]', (b) => b.map((x) => `${x.dataset.machine}:${x.dataset.status}`));
      assert.deepEqual([...new Set(statuses)], ['OrderFulfilment:SUCCEEDED', 'SalesAnalytics:SUCCEEDED', 'Accounting:SUCCEEDED']);
      // It opens its first execution in the graph, as before.
      await page.waitForSelector('[data-testid=result][data-outcome=SUCCEEDED]', { timeout: 20000 });
      await page.screenshot({ path: path.join(SHOTS, `system-after-1280-${colorScheme}.png`) });
    }, { viewport: { width: 1280, height: 720 }, colorScheme });
  });
}
