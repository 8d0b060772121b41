// Redrive, as the Step Functions console offers it on a failed execution: the order-redrive
// example's payment Map fails on its second item; ↻ Redrive goes on from there on the same graph
// and history (ExecutionRedriven, then only the unfinished iterations), and the order ships.
// Then an Express workflow: CreateStateMachine's refusals, the five-minute limit, CloudWatch
// Logs instead of a history, and no redrive.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withPage, pickExample, fillEditor } from './harness.mjs';

async function runToEnd(page, outcome) {
  await page.click('[data-testid=run]');
  await page.keyboard.press('End');
  await page.waitForSelector(`[data-testid=result][data-outcome=${outcome}]`, { timeout: 30000 });
}

test('a failed payment Map is redriven from the Execution pane', async () => {
  await withPage('redrive-order', async (page, url) => {
    await page.goto(url);
    await page.waitForSelector('[data-testid=run]:not([disabled])');
    await pickExample(page, 'order-redrive');
    await runToEnd(page, 'FAILED');
    assert.match(await page.textContent('[data-testid=result]'), /PaymentGateway\.Unavailable/);
    await page.waitForSelector('[data-state="Charge items"][data-status=failed]');
    const before = Number(await page.getAttribute('[data-testid=history]', 'aria-rowcount'));

    const redrive = page.locator('[data-testid=redrive]');
    assert.equal(await redrive.isEnabled(), true);
    await redrive.click();
    await page.keyboard.press('End');
    await page.waitForSelector('[data-testid=result][data-outcome=SUCCEEDED]', { timeout: 30000 });
    assert.match(await page.textContent('[data-testid=output]'), /1Z-5150/);
    assert.match(await page.textContent('[data-testid=output]'), /CABLE/);
    // The same history, continued: ExecutionRedriven follows ExecutionFailed.
    const after = Number(await page.getAttribute('[data-testid=history]', 'aria-rowcount'));
    assert.ok(after > before, `${after} events after the redrive, ${before} before`);
    await page.waitForSelector('[data-state="Ship order"][data-status=succeeded]');
    // Moving the scrubber to that event brings its row into the history's view (only the rows in
    // view are in the page).
    await page.fill('[data-testid=scrubber]', String(before + 1));
    const row = page.locator(`[data-testid=history] [data-index="${before}"]`);
    await row.waitFor();
    assert.match(await row.textContent(), /ExecutionRedriven/);
    await page.keyboard.press('End');
    // A succeeded execution is not redriven again: no button.
    assert.equal(await page.locator('[data-testid=redrive]').count(), 0);
    // Back to the failure for the screenshot: the button beside the failed result.
    await runToEnd(page, 'FAILED');
    await page.locator('[data-testid=redrive]').scrollIntoViewIfNeeded();
  });
});

test('an Express workflow: refused integrations, five minutes, CloudWatch Logs, no redrive', async () => {
  await withPage('redrive-express', async (page, url) => {
    await page.goto(url);
    await page.waitForSelector('[data-testid=run]:not([disabled])');
    await pickExample(page, 'order-redrive');
    const express = (states) => JSON.stringify({ Type: 'EXPRESS', Definition: { StartAt: 'First', States: states } }, null, 2);
    await fillEditor(page, 'editor-machine', express({
      First: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', End: true,
               Parameters: { QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/approvals', 'MessageBody.$': '$$.Task.Token' } },
    }));
    await page.waitForFunction(() => /Express state machine does not support '\.waitForTaskToken' service integration/
      .test(document.querySelector('[data-testid=diagnostics]')?.textContent ?? ''), null, { timeout: 20000 });

    await fillEditor(page, 'editor-machine', express({
      First: { Type: 'Wait', Seconds: 3600, Next: 'Done' },
      Done: { Type: 'Succeed' },
    }));
    await page.waitForFunction(() => !/Express state machine/.test(document.querySelector('[data-testid=diagnostics]')?.textContent ?? ''));
    await runToEnd(page, 'TIMED_OUT');
    assert.match(await page.textContent('[data-testid=result]'), /five minutes/);
    assert.match(await page.textContent('section.history h2'), /CloudWatch Logs/);
    // A log event as CloudWatch Logs holds it.
    await page.click('[data-testid=history] [data-index="0"] [data-testid=expand-row]');
    const log = await page.textContent('[data-testid=log-event]');
    assert.match(log, /"execution_arn": "arn:aws:states:us-east-1:123456789012:express:OrderPayments:/);
    assert.match(log, /"redrive_count": "0"/);
    const button = page.locator('[data-testid=redrive]');
    assert.equal(await button.isDisabled(), true);
    assert.match(await page.textContent('[data-testid=redrive-panel]'), /Resource type not valid in this context: express/);
  });
});
