// The system view: a person runs the order example and sees, on one timeline, the OrderCreated
// event, the fulfilment execution, the event it published, the two downstream executions, and a
// failing target ending in its dead-letter queue after its retries. Clicking an execution opens
// it in the graph and playback.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { withPage, SHOTS, pickExample, fillEditor, showEditor } from './harness.mjs';

test('the order system runs as one cascade on one timeline', async () => {
  await withPage('system-orders', async (page, url) => {
    await page.goto(url);
    await page.waitForSelector('[data-testid=run]:not([disabled])');
    await pickExample(page, 'system-orders');
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
    await pickExample(page, 'system-payment-failure');
    await page.waitForSelector('[data-testid=graph] [data-state=ChargeCard]');
    await page.click('[data-testid=run-system]');
    await page.waitForSelector('[data-testid=sys-execution][data-machine=OrderCompensation]');
    const statuses = await page.$$eval('[data-testid=sys-execution]', (b) => b.map((x) => `${x.dataset.machine}:${x.dataset.status}`));
    assert.deepEqual(statuses, ['PaymentProcessing:FAILED', 'OrderCompensation:SUCCEEDED']);
    // The run opens the first execution: the failed payment, in the graph.
    await page.waitForSelector('[data-testid=result][data-outcome=FAILED]', { timeout: 20000 });
  });
});

const SMALL = { viewport: { width: 1280, height: 800 } };
const tabs = (page) => page.$$eval('[data-testid=machine-tab]', (t) => t.map((x) => `${x.dataset.machine}${x.getAttribute('aria-selected') === 'true' ? '*' : ''}`));

test('a user adds a second machine by hand, a rule starts it, and the system runs both', async () => {
  let link;
  let audit;
  await withPage('system-add-machine', async (page, url) => {
    await page.goto(url);
    await page.waitForSelector('[data-testid=run]:not([disabled])');
    await pickExample(page, 'order-processing');
    await page.waitForSelector('[data-testid=rule-result][data-matched=true]');
    assert.deepEqual(await tabs(page), ['order-processor*']);
    assert.ok(await page.$('[data-testid=delete-machine][disabled]'), 'the only machine cannot be deleted');

    // Add a machine: the name is checked as it is typed.
    await page.click('[data-testid=add-machine]');
    await page.fill('[data-testid=machine-name]', 'Audit trail');
    await page.waitForSelector('[data-testid=machine-name-problem]:has-text("space")');
    assert.ok(await page.$('[data-testid=machine-name-ok][disabled]'));
    await page.fill('[data-testid=machine-name]', 'order-processor');
    await page.waitForSelector('[data-testid=machine-name-problem]:has-text("already taken")');
    await page.fill('[data-testid=machine-name]', 'Audit');
    await page.press('[data-testid=machine-name]', 'Enter');
    await page.waitForSelector('[data-testid=machine-tab][data-machine=Audit][aria-selected=true]');
    assert.deepEqual(await tabs(page), ['order-processor', 'Audit*']);
    await page.waitForSelector('[data-testid=graph] [data-state=Start]');
    audit = JSON.stringify({
      StartAt: 'RecordAudit',
      States: { RecordAudit: { Type: 'Pass', Parameters: { 'order.$': '$.detail.orderId', audited: true }, End: true } },
    }, null, 2);
    await fillEditor(page, 'editor-machine', audit);
    await page.waitForSelector('[data-testid=graph] [data-state=RecordAudit]');

    // A rule target naming a machine the workspace lacks gets a clear diagnostic.
    const rules = JSON.parse(await page.inputValue('[data-testid=editor-rule]'));
    rules.Rules[0].Targets.push({ Id: 'audit', Arn: 'arn:aws:states:us-east-1:123456789012:stateMachine:Audti' });
    await fillEditor(page, 'editor-rule', JSON.stringify(rules, null, 2));
    await page.waitForSelector('[data-testid=diagnostics] :text("starts the state machine `Audti`, which is not in this workspace")');
    rules.Rules[0].Targets[1].Arn = 'arn:aws:states:us-east-1:123456789012:stateMachine:Audit';
    await fillEditor(page, 'editor-rule', JSON.stringify(rules, null, 2));
    await page.waitForSelector('[data-testid=target-machine]:has-text("starts Audit")');
    await page.waitForFunction(() => document.querySelector('[data-testid=diagnostics]').dataset.count === '0');

    // The system runs the workspace's own machines: the event starts both.
    await page.click('[data-testid=run-system]');
    await page.waitForSelector('[data-testid=sys-execution][data-machine=Audit]');
    const first = await page.$$eval('[data-testid=sys-event]:first-child [data-testid=sys-execution]',
      (b) => b.map((x) => x.dataset.machine));
    assert.deepEqual(first.sort(), ['Audit', 'order-processor']);
    const lanes = await page.$$eval('[data-testid=sys-lane]', (l) => l.map((x) => x.dataset.machine));
    assert.deepEqual(lanes.sort(), ['Audit', 'order-processor']);
    // Opening an execution shows its machine in the editor and the graph.
    await page.click('[data-testid=sys-execution][data-machine=Audit]');
    await page.waitForSelector('[data-testid=machine-tab][data-machine=Audit][aria-selected=true]');
    await page.waitForSelector('[data-testid=graph] [data-state=RecordAudit][data-status=succeeded]', { timeout: 20000 });

    // Rename follows into the rules; delete has Undo.
    await page.click('[data-testid=rename-machine]');
    await page.fill('[data-testid=machine-name]', 'AuditTrail');
    await page.click('[data-testid=machine-name-ok]');
    await page.waitForSelector('[data-testid=machine-tab][data-machine=AuditTrail]');
    assert.match(await page.inputValue('[data-testid=editor-rule]'), /stateMachine:AuditTrail"/);
    await page.click('[data-testid=delete-machine]');
    await page.waitForSelector('[data-testid=notice]:has-text("Deleted the state machine")');
    assert.deepEqual(await tabs(page), ['order-processor*']);
    await page.waitForSelector('[data-testid=diagnostics] :text("`AuditTrail`, which is not in this workspace")');
    await page.click('[data-testid=notice] button:has-text("Undo")');
    assert.deepEqual(await tabs(page), ['order-processor', 'AuditTrail*']);
    assert.equal(await page.inputValue('[data-testid=editor-machine]'), audit);

    await page.click('[data-testid=share]');
    await page.waitForSelector('[data-testid=notice]:has-text("Share link")');
    link = await page.evaluate(() => location.hash);
  }, SMALL);

  // The share link carries every machine and which one was open.
  await withPage('system-add-machine-link', async (page, url) => {
    await page.goto(url + link);
    await page.waitForSelector('[data-testid=run]:not([disabled])');
    assert.deepEqual(await tabs(page), ['order-processor', 'AuditTrail*']);
    assert.equal(await page.inputValue('[data-testid=editor-machine]'), audit);
    await page.click('[data-testid=machine-tab][data-machine=order-processor]');
    await page.waitForSelector('[data-testid=graph] [data-state=ValidateOrder]');
    await page.click('[data-testid=run-system]');
    await page.waitForSelector('[data-testid=sys-execution][data-machine=AuditTrail]');
    // Autosave keeps every machine too: a reload brings them back.
    await page.waitForFunction(() => (localStorage.getItem('statebridge.workspace.v1') || '').includes('"active":0'));
    await page.reload();
    await page.waitForSelector('[data-testid=run]:not([disabled])');
    assert.deepEqual(await tabs(page), ['order-processor*', 'AuditTrail']);
    await page.click('[data-testid=machine-tab][data-machine=AuditTrail]');
    assert.equal(await page.inputValue('[data-testid=editor-machine]'), audit);
  }, SMALL);
});

test('a time range of the archive replays into the bus, marked as replayed', async () => {
  await withPage('system-replay', async (page, url) => {
    await page.goto(url);
    await page.waitForSelector('[data-testid=run]:not([disabled])');
    await pickExample(page, 'system-orders');
    await page.waitForSelector('[data-testid=graph] [data-state=ValidateOrder]');
    await page.click('[data-testid=run-system]');
    await page.waitForSelector('[data-testid=replay-form]');
    assert.equal(await page.$$eval('[data-testid=sys-event][data-replayed=true]', (e) => e.length), 0);
    // The range of the first archived event, OrderCreated (the fulfilment's RUNNING status event
    // arrived in the same millisecond, so the range holds it too).
    await page.selectOption('[data-testid=replay-from]', '0');
    await page.selectOption('[data-testid=replay-to]', '0');
    assert.match(await page.textContent('[data-testid=replay]'), /Replay 2 events/);
    await page.click('[data-testid=replay]');
    await page.waitForSelector('[data-testid=sys-event][data-replayed=true] [data-testid=replay-badge]');
    const replayed = await page.$$eval('[data-testid=sys-event] [data-testid=replay-badge]',
      (b) => b.map((x) => x.closest('[data-testid=sys-event]').dataset.detailType));
    assert.deepEqual(replayed, ['OrderCreated', 'Step Functions Execution Status Change']);
    // The replayed OrderCreated starts the fulfilment again, and its cascade follows, all marked.
    const execs = await page.$$eval('[data-testid=sys-execution][data-replayed=true]', (b) => b.map((x) => x.dataset.machine));
    assert.ok(execs.includes('OrderFulfilment'), `replayed executions: ${execs}`);
    assert.ok(execs.includes('Accounting'), `replayed executions: ${execs}`);
    const lanes = await page.$$eval('[data-testid=sys-lane][data-replayed=true]', (l) => l.length);
    assert.ok(lanes >= 3, `${lanes} replayed lanes`);
    assert.match(await page.textContent('[data-testid=system-summary]'), /from the replay/);
    await page.$eval('[data-testid=sys-event][data-replayed=true]', (e) => e.scrollIntoView());
    await page.locator('[data-testid=system]').screenshot({ path: path.join(SHOTS, 'system-replay-pane.png') });
  }, SMALL);
});

test('a custom bus (seed 004): boto3 entries in the event editor, one lane per bus', async () => {
  await withPage('system-custom-bus', async (page, url) => {
    await page.goto(url);
    await page.waitForSelector('[data-testid=run]:not([disabled])');
    await pickExample(page, 'custom-bus');
    await page.waitForSelector('[data-testid=graph] [data-state=Compose]');
    // The rules pane routes the entry on MyCustomEventBus: the catch-all matches there.
    await page.waitForSelector('[data-testid=rule-result][data-rule=MyCustomEventBusEventRule][data-matched=true]');
    const other = await page.textContent('[data-testid=rule-result][data-rule=NotifyOnRestore]');
    assert.match(other, /on bus `default`; the event is put on bus `MyCustomEventBus`/);
    await page.click('[data-testid=run-system]');
    await page.waitForSelector('[data-testid=sys-execution][data-machine=NotifyOps][data-status=SUCCEEDED]');
    const lanes = await page.$$eval('[data-testid=sys-bus-lane]', (l) => l.map((x) => x.dataset.bus));
    assert.deepEqual(lanes, ['MyCustomEventBus', 'default']);
    const events = await page.$$eval('[data-testid=sys-event]', (li) => li.map((e) => `${e.dataset.bus}:${e.dataset.detailType}`));
    assert.equal(events[0], 'MyCustomEventBus:service_status');
    assert.equal(events[1], 'default:service_status');
    const origin = await page.textContent('[data-testid=sys-event]:nth-child(2) .sys-origin');
    assert.match(origin, /forwarded from bus MyCustomEventBus by ForwardRestoredToDefault/);
    await page.$eval('[data-testid=system]', (e) => e.scrollIntoView());
  });
});

test('schedules drive the report and digest machines over the run\'s day', async () => {
  await withPage('system-schedules', async (page, url) => {
    await page.goto(url);
    await page.waitForSelector('[data-testid=run]:not([disabled])');
    await pickExample(page, 'scheduled-report');
    await page.waitForSelector('[data-testid=graph] [data-state=Gather]');
    // The schedule-only rule says it sees no events rather than "did not match".
    await page.waitForSelector('[data-testid=rule-result][data-rule=DigestEvery4Hours]');
    assert.match(await page.textContent('[data-testid=rule-result][data-rule=DigestEvery4Hours] [data-testid=explanation]'),
      /runs on its schedule, rate\(4 hours\)/);
    await page.click('[data-testid=run-system]');
    await page.waitForSelector('[data-testid=system-log] [data-testid=sys-event]');

    // Each firing is on the log in clock order: the Scheduler's on its own lane, the rule's
    // "Scheduled Event" on the default bus.
    const log = await page.$$eval('[data-testid=sys-event]', (li) => li
      .filter((e) => e.dataset.detailType !== 'Step Functions Execution Status Change')
      .map((e) => `${e.dataset.bus} ${e.dataset.detailType}`));
    assert.deepEqual(log, [
      'default ReportRequested',
      '(scheduler) ⏰ NightlyReport',
      'default Scheduled Event',
      'default Scheduled Event',
      '(scheduler) ⏰ LaunchReminder',
      'default Scheduled Event',
      'default Scheduled Event',
      'default Scheduled Event',
    ]);
    const started = await page.$$eval('[data-testid=sys-execution]', (b) => b.map((x) => `${x.dataset.machine}:${x.dataset.status}`));
    assert.deepEqual(started, ['Report:SUCCEEDED', 'Report:SUCCEEDED', 'Digest:SUCCEEDED', 'Digest:SUCCEEDED',
      'Report:SUCCEEDED', 'Digest:SUCCEEDED', 'Digest:SUCCEEDED', 'Digest:SUCCEEDED']);
    assert.match(await page.textContent('[data-testid=system-summary]'),
      /8 executions · 0 dead letters · 7 schedule firings from 2026-03-02T00:00:00 to 2026-03-03T00:00:00/);
    await page.$eval('[data-testid=system]', (e) => e.scrollIntoView());
  });
});
