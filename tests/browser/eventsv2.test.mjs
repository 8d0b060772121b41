// The Custom Event Bus (eventsv2) in the system view: a person opens the example, runs the system
// and sees a lane per subscriber, each event's filter verdicts and the payload each target got —
// the JSONata transform's result starting the workflow, a retry, a duplicate answered
// DEDUPLICATED, and a subscriber created later reading the past as REPLAY. Then they change a
// filter, run again and see the new verdicts; a filter the service refuses is named in the pane.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { withPage, SHOTS, pickExample, fillEditor, showEditor } from './harness.mjs';

const entries = (page, sub) => page.$$eval(
  `[data-testid=v2-subscriber][data-subscriber="${sub}"] [data-testid=v2-entry]`,
  (li) => li.map((e) => `${e.dataset.deliveryType}:${e.dataset.status}`));

async function runSystem(page) {
  await page.click('[data-testid=run-system]');
  await page.waitForSelector('[data-testid=eventsv2] [data-testid=v2-lane]', { timeout: 30000 });
}

test('a Custom Event Bus subscriber filters, transforms with JSONata and starts the workflow', async () => {
  await withPage('eventsv2', async (page, url) => {
    await page.goto(url);
    await page.waitForSelector('[data-testid=run]:not([disabled])');
    await pickExample(page, 'custom-event-bus');
    await runSystem(page);

    const lanes = await page.$$eval('[data-testid=v2-lane]', (l) => l.map((x) => x.dataset.subscriber));
    assert.deepEqual(lanes, ['big-orders-to-fulfilment', 'acme-invoices', 'audit-from-the-start']);

    // Orders over 500 pass the DATA filter; the small order and the raw invoices do not.
    assert.deepEqual(await entries(page, 'big-orders-to-fulfilment'), [
      'LIVE:delivered', 'LIVE:filtered', 'LIVE:delivered', 'LIVE:filtered', 'LIVE:filtered', 'LIVE:delivered']);
    const first = page.locator('[data-testid=v2-subscriber][data-subscriber="big-orders-to-fulfilment"] [data-testid=v2-entry]').first();
    assert.equal(await first.locator('[data-testid=v2-verdict]').getAttribute('data-scope'), 'DATA');
    assert.equal(await first.locator('[data-testid=v2-verdict]').getAttribute('data-matched'), 'true');
    // The JSONata transformer's result is what the target received; the first call was throttled.
    const payload = JSON.parse(await first.locator('[data-testid=v2-payload]').textContent());
    assert.equal(payload.orderId, 'o-1');
    assert.equal(payload.priority, 'high');
    assert.match(payload.eventId, /^[0-9a-f-]{36}$/);
    assert.match(await first.textContent(), /1 failed attempt: \+0 ms ThrottlingException/);
    assert.match(await first.textContent(), /started FulfilOrder \(SUCCEEDED\)/);
    const second = page.locator('[data-testid=v2-subscriber][data-subscriber="big-orders-to-fulfilment"] [data-testid=v2-entry]').nth(1);
    assert.match(await second.textContent(), /DATA: `detail\.total` is 40; the pattern wants/);

    // The METADATA filter lets only acme's raw invoice through.
    await page.click('[data-testid=v2-subscriber][data-subscriber="acme-invoices"] summary');
    assert.deepEqual(await entries(page, 'acme-invoices'), [
      'LIVE:filtered', 'LIVE:filtered', 'LIVE:filtered', 'LIVE:delivered', 'LIVE:filtered', 'LIVE:filtered']);

    // Created ten minutes in from the horizon: the past as REPLAY, then live.
    await page.click('[data-testid=v2-subscriber][data-subscriber="audit-from-the-start"] summary');
    assert.deepEqual(await entries(page, 'audit-from-the-start'), [
      'REPLAY:delivered', 'REPLAY:delivered', 'REPLAY:delivered', 'REPLAY:delivered', 'REPLAY:delivered', 'LIVE:delivered']);

    // The repeated publish of o-1 was answered DEDUPLICATED.
    await page.click('[data-testid=v2-publishes] summary');
    assert.match(await page.textContent('[data-testid=v2-publishes]'), /"SuccessCode":"DEDUPLICATED"/);
    await page.$eval('[data-testid=eventsv2]', (e) => e.scrollIntoView());
    await page.locator('[data-testid=eventsv2]').screenshot({ path: path.join(SHOTS, 'eventsv2-section.png') });
  });
});

test('a user raises the filter, runs again, and a refused filter is named in the pane', async () => {
  await withPage('eventsv2-edit', async (page, url) => {
    await page.goto(url);
    await page.waitForSelector('[data-testid=run]:not([disabled])');
    await pickExample(page, 'custom-event-bus');
    await showEditor(page, 'editor-rule');
    const rules = JSON.parse(await page.inputValue('[data-testid=editor-rule]'));
    const filter = rules.EventsV2.Subscribers[0].FilterConfiguration.Filters[0];
    filter.Pattern = '{"detail":{"total":[{"numeric":[">",2000]}]}}';
    await fillEditor(page, 'editor-rule', JSON.stringify(rules, null, 2));
    await runSystem(page);
    await page.waitForFunction(() => document.querySelectorAll(
      '[data-testid=v2-subscriber][data-subscriber="big-orders-to-fulfilment"] [data-testid=v2-entry][data-status=delivered]').length === 1);
    assert.deepEqual(await entries(page, 'big-orders-to-fulfilment'), [
      'LIVE:filtered', 'LIVE:filtered', 'LIVE:filtered', 'LIVE:filtered', 'LIVE:filtered', 'LIVE:delivered']);

    // A prefix in a METADATA filter: CreateSubscriber refuses it, and the pane says which and where.
    rules.EventsV2.Subscribers[1].FilterConfiguration.Filters[0].Pattern = '{"tenant": [{"prefix": "ac"}]}';
    await fillEditor(page, 'editor-rule', JSON.stringify(rules, null, 2));
    await page.click('[data-testid=run-system]');
    const alert = page.locator('[data-testid=system] [role=alert]');
    await alert.waitFor();
    assert.match(await alert.textContent(),
      /subscriber `acme-invoices`: InvalidInputException: FilterConfiguration\.Filters\[0\]\.Pattern: at `tenant`: METADATA filters match exact values only, so `prefix` is not supported/);
  });
});
