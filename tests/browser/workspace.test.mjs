import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { withPage, pickExample, fillEditor, showEditor, paste } from './harness.mjs';

// Whether an example's event is routed by classic rules at all: a workspace driven by its pipes
// (no event) or by a Custom Event Bus (no rules) has no rule verdict to wait for.
const routesItsEvent = (name) => {
  const ws = JSON.parse(readFileSync(new URL(`../../www/examples/${name}.json`, import.meta.url), 'utf8'));
  const rules = Array.isArray(ws.rules) ? ws.rules : ws.rules?.Rules;
  return ws.event != null && !(Array.isArray(rules) && rules.length === 0);
};

const EDITORS = ['editor-event', 'editor-rule', 'editor-machine', 'editor-mocks'];
const texts = (page) => Promise.all(EDITORS.map((id) => page.inputValue(`[data-testid=${id}]`)));

async function ready(page, url, hash = '') {
  await page.goto(url + hash);
  await page.waitForSelector('[data-testid=run]:not([disabled])');
}

test('the examples menu loads each seed, and Undo gives the replaced work back', async () => {
  await withPage('examples-menu', async (page, url) => {
    await ready(page, url);
    const names = await page.$$eval('[data-testid=examples] option[value]:not([value=""])', (o) => o.map((e) => e.value));
    for (const seed of ['order-fulfilment', 'order-processing', 'user-signup', 's3-upload', 'rds-snapshot']) {
      assert.ok(names.includes(seed), `${seed} in the gallery`);
    }
    await fillEditor(page, 'editor-event', '{"mine": "unsaved work"}');
    for (const name of names) {
      await pickExample(page, name);
      if (routesItsEvent(name)) await page.waitForSelector(`[data-testid=rule-result][data-matched=true]`);
      await page.waitForSelector('[data-testid=graph] [data-state]');
      assert.equal(await page.getAttribute('[data-testid=diagnostics]', 'data-count'), '0', `${name} has no problems`);
    }
    // Undo puts back what the last load replaced, not the user's original work (that was replaced first).
    await page.click('[data-testid=notice] button:has-text("Undo")');
    assert.notEqual(await page.inputValue('[data-testid=editor-event]'), '{"mine": "unsaved work"}');
    await pickExample(page, 'order-processing');
    await fillEditor(page, 'editor-event', '{"mine": "unsaved work"}');
    await pickExample(page, 'user-signup');
    await page.waitForSelector('[data-testid=notice]');
    await page.click('[data-testid=notice] button:has-text("Undo")');
    assert.equal(await page.inputValue('[data-testid=editor-event]'), '{"mine": "unsaved work"}');
  });
});

test('a share link restores the whole workspace in a fresh browser', async () => {
  let link;
  let before;
  await withPage('share-link', async (page, url) => {
    await ready(page, url);
    await pickExample(page, 'order-processing');
    await fillEditor(page, 'editor-mocks', '{"ChargeCard": {"0": {"Throw": {"Error": "InsufficientFundsError", "Cause": "déclinée"}}}}');
    await fillEditor(page, 'editor-event', '{ "half-typed": ');
    before = await texts(page);
    await page.click('[data-testid=share]');
    await page.waitForSelector('[data-testid=notice]:has-text("Share link")');
    link = await page.evaluate(() => location.hash);
    assert.match(link, /#v1=[A-Za-z0-9_-]+$/);
  });
  await withPage('share-link-opened', async (page, url) => {
    await page.goto(url + link);
    await page.waitForSelector('[data-testid=run]:not([disabled])');
    assert.deepEqual(await texts(page), before);
    assert.equal(await page.$eval('[data-testid=examples]', (s) => s.value), 'order-processing');
    await page.waitForSelector('[data-testid=notice]:has-text("share link")');
    // Edits made after opening a link survive a reload (the stale link leaves the address bar).
    await fillEditor(page, 'editor-event', '{"edited": "after opening the link"}');
    await page.waitForFunction(() => location.hash === '');
    await page.reload();
    await page.waitForSelector('[data-testid=run]:not([disabled])');
    assert.equal(await page.inputValue('[data-testid=editor-event]'), '{"edited": "after opening the link"}');
    // A link pasted into the running page opens too, with Undo for the work it replaced.
    await page.evaluate((h) => { location.hash = h; }, link);
    await page.waitForFunction((t) => document.querySelector('[data-testid=editor-event]').value === t, before[0]);
    await page.click('[data-testid=notice] button:has-text("Undo")');
    assert.equal(await page.inputValue('[data-testid=editor-event]'), '{"edited": "after opening the link"}');
  });
});

test('a damaged share link says so and still opens a working page', async () => {
  await withPage('share-link-damaged', async (page, url) => {
    await ready(page, url, '#v1=not-a-real-link');
    await page.waitForSelector('[data-testid=notice]:has-text("damaged")');
    await page.waitForSelector('[data-testid=rule-result][data-matched=true]');
  });
});

test('the workspace is autosaved and comes back after a reload', async () => {
  await withPage('autosave', async (page, url) => {
    await ready(page, url);
    await pickExample(page, 'rds-snapshot');
    const event = (await page.inputValue('[data-testid=editor-event]')).replace('"us-east-1"', '"eu-west-1"');
    await fillEditor(page, 'editor-event', event);
    await page.waitForFunction(() => (localStorage.getItem('statebridge.workspace.v1') || '').includes('eu-west-1'));
    await page.reload();
    await page.waitForSelector('[data-testid=run]:not([disabled])');
    assert.equal(await page.inputValue('[data-testid=editor-event]'), event);
    assert.equal(await page.$eval('[data-testid=examples]', (s) => s.value), 'rds-snapshot');
  });
});

/** Pastes a long event and waits until the autosave keeps it under its own key. */
async function pasteLongEvent(page, text) {
  await showEditor(page, 'editor-event');
  await paste(page, '[data-testid=editor-event]', text);
  await page.waitForFunction((n) => (localStorage.getItem('statebridge.workspace.v1/event') || '').length === n, text.length);
}

/** Reloads the page and gives back the event it opens with. */
async function reloadedEvent(page) {
  await page.reload();
  await page.waitForSelector('[data-testid=run]:not([disabled])');
  return page.inputValue('[data-testid=editor-event]');
}

test('a long text is autosaved under a key of its own, written again only when it changes', async () => {
  await withPage('autosave-apart', async (page, url) => {
    await ready(page, url);
    // A 300 KB event (a long detail), then the machine edited beside it.
    const big = JSON.stringify({ source: 'shop', 'detail-type': 'Order Placed', detail: { lines: Array.from({ length: 6000 }, (_, i) => ({ sku: `sku-${i}`, qty: i % 7 })) } }, null, 2);
    assert.ok(big.length > 200_000);
    await pasteLongEvent(page, big);
    const index = JSON.parse(await page.evaluate(() => localStorage.getItem('statebridge.workspace.v1')));
    assert.deepEqual(index.autosave_apart, ['event']);
    assert.equal(index.event, '', 'the long text is not in the workspace key');
    // Count the writes from here: the machine's edit writes the workspace key, not the event.
    await page.evaluate(() => {
      window.__writes = [];
      const real = Storage.prototype.setItem;
      Storage.prototype.setItem = function (k, v) {
        window.__writes.push([k, v.length]);
        return real.call(this, k, v);
      };
    });
    const machine = (await page.inputValue('[data-testid=editor-machine]')).replace('{', '{"Comment": "edited",');
    await fillEditor(page, 'editor-machine', machine);
    await page.waitForFunction(() => (localStorage.getItem('statebridge.workspace.v1') || '').includes('edited'));
    const writes = await page.evaluate(() => window.__writes);
    assert.ok(writes.length > 0);
    assert.ok(writes.every(([k, n]) => k === 'statebridge.workspace.v1' && n < 50_000), JSON.stringify(writes));
    // Back after a reload, both; then a short event takes the piece's place and the piece goes.
    assert.equal(await reloadedEvent(page), big);
    assert.equal(await page.inputValue('[data-testid=editor-machine]'), machine);
    await fillEditor(page, 'editor-event', '{"source": "short"}');
    await page.waitForFunction(() => localStorage.getItem('statebridge.workspace.v1/event') === null);
    assert.match(await page.evaluate(() => localStorage.getItem('statebridge.workspace.v1')), /short/);
    // An autosave written before texts were kept apart (all in one key) still opens.
    await page.evaluate((b) => {
      const ws = JSON.parse(localStorage.getItem('statebridge.workspace.v1'));
      delete ws.autosave_apart;
      ws.event = b;
      localStorage.setItem('statebridge.workspace.v1', JSON.stringify(ws));
    }, big);
    assert.equal(await reloadedEvent(page), big);
  });
});

test('two tabs of the page: a reload opens what the last one saved, its long texts too', async () => {
  await withPage('autosave-two-tabs', async (page, url) => {
    await ready(page, url);
    const big = JSON.stringify({ source: 'tab-a', detail: { lines: Array.from({ length: 4000 }, (_, i) => ({ sku: `sku-${i}` })) } }, null, 2);
    await pasteLongEvent(page, big);
    const piece = () => page.evaluate(() => localStorage.getItem('statebridge.workspace.v1/event'));
    // A second tab opens the same work, then makes the event short: its save removes the piece.
    const [other] = await Promise.all([page.waitForEvent('popup'), page.evaluate((u) => { window.open(u); }, url)]);
    await other.waitForSelector('[data-testid=run]:not([disabled])');
    await fillEditor(other, 'editor-event', '{"source": "tab-b"}');
    await other.waitForFunction(() => localStorage.getItem('statebridge.workspace.v1/event') === null
      && (localStorage.getItem('statebridge.workspace.v1') || '').includes('tab-b'));
    // The first tab edits its machine: its save writes its long event again, as it is.
    const machine = (await page.inputValue('[data-testid=editor-machine]')).replace('{', '{"Comment": "tab-a-edit",');
    await fillEditor(page, 'editor-machine', machine);
    await page.waitForFunction(() => (localStorage.getItem('statebridge.workspace.v1') || '').includes('tab-a-edit'));
    assert.equal(await piece(), big);
    await other.close();
    assert.equal(await reloadedEvent(page), big);
  });
});

test('the history downloads as JSON', async () => {
  await withPage('history-download', async (page, url) => {
    await ready(page, url);
    await page.click('[data-testid=run]');
    await page.keyboard.press('End');
    await page.waitForSelector('[data-testid=result][data-outcome=SUCCEEDED]');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('.history a[download]')]);
    assert.equal(download.suggestedFilename(), 'history.json');
    const file = await download.path();
    const { readFile } = await import('node:fs/promises');
    const body = JSON.parse(await readFile(file, 'utf8'));
    assert.equal(body.events[0].type, 'ExecutionStarted');
    assert.equal(body.events.at(-1).type, 'ExecutionSucceeded');
  });
});
