// What the screen says is true and nothing is lost or hidden: autosave when the page is hidden
// and a full storage told; every problem of the Rules and Mocks editors listed at its place; a
// bare event pattern read as a rule; a workshop exercise run on a graph before Check; the
// system timeline's time axis and target lanes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withPage, fillEditor, pickExample } from './harness.mjs';

/** The diagnostics' places and messages, once the checks have run. */
async function diagnostics(page, count) {
  await page.waitForSelector(`[data-testid=diagnostics][data-count="${count}"]`, { timeout: 15000 });
  return page.$$eval('[data-testid=diagnostics] li.diag', (items) => items.map((li) => ({
    source: li.dataset.source, line: Number(li.dataset.line), column: Number(li.dataset.column),
    text: li.textContent,
  })));
}

test('autosave keeps the last edit when the page is hidden, and says when storage is full', async () => {
  await withPage('truth-autosave', async (page, url) => {
    await page.goto(url);
    await page.waitForSelector('[data-testid=diagnostics][data-count]');
    // Edit, then hide the page at once (well before the save after the typing pause).
    const saved = await page.evaluate(async () => {
      const el = document.querySelector('[data-testid=editor-mocks]');
      el.value = '{"hidden": {"0": {"Return": {"kept": true}}}}';
      el.dispatchEvent(new Event('input', { bubbles: true }));
      await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      Object.defineProperty(document, 'hidden', { value: true, configurable: true });
      document.dispatchEvent(new Event('visibilitychange'));
      return localStorage.getItem('statebridge.workspace.v1');
    });
    assert.match(saved ?? '', /kept/, 'saved when hidden');
  });
  await withPage('truth-storage-full', async (page, url) => {
    await page.addInitScript(() => {
      const real = Storage.prototype.setItem;
      Storage.prototype.setItem = function (k, v) {
        if (k === 'statebridge.workspace.v1') throw new DOMException('full', 'QuotaExceededError');
        return real.call(this, k, v);
      };
    });
    await page.goto(url);
    await page.waitForSelector('[data-testid=notice]');
    assert.match(await page.textContent('[data-testid=notice]'), /not saved in this browser: .*storage .* is full/);
  });
});

test('every invalid rule is listed at its place and the valid rules keep their verdicts', async () => {
  await withPage('truth-rules', async (page, url) => {
    await page.goto(url);
    await page.waitForSelector('[data-testid=diagnostics][data-count]');
    // Not JSON: a trailing comma, reported at the comma (line 2), with a mark in the editor.
    await fillEditor(page, 'editor-rule', '{"Rules": [\n  {"Name": "a", "EventPattern": {"source": ["shop"]}},\n]}');
    let found = await diagnostics(page, 1);
    assert.deepEqual([found[0].source, found[0].line, found[0].column], ['Rules', 2, 54]);
    assert.match(found[0].text, /trailing comma/);
    // Five invalid rules among two valid ones: all five listed, the valid two still judged.
    const rules = ['{"Name": "shop", "EventPattern": {"source": ["shop"]}}'];
    for (let i = 1; i <= 5; i++) rules.push(`{"Name": "bad-${i}", "EventPattern": {"source": "shop"}}`);
    rules.push('{"Name": "other", "EventPattern": {"source": ["elsewhere"]}}');
    await fillEditor(page, 'editor-rule', `{"Rules": [\n${rules.join(',\n')}\n]}`);
    found = await diagnostics(page, 5);
    assert.deepEqual(found.map((d) => d.line), [3, 4, 5, 6, 7]);
    assert.equal(await page.locator('[data-testid=rule-result][data-matched=invalid]').count(), 5);
    assert.equal(await page.locator('[data-testid=rule-result][data-rule=other][data-matched=false]').count(), 1);
    // A bare pattern, as the EventBridge sandbox takes it: read as one rule, with a note.
    await fillEditor(page, 'editor-rule', '{"source": ["aws.s3"]}');
    await page.waitForSelector('[data-testid=rules-note]');
    assert.match(await page.textContent('[data-testid=rules-note]'), /bare event pattern/);
    await page.waitForSelector('[data-testid=rule-result][data-rule=event-pattern]');
  });
});

test('mocks of a misspelled state and a Throw without Error are diagnosed', async () => {
  await withPage('truth-mocks', async (page, url) => {
    await page.goto(url);
    await page.waitForSelector('[data-testid=diagnostics][data-count]');
    const machine = await page.inputValue('[data-testid=editor-machine]').catch(() => '');
    const task = Object.entries(JSON.parse(machine || '{"States": {}}').States).find(([, s]) => s.Type === 'Task');
    assert.ok(task, 'the first example has a Task');
    const typo = task[0].slice(0, -1) + task[0].slice(-1).toUpperCase() + 'x';
    await fillEditor(page, 'editor-mocks', `{\n  "${typo}": {"0": {"Return": {}}},\n  "${task[0]}": {"0": {"Throw": {"Cause": "no name"}}}\n}`);
    const found = await diagnostics(page, 2);
    assert.equal(found[0].line, 2);
    assert.ok(found[0].text.includes(`did you mean \`${task[0]}\`?`), found[0].text);
    assert.equal(found[1].line, 3);
    assert.match(found[1].text, /has no `Error`/);
  });
});

test('an exercise runs on a graph before it is checked, and a failed check names what differs', async () => {
  await withPage('truth-exercise', async (page, url) => {
    await page.goto(`${url}#/exercises/07-retry-throttling`);
    await page.waitForSelector('[data-testid=check]');
    await page.click('[data-testid=run]');
    await page.waitForSelector('[data-testid=exercise-run] [data-testid=graph] [data-state]');
    // It plays to the end: the execution's outcome is shown.
    await page.waitForSelector('[data-testid=exercise-run] [data-testid=result][data-outcome]', { timeout: 30000 });
    // A locked pane can be opened, read-only.
    const locked = page.locator('details.locked').first();
    await locked.locator('summary').click();
    assert.equal(await locked.evaluate((d) => d.open), true);
    await page.goto(`${url}#/exercises/05-input-transformer`);
    await page.waitForSelector('[data-testid=check]');
    await page.click('[data-testid=check]');
    await page.waitForSelector('[data-testid=check-results][data-state=failed]');
    for (const reason of await page.$$eval('[data-testid=check-result][data-passed=false] .reason', (r) => r.map((x) => x.textContent))) {
      assert.ok(!/[{[]"/.test(reason), `no raw JSON: ${reason}`);
    }
  });
});

test('the system timeline has a time axis and a lane for each target, dead-lettered too', async () => {
  await withPage('truth-system', async (page, url) => {
    await page.goto(url);
    await pickExample(page, 'system-orders');
    await page.click('[data-testid=run-system]');
    await page.waitForSelector('[data-testid=sys-axis] [data-testid=sys-tick]');
    assert.ok(await page.locator('[data-testid=sys-tick]').count() >= 2);
    await page.waitForSelector('[data-testid=sys-target-lane][data-outcome=dead-lettered]');
  }, { viewport: { width: 1280, height: 720 } });
});
