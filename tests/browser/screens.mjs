// Not a test: `node screens.mjs OUT_DIR [light|dark|both]` saves the order-processing example with
// a run on screen (paused while ChargeCard waits for its second retry) at 1440×900, 1280×720 and
// 390×844, as docs/screenshots/{before,after}/ hold them. The PNGs are reduced to 256 colours
// with `pngquant` (Debian's package) when it is installed, so they stay small in the repository.
import { withPage, pickExample } from './harness.mjs';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const [out = 'screens', schemes = 'light'] = process.argv.slice(2);
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
    try {
      execFileSync('pngquant', ['--force', '--skip-if-larger', '--output', file, '256', file]);
    } catch { /* no pngquant: keep the full-colour PNG */ }
    console.log(`saved ${file} (${Math.round(fs.statSync(file).size / 1024)} KB)`);
  }
}
