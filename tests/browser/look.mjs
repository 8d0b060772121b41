// Not a test: `node look.mjs` opens the playground, an embed, the workshop and the docs page and
// prints every console message of theirs that is not plain logging (warnings included), for
// looking at what a person's console would show. DIST as in harness.mjs.
import { chromium } from 'playwright-core';
import { startServer } from './server.mjs';
import { DIST } from './harness.mjs';

const pages = ['', '?embed&example=order-processing&panes=machine,graph&readonly', '#/exercises',
  '#/exercises/07-retry-throttling', 'docs-demo.html'];
const server = await startServer(DIST);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu'] });
try {
  for (const p of pages) {
    const page = await browser.newPage();
    const seen = [];
    page.on('console', (m) => { if (m.type() !== 'log' && m.type() !== 'debug') seen.push(`${m.type()}: ${m.text()}`); });
    page.on('pageerror', (e) => seen.push(`pageerror: ${e.message}`));
    await page.goto(server.url + p);
    await page.waitForLoadState('networkidle');
    await page.waitForTimeout(4000);
    console.log(`${p || '(playground)'}: ${seen.length ? '\n  ' + seen.join('\n  ') : 'nothing'}`);
    await page.close();
  }
} finally {
  await browser.close();
  await server.close();
}
