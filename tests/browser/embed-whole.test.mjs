// A read-only machine embed draws the whole machine, before and after Run, with how the run ended
// in its bar; its status key covers no state, and the "Part of the machine" line (on a graph
// shown in part) never lies under the zoom buttons.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withPage } from './harness.mjs';

const overlap = (a, b) => a && b && a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

for (const [w, h] of [[1200, 900], [390, 844]]) {
  test(`the machine embed shows the whole machine and its result at ${w}×${h}`, async () => {
    await withPage(`embed-whole-${w}`, async (page, url) => {
      await page.goto(`${url}?embed&example=order-compensation&panes=machine,graph&readonly`);
      await page.waitForSelector('[data-testid=graph] [data-state]');
      await page.click('[data-testid=run]');
      await page.waitForSelector('[data-testid=embed-outcome][data-outcome=FAILED]', { timeout: 30000 });
      assert.match(await page.textContent('[data-testid=embed-outcome]'), /FAILED · \S+/);
      assert.equal(await page.locator('[data-testid=graph-part]').count(), 0, 'no part of the machine is out of view');
      const graph = await page.locator('[data-testid=graph]').boundingBox();
      const legend = await page.locator('[data-testid=graph] .legend').boundingBox();
      for (const node of await page.locator('[data-testid=graph] [data-state]').all()) {
        const b = await node.boundingBox();
        const name = await node.getAttribute('data-state');
        assert.ok(b.x >= graph.x - 1 && b.y >= graph.y - 1 && b.x + b.width <= graph.x + graph.width + 1
          && b.y + b.height <= graph.y + graph.height + 1, `${name} is inside the graph`);
        if (legend && legend.height > 0) assert.ok(!overlap(b, legend), `the legend covers ${name}`);
      }
    }, { viewport: { width: w, height: h } });
  });
}

test('the "Part of the machine" line never lies under the zoom buttons', async () => {
  await withPage('graph-part-narrow', async (page, url) => {
    await page.goto(`${url}?embed&example=order-processing&panes=graph`);
    await page.waitForSelector('[data-testid=graph] [data-state]');
    // A graph shown in part: zoomed in until it says so.
    for (let i = 0; i < 4 && !(await page.locator('[data-testid=graph-part]').count()); i++) {
      await page.click('[aria-label="Zoom in"]');
    }
    await page.waitForSelector('[data-testid=graph-part]');
    const part = await page.locator('[data-testid=graph-part]').boundingBox();
    const tools = await page.locator('.graph-tools').boundingBox();
    assert.ok(!overlap(part, tools), `${JSON.stringify(part)} under ${JSON.stringify(tools)}`);
  }, { viewport: { width: 320, height: 700 } });
});
