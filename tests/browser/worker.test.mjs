// The engine works in a Web Worker: a long run shows its progress (history events recorded, Map
// iterations ended) and a Stop button; the page stays usable meanwhile; Stop ends the run, keeps
// the user's texts, and the next run works.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { withPage, SHOTS, fillEditor, showEditor, LONG_JSONATA_MAP } from './harness.mjs';

const LONG = LONG_JSONATA_MAP;

const SMALL = JSON.stringify({
  StartAt: 'Hello', States: { Hello: { Type: 'Pass', Result: { greeting: 'hello' }, End: true } },
}, null, 2);

test('a long run shows its progress, Stop ends it, and the page runs the next one', async () => {
  await withPage('worker-stop', async (page, url) => {
    await page.goto(url);
    await page.waitForSelector('[data-testid=run]:not([disabled])');
    await fillEditor(page, 'editor-machine', LONG);
    await page.waitForSelector('[data-testid=graph] [data-state="Work"]', { timeout: 30000 });
    await page.click('[data-testid=run]');

    // The Working bar: what runs, events recorded, iterations ended, and a Stop button.
    await page.waitForSelector('[data-testid=working] [data-kind=run]', { timeout: 30000 });
    await page.waitForFunction(() => {
      const p = document.querySelector('[data-testid=working] [data-kind=run] [data-testid=working-progress]');
      return p && Number(p.dataset.events) > 0 && /Map iterations? ended/.test(p.textContent);
    }, null, { timeout: 60000 });
    const said = await page.textContent('[data-testid=working]');
    assert.match(said, /Running the state machine/);
    assert.match(said, /[\d,]+ history events/);
    await page.screenshot({ path: path.join(SHOTS, 'worker-progress.png') });

    // The page answers while the run works: an edit lands in the event editor at once.
    await showEditor(page, 'editor-event');
    await page.fill('[data-testid=editor-event]', '{"source": "shop", "detail-type": "typed during the run", "detail": {}}');
    assert.match(await page.inputValue('[data-testid=editor-event]'), /typed during the run/);
    assert.ok(await page.isVisible('[data-testid=working] [data-kind=run]'), 'the run still works');

    // Stop: the bar goes, the execution pane says it was stopped and how far it came.
    await page.click('[data-testid=stop]');
    await page.waitForSelector('[data-testid=working]', { state: 'detached' });
    await page.waitForSelector('[data-testid=result][data-outcome=UNAVAILABLE]');
    assert.match(await page.textContent('[data-testid=result]'), /You stopped the run after [\d.]+ s, with [\d,]+ history events recorded/);
    await page.screenshot({ path: path.join(SHOTS, 'worker-stopped.png') });

    // The work is kept: the machine and the event are as the user left them.
    await showEditor(page, 'editor-machine');
    assert.equal(await page.inputValue('[data-testid=editor-machine]'), LONG);
    await showEditor(page, 'editor-event');
    assert.match(await page.inputValue('[data-testid=editor-event]'), /typed during the run/);

    // A fresh worker runs the next machine.
    await fillEditor(page, 'editor-machine', SMALL);
    await page.waitForSelector('[data-testid=graph] [data-state="Hello"]');
    await page.click('[data-testid=run]');
    await page.keyboard.press('End');
    await page.waitForSelector('[data-testid=result][data-outcome=SUCCEEDED]', { timeout: 30000 });
    assert.match(await page.textContent('[data-testid=output]'), /"greeting": "hello"/);
  });
});
