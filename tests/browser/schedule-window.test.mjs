// The System run's schedule window: a person widens it to a week and sees a week of firings
// (the 4-hourly rule capped at its ten), then narrows it to six hours and sees two; a share link
// made then opens on the six-hour window, and its System run shows the same two firings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withPage, pickExample } from './harness.mjs';

test('the schedule window sets how long schedules fire in a system run, and a share link keeps it', async () => {
  let link = '';
  await withPage('schedule-window', async (page, url) => {
    await page.goto(url);
    await page.waitForSelector('[data-testid=run]:not([disabled])');
    await pickExample(page, 'scheduled-report');
    await page.waitForSelector('[data-testid=graph] [data-state=Gather]');
    assert.equal(await page.inputValue('[data-testid=schedule-window]'), '86400');
    await page.click('[data-testid=run-system]');
    const summary = () => page.textContent('[data-testid=system-summary]');
    await page.waitForFunction(() => /7 schedule firings/.test(
      document.querySelector('[data-testid=system-summary]')?.textContent ?? ''));

    // A week: the nightly report seven times, the reminder once, the digest capped at ten.
    await page.selectOption('[data-testid=schedule-window]', '604800');
    await page.waitForFunction(() => /to 2026-03-09T00:00:00/.test(
      document.querySelector('[data-testid=system-summary]')?.textContent ?? ''));
    assert.match(await summary(),
      /18 schedule firings from 2026-03-02T00:00:00 to 2026-03-09T00:00:00 \(capped: rule `DigestEvery4Hours`\)/);
    const nightly = await page.$$eval('[data-testid=sys-event][data-bus="(scheduler)"]',
      (li) => li.map((e) => e.dataset.detailType).filter((t) => t.includes('NightlyReport')));
    assert.equal(nightly.length, 7);

    // Six hours: the 04:00 digest and the 01:00 UTC (02:00 Berlin) report.
    await page.selectOption('[data-testid=schedule-window]', '21600');
    await page.waitForFunction(() => /to 2026-03-02T06:00:00/.test(
      document.querySelector('[data-testid=system-summary]')?.textContent ?? ''));
    assert.match(await summary(), /2 schedule firings from 2026-03-02T00:00:00 to 2026-03-02T06:00:00/);
    assert.equal(await page.inputValue('[data-testid=schedule-window]'), '21600');
    await page.$eval('[data-testid=system]', (e) => e.scrollIntoView());

    await page.click('[data-testid=share]');
    await page.waitForSelector('[data-testid=notice]:has-text("Share link")');
    link = await page.evaluate(() => location.hash);
  });
  assert.match(link, /^#v1=/);
  await withPage('schedule-window-link', async (page, url) => {
    await page.goto(url + link);
    await page.waitForSelector('[data-testid=run]:not([disabled])');
    assert.equal(await page.inputValue('[data-testid=schedule-window]'), '21600');
    await page.click('[data-testid=run-system]');
    await page.waitForFunction(() => /2 schedule firings from 2026-03-02T00:00:00 to 2026-03-02T06:00:00/.test(
      document.querySelector('[data-testid=system-summary]')?.textContent ?? ''));
  });
});
