// The system view: a person runs the order example and sees, on one timeline, the OrderCreated
// event, the fulfilment execution, the event it published, the two downstream executions, and a
// failing target ending in its dead-letter queue after its retries. Clicking an execution opens
// it in the graph and playback.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withPage } from './harness.mjs';

test('the order system runs as one cascade on one timeline', async () => {
  await withPage('system-orders', async (page, url) => {
    await page.goto(url);
    await page.waitForSelector('[data-testid=run]:not([disabled])');
    await page.selectOption('[data-testid=examples]', 'system-orders');
    await page.waitForSelector('[data-testid=graph] [data-state=ValidateOrder]');
    await page.click('[data-testid=run-system]');
    await page.waitForSelector('[data-testid=system-log] [data-testid=sys-event]');

    // The log, in clock order: OrderCreated first, then the published "Order Processed".
    const types = await page.$$eval('[data-testid=sys-event]', (li) => li.map((e) => e.dataset.detailType));
    assert.equal(types[0], 'OrderCreated');
    const processed = types.indexOf('Order Processed');
    assert.ok(processed > 0, `Order Processed in ${types}`);

    // OrderCreated started the fulfilment; Order Processed started analytics and accounting.
    const started = (i) => page.$$eval(`[data-testid=sys-event]:nth-child(${i + 1}) [data-testid=sys-execution]`,
      (b) => b.map((x) => `${x.dataset.machine}:${x.dataset.status}`));
    assert.deepEqual(await started(0), ['OrderFulfilment:SUCCEEDED']);
    assert.deepEqual(await started(processed), ['SalesAnalytics:SUCCEEDED', 'Accounting:SUCCEEDED']);

    // The legacy ERP target failed four times (three retries) and its event is in the DLQ.
    const failed = await page.$$eval('[data-testid=sys-delivery][data-status=dead-lettered]', (d) => d.map((x) => x.textContent));
    assert.equal(failed.length, 1);
    assert.match(failed[0], /legacy-erp/);
    assert.match(failed[0], /4 attempts/);
    const dlq = await page.$$eval('[data-testid=dlq-entry]', (d) => d.map((x) => x.textContent));
    assert.equal(dlq.length, 1);
    assert.match(dlq[0], /legacy-erp-dlq/);
    assert.match(dlq[0], /InvalidExecutionInput/);
    assert.match(dlq[0], /after 3 retries/);
    assert.match(await page.textContent('[data-testid=system-summary]'), /3 executions · 1 dead letters/);

    // Opening the accounting execution shows its machine in the graph and plays its history.
    await page.click('[data-testid=sys-execution][data-machine=Accounting]');
    await page.waitForSelector('[data-testid=graph] [data-state=PostToLedger]');
    await page.waitForSelector('[data-testid=result][data-outcome=SUCCEEDED]', { timeout: 20000 });
    await page.waitForSelector('[data-testid=graph] [data-state=PostToLedger][data-status=succeeded]', { timeout: 20000 });
    await page.$eval('[data-testid=system]', (e) => e.scrollIntoView());
  });
});

test('a failed payment shows its status-change event starting the compensation', async () => {
  await withPage('system-payment', async (page, url) => {
    await page.goto(url);
    await page.waitForSelector('[data-testid=run]:not([disabled])');
    await page.selectOption('[data-testid=examples]', 'system-payment-failure');
    await page.waitForSelector('[data-testid=graph] [data-state=ChargeCard]');
    await page.click('[data-testid=run-system]');
    await page.waitForSelector('[data-testid=sys-execution][data-machine=OrderCompensation]');
    const statuses = await page.$$eval('[data-testid=sys-execution]', (b) => b.map((x) => `${x.dataset.machine}:${x.dataset.status}`));
    assert.deepEqual(statuses, ['PaymentProcessing:FAILED', 'OrderCompensation:SUCCEEDED']);
    // The run opens the first execution: the failed payment, in the graph.
    await page.waitForSelector('[data-testid=result][data-outcome=FAILED]', { timeout: 20000 });
  });
});
