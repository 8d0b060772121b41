// "Test this state" in the inspector: the selected state run alone, as Step Functions' TestState
// API runs it, with a mocked result or error, and TestState's inspection steps shown.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withPage, SHOTS, pickExample } from './harness.mjs';

async function openTest(page, url, state) {
  await page.goto(url);
  await page.waitForSelector('[data-testid=run]:not([disabled])');
  await pickExample(page, 'order-processing');
  const dismiss = await page.$('[data-testid=notice] [aria-label=Dismiss]');
  if (dismiss) await dismiss.click();
  await page.click(`[data-testid=graph] [data-state="${state}"]`);
  await page.waitForSelector(`[data-testid=inspector][aria-label="Inspector: ${state}"]`);
  await page.click('[data-testid=inspector] [data-testid=test-state-open]');
  await page.waitForSelector('[data-testid=inspector] [data-testid=test-state]');
}

test('a Task tested with a throttling error is RETRIABLE and shows the retrier that matched', async () => {
  await withPage('test-state-retriable', async (page, url) => {
    await openTest(page, url, 'ChargeCard');
    await page.fill('[data-testid=test-state-input]', '{"orderId": "o-1", "amount": 25}');
    await page.selectOption('[data-testid=test-state-mock-kind]', 'error');
    await page.fill('[data-testid=test-state-error]', 'Lambda.TooManyRequestsException');
    await page.click('[data-testid=test-state-run]');
    const result = await page.waitForSelector('[data-testid=test-state-result][data-status=RETRIABLE]');
    const steps = await result.$$eval('[data-step]', (li) => li.map((x) => x.dataset.step));
    assert.deepEqual(steps, ['input', 'afterInputPath', 'afterParameters', 'errorDetails'], steps.join());
    const details = await result.$eval('[data-step=errorDetails] pre', (p) => JSON.parse(p.textContent));
    assert.deepEqual(details, { retryBackoffIntervalSeconds: 1, retryIndex: 0 });
    // The input typed before the mock was switched to an error is the one tested.
    const input = await result.$eval('[data-step=input] pre', (p) => JSON.parse(p.textContent));
    assert.deepEqual(input, { orderId: 'o-1', amount: 25 });
  });
});

test('a Task tested with a mocked result succeeds and names the next state', async () => {
  await withPage('test-state-succeeded', async (page, url) => {
    await openTest(page, url, 'ChargeCard');
    await page.fill('[data-testid=test-state-input]', '{"orderId": "o-1"}');
    await page.fill('[data-testid=test-state-mock]', '{"charged": true}');
    await page.click('[data-testid=test-state-run]');
    const result = await page.waitForSelector('[data-testid=test-state-result][data-status=SUCCEEDED]');
    assert.match(await result.textContent(), /next: FulfillmentAndNotification/);
    const steps = await result.$$eval('[data-step]', (li) => li.map((x) => x.dataset.step));
    assert.deepEqual(steps, ['input', 'afterInputPath', 'afterParameters', 'result', 'afterResultSelector', 'afterResultPath']);
    const inspector = await page.$('[data-testid=inspector]');
    await inspector.screenshot({ path: `${SHOTS}/test-state-inspector.png` });
  });
});
