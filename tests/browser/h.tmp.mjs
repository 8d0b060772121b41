import { chromium } from 'playwright-core';
import { startServer } from './server.mjs';
const server = await startServer('../../dist');
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu'] });
const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
await page.goto(server.url);
await page.waitForSelector('[data-testid="run"]:not([disabled])');
const map = { StartAt: 'Items', States: {
  Items: { Type: 'Pass', Parameters: { 'items.$': 'States.ArrayRange(1, 1000, 1)' }, Next: 'EachItem' },
  EachItem: { Type: 'Map', ItemsPath: '$.items', ItemProcessor: { StartAt: 'Work', States: Object.fromEntries(Array.from({ length: 12 }, (_, i) => [i ? `Step${i}` : 'Work', i < 11 ? { Type: 'Pass', Next: `Step${i + 1}` } : { Type: 'Pass', End: true }])) }, End: true } } };
await page.fill('[data-testid=editor-machine]', JSON.stringify(map, null, 2));
await page.waitForSelector('[data-testid="graph"] [data-state="Work"]');
const t0 = Date.now();
await page.click('[data-testid=run]');
await page.waitForSelector('[data-testid=scrubber]:not([disabled])', { timeout: 120000 });
console.log('run ms', Date.now() - t0, 'events', await page.getAttribute('[data-testid=scrubber]', 'max'));
if ((await page.getAttribute('[data-testid=play]', 'aria-label')) === 'Pause') await page.click('[data-testid=play]');
await page.click('[aria-label="To the end"]');
const r = await page.evaluate(() => new Promise((done) => {
  const body = document.querySelector('[data-testid=history]');
  const scroller = body.closest('.history-body') || body;
  let frames = 0, worst = 0; const start = performance.now(); let last = start;
  const tick = (now) => {
    frames++; worst = Math.max(worst, now - last); last = now;
    scroller.scrollTop = (scroller.scrollHeight - scroller.clientHeight) * (1 - (now - start) / 2000);
    if (now - start < 2000) requestAnimationFrame(tick); else done({ frames, worst, rows: document.querySelectorAll('[data-testid=history] .row').length, sh: scroller.scrollHeight });
  };
  requestAnimationFrame(tick);
}));
console.log(r);
await page.screenshot({ path: '/tmp/h.png' });
await browser.close(); await server.close();
