import { chromium } from 'playwright-core';
import { startServer } from './server.mjs';
const server = await startServer('/work/main/dist');
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking','--disable-component-update', '--disable-sync'] });
const variants = JSON.parse(process.argv[2]);
const res = {};
for (let rep = 0; rep < 6; rep++) for (const [label, css] of Object.entries(variants)) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.addInitScript((css) => {
    window.__sb = {};
    new PerformanceObserver((list) => { for (const e of list.getEntries()) if (e.name === 'first-contentful-paint') window.__sb.fcp = e.startTime; }).observe({ type: 'paint', buffered: true });
    new MutationObserver(() => { if (!window.__sb.run && document.querySelector('[data-testid="run"]')) window.__sb.run = performance.now(); }).observe(document, { childList: true, subtree: true });
    if (css) document.addEventListener('DOMContentLoaded', () => { const s = document.createElement('style'); s.textContent = css; document.head.appendChild(s); });
  }, css);
  await page.goto(server.url);
  await page.waitForFunction(() => window.__sb.fcp !== undefined);
  const { run, fcp } = await page.evaluate(() => window.__sb);
  (res[label] ||= []).push([Math.round(run), Math.round(fcp)]);
  await context.close();
}
for (const [k, v] of Object.entries(res)) { const s = (i) => v.map(x => x[i]).sort((a,b)=>a-b); console.log(k.padEnd(12), 'run min/med', s(0)[0], s(0)[3], ' fcp min/med', s(1)[0], s(1)[3], ' gap min/med', v.map(x=>x[1]-x[0]).sort((a,b)=>a-b)[0], v.map(x=>x[1]-x[0]).sort((a,b)=>a-b)[3]); }
await browser.close(); await server.close();
