// The workshop: a learner opens the exercise list, solves the first exercise by typing, and sees
// every check pass or fail with its reason; progress survives a reload (localStorage).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withPage } from './harness.mjs';

test('a learner solves the first exercise in the browser', async () => {
  await withPage('exercises', async (page, url) => {
    await page.goto(`${url}#/exercises`);
    await page.waitForSelector('[data-testid=exercise-list]');
    const links = await page.locator('[data-testid=exercise-link]').count();
    assert.ok(links >= 8, `${links} exercises listed`);
    assert.match(await page.textContent('[data-testid=progress]'), /0 of \d+ solved/);
    await page.locator('[data-testid=exercise-link]').first().click();

    // The instructions are rendered Markdown (a heading, emphasis), not raw text.
    await page.waitForSelector('[data-testid=instructions] h3');
    assert.ok(await page.locator('[data-testid=instructions] strong').count() > 0);
    // Locked panes have no editor; the rule does.
    assert.equal(await page.locator('[data-testid=editor-event]').count(), 0);
    await page.screenshot({ path: `${process.env.SHOTS ?? 'screenshots'}/exercise-start.png` }).catch(() => {});

    // Check the starting workspace: it fails, with the reason.
    await page.click('[data-testid=check]');
    await page.waitForSelector('[data-testid=check-results][data-state=failed]');
    const failed = page.locator('[data-testid=check-result][data-passed=false]');
    assert.ok(await failed.count() >= 1);
    assert.match(await failed.first().textContent(), /OrderPlaced/);

    // A hint, then the fix typed as a learner would.
    await page.click('[data-testid=show-hint]');
    await page.waitForSelector('[data-testid=hint]');
    const editor = page.locator('[data-testid=editor-rule]');
    const text = await editor.inputValue();
    const at = text.indexOf('OrderPlaced');
    assert.ok(at > 0);
    await editor.click();
    await editor.evaluate((el, at) => el.setSelectionRange(at, at + 'OrderPlaced'.length), at);
    await page.keyboard.type('OrderCreated');
    assert.ok((await editor.inputValue()).includes('"OrderCreated"'));

    await page.click('[data-testid=check]');
    await page.waitForSelector('[data-testid=check-results][data-state=passed]');
    const results = page.locator('[data-testid=check-result]');
    const n = await results.count();
    assert.equal(await page.locator('[data-testid=check-result][data-passed=true]').count(), n);
    await page.waitForSelector('[data-testid=next-exercise]');

    // Progress and the draft survive a reload.
    await page.reload();
    await page.waitForSelector('[data-testid=editor-rule]');
    assert.ok((await page.inputValue('[data-testid=editor-rule]')).includes('"OrderCreated"'));
    await page.click('[data-testid=exercise-back]');
    await page.waitForSelector('[data-testid=exercise-list] li[data-solved=true]');
    assert.match(await page.textContent('[data-testid=progress]'), /1 of \d+ solved/);
  });
});

test('invalid JSON in an editor is reported with its place instead of checks', async () => {
  await withPage('exercise-unreadable', async (page, url) => {
    await page.goto(`${url}#/exercises/01-route-orders`);
    await page.waitForSelector('[data-testid=editor-rule]');
    await page.fill('[data-testid=editor-rule]', '{\n  "Rules": [,]\n}');
    await page.click('[data-testid=check]');
    await page.waitForSelector('[data-testid=check-results][data-state=unreadable]');
    assert.match(await page.textContent('[data-testid=check-results]'), /Rules: line 2, column \d+/);
  });
});
