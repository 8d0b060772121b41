// Not a test: `node shot.mjs NAME [HASH] [WIDTH HEIGHT] [dark]` saves a screenshot of the built app
// (env DIST, SHOTS as in harness.mjs) — for looking at the app (the README's pictures are made by screens.mjs).
import { withPage } from './harness.mjs';

const [name = 'shot', hash = '', w = '1440', h = '900', scheme = 'light'] = process.argv.slice(2);
await withPage(name, async (page, url) => {
  await page.goto(url + hash);
  await page.waitForSelector('[data-testid=run]:not([disabled])', { timeout: 15000 }).catch(() => {});
  await page.waitForTimeout(300);
}, { viewport: { width: Number(w), height: Number(h) }, colorScheme: scheme });
console.log(`saved ${name}.png`);
