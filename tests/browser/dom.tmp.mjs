import { chromium } from 'playwright-core';
import { startServer } from './server.mjs';
const server = await startServer('../../dist');
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu'] });
const page = await (await browser.newContext()).newPage();
await page.goto(server.url);
await page.waitForSelector('[data-testid="run"]:not([disabled])');
await page.waitForTimeout(500);
console.log(await page.evaluate(() => {
  const out = { total: document.querySelectorAll('*').length, vw: innerWidth, vh: innerHeight };
  for (const sel of ['.editor', 'pre.hl', 'pre.hl span', 'svg *', '.graph *', 'textarea', 'aside *', 'main *']) out[sel] = document.querySelectorAll(sel).length;
  out.panes = [...document.querySelectorAll('section.pane')].map((s) => { const r = s.getBoundingClientRect(); return `${s.getAttribute('aria-labelledby') || s.className}:${Math.round(r.top)},${Math.round(r.left)} ${Math.round(r.width)}x${Math.round(r.height)} n=${s.querySelectorAll('*').length}`; });
  out.text = [...document.querySelectorAll('textarea')].map((t) => t.value.length);
  return out;
}));
await page.screenshot({ path: '/tmp/first.png' });
await browser.close(); await server.close();
