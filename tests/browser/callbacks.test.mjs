// Callbacks you answer: the human-approval example pauses on its task token; the person sees
// "Waiting for callback" with the token, sends a heartbeat (the pause moves on), then a failure
// (the Catch on Rejected runs), and after Run again a success with an output they typed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withPage, pickExample } from './harness.mjs';

test('a paused approval is answered from the Execution pane', async () => {
  await withPage('callbacks-approval', async (page, url) => {
    await page.goto(url);
    await page.waitForSelector('[data-testid=run]:not([disabled])');
    await pickExample(page, 'human-approval');
    await page.click('[data-testid=run]');
    await page.keyboard.press('End');
    const card = '[data-testid=waiting][data-state="Ask a manager"]';
    await page.waitForSelector(card, { timeout: 20000 });
    assert.match(await page.textContent(card), /Waiting for callback/);
    const token = await page.textContent(`${card} [data-testid=task-token]`);
    assert.match(token, /^[0-9a-f]{32}$/);

    // A heartbeat an hour later: still waiting, now paused at +3600s.
    await page.fill(`${card} [data-testid=callback-after]`, '3600');
    await page.click(`${card} [data-testid=send-heartbeat]`);
    await page.keyboard.press('End');
    await page.waitForFunction(() => /\+3600s/.test(document.querySelector('[data-testid=callbacks]')?.textContent ?? ''));

    // The manager rejects: the Catch tells the customer and the execution fails as designed.
    await page.fill(`${card} [data-testid=callback-after]`, '0');
    await page.fill(`${card} [data-testid=callback-cause]`, 'Over the team budget.');
    await page.click(`${card} [data-testid=send-failure]`);
    await page.keyboard.press('End');
    await page.waitForSelector('[data-testid=result][data-outcome=FAILED]', { timeout: 20000 });
    assert.equal(await page.$('[data-testid=waiting]'), null);
    assert.match(await page.textContent('[data-testid=result]'), /OrderRejected/);

    // Run again: a new run waits again; this time approve it with an output typed in.
    await page.click('[data-testid=run]');
    await page.keyboard.press('End');
    await page.waitForSelector(card, { timeout: 20000 });
    await page.fill(`${card} [data-testid=callback-output]`, '{"approvedBy": "grace@example.com"}');
    await page.click(`${card} [data-testid=send-success]`);
    await page.keyboard.press('End');
    await page.waitForSelector('[data-testid=result][data-outcome=SUCCEEDED]', { timeout: 20000 });
    assert.match(await page.textContent('[data-testid=output]'), /grace@example\.com/);

    // Back to the paused moment for the screenshot: Run, and leave it waiting.
    await page.click('[data-testid=run]');
    await page.keyboard.press('End');
    await page.waitForSelector(card, { timeout: 20000 });
    await page.locator(card).scrollIntoViewIfNeeded();
  });
});
