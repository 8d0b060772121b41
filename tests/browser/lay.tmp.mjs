import { chromium } from 'playwright-core';
import { startServer } from './server.mjs';
const dirs = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
const res = {};
for (let r = 0; r < 6; r++) for (const dir of dirs) {
  const server = await startServer(dir);
  const ctx = await browser.newContext(); const page = await ctx.newPage();
  await browser.startTracing(page, { categories: ['devtools.timeline', 'blink', 'loading'] });
  await page.goto(server.url);
  await page.waitForSelector('[data-testid="run"]:not([disabled])');
  await page.waitForTimeout(300);
  const t = JSON.parse(await browser.stopTracing()).traceEvents;
  await ctx.close(); await server.close();
  const tn = {}; for (const e of t) if (e.name === 'thread_name') tn[`${e.pid}:${e.tid}`] = e.args.name;
  const main = t.filter((e) => tn[`${e.pid}:${e.tid}`] === 'CrRendererMain' && e.ph === 'X');
  const t0 = Math.min(...t.filter((e) => e.name === 'ResourceSendRequest').map((e) => e.ts));
  const fcp = t.find((e) => e.name === 'firstContentfulPaint');
  const before = main.filter((e) => e.ts < fcp.ts);
  const sum = (n) => before.filter((e) => e.name === n).reduce((s, e) => s + e.dur, 0) / 1000;
  const calls = before.filter((e) => e.name === 'FunctionCall').map((e) => e.dur / 1000).filter((d) => d > 1);
  const row = { fcp: (fcp.ts - t0) / 1000, style: sum('UpdateLayoutTree'), layout: sum('Layout'), paint: sum('Paint'), calls: calls.map((c) => c.toFixed(0)).join('+'), parse: sum('ParseHTML') };
  (res[dir] ||= []).push(row);
}
for (const [d, rows] of Object.entries(res)) {
  console.log(d);
  for (const r of rows) console.log('  ', Object.entries(r).map(([k, v]) => `${k}=${typeof v === 'number' ? v.toFixed(1) : v}`).join(' '));
}
await browser.close();
