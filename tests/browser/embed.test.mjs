// The documentation demo page (www/docs-demo.html): three embeds made by embed.js from
// <div data-statebridge>, each sized to its content by postMessage, plus the JS API in the page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withPage } from './harness.mjs';

test('the docs page shows three different embeds sized to their content', async () => {
  await withPage('docs-demo', async (page, url) => {
    await page.goto(`${url}docs-demo.html`);
    const ids = ['sb-rule', 'sb-machine', 'sb-full'];
    for (const id of ids) {
      await page.locator(`iframe[data-statebridge-frame=${id}]`).scrollIntoViewIfNeeded();
      // The frame reported its height and the page applied it.
      await page.waitForSelector(`iframe[data-statebridge-frame=${id}][data-sized]`, { timeout: 30000 });
    }
    const frame = (id) => page.frameLocator(`iframe[data-statebridge-frame=${id}]`);

    // 1. Rule and event only, editable: the verdict follows typing.
    const rule = frame('sb-rule');
    await rule.locator('[data-testid=editor-event]').waitFor();
    assert.equal(await rule.locator('[data-testid=editor-machine]').count(), 0, 'no machine pane');
    assert.equal(await rule.locator('[data-testid=graph]').count(), 0, 'no graph');
    await rule.locator('[data-testid=rule-result][data-matched]').first().waitFor();
    const event = await rule.locator('[data-testid=editor-event]').inputValue();
    await rule.locator('[data-testid=editor-event]').fill(event.replace(/"source":\s*"[^"]*"/, '"source": "somewhere.else"'));
    await rule.locator('[data-testid=rule-result][data-matched=false]').first().waitFor();

    // 2. Machine and graph, read-only: code view, no textarea; Run colours the graph.
    const machine = frame('sb-machine');
    await machine.locator('[data-testid=view-editor-machine]').waitFor();
    assert.equal(await machine.locator('textarea').count(), 0, 'read-only: no editors');
    await machine.locator('[data-testid=graph] [data-state]').first().waitFor();
    await machine.locator('[data-testid=run]').click();
    await machine.locator('[data-testid=graph] [data-status=succeeded], [data-testid=graph] [data-status=caught]').first().waitFor();

    // 3. The whole workspace, editable, in the dark theme.
    const full = frame('sb-full');
    for (const t of ['editor-event', 'editor-rule', 'editor-machine', 'editor-mocks', 'graph', 'history', 'result']) {
      await full.locator(`[data-testid=${t}]`).first().waitFor();
    }
    const bg = await full.locator('body').evaluate((b) => getComputedStyle(document.querySelector('.embed')).backgroundColor);
    assert.equal(bg, 'rgb(15, 20, 25)', 'dark theme');
    await full.locator('[data-testid=run]').click();
    await full.locator('[data-testid=result][data-outcome=SUCCEEDED]').waitFor({ timeout: 20000 });

    // Heights differ by content: the full workspace is taller than the rule.
    const h = {};
    for (const id of ids) h[id] = Number(await page.getAttribute(`iframe[data-statebridge-frame=${id}]`, 'data-sized'));
    assert.ok(h['sb-full'] > h['sb-rule'], JSON.stringify(h));
    const box = await page.locator('iframe[data-statebridge-frame=sb-rule]').boundingBox();
    assert.equal(Math.round(box.height), h['sb-rule']);

    // The page's own use of the JS API.
    await page.waitForSelector('#api-result[data-matched=false]');
    assert.match(await page.textContent('#api-result'), /150\.75/);
    await page.fill('#api-event', '{"source": "com.my-ecommerce.orders", "detail": {"totalAmount": 1500}}');
    await page.waitForSelector('#api-result[data-matched=true]');
    await page.fill('#api-pattern', '{"source": "x"}');
    await page.waitForSelector('#api-result[data-matched=error]');
    assert.match(await page.textContent('#api-result'), /pattern error in the pattern/);
  }, { viewport: { width: 1200, height: 900 } });
});

test('the host ignores messages of the wrong shape, origin or window', async () => {
  await withPage('embed-messages', async (page, url) => {
    await page.goto(`${url}docs-demo.html`);
    await page.waitForSelector('iframe[data-statebridge-frame=sb-rule][data-sized]', { timeout: 30000 });
    // The frame shows its example (fetched after the frame opens), and its height has settled.
    const frame = page.frames().find((f) => f.url().includes('id=sb-rule'));
    await frame.waitForSelector('[data-testid=embed] .pane', { timeout: 30000 });
    // Every height the host gives the frame from now on is recorded (the frame may still resize
    // itself as its content settles; those are heights of its own, never the 80 px minimum).
    await page.evaluate(() => {
      const frame = document.querySelector('iframe[data-statebridge-frame=sb-rule]');
      window.__sized = [];
      new MutationObserver(() => window.__sized.push(frame.getAttribute('data-sized')))
        .observe(frame, { attributes: true, attributeFilter: ['data-sized'] });
    });
    // From the page itself (not the frame's window), and with a bad shape from the frame: each
    // would size the frame to the 80 px minimum if it were taken.
    await page.evaluate(() => window.postMessage({ type: 'statebridge:resize', version: 1, id: 'sb-rule', height: 9 }, '*'));
    await frame.evaluate(() => {
      window.parent.postMessage({ type: 'statebridge:resize', version: 1, id: 'sb-rule', height: 'tall' }, '*');
      window.parent.postMessage({ type: 'statebridge:resize', version: 1, id: 'sb-rule', height: 7, extra: 1 }, '*');
      window.parent.postMessage('statebridge:resize 7', '*');
      // Then a good one, handled after them: once it has sized the frame, the others were seen.
      window.parent.postMessage({ type: 'statebridge:resize', version: 1, id: 'sb-rule', height: 321 }, '*');
    });
    await page.waitForFunction(() => window.__sized.includes('321'));
    const sized = await page.evaluate(() => window.__sized);
    assert.ok(!sized.includes('80'), `a message of the wrong shape or window sized the frame: ${sized.join(', ')}`);
  });
});

test('an embed URL alone picks workspace, panes, read-only and theme', async () => {
  await withPage('embed-url', async (page, url) => {
    await page.goto(`${url}?embed&example=order-compensation&panes=graph,history&readonly&theme=dark`);
    await page.waitForSelector('[data-testid=embed] [data-testid=graph] [data-state]');
    assert.equal(await page.locator('textarea').count(), 0);
    assert.equal(await page.getAttribute('html', 'data-theme'), 'dark');
    // The Playground link carries the workspace as a share link; an embed opens that link too.
    const href = await page.getAttribute('[data-testid=embed] a[href*="#v1="]', 'href');
    assert.ok(href, 'the Playground link is a share link');
    await page.goto(`${url}?embed&panes=machine,graph&theme=light${href.slice(href.indexOf('#'))}`);
    await page.reload();
    await page.waitForSelector('[data-testid=embed] [data-testid=graph] [data-state]');
    assert.match(await page.inputValue('[data-testid=editor-machine]'), /"StartAt"/);
    assert.equal(await page.getAttribute('html', 'data-theme'), 'light');
    await page.goto(`${url}?embed&example=no-such-thing`);
    await page.reload();
    await page.waitForSelector('[data-testid=embed-error]');
    assert.match(await page.textContent('[data-testid=embed-error]'), /no example `no-such-thing`/);
  });
});
