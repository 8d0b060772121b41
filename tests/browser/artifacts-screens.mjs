// Not a test: `node artifacts-screens.mjs OUT_DIR [light|dark|both]` saves the From AWS tab's three
// parts with the example artifacts (www/artifacts) at 1440×900, 1280×720 and 390×844, as
// docs/screenshots/after/artifacts-*.png hold them (reduced to 256 colours by pngquant when present).
import { withPage } from './harness.mjs';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const [out = 'screens', schemes = 'both'] = process.argv.slice(2);
const SIZES = [[1440, 900], [1280, 720], [390, 844]];
const dir = path.resolve(out);
fs.mkdirSync(dir, { recursive: true });

const settle = (page) => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));

async function open(page, url, part) {
  await page.goto(url);
  await page.waitForSelector('[data-testid=run]:not([disabled])');
  await page.click('[data-testid=tab-aws]');
  await page.click(`[data-testid=aws-part-${part}]`);
}

const PARTS = {
  async history(page, url) {
    await open(page, url, 'history');
    await page.click('[data-testid=aws-history-example]');
    await page.waitForFunction(() => document.querySelector('[data-testid=aws-history]').value.length > 100);
    await page.click('[data-testid=aws-replay]');
    await page.waitForSelector('[data-testid=scrubber]:not([disabled])');
    if ((await page.getAttribute('[data-testid=play]', 'aria-label')) === 'Pause') await page.click('[data-testid=play]');
    await page.fill('[data-testid=scrubber]', '10');
    await page.waitForSelector('[data-state=ChargeCard][data-status=retrying]');
    await page.click('[data-testid=graph] [data-state="ChargeCard"]');
    await page.waitForSelector('[data-testid=inspector]');
  },
  async template(page, url) {
    await open(page, url, 'template');
    await page.click('[data-testid=aws-template-example]');
    await page.waitForFunction(() => document.querySelector('[data-testid=aws-template]').value.length > 100);
    await page.click('[data-testid=aws-import]');
    await page.waitForSelector('[data-testid=aws-import-summary]');
    await page.click('[data-testid=aws-export-yaml]');
    await page.waitForSelector('[data-testid=aws-export-text]');
  },
  async matrix(page, url) {
    await open(page, url, 'template');
    await page.click('[data-testid=aws-template-example]');
    await page.waitForFunction(() => document.querySelector('[data-testid=aws-template]').value.length > 100);
    await page.click('[data-testid=aws-import]');
    await page.waitForSelector('[data-testid=aws-import-summary]');
    await page.click('[data-testid=aws-part-matrix]');
    await page.click('[data-testid=aws-events-example]');
    await page.waitForFunction(() => document.querySelector('[data-testid=aws-events]').value.length > 100);
    await page.click('[data-testid=aws-matrix-run]');
    await page.waitForSelector('[data-testid=aws-matrix]');
    await page.click('[data-testid=matrix-cell][data-rule="FulfilmentOrderPlaced"][data-event="1"]');
    await page.waitForSelector('[data-testid=matrix-detail]');
    // The table in view.
    await page.evaluate(() => document.querySelector('.aws-body').scrollTo(0, document.querySelector('[data-testid=aws-matrix]').offsetTop - 60));
  },
};

const list = schemes === 'both' ? ['light', 'dark'] : [schemes];
const only = process.env.ONLY ? process.env.ONLY.split(',') : Object.keys(PARTS);
for (const scheme of list) {
  for (const [w, h] of SIZES) {
    for (const part of only) {
      const name = `artifacts-${part}-${w}x${h}-${scheme}`;
      const file = path.join(dir, `${name}.png`);
      await withPage(`screens-${name}`, async (page, url) => {
        await PARTS[part](page, url);
        if (w < 800) {
          // A phone stacks the pane under the graph: show the pane.
          await page.evaluate((p) => document.querySelector(p === 'history' ? '[data-testid=aws]' : '[data-testid=aws]').scrollIntoView(), part);
        } else {
          await page.evaluate(() => scrollTo(0, 0));
        }
        await settle(page);
        await page.screenshot({ path: file });
      }, { viewport: { width: w, height: h }, colorScheme: scheme });
      try {
        execFileSync('pngquant', ['--force', '--skip-if-larger', '--output', file, '256', file]);
      } catch { /* no pngquant: keep the full-colour PNG */ }
      console.log(`saved ${file} (${Math.round(fs.statSync(file).size / 1024)} KB)`);
    }
  }
}
