import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withPage } from './harness.mjs';

test('the playground loads and renders its shell', async () => {
  await withPage('smoke', async (page, url) => {
    await page.goto(url);
    await page.waitForSelector('.topbar h1');
    assert.equal(await page.textContent('.topbar h1'), 'statebridge');
  });
});
