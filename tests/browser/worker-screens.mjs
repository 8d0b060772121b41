// Screenshots of the engine's worker at work (not a test): the Working bar with its progress and
// Stop while a long run works, Test this state while it tests, and the panes saying "checking…",
// light and dark, at 1440×900, 1280×720 and 390×844. `node tests/browser/worker-screens.mjs`.
import path from 'node:path';
import fs from 'node:fs';
import { startServer } from './server.mjs';
import { DIST, SHOTS, fillEditor, launch, showEditor } from './harness.mjs';

const LONG = JSON.stringify({
  QueryLanguage: 'JSONata', StartAt: 'Items',
  States: {
    Items: { Type: 'Map', Items: '{% [1..2000] %}', Next: 'Heavy',
      ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: 'Work',
        States: { Work: { Type: 'Pass', Output: '{% $sum([1..200000]) + $states.input %}', End: true } } } },
    Heavy: { Type: 'Pass', Output: '{% $sum($map([1..100000], function($i) { $sum([1..20000]) })) %}', End: true },
  },
}, null, 2);

const sizes = [[1440, 900], [1280, 720], [390, 844]];
fs.mkdirSync(SHOTS, { recursive: true });
const server = await startServer(DIST);
let browser;
try {
  browser = await launch();
  for (const scheme of ['light', 'dark']) {
    for (const [width, height] of sizes) {
      const name = `${scheme}-${width}x${height}`;
      const page = await browser.newPage({ viewport: { width, height }, colorScheme: scheme });
      await page.addInitScript(() => localStorage.setItem('statebridge.editor', 'plain'));
      await page.goto(server.url);
      await page.waitForSelector('[data-testid=run]:not([disabled])');
      await fillEditor(page, 'editor-machine', LONG);
      await page.waitForSelector('[data-testid=graph] [data-state="Heavy"]', { timeout: 60000 });
      await page.click('[data-testid=run]');
      await page.waitForFunction(() => Number(document.querySelector('[data-testid=working] [data-testid=working-progress]')?.dataset.events) > 0, null, { timeout: 60000 });
      await page.screenshot({ path: path.join(SHOTS, `worker-run-${name}.png`) });
      await page.click('[data-testid=stop]');
      await page.waitForSelector('[data-testid=working]', { state: 'detached' });
      // Test this state on the heavy state: the panel says it is testing, the bar offers Stop.
      await page.click('[data-testid=graph] [data-state="Heavy"]');
      await page.click('[data-testid=inspector] [data-testid=test-state-open]');
      await page.click('[data-testid=test-state-run]');
      await page.waitForSelector('[data-testid=working] [data-kind=test]', { timeout: 30000 });
      await page.locator('[data-testid=test-state-pending]').scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(SHOTS, `worker-test-${name}.png`) });
      await page.click('[data-testid=stop]');
      await page.waitForSelector('[data-testid=test-state-result]');
      // The rules checked again after an edit: "checking…" while the worker works.
      await showEditor(page, 'editor-event');
      const items = Array.from({ length: 15000 }, (_, i) => ({ sku: `SKU-${i}`, qty: i % 7 }));
      await page.evaluate((t) => {
        const el = document.querySelector('[data-testid=editor-event]');
        el.value = t;
        el.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertFromPaste' }));
      }, JSON.stringify({ source: 'shop', 'detail-type': 'Big', detail: { items } }, null, 2));
      await page.waitForSelector('[data-testid=rules-checking]', { timeout: 10000 }).catch(() => {});
      await page.screenshot({ path: path.join(SHOTS, `worker-checking-${name}.png`) });
      await page.close();
      console.log(`worker screens: ${name}`);
    }
  }
} finally {
  if (browser) await browser.close();
  await server.close();
}
