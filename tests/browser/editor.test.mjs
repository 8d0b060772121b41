// The code editor (CodeMirror, loaded after the first paint): a 2 MB event typed into as a user
// would, completion of a state's fields, hover documentation, diagnostics brought into view and
// a quick fix. Timings are in perf.mjs; these tests only wait for what a user would see.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { withPage, showEditor, SHOTS } from './harness.mjs';

const CODE = { editor: 'code' };

/** Shows an editor and waits until it is the code editor. */
async function codeEditor(page, testid) {
  await page.waitForSelector('[data-testid=run]:not([disabled])');
  await showEditor(page, testid);
  const content = page.locator(`.cm-content[data-testid=${testid}]`);
  await content.waitFor();
  return content;
}

/** Replaces the whole text of a code editor as Ctrl+A, Ctrl+V do (the paste event carries the
 * clipboard's text, as the browser's own paste does). */
async function paste(page, content, text) {
  await content.click();
  await page.keyboard.press('Control+a');
  await content.evaluate((el, t) => {
    const data = new DataTransfer();
    data.setData('text/plain', t);
    el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, text);
}

/** The text an editor holds, read through the app: its plain-text mode shows the workspace's text. */
async function workspaceText(page, testid) {
  await page.click(`[data-testid=plain-${testid}]`);
  const box = page.locator(`textarea[data-testid=${testid}]`);
  await box.waitFor();
  const text = await box.inputValue();
  await page.click(`[data-testid=plain-${testid}]`);
  await page.locator(`.cm-content[data-testid=${testid}]`).waitFor();
  return text;
}

function bigEvent(bytes) {
  const items = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const item = { id: `item-${i}`, sku: `SKU-${(i * 7919) % 100000}`, qty: i % 9, price: (i % 1000) / 10 };
    items.push(item);
    size += JSON.stringify(item).length + 1;
  }
  return { version: '0', id: 'big', 'detail-type': 'OrderCreated', source: 'shop', account: '123456789012',
    time: '2026-03-01T00:00:00Z', region: 'us-east-1', resources: [], detail: { items } };
}

test('a 2 MB event pasted on one line can be typed into at its end', async () => {
  await withPage('editor-big', async (page, url) => {
    await page.goto(url);
    const content = await codeEditor(page, 'editor-event');
    const text = JSON.stringify(bigEvent(2 * 1024 * 1024));
    await paste(page, content, text);
    await page.keyboard.press('Control+End');
    await page.keyboard.type(' ', { delay: 0 });
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Backspace');
    await page.keyboard.type('} ');
    // Only the part of the line in view is in the page, not 2 MB of text.
    const rendered = await content.evaluate((el) => el.textContent.length);
    assert.ok(rendered < 200_000, `the editor renders ${rendered} characters of a 2 MB line`);
    // The plain editor shows the workspace's text once the code editor has handed its last edit over.
    await page.click('[data-testid=plain-editor-event]');
    await page.waitForFunction((n) => document.querySelector('textarea[data-testid=editor-event]')?.value.length === n,
      text.length + 1, { timeout: 60000, polling: 250 });
    const got = await page.locator('textarea[data-testid=editor-event]').inputValue();
    assert.ok(got.endsWith('}} '));
  }, CODE);
});

const MACHINE_HEAD = `{
  "Comment": "Charge a card, then ship",
  "StartAt": "Charge",
  "States": {
    "Charge": {
      "Type": "Task",
      "Resource": "arn:aws:states:::lambda:invoke",
      "ResultSelector": { "status.$": "$.Payload.status" },
      "Next": "Ship"
    },
    "Ship": {
      `;

for (const colorScheme of ['light', 'dark']) {
  test(`completion offers a state's fields for "Ty and writes the member (${colorScheme})`, async () => {
    await withPage(`editor-completion-${colorScheme}`, async (page, url) => {
      await page.goto(url);
      const content = await codeEditor(page, 'editor-machine');
      await paste(page, content, MACHINE_HEAD);
      await page.keyboard.type('"Ty');
      const option = page.locator('.cm-tooltip-autocomplete li', { hasText: 'Type' }).first();
      await option.waitFor();
      await page.locator('.cm-completionInfo').waitFor();
      await page.screenshot({ path: path.join(SHOTS, `editor-completion-popup-${colorScheme}.png`) });
      // (Clicked: Enter is refused for 75 ms after the list opens, so that a key meant as a new
      // line is not taken as a choice; a test may be that quick.)
      await option.click();
      await page.waitForFunction(() => [...document.querySelectorAll('.cm-content[data-testid=editor-machine] .cm-line')].at(-1)?.textContent.trim() === '"Type":');
      // Then the state types, each with its documentation.
      await page.keyboard.type('"Su');
      await page.locator('.cm-tooltip-autocomplete li', { hasText: 'Succeed' }).first().waitFor();
      await page.locator('.cm-completionInfo', { hasText: 'terminal state' }).waitFor();
      // An intrinsic function in a `.$` member, with its signature.
      await page.keyboard.press('Escape');
      await page.keyboard.press('End');
      await page.keyboard.type(',\n"Parameters": {\n"id.$": "States.Fo');
      const intrinsic = page.locator('.cm-tooltip-autocomplete li', { hasText: 'States.Format' }).first();
      await intrinsic.waitFor();
      assert.match(await intrinsic.textContent(), /States\.Format/);
      await page.screenshot({ path: path.join(SHOTS, `editor-completion-intrinsic-${colorScheme}.png`) });
    }, { ...CODE, colorScheme });
  });

  test(`hovering ResultSelector shows what it does (${colorScheme})`, async () => {
    await withPage(`editor-hover-${colorScheme}`, async (page, url) => {
      await page.goto(url);
      const content = await codeEditor(page, 'editor-machine');
      await paste(page, content, `${MACHINE_HEAD}"Type": "Succeed"\n    }\n  }\n}`);
      await page.locator('.cm-content .t-key', { hasText: '"ResultSelector"' }).hover();
      const doc = page.locator('.cm-tooltip-hover .sb-doc');
      await doc.waitFor();
      assert.match(await doc.textContent(), /^ResultSelector.*raw result/);
      await page.screenshot({ path: path.join(SHOTS, `editor-hover-${colorScheme}.png`) });
    }, { ...CODE, colorScheme });
  });
}

test('an event pattern operator is completed with its example', async () => {
  await withPage('editor-pattern-completion', async (page, url) => {
    await page.goto(url);
    const content = await codeEditor(page, 'editor-rule');
    await paste(page, content, '{\n  "Rules": [\n    { "Name": "big", "EventPattern": { "detail": { "amount": [ { ');
    await page.keyboard.type('"nu');
    await page.locator('.cm-tooltip-autocomplete li', { hasText: 'numeric' }).first().waitFor();
    const info = page.locator('.cm-completionInfo');
    await info.waitFor();
    assert.match(await info.textContent(), /numeric/);
  }, CODE);
});

test('"Input" where "InputPath" was meant: the quick fix renames it', async () => {
  await withPage('editor-fix-inputpath', async (page, url) => {
    await page.goto(url);
    const content = await codeEditor(page, 'editor-machine');
    await paste(page, content, `{\n  "StartAt": "A",\n  "States": {\n    "A": {\n      "Type": "Pass",\n      "Input": "$.order",\n      "End": true\n    }\n  }\n}`);
    const mark = page.locator('.cm-lintRange-error', { hasText: 'Input' });
    await mark.waitFor();
    await mark.hover();
    const fix = page.locator('.cm-tooltip-lint .cm-diagnosticAction', { hasText: 'InputPath' });
    await fix.waitFor();
    await fix.click();
    await page.waitForFunction(() => !document.querySelector('[data-testid=diagnostics] li.diag[data-source="State machine"]'));
    const text = await workspaceText(page, 'editor-machine');
    assert.ok(text.includes('"InputPath": "$.order"'), text);
  }, CODE);
});

/** A machine of many Pass states whose state 150 names a state that does not exist. */
function longMachine() {
  const states = {};
  for (let i = 1; i <= 200; i++) {
    states[`Step${i}`] = i === 200 ? { Type: 'Succeed' } : { Type: 'Pass', Next: i === 150 ? 'Step1511' : `Step${i + 1}` };
  }
  return JSON.stringify({ StartAt: 'Step1', States: states }, null, 2);
}

for (const colorScheme of ['light', 'dark']) {
  test(`clicking a diagnostic brings its line into view, and its quick fix repairs it (${colorScheme})`, async () => {
    await withPage(`editor-diagnostic-${colorScheme}`, async (page, url) => {
      await page.goto(url);
      const content = await codeEditor(page, 'editor-machine');
      await paste(page, content, longMachine());
      await page.keyboard.press('Control+Home');
      const diag = page.locator('[data-testid=diagnostics] li.diag', { hasText: 'Step1511' });
      await diag.waitFor();
      const line = Number(await diag.getAttribute('data-line'));
      assert.ok(line > 400, `the problem is far down (line ${line})`);
      await diag.locator('button').click();
      // The marked value is in the editor's view.
      const mark = page.locator('.cm-lintRange-error', { hasText: 'Step1511' });
      await mark.waitFor();
      const scroller = await page.locator('.cm-editor:has([data-testid=editor-machine]) .cm-scroller').boundingBox();
      const box = await mark.boundingBox();
      assert.ok(box.y >= scroller.y && box.y + box.height <= scroller.y + scroller.height, 'the mark is in view');
      await mark.hover();
      const fix = page.locator('.cm-tooltip-lint .cm-diagnosticAction', { hasText: 'Step151' });
      await fix.waitFor();
      await page.screenshot({ path: path.join(SHOTS, `editor-error-mark-${colorScheme}.png`) });
      await fix.click();
      await page.waitForFunction(() => !document.querySelector('[data-testid=diagnostics] li.diag[data-source="State machine"]'));
      const text = await workspaceText(page, 'editor-machine');
      assert.ok(text.includes('"Next": "Step151"') && !text.includes('Step1511'));
    }, { ...CODE, colorScheme });
  });
}

test('the plain editor also scrolls to a diagnostic it is sent to', async () => {
  await withPage('editor-plain-diagnostic', async (page, url) => {
    await page.goto(url);
    await page.waitForSelector('[data-testid=run]:not([disabled])');
    await showEditor(page, 'editor-machine');
    await page.fill('[data-testid=editor-machine]', longMachine());
    const diag = page.locator('[data-testid=diagnostics] li.diag', { hasText: 'Step1511' });
    await diag.locator('button').click();
    await page.waitForFunction(() => {
      const pane = document.querySelector('textarea[data-testid=editor-machine]').closest('.editor-scroll');
      // The line's mark in the gutter (a text over 10 KB is not coloured, so its mark is there).
      const mark = pane.querySelector('.gutter .has-diag');
      if (!mark) return false;
      const a = pane.getBoundingClientRect(), b = mark.getBoundingClientRect();
      return b.top >= a.top && b.bottom <= a.bottom;
    });
  });
});

test('the caret on the last line in view stays in view when the problem line appears below the editor', async () => {
  await withPage('editor-caret-above-problem', async (page, url) => {
    await page.goto(url);
    const content = await codeEditor(page, 'editor-event');
    await paste(page, content, JSON.stringify(bigEvent(20 * 1024), null, 2));
    await content.click();
    await page.keyboard.press('Control+End');
    // The caret is on the last line, at the foot of the view; a mistake typed there is diagnosed
    // and the editor's box shrinks for the line that names it.
    await page.keyboard.type('x');
    await page.waitForSelector('.editor .editor-foot');
    await page.waitForSelector('[data-testid=editor-event] ~ * .cm-lintRange-error, .cm-lintRange-error');
    await page.waitForFunction(() => {
      const scroller = document.querySelector('.cm-content[data-testid=editor-event]').closest('.cm-scroller');
      const caret = scroller.parentElement.querySelector('.cm-cursor');
      if (!caret) return false;
      const box = scroller.getBoundingClientRect();
      const at = caret.getBoundingClientRect();
      return at.top >= box.top && at.bottom <= box.bottom + 0.5;
    }, null, { timeout: 10000 });
    await page.screenshot({ path: path.join(SHOTS, 'editor-caret-above-problem.png') });
  }, CODE);
});

test('the plain editor with a text over 256 KB says the code editor is the quick one, and switches to it', async () => {
  await withPage('editor-plain-big', async (page, url) => {
    await page.goto(url);
    await page.waitForSelector('[data-testid=run]:not([disabled])');
    await showEditor(page, 'editor-event');
    // A small text: no note.
    await page.fill('[data-testid=editor-event]', '{"source": "shop"}');
    assert.equal(await page.locator('[data-testid=plain-slow-editor-event]').count(), 0);
    const big = JSON.stringify({ source: 'shop', detail: { items: Array.from({ length: 9000 }, (_, i) => ({ sku: `sku-${i}`, note: 'n'.repeat(20) })) } });
    assert.ok(big.length > 300_000);
    // Pasted as Ctrl+V delivers it to a textarea: a new value and one input event.
    await page.locator('[data-testid=editor-event]').evaluate((el, t) => {
      el.value = t;
      el.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertFromPaste' }));
    }, big);
    const note = page.locator('[data-testid=plain-slow-editor-event]');
    await note.waitFor();
    assert.match(await note.textContent(), /^4[0-9]{2} KB: slow in a plain text box, which redraws all of it at every key/);
    await note.locator('button', { hasText: 'Use the code editor' }).click();
    await page.waitForSelector('.cm-content[data-testid=editor-event]');
    assert.equal(await note.count(), 0);
    assert.equal(await page.evaluate(() => localStorage.getItem('statebridge.editor')), 'code');
    // The text went across whole.
    assert.equal(await workspaceText(page, 'editor-event'), big);
  });
});
