// EventBridge Pipes in the system view: a learner opens the pipe example (an SQS orders queue →
// filter body.amount > 100 → a Lambda enrichment → the order workflow), runs the system and sees
// each record filtered, enriched and delivered on the pipe's lane, one execution per batch; then
// breaks the filter pattern and is told which pipe and field are wrong.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { withPage, SHOTS, pickExample, fillEditor } from './harness.mjs';

test('the pipe example filters, enriches and starts the workflow per batch', async () => {
  await withPage('pipes', async (page, url) => {
    await page.goto(url);
    await page.waitForSelector('[data-testid=run]:not([disabled])');
    await pickExample(page, 'pipe-orders');
    await page.waitForSelector('[data-testid=graph] [data-state=ForEachOrder]');
    // The example puts no event on a bus: the rules pane says the pipes drive it, no diagnostic.
    await page.waitForFunction(() => document.querySelector('[data-testid=diagnostics]').dataset.count === '0');

    await page.click('[data-testid=run-system]');
    await page.waitForSelector('[data-testid=sys-pipe][data-pipe=big-orders]');

    // Every message of the queue, in arrival order, with what became of it.
    const fate = await page.$$eval('[data-testid=pipe-record]', (r) => r.map((x) => x.dataset.status));
    assert.deepEqual(fate, ['delivered', 'filtered', 'delivered', 'filtered', 'delivered']);
    const steps = (i) => page.$$eval(`[data-testid=pipe-record]:nth-child(${i + 1}) .pipe-step`,
      (s) => s.map((x) => `${x.dataset.step}:${x.className.split(' ').pop()}`));
    assert.deepEqual(await steps(0), ['filter:ok', 'enrichment:ok', 'target:ok']);
    assert.deepEqual(await steps(1), ['filter:no', 'enrichment:skip', 'target:skip']);
    assert.match(await page.textContent('[data-testid=pipe-summary]'),
      /5 records · 2 filtered out · 3 delivered in 2 batches/);

    // Two batches (the 5-second window), each delivered on the pipe's lane and starting the workflow.
    const batches = await page.$$eval('[data-testid=pipe-batch]', (b) => b.map((x) => x.dataset.status));
    assert.deepEqual(batches, ['DELIVERED', 'DELIVERED']);
    assert.match(await page.textContent("[data-testid=pipe-batch]:first-child"), /enrichment \(mock\) → \[\{"orderId":"o-1001"/);
    const lane = await page.$$eval('[data-testid=sys-event][data-bus="(pipe) big-orders"] [data-testid=sys-execution]',
      (b) => b.map((x) => `${x.dataset.machine}:${x.dataset.status}`));
    assert.deepEqual(lane, ['OrderWorkflow:SUCCEEDED', 'OrderWorkflow:SUCCEEDED']);
    // The workflow's Order Accepted events reach the rule on the default bus.
    const accepted = await page.$$eval('[data-testid=sys-event][data-detail-type="Order Accepted"] [data-testid=sys-delivery]',
      (d) => d.map((x) => x.dataset.status));
    assert.equal(accepted.length, 2);

    await page.$eval('[data-testid=sys-pipes]', (e) => e.scrollIntoView());
    const pane = await page.$('[data-testid=system]');
    await pane.screenshot({ path: path.join(SHOTS, 'pipes-system.png') });

    // A broken filter pattern: the error names the pipe and the field.
    const rules = JSON.parse(await page.inputValue('[data-testid=editor-rule]'));
    rules.Pipes[0].SourceParameters.FilterCriteria.Filters[0].Pattern = '{"body": {"amount": [{"numeric": [">"]}]}}';
    await fillEditor(page, 'editor-rule', JSON.stringify(rules, null, 2));
    await page.waitForSelector('[data-testid=diagnostics] :text("Pipes[0].SourceParameters.FilterCriteria.Filters[0].Pattern")');
  });
});

// A learner opens the retries example: the orders queue's first batch is throttled, comes back
// after the 30-second visibility timeout, and the discontinued order named in batchItemFailures
// is received three times before SQS moves it to orders-dlq; the Kinesis pipe halves its failing
// batch until the implausible reading is alone and sends it to readings-dlq.
test('the partial-failure example shows retries and dead letters in the System view', async () => {
  await withPage('pipes-retries', async (page, url) => {
    await page.goto(url);
    await page.waitForSelector('[data-testid=run]:not([disabled])');
    await pickExample(page, 'pipe-partial-failure');
    await page.waitForSelector('[data-testid=graph] [data-state=EachReading]');
    await page.waitForFunction(() => document.querySelector('[data-testid=diagnostics]').dataset.count === '0');

    await page.click('[data-testid=run-system]');
    await page.waitForSelector('[data-testid=sys-pipe][data-pipe=orders-to-fulfilment]');

    const orders = '[data-testid=sys-pipe][data-pipe=orders-to-fulfilment]';
    const fate = await page.$$eval(`${orders} [data-testid=pipe-record]`, (r) => r.map((x) => x.dataset.status));
    assert.deepEqual(fate, ['delivered', 'delivered', 'dead_lettered', 'delivered', 'delivered', 'delivered']);
    const batches = await page.$$eval(`${orders} [data-testid=pipe-batch]`, (b) => b.map((x) => x.dataset.status));
    assert.deepEqual(batches, ['FAILED', 'DELIVERED', 'PARTIALLY_FAILED', 'FAILED']);
    const retries = await page.$$eval(`${orders} [data-testid=pipe-retry]`, (b) => b.map((x) => x.textContent.trim()));
    assert.deepEqual(retries, ['retry 1 (of batch 0) ·', 'retry 2 (of batch 2) ·']);
    assert.match(await page.textContent(`${orders} [data-testid=pipe-summary]`), /2 retry batches · 1 dead-lettered/);
    // The retries are on the pipe's lane too: the first succeeds in part, the second fails.
    assert.equal(await page.locator(`${orders} [data-testid=pipe-retry-dot]`).count(), 2);
    assert.match(await page.textContent(`${orders} [data-testid=pipe-batch]:first-child`), /Lambda\.TooManyRequestsException: Rate exceeded/);

    // The dead-letter queue has its own lane, and the letter says why and after how many receives.
    await page.waitForSelector(`${orders} [data-testid=pipe-dlq-lane][data-queue$=":orders-dlq"] .sys-dot.dlq`);
    const letter = await page.textContent(`${orders} [data-testid=pipe-dead-letter]`);
    assert.match(letter, /orders-dlq/);
    assert.match(letter, /3 tries/);
    assert.match(letter, /maxReceiveCount is 3/);

    const readings = '[data-testid=sys-pipe][data-pipe=readings-check]';
    const halves = await page.$$eval(`${readings} [data-testid=pipe-retry]`, (b) => b.map((x) => x.textContent.trim()));
    assert.ok(halves.some((h) => h.startsWith('half of batch 0')), halves.join(' | '));
    const rfate = await page.$$eval(`${readings} [data-testid=pipe-record]`, (r) => r.map((x) => x.dataset.status));
    assert.deepEqual(rfate, ['delivered', 'delivered', 'dead_lettered', 'delivered']);
    await page.waitForSelector(`${readings} [data-testid=pipe-dlq-lane][data-queue$=":readings-dlq"]`);

    // The summary and the DLQ list count the pipes' dead letters.
    assert.match(await page.textContent('[data-testid=system-summary]'), /· 2 dead letters/);
    assert.equal(await page.locator('[data-testid=dlq-entry][data-pipe]').count(), 2);

    await page.$eval(orders, (e) => e.scrollIntoView());
    const pane = await page.$('[data-testid=system]');
    await pane.screenshot({ path: path.join(SHOTS, 'pipes-retries.png') });
  });
});
