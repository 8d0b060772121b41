import fs from 'node:fs';
import { chromium } from 'playwright-core';
import { startServer } from './server.mjs';
const server = await startServer(process.argv[2]);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu'] });
const agg = new Map(); let total = 0;
for (let r = 0; r < 5; r++) {
  const page = await (await browser.newContext()).newPage();
  await page.goto(server.url + 'examples/index.json');
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable'); await cdp.send('Profiler.setSamplingInterval', { interval: 50 }); await cdp.send('Profiler.start');
  await page.goto(server.url);
  await page.waitForSelector('[data-testid="run"]:not([disabled])');
  await page.waitForTimeout(400);
  const { profile } = await cdp.send('Profiler.stop');
  // self time per function, and inclusive time per function
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map(); for (const n of profile.nodes) for (const c of n.children || []) parent.set(c, n.id);
  const dt = profile.timeDeltas; 
  for (let i = 0; i < profile.samples.length; i++) {
    const d = (dt[i + 1] ?? 0) / 1000; total += d;
    const seen = new Set();
    for (let id = profile.samples[i]; id; id = parent.get(id)) {
      const n = byId.get(id); const name = n.callFrame.functionName || `(${n.callFrame.url.split('/').pop()})`;
      if (seen.has(name)) continue; seen.add(name);
      const a = agg.get(name) || { incl: 0, self: 0 }; a.incl += d; if (id === profile.samples[i]) a.self += d; agg.set(name, a);
    }
  }
  await page.context().close();
}
const rows = [...agg].sort((a, b) => b[1].incl - a[1].incl).slice(0, Number(process.argv[3] || 70));
for (const [n, a] of rows) console.log(((a.incl / 5)).toFixed(1).padStart(7), (a.self / 5).toFixed(1).padStart(6), n.slice(0, 140));
await browser.close(); await server.close();
