// Not a test: `node screens.mjs OUT_DIR [light|dark|both] [more]` saves the order-processing example
// with a run on screen (paused while ChargeCard waits for its second retry) at 1440×900, 1280×720
// and 390×844, as docs/screenshots/{before,after}/ hold them. With `more` it also saves the other
// views a person looks at (in each scheme asked for): the compensation run at its end (a Catch
// taken) and the system view at 1280×720, the read-only machine embed (its whole page), and a
// workshop exercise on a phone. The PNGs are reduced to 256 colours with `pngquant` (Debian's package) when it is
// installed, so they stay small in the repository; without it they are kept in full colour.
import { withPage, pickExample } from './harness.mjs';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const [out = 'screens', schemes = 'light', more] = process.argv.slice(2);
const SIZES = [[1440, 900], [1280, 720], [390, 844]];
const dir = path.resolve(out);
fs.mkdirSync(dir, { recursive: true });

/** Opens the example, runs it and stops on the moment ChargeCard is retrying (else the end). */
async function runOnScreen(page, url) {
  await page.goto(url);
  await page.waitForSelector('[data-testid=run]:not([disabled])');
  await pickExample(page, 'order-processing');
  await page.waitForSelector('[data-testid=graph] [data-state=ChargeCard]');
  await page.click('[data-testid=run]');
  await page.waitForSelector('[data-testid=scrubber]:not([disabled])');
  if ((await page.getAttribute('[data-testid=play]', 'aria-label')) === 'Pause') await page.click('[data-testid=play]');
  // Paused before the first frame, it is already at the start (the button is disabled there).
  if (await page.isEnabled('[aria-label="To the start"]')) await page.click('[aria-label="To the start"]');
  const len = Number(await page.getAttribute('[data-testid=scrubber]', 'max'));
  let retries = 0;
  for (let i = 0; i < len; i++) {
    await page.click('[data-testid=step-forward]');
    await page.waitForFunction((n) => document.querySelector('[data-testid=scrubber]').value === String(n), i + 1);
    if (await page.$('[data-testid=graph] [data-state=ChargeCard][data-status=retrying]')) {
      retries += 1;
      if (retries === 1) {
        // Move on to the second retry's wait (attempt 2 failed).
        while (await page.$('[data-testid=graph] [data-state=ChargeCard][data-status=retrying]')) {
          await page.click('[data-testid=step-forward]');
          i += 1;
        }
      } else break;
    }
  }
  // The top of the page, as it opens; then let the view settle (a followed state may have moved it).
  await page.evaluate(() => scrollTo(0, 0));
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

const list = schemes === 'both' ? ['light', 'dark'] : [schemes];
for (const scheme of list) {
  for (const [w, h] of SIZES) {
    const name = `order-processing-${w}x${h}-${scheme}`;
    const file = path.join(dir, `${name}.png`);
    await withPage(`screens-${name}`, async (page, url) => {
      await runOnScreen(page, url);
      await page.screenshot({ path: file });
    }, { viewport: { width: w, height: h }, colorScheme: scheme });
    saved(file);
  }
}

function saved(file) {
  try {
    execFileSync('pngquant', ['--force', '--skip-if-larger', '--output', file, '256', file], { stdio: 'ignore' });
  } catch { /* no pngquant: keep the full-colour PNG */ }
  console.log(`saved ${file} (${Math.round(fs.statSync(file).size / 1024)} KB)`);
}

/** Runs the workspace on screen and goes to its end. */
async function runToEnd(page) {
  await page.click('[data-testid=run]');
  await page.waitForSelector('[data-testid=scrubber]:not([disabled])', { timeout: 30000 });
  await page.click('[aria-label="To the end"]');
  await page.waitForFunction(() => { const s = document.querySelector('[data-testid=scrubber]'); return s.value === s.max; });
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

const VIEWS = [
  ['order-compensation-1280x720', [1280, 720], async (page, url) => {
    await page.goto(url);
    await page.waitForSelector('[data-testid=run]:not([disabled])');
    await pickExample(page, 'order-compensation');
    await page.waitForSelector('[data-testid=graph] [data-state=ShipOrder]');
    await runToEnd(page);
  }],
  ['system-orders-1280x720', [1280, 720], async (page, url) => {
    await page.goto(url);
    await page.waitForSelector('[data-testid=run]:not([disabled])');
    await pickExample(page, 'system-orders');
    await page.waitForSelector('[data-testid=graph] [data-state]');
    await page.click('[data-testid=run-system]');
    await page.waitForSelector('[data-testid=sys-axis] [data-testid=sys-tick]');
    await page.waitForSelector('[data-testid=result][data-outcome]', { timeout: 20000 }).catch(() => {});
  }],
  ['embed-order-processing-1000x800', [1000, 800], async (page, url) => {
    await page.goto(`${url}?embed&example=order-processing&panes=machine,graph&readonly`);
    await page.waitForSelector('[data-testid=graph] [data-state]');
    await page.click('[data-testid=run]');
    await page.waitForSelector('[data-testid=embed-outcome][data-outcome]', { timeout: 30000 });
  }, { fullPage: true }],
  ['exercise-390x844', [390, 844], async (page, url) => {
    await page.goto(`${url}#/exercises`);
    await page.waitForSelector('[data-testid=exercise-list]');
    await page.locator('[data-testid=exercise-link]').nth(1).click();
    await page.waitForSelector('[data-testid=instructions] h3');
  }],
];

if (more === 'more') {
  for (const scheme of list) {
    for (const [name, [w, h], show, shot = {}] of VIEWS) {
      const file = path.join(dir, `${name}-${scheme}.png`);
      await withPage(`screens-${name}-${scheme}`, async (page, url) => {
        await show(page, url);
        await page.evaluate(() => scrollTo(0, 0));
        await page.screenshot({ path: file, ...shot });
      }, { viewport: { width: w, height: h }, colorScheme: scheme });
      saved(file);
    }
  }
}
