// JSONata in the playground: `{% … %}` strings are coloured apart from plain strings in the machine
// editor (light and dark), and the inspector lists each expression a state evaluated, with its
// value or its error, as far as the chosen moment reveals it; for a Choice, the rule that held.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withPage, SHOTS, pickExample, fillEditor, showEditor } from './harness.mjs';

const MACHINE = '[data-testid=editor-machine]';

async function openExample(page, url) {
  await page.goto(url);
  await page.waitForSelector('[data-testid=run]:not([disabled])');
  await pickExample(page, 'order-fulfilment-jsonata');
  await page.waitForSelector(`.editor:has(${MACHINE}) .t-ata`);
  const dismiss = await page.$('[data-testid=notice] [aria-label=Dismiss]');
  if (dismiss) await dismiss.click();
}

async function runToEnd(page, outcome) {
  await page.click('[data-testid=run]');
  await page.keyboard.press('End');
  await page.waitForSelector(`[data-testid=result][data-outcome=${outcome}]`, { timeout: 20000 });
}

async function inspect(page, state) {
  // By keyboard: a state may lie outside the part of the machine the pane shows.
  const node = page.locator(`[data-testid=graph] [data-state="${state}"]`);
  await node.focus();
  await node.press('Enter');
  await page.waitForSelector(`[data-testid=inspector][aria-label="Inspector: ${state}"]`);
  return page.waitForSelector('[data-testid=inspector] [data-testid=expressions]');
}

/** The inspector's expressions: field → { expression, value (parsed) or error text, chosen }. */
async function expressions(page) {
  return page.$$eval('[data-testid=inspector] .expr', (items) => items.map((li) => ({
    field: li.dataset.field,
    expression: li.querySelector('.expr-src').textContent,
    value: li.querySelector('.expr-value pre') ? JSON.parse(li.querySelector('.expr-value pre').textContent) : undefined,
    error: li.querySelector('.error-box')?.textContent,
    chosen: li.classList.contains('chosen'),
  })));
}

async function editMachine(page, from, to) {
  const text = await page.inputValue(MACHINE);
  assert.ok(text.includes(from), `the machine has ${from}`);
  await fillEditor(page, 'editor-machine', text.replace(from, to));
  await page.waitForSelector('[data-testid=run]:not([disabled])');
}

for (const scheme of ['light', 'dark']) {
  test(`the machine editor colours JSONata apart from plain strings (${scheme})`, async () => {
    await withPage(`jsonata-highlight-${scheme}`, async (page, url) => {
      await openExample(page, url);
      const colours = await page.$eval(`.editor:has(${MACHINE})`, (ed) => {
        const style = (sel) => { const s = getComputedStyle(ed.querySelector(sel)); return [s.color, s.backgroundColor]; };
        return { ata: style('.t-ata'), str: style('.t-str'), text: ed.querySelector('.t-ata').textContent };
      });
      assert.match(colours.text, /^"\{%.*%\}"$/);
      assert.notEqual(colours.ata[0], colours.str[0], 'JSONata and strings differ in colour');
      assert.notEqual(colours.ata[1], 'rgba(0, 0, 0, 0)', 'JSONata has a background tint');
      if (scheme === 'dark') {
        // Light ink on the dark panel.
        const [r, g, b] = colours.ata[0].match(/\d+/g).map(Number);
        assert.ok(r + g + b > 400, `a light colour for JSONata in the dark, got ${colours.ata[0]}`);
      }
    }, { colorScheme: scheme });
  });
}

test('the inspector shows what each JSONata expression evaluated to, at the chosen moment', async () => {
  await withPage('jsonata-inspector', async (page, url) => {
    await openExample(page, url);
    await runToEnd(page, 'SUCCEEDED');

    await inspect(page, 'ValidateOrder');
    let rows = await expressions(page);
    assert.deepEqual(rows.map((r) => r.field),
      ['Arguments.Payload', 'Output', 'Assign.orderId', 'Assign.total', 'Assign.itemCount']);
    assert.equal(rows[0].expression, '{% $states.input %}');
    assert.equal(rows[0].value.orderId, 'ORD-987654');
    assert.equal(rows.find((r) => r.field === 'Assign.itemCount').value, 3);
    assert.equal(rows.find((r) => r.field === 'Assign.total').value, 150.75);

    // Early on (the task just scheduled), only the Arguments are known.
    await page.fill('[data-testid=scrubber]', '3');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=inspector] .expr').length === 1);
    assert.deepEqual((await expressions(page)).map((r) => r.field), ['Arguments.Payload']);
    await page.keyboard.press('End');

    // The Choice: its one Condition did not hold, so the Default was followed.
    await inspect(page, 'NeedsApproval?');
    rows = await expressions(page);
    assert.deepEqual(rows, [{ field: 'Choices[0].Condition', expression: '{% $total > 1000 %}', value: false, error: undefined, chosen: false }]);
    assert.match(await page.textContent('[data-testid=expressions]'), /Default/);

    // Lower the threshold: the rule holds and is marked as the one followed.
    await editMachine(page, '$total > 1000', '$total > 100');
    // The approval task has no mock (it returns its arguments): pass its input on unchanged.
    await editMachine(page, '"Next": "ProcessPayment"', '"Output": "{% $states.input %}", "Next": "ProcessPayment"');
    await runToEnd(page, 'SUCCEEDED');
    await inspect(page, 'NeedsApproval?');
    rows = await expressions(page);
    assert.equal(rows[0].value, true);
    assert.equal(rows[0].chosen, true);
    await page.locator('[data-testid=expressions]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/jsonata-choice-1280x800.png` });
    await inspect(page, 'RequestApproval');
    rows = await expressions(page);
    assert.deepEqual(rows.map((r) => r.field), ['Arguments.Payload.orderId', 'Arguments.Payload.total', 'Output']);
    assert.deepEqual(rows.slice(0, 2).map((r) => r.value), ['ORD-987654', 150.75]);
    assert.equal(rows[2].value.orderId, 'ORD-987654');
  }, { viewport: { width: 1280, height: 800 } });
});

for (const scheme of ['light', 'dark']) {
  test(`a failing expression shows its error in the inspector (${scheme})`, async () => {
    await withPage(`jsonata-error-${scheme}`, async (page, url) => {
      await openExample(page, url);
      await editMachine(page, "'tracking': $states.result.Payload.trackingNumber", "'tracking': $number('UPS-' & $states.result.Payload.trackingNumber)");
      await runToEnd(page, 'FAILED');
      await inspect(page, 'ShipOrder');
      const rows = await expressions(page);
      const failed = rows.find((r) => r.error);
      assert.equal(failed.field, 'Output');
      assert.match(failed.error, /States\.QueryEvaluationError/);
      assert.match(failed.error, /Output/);
      assert.equal(failed.value, undefined);
      // The error box is drawn in the error style.
      const border = await page.$eval('[data-testid=inspector] .expr.failed', (li) => getComputedStyle(li).borderLeftColor);
      assert.notEqual(border, await page.$eval('[data-testid=inspector] .expr:not(.failed)', (li) => getComputedStyle(li).borderLeftColor));
      await page.locator('[data-testid=inspector] .expr.failed').scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${SHOTS}/jsonata-error-${scheme}-1280x800.png` });
    }, { viewport: { width: 1280, height: 800 }, colorScheme: scheme });
  });
}
