import zlib from 'node:zlib';
import fs from 'node:fs';
import { chromium } from 'playwright-core';
import { startServer } from './server.mjs';
const server = await startServer('../../dist');
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu'] });
const ex = JSON.parse(fs.readFileSync('../../www/examples/order-processing.json', 'utf8'));
const page0 = await (await browser.newContext()).newPage();
await page0.goto(server.url);
await page0.waitForSelector('[data-testid="run"]:not([disabled])');
await page0.waitForTimeout(900); const ws = await page0.evaluate(() => localStorage.getItem('statebridge.workspace.v1'));
const errs = [];
for (const view of [{ at: 99999, state: 'Nope' }, { at: -1 }, { at: 3, state: '' }, { at: 1e300 }]) {
  const json = JSON.stringify({ ...JSON.parse(ws || '{"event":"{}","rules":"{}","machines":[{"name":"M","text":"{}"}],"active":0,"mocks":""}'), view });
  const frag = 'v1=' + zlib.deflateRawSync(Buffer.from(json)).toString('base64url');
  const page = await (await browser.newContext()).newPage();
  page.on('pageerror', (e) => errs.push(String(e))); page.on('console', (m) => m.type() === 'error' && errs.push(m.text()));
  await page.goto(server.url + '#' + frag);
  await page.waitForSelector('[data-testid="run"]:not([disabled])');
  await page.waitForTimeout(500);
  console.log(JSON.stringify(view), '→', await page.textContent('[data-testid=notice]').catch(() => 'no notice'), '| scrubber', await page.getAttribute('[data-testid=scrubber]', 'value').catch(() => '-'), await page.$eval('[data-testid=scrubber]', (e) => e.value).catch(() => '-'));
}
console.log('errors', errs);
await browser.close(); await server.close();
