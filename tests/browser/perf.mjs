// Size and speed report of the release build (a benchmark, not a test):
// bundle sizes (wasm and JS, raw and gzip) and the time from navigation to an interactive app in
// headless Chromium, median of 5. Run `scripts/report.sh` (it builds first).
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { chromium } from 'playwright-core';
import { startServer } from './server.mjs';
import { DIST } from './harness.mjs';

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const rows = [];
for (const f of fs.readdirSync(DIST)) {
  if (!/\.(wasm|js|css|html)$/.test(f)) continue;
  const body = fs.readFileSync(path.join(DIST, f));
  rows.push({ file: f, raw: body.length, gzip: zlib.gzipSync(body, { level: 9 }).length });
}
rows.sort((a, b) => b.raw - a.raw);
console.log('bundle (release):');
for (const r of rows) console.log(`  ${r.file.padEnd(48)} ${kb(r.raw).padStart(10)} raw ${kb(r.gzip).padStart(10)} gzip`);
const total = rows.reduce((s, r) => ({ raw: s.raw + r.raw, gzip: s.gzip + r.gzip }), { raw: 0, gzip: 0 });
console.log(`  ${'total'.padEnd(48)} ${kb(total.raw).padStart(10)} raw ${kb(total.gzip).padStart(10)} gzip`);

const server = await startServer(DIST);
let browser;
try {
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'] });
  const times = [];
  for (let i = 0; i < 5; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const t0 = Date.now();
    await page.goto(server.url);
    // Interactive: the Run button is rendered and enabled, and the first example is in the editors.
    await page.waitForSelector('[data-testid="run"]:not([disabled])', { timeout: 30000 });
    times.push(Date.now() - t0);
    await context.close();
  }
  times.sort((a, b) => a - b);
  console.log(`time to interactive (navigation → Run enabled), ms: median ${times[2]} (runs: ${times.join(', ')})`);
} finally {
  if (browser) await browser.close();
  await server.close();
}
