import { withPage, pickExample } from './harness.mjs';
const sizes = [[1440, 900], [1280, 720], [390, 844]];
const which = process.argv[2];
for (const [w, h] of sizes) for (const scheme of ['light', 'dark']) {
  const tag = `${which}-${w}-${scheme}`;
  await withPage(tag, async (page, url) => {
    if (which === 'embed') {
      await page.goto(`${url}?embed&example=order-compensation&panes=machine,graph&readonly&theme=${scheme}`);
      await page.waitForSelector('[data-testid=graph] [data-state]');
      await page.click('[data-testid=run]');
      await page.waitForSelector('[data-testid=embed-outcome][data-outcome]:not([data-outcome=""])', { timeout: 30000 });
    } else if (which === 'system') {
      await page.goto(url);
      await pickExample(page, 'system-orders');
      await page.click('[data-testid=run-system]');
      await page.waitForSelector('[data-testid=sys-target-lane][data-outcome=dead-lettered]', { timeout: 30000 });
      await page.screenshot({ path: `${process.env.SHOTS}/${tag}-fold.png` });
    } else if (which === 'exercise') {
      await page.goto(`${url}#/exercises/07-retry-throttling`);
      await page.waitForSelector('[data-testid=check]');
      await page.click('[data-testid=run]');
      await page.waitForSelector('[data-testid=exercise-run] [data-testid=result][data-outcome]', { timeout: 30000 });
      await page.screenshot({ path: `${process.env.SHOTS}/${tag}-fold.png` });
    } else if (which === 'main') {
      await page.goto(url);
      await page.waitForSelector('[data-testid=diagnostics][data-count]');
      await page.click('[data-testid=run]');
      await page.waitForSelector('[data-testid=result][data-outcome]:not([data-outcome=none]):not([data-outcome=RUNNING])', { timeout: 30000 });
      await page.screenshot({ path: `${process.env.SHOTS}/${tag}-fold.png` });
    }
  }, { viewport: { width: w, height: h }, colorScheme: scheme });
}
