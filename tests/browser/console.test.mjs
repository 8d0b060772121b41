// Every page a person opens is quiet in the console: no warning and no error on the playground,
// an embed or a workshop exercise (the `integrity` warning on Trunk's wasm preload was one).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withPage } from './harness.mjs';

// Chromium tells of a preload that was never used 3 s after the window's load event, so each page
// is watched until its own clock is past that (a condition on the page, not a sleep here).
const QUIET_AFTER_LOAD_MS = 3500;

const pages = [
  ['playground', '', '[data-testid=diagnostics][data-count]'],
  ['embed', '?embed&example=order-processing&panes=machine,graph&readonly', '[data-testid=embed] [data-testid=graph] [data-state]'],
  ['workshop', '#/exercises/07-retry-throttling', '[data-testid=check]'],
];

for (const [name, path, ready] of pages) {
  test(`the ${name} page logs no warning or error`, async () => {
    await withPage(`console-${name}`, async (page, url) => {
      const seen = [];
      page.on('console', (m) => {
        if (m.type() === 'warning' || m.type() === 'error') seen.push(`${m.type()}: ${m.text()}`);
      });
      await page.goto(url + path);
      await page.waitForSelector(ready, { timeout: 30000 });
      await page.waitForFunction((ms) => {
        const nav = performance.getEntriesByType('navigation')[0];
        return nav && nav.loadEventEnd > 0 && performance.now() > nav.loadEventEnd + ms;
      }, QUIET_AFTER_LOAD_MS, { timeout: 30000, polling: 250 });
      assert.deepEqual(seen, [], `console of ${name}`);
    });
  });
}
