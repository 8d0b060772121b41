import { chromium } from 'playwright-core';
import { startServer } from './server.mjs';
import fs from 'node:fs';
const server = await startServer('/work/main/dist');
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu'] });
for (let rep = 0; rep < 3; rep++) {
const page = await browser.newPage({viewport:{width:1280,height:800}});
await page.goto('about:blank');
await browser.startTracing(page, { path: '/tmp/trace.json', categories: ['devtools.timeline','blink.user_timing','loading','v8.execute','disabled-by-default-devtools.timeline'] });
await page.goto(server.url);
await page.waitForSelector('[data-testid="run"]:not([disabled])');
await page.waitForTimeout(700);
await browser.stopTracing();
await page.close();
const ev = JSON.parse(fs.readFileSync('/tmp/trace.json')).traceEvents;
const nav = ev.filter(e => e.name === 'navigationStart').pop().ts;
const names = {}; for (const e of ev) if (e.ph === 'M' && e.name === 'thread_name') names[e.pid + ':' + e.tid] = e.args.name;
const main = ev.filter(e => names[e.pid + ':' + e.tid] === 'CrRendererMain' && e.ph === 'X' && e.ts >= nav && e.dur > 4000 && ['RunTask','FunctionCall','Layout','UpdateLayoutTree','Paint','v8.wasm.compileConsume','EvaluateScript','TimerFire','FireAnimationFrame','ParseHTML'].includes(e.name));
console.log('---', main.filter(e=>e.ts-nav<900000).map(e => `${e.name}@${Math.round((e.ts - nav) / 1000)}+${Math.round(e.dur / 1000)}`).join(' '));
const fcp = ev.find(e => e.name === 'firstContentfulPaint' && e.ts > nav);
console.log('fcp', fcp && Math.round((fcp.ts - nav) / 1000));
}
await browser.close(); await server.close();
