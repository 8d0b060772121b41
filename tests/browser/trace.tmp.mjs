import fs from 'node:fs';
import { chromium } from 'playwright-core';
import { startServer } from './server.mjs';
const DIST = process.argv[2] || new URL('../../dist', import.meta.url).pathname;
const server = await startServer(DIST);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
for (let i = 0; i < 3; i++) {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await browser.startTracing(page, { categories: ['devtools.timeline', 'v8', 'v8.wasm', 'blink', 'loading', 'disabled-by-default-devtools.timeline'] });
  await page.goto(server.url);
  await page.waitForSelector('[data-testid="run"]:not([disabled])');
  await page.waitForTimeout(300);
  const buf = await browser.stopTracing();
  fs.writeFileSync(`/tmp/trace${i}.json`, buf);
  await ctx.close();
}
await browser.close(); await server.close();
// summarise the last trace: main-thread top-level slices of renderer
const t = JSON.parse(fs.readFileSync('/tmp/trace2.json')).traceEvents;
const nav = t.find((e) => e.name === 'navigationStart' || e.name === 'NavigationTiming' ) ;
const mains = t.filter((e) => e.name === 'thread_name' && e.args.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`);
const ev = t.filter((e) => mains.includes(`${e.pid}:${e.tid}`) && e.ph === 'X' && e.dur > 2000);
const t0 = Math.min(...t.filter((e) => e.name === 'navigationStart').map((e) => e.ts));
for (const e of ev.sort((a, b) => a.ts - b.ts)) console.log(((e.ts - t0) / 1000).toFixed(1).padStart(8), (e.dur / 1000).toFixed(1).padStart(7), e.name, JSON.stringify(e.args?.data?.url || e.args?.data?.functionName || '').slice(0, 60));
for (const n of ['firstContentfulPaint', 'firstPaint', 'firstMeaningfulPaint']) { const e = t.find((x) => x.name === n); if (e) console.log(n, ((e.ts - t0) / 1000).toFixed(1)); }
