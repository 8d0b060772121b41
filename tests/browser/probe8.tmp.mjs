import { chromium } from 'playwright-core';
import { startServer } from './server.mjs';
const server = await startServer(process.argv[2] || '/tmp/prof');
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage({viewport:{width:1280,height:800}});
const cdp = await page.context().newCDPSession(page);
await cdp.send('Profiler.enable');
await cdp.send('Profiler.setSamplingInterval', { interval: 50 });
await cdp.send('Profiler.start');
await page.goto(server.url);
await page.waitForSelector('[data-testid="run"]:not([disabled])');
await page.waitForTimeout(300);
const { profile } = await cdp.send('Profiler.stop');
const byId = new Map(profile.nodes.map(n => [n.id, n]));
const counts = new Map();
for (const s of profile.samples) counts.set(s, (counts.get(s) || 0) + 1);
const dt = (profile.endTime - profile.startTime) / profile.samples.length / 1000;
const incl = new Map();
function tot(id) { const n = byId.get(id); let t = (counts.get(id) || 0) * dt; for (const c of n.children || []) t += tot(c); incl.set(id, t); return t; }
tot(profile.nodes[0].id);
function show(id, depth) {
  const n = byId.get(id); const t = incl.get(id);
  if (t < 2.5) return;
  const name = (n.callFrame.functionName || '(anon)').replace(/::h[0-9a-f]{16}/g, '').replace(/ externref shim.*/, '');
  if (!/closures|invoke|shim|__rust_begin|yew::scheduler|Queue::new|RenderRunner|CompStateInner|run::inner$/.test(name) || depth < 2) console.log(' '.repeat(Math.min(depth, 40)) + t.toFixed(1) + ' ' + name.slice(0, 120));
  for (const c of (n.children || []).sort((a, b) => incl.get(b) - incl.get(a))) show(c, depth + 1);
}
show(profile.nodes[0].id, 0);
await browser.close(); await server.close();
