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
