// "From AWS": a pasted get-execution-history replays on the graph (scrubber and inspector work on
// it), a SAM template replaces the workspace's rules and machines (Undo puts them back), the
// workspace exports as a template that imports back the same, and sample events meet the rules in
// a matrix with reasons. At a phone's width nothing runs off the side.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { withPage, showEditor, fillEditor, paste, slowdown, quiet } from './harness.mjs';

const www = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../www/artifacts');
const HISTORY = fs.readFileSync(path.join(www, 'history.json'), 'utf8');
const TEMPLATE = fs.readFileSync(path.join(www, 'template.yaml'), 'utf8');
const EVENTS = fs.readFileSync(path.join(www, 'events.jsonl'), 'utf8');

async function openAws(page, url, part) {
  await page.goto(url);
  await page.waitForSelector('[data-testid=run]:not([disabled])');
  await page.click('[data-testid=tab-aws]');
  await page.waitForSelector('[data-testid=aws]', { state: 'visible' });
  await page.click(`[data-testid=aws-part-${part}]`);
}

const statusOf = (page, state) =>
  page.getAttribute(`[data-testid=graph] [data-state="${state}"]`, 'data-status');

test('a pasted history replays on the graph; scrubbing and the inspector follow the real execution', async () => {
  await withPage('artifacts-history', async (page, url) => {
    await openAws(page, url, 'history');
    // A broken paste says where.
    await page.fill('[data-testid=aws-history]', '{"events": [\n  {"id": 1, "type": "ExecutionStarted", "timestamp": "soon"}]}');
    await page.click('[data-testid=aws-replay]');
    const problem = await page.textContent('[data-testid=aws-problem]');
    assert.match(problem, /line 2, column \d+ \(events\[0\]\.timestamp\)/);

    await page.fill('[data-testid=aws-history]', HISTORY);
    await page.click('[data-testid=aws-replay]');
    await page.waitForSelector('[data-testid=aws-history-summary]');
    assert.match(await page.textContent('[data-testid=aws-history-summary]'), /definition pasted with the history/);
    // The graph is the history's machine, and the scrubber holds its events.
    await page.waitForSelector('[data-testid=graph] [data-state="ChargeCard"]');
    await page.waitForSelector('[data-testid=scrubber]:not([disabled])');
    if ((await page.getAttribute('[data-testid=play]', 'aria-label')) === 'Pause') await page.click('[data-testid=play]');
    const len = Number(await page.getAttribute('[data-testid=scrubber]', 'max'));
    const events = JSON.parse(`[${HISTORY.split(/\n(?=\{)/).join(',')}]`).filter((d) => d.events).flatMap((d) => d.events);
    assert.equal(len, events.length);

    // Walk it: ChargeCard is throttled once, retried, then succeeds; Ship ends it.
    await page.fill('[data-testid=scrubber]', '0');
    const seen = [];
    for (let i = 1; i <= len; i++) {
      await page.click('[data-testid=step-forward]');
      await page.waitForFunction((n) => document.querySelector('[data-testid=scrubber]').value === String(n), i);
      const s = await statusOf(page, 'ChargeCard');
      if (seen[seen.length - 1] !== s) seen.push(s);
    }
    assert.deepEqual(seen, ['idle', 'active', 'retrying', 'active', 'succeeded'], `ChargeCard went ${seen.join(' → ')}`);
    assert.equal(await statusOf(page, 'Ship'), 'succeeded');
    await page.waitForSelector('[data-testid=result][data-outcome=SUCCEEDED]');

    // Back to the retry: the inspector shows the throttling error of that attempt.
    const retryAt = events.findIndex((e) => e.type === 'TaskFailed') + 1;
    await page.fill('[data-testid=scrubber]', String(retryAt));
    await page.waitForFunction(() => document.querySelector('[data-state="ChargeCard"]').getAttribute('data-status') === 'retrying');
    assert.equal(await statusOf(page, 'Ship'), 'idle');
    await page.click('[data-testid=graph] [data-state="ChargeCard"]');
    await page.waitForSelector('[data-testid=inspector]');
    await page.waitForSelector('[data-testid=inspector] >> text=Payments.Throttled');
  });
});

test('a template replaces rules and machines (Undo restores them) and exports back to the same', async () => {
  await withPage('artifacts-template', async (page, url) => {
    await openAws(page, url, 'template');
    const before = await page.evaluate(() => localStorage.length);
    assert.ok(before >= 0);
    await page.fill('[data-testid=aws-template]', 'Resources:\n  X: !Bogus 1\n');
    await page.click('[data-testid=aws-import]');
    assert.match(await page.textContent('[data-testid=aws-problem]'), /line 2, column 6: unknown tag `!Bogus`/);

    await page.fill('[data-testid=aws-template]', TEMPLATE);
    await page.click('[data-testid=aws-import]');
    const summary = await page.textContent('[data-testid=aws-import-summary]');
    assert.match(summary, /Imported 3 rules and 2 state machines/);
    await page.waitForSelector('[data-testid=notice] >> text=press Undo');
    // The mocks of the replaced machines' states went with them: nothing says "never used".
    assert.match(await page.textContent('[data-testid=notice]'), /The mocks of .* were removed/);
    await page.waitForFunction(() => !/never used/.test(document.querySelector('[data-testid=diagnostics]').textContent));

    // The editors hold the template's rules and machines.
    await showEditor(page, 'editor-rule');
    const rules = JSON.parse(await page.inputValue('[data-testid=editor-rule]'));
    assert.deepEqual(rules.Rules.map((r) => r.Name).sort(), ['FulfilmentNightly', 'FulfilmentOrderPlaced', 'OrderCancelled'].sort());
    await showEditor(page, 'editor-machine');
    assert.match(await page.inputValue('[data-testid=editor-machine]'), /"ChargeCard"/);
    const tabs = await page.$$eval('[data-testid=machine-tabs] [role=tab]', (els) => els.map((e) => e.textContent.trim()));
    assert.ok(tabs.some((t) => t.includes('Fulfilment')) && tabs.some((t) => t.includes('Refunds')), `machine tabs: ${tabs}`);
    await page.waitForSelector('[data-testid=graph] [data-state="ReserveStock"]');

    // Export round trip, both formats: each imports back to the same rules and machines.
    await page.click('[data-testid=tab-aws]');
    for (const fmt of ['json', 'yaml']) {
      await page.click(`[data-testid=aws-export-${fmt}]`);
      await page.waitForSelector(`[data-testid=aws-export-text][data-format=${fmt}]`);
      const text = await page.textContent('[data-testid=aws-export-text]');
      if (fmt === 'json') {
        const t = JSON.parse(text);
        assert.ok(Object.values(t.Resources).some((r) => r.Type === 'AWS::StepFunctions::StateMachine' && r.Properties.StateMachineName === 'Refunds'));
      } else {
        assert.match(text, /Type: AWS::Events::Rule/);
      }
      await page.fill('[data-testid=aws-template]', text);
      await page.click('[data-testid=aws-import]');
      await page.waitForSelector('[data-testid=aws-import-summary]');
      await showEditor(page, 'editor-rule');
      const again = JSON.parse(await page.inputValue('[data-testid=editor-rule]'));
      assert.deepEqual(again.Rules.map((r) => [r.Name, r.EventPattern]), rules.Rules.map((r) => [r.Name, r.EventPattern]), fmt);
      await page.click('[data-testid=tab-aws]');
    }

    // Undo puts the workspace from before the last import back (the round-tripped one equals the first).
    await page.click('[data-testid=notice] >> text=Undo');
    await showEditor(page, 'editor-rule');
    const undone = JSON.parse(await page.inputValue('[data-testid=editor-rule]'));
    assert.deepEqual(undone.Rules.map((r) => r.Name), rules.Rules.map((r) => r.Name));
  });
});

test('sample events meet the rules in a matrix with reasons', async () => {
  await withPage('artifacts-matrix', async (page, url) => {
    await openAws(page, url, 'template');
    await page.fill('[data-testid=aws-template]', TEMPLATE);
    await page.click('[data-testid=aws-import]');
    await page.waitForSelector('[data-testid=aws-import-summary]');
    await page.click('[data-testid=aws-part-matrix]');
    await page.fill('[data-testid=aws-events]', '{"source": "a"}\n{"Source": "a", "DetailType": "x", "Detail": "not json"}');
    await page.click('[data-testid=aws-matrix-run]');
    assert.match(await page.textContent('[data-testid=aws-matrix-problem]'), /line 2, column \d+/);

    await page.fill('[data-testid=aws-events]', EVENTS);
    await page.click('[data-testid=aws-matrix-run]');
    await page.waitForSelector('[data-testid=aws-matrix]');
    const cells = await page.$$eval('[data-testid=matrix-cell]', (els) => els.map((e) => [e.dataset.rule, Number(e.dataset.event), e.dataset.matched === 'true', e.textContent.trim()]));
    const verdict = (rule, ev) => cells.find((c) => c[0] === rule && c[1] === ev);
    // OrderPlaced with a total on the orders bus matches; total 0 does not; on the default bus not.
    assert.equal(verdict('FulfilmentOrderPlaced', 0)[2], true);
    assert.equal(verdict('FulfilmentOrderPlaced', 0)[3], '✓ match');
    assert.equal(verdict('FulfilmentOrderPlaced', 1)[2], false);
    assert.equal(verdict('FulfilmentOrderPlaced', 1)[3], '✕ no');
    assert.equal(verdict('FulfilmentOrderPlaced', 4)[2], false);
    assert.equal(verdict('OrderCancelled', 2)[2], true);
    assert.equal(verdict('OrderCancelled', 3)[2], false);
    assert.ok(cells.filter((c) => c[1] === 5).every((c) => !c[2]), 'OrderShipped matches no rule');
    assert.match(await page.textContent('[data-testid=aws-matrix] [role=status]'), /3 events no rule matches \(#2, #4, #5, #6\)|no rule matches/);

    // A miss's reason, on expansion (the engine's worker works it out).
    const reasons = async () => (await page.waitForSelector('[data-testid=matrix-detail] ul')).textContent();
    await page.click('[data-testid=matrix-cell][data-rule="OrderCancelled"][data-event="3"]');
    assert.match(await reasons(), /anything-but|fraud/);
    await page.click('[data-testid=matrix-cell][data-rule="FulfilmentOrderPlaced"][data-event="1"]');
    await page.waitForSelector('[data-testid=matrix-cell][data-rule="FulfilmentOrderPlaced"][data-event="1"][aria-pressed=true]');
    assert.match(await reasons(), /detail\.total/);
  });
});

test('at 390 px the From AWS pane fits the width', async () => {
  await withPage('artifacts-phone', async (page, url) => {
    await openAws(page, url, 'template');
    await page.fill('[data-testid=aws-template]', TEMPLATE);
    await page.click('[data-testid=aws-import]');
    await page.waitForSelector('[data-testid=aws-import-summary]');
    await page.click('[data-testid=aws-export-yaml]');
    await page.waitForSelector('[data-testid=aws-export-text]');
    await page.click('[data-testid=aws-part-matrix]');
    await page.fill('[data-testid=aws-events]', EVENTS);
    await page.click('[data-testid=aws-matrix-run]');
    await page.waitForSelector('[data-testid=aws-matrix]');
    for (const part of ['history', 'template', 'matrix']) {
      await page.click(`[data-testid=aws-part-${part}]`);
      const over = await page.evaluate(() => {
        const width = document.documentElement.clientWidth;
        const out = [];
        if (document.documentElement.scrollWidth > width) out.push(`page scrolls sideways: ${document.documentElement.scrollWidth} > ${width}`);
        for (const el of document.querySelectorAll('[data-testid=aws] *, [data-testid=editors] .editor-tab')) {
          if (!el.getClientRects().length || el.closest('.matrix-scroll, .editor-scroll, pre')) continue;
          const r = el.getBoundingClientRect();
          if (r.right > width + 0.5 || r.left < -0.5) out.push(`${el.tagName}.${el.className} ${Math.round(r.left)}..${Math.round(r.right)}`);
        }
        return out;
      });
      assert.deepEqual(over, [], `${part}: ${over.join('; ')}`);
    }
  }, { viewport: { width: 390, height: 844 } });
});

// 10,000 events (about 2 MB, JSON Lines as the CLI prints them) × 10 rules: the engine's worker
// checks them in one pass and keeps the verdicts, the page gets a byte per verdict and draws only
// the rows in view, and a picked cell's reasons are the worker's too; so neither the check, the
// scrolling, the filter, a pick nor a rule edit holds the main thread for long.
const rulesOf = (k) => JSON.stringify({ Rules: Array.from({ length: 10 }, (_, r) => ({
  Name: `rule-${r}`,
  EventPattern: { source: [`app.s${r % 5}`], detail: { n: [{ numeric: ['>=', r * k] }] } },
  Targets: [],
})) }, null, 2);
const RULES_10 = rulesOf(50);
const EVENTS_10K = Array.from({ length: 10000 }, (_, i) => JSON.stringify({
  source: `app.s${i % 7}`, 'detail-type': 'Sample', time: '2026-01-01T00:00:00Z',
  detail: { n: i % 1000, order: `o-${i}`, note: 'x'.repeat(120), items: [{ sku: `s-${i % 13}`, qty: i % 4 }] },
})).join('\n');

/** Pastes `text` into the code editor `testid` as Ctrl+V does (the plain textarea is not made
 * for 2 MB: the code editor is what a paste that big meets). */
async function pasteCode(page, testid, text) {
  const sel = `.cm-content[data-testid=${testid}]`;
  await page.waitForSelector(sel, { timeout: 30000 });
  await page.click(sel);
  await page.keyboard.press('Control+a');
  await paste(page, sel, text);
  await page.locator(sel).evaluate((el) => el.blur());
}

test('10,000 events × 10 rules: totals, scrolling, a filter, a cell’s reasons and a rule edit without a long task', async () => {
  await withPage('artifacts-matrix-10k', async (page, url) => {
    await page.goto(url);
    await page.waitForSelector('[data-testid=run]:not([disabled])');
    await showEditor(page, 'editor-rule');
    await pasteCode(page, 'editor-rule', RULES_10);
    await page.click('[data-testid=tab-aws]');
    await page.click('[data-testid=aws-part-matrix]');
    assert.ok(EVENTS_10K.length > 1.9e6, `${EVENTS_10K.length} characters`);
    // A broken line says where, by line and column.
    const broken = EVENTS_10K.split('\n');
    broken[6020] = broken[6020].replace('{"n":', '{"n" ');
    await pasteCode(page, 'aws-events', broken.join('\n'));
    await page.waitForSelector('[data-testid=aws-matrix-run]:not([disabled])');
    await page.click('[data-testid=aws-matrix-run]');
    assert.match(await page.textContent('[data-testid=aws-matrix-problem]'), /line 6021, column \d+/);
    await pasteCode(page, 'aws-events', EVENTS_10K);
    // (The app has the text once the editor hands it over: the problem's mark goes.)
    await page.waitForFunction(() => !document.querySelector('[data-testid=aws] .cm-lintRange-error'), null, { timeout: 30000 });

    // The code editor parses the 2 MB it was given in the background (its idle callbacks are the
    // editor's, not the table's): the main thread is left to go quiet first.
    await quiet(page);
    await page.evaluate(() => {
      window.__long = [];
      new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push(Math.round(e.duration)); })
        .observe({ type: 'longtask' });
    });
    const t0 = Date.now();
    await page.click('[data-testid=aws-matrix-run]');
    await page.waitForSelector('[data-testid=aws-matrix][data-pending=false]', { timeout: 60000 });
    const took = Date.now() - t0;
    assert.match(await page.textContent('[data-testid=aws-matrix] [role=status]'), /10 rules × 10000 events/);
    // Only the rows in view are on the page.
    const drawn = await page.$$eval('[data-testid=matrix-cell]', (els) => els.length);
    assert.ok(drawn > 0 && drawn <= 30 * 10, `${drawn} cells drawn`);
    // Each rule's total is what its pattern says: rule-r matches source s(r % 5) with n >= 50r.
    const events = EVENTS_10K.split('\n').map((l) => JSON.parse(l));
    const totals = await page.$$eval('[data-testid=matrix-total]', (els) => els.map((e) => Number(e.textContent.replace(/\D/g, ''))));
    const want = Array.from({ length: 10 }, (_, r) => events.filter((e) => e.source === `app.s${r % 5}` && e.detail.n >= r * 50).length);
    assert.deepEqual(totals, want);

    // Scroll through it: the rows in view follow, down to the last event.
    const box = '[data-testid=matrix-scroll]';
    for (const frac of [0.25, 0.5, 0.75, 1]) {
      await page.$eval(box, (el, f) => { el.scrollTop = f * el.scrollHeight; }, frac);
      const last = Math.min(9999, Math.floor(frac * 10000) - 2);
      await page.waitForFunction((n) => [...document.querySelectorAll('[data-testid=matrix-cell]')]
        .some((c) => Number(c.dataset.event) >= n), Math.max(0, last - 20));
    }
    await page.waitForSelector('[data-testid=matrix-cell][data-event="9999"]');
    // The rows in view are the last ones, in order, each with its line and type.
    const heads = await page.$$eval('[data-testid=matrix-scroll] tbody th', (els) => els.map((e) => e.querySelector('.ev-no').textContent));
    assert.ok(heads.length > 5, `${heads.length} rows drawn`);
    assert.equal(heads[heads.length - 1], '#10000 · line 10000');
    heads.forEach((h, i) => assert.equal(h, `#${10000 - heads.length + 1 + i} · line ${10000 - heads.length + 1 + i}`));
    const cell = await page.$('[data-testid=matrix-cell][data-rule="rule-3"][data-event="9999"]');
    assert.equal(await cell.getAttribute('data-matched'), String(events[9999].source === 'app.s3' && events[9999].detail.n >= 150));
    await cell.click();
    await page.waitForSelector('[data-testid=matrix-detail] .badge.ok');
    // A miss (event #9999 is on source app.s2): its reason, worked out by the worker.
    assert.equal(events[9998].source, 'app.s2');
    await page.click('[data-testid=matrix-cell][data-rule="rule-3"][data-event="9998"]');
    const why = await (await page.waitForSelector('[data-testid=matrix-detail] ul')).textContent();
    assert.match(why, /source/);
    assert.match(await page.textContent('[data-testid=matrix-detail]'), /rule-3 × event #9999 \(app\.s2 \/ Sample, line 9999\)/);

    // Only the events no rule matches, then only those rule-1 matches.
    const none = events.filter((e) => !want.some((_, r) => e.source === `app.s${r % 5}` && e.detail.n >= r * 50)).length;
    await page.selectOption('[data-testid=matrix-filter]', 'none');
    await page.waitForFunction((n) => document.querySelector('[data-testid=matrix-count]').textContent.startsWith(`${n} of`), none);
    assert.ok(await page.$$eval('[data-testid=matrix-cell]', (els) => els.every((c) => c.dataset.matched === 'false')));
    await page.selectOption('[data-testid=matrix-filter]', 'hit:1');
    await page.waitForFunction((n) => document.querySelector('[data-testid=matrix-count]').textContent.startsWith(`${n} of`), want[1]);
    assert.ok(await page.$$eval('[data-testid=matrix-cell][data-rule="rule-1"]', (els) => els.length > 0 && els.every((c) => c.dataset.matched === 'true')));

    await page.selectOption('[data-testid=matrix-filter]', 'miss:4');
    await page.waitForFunction((n) => document.querySelector('[data-testid=matrix-count]').textContent.startsWith(`${n} of`), 10000 - want[4]);
    assert.ok(await page.$$eval('[data-testid=matrix-cell][data-rule="rule-4"]', (els) => els.length > 0 && els.every((c) => c.dataset.matched === 'false')));
    await page.selectOption('[data-testid=matrix-filter]', 'all');
    await page.waitForFunction(() => document.querySelector('[data-testid=matrix-count]').textContent.startsWith('10000 of'));

    // A rule edit: the table follows (checked again by the worker; until then the table of
    // before is marked as such), with each rule's new total.
    const longBefore = await page.evaluate(() => window.__long.length);
    await page.click('[data-testid=tab-editor-rule]');
    await pasteCode(page, 'editor-rule', rulesOf(80));
    await page.click('[data-testid=tab-aws]');
    const want80 = Array.from({ length: 10 }, (_, r) => events.filter((e) => e.source === `app.s${r % 5}` && e.detail.n >= r * 80).length);
    await page.waitForFunction((w) => document.querySelector('[data-testid=aws-matrix]')?.dataset.pending === 'false'
      && [...document.querySelectorAll('[data-testid=matrix-total]')].map((e) => Number(e.textContent.replace(/\D/g, ''))).join() === w.join(), want80, { timeout: 60000 });

    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const long = await page.evaluate(() => window.__long);
    console.log(`10,000 × 10 matrix: shown ${took} ms after the click; long tasks ${JSON.stringify(long.slice(0, longBefore))} ms, then at the rule edit ${JSON.stringify(long.slice(longBefore))} ms`);
    // The goal is 50 ms (tests/browser/longtasks.mjs matrix measures it); on a loaded 2-core
    // machine the bound is looser (LONGTASK_MS to tighten it), and grows with the page's measured
    // slowdown when the machine is busy (harness `slowdown`).
    const bound = Math.round(Number(process.env.LONGTASK_MS || 200) * await slowdown(page));
    assert.ok(long.every((d) => d <= bound), `a main-thread task took ${Math.max(...long)} ms (bound ${bound} ms)`);
  }, { editor: 'code' });
});

test('a YAML template is coloured as YAML (keys, tags, comments), a JSON one as JSON', async () => {
  await withPage('artifacts-yaml', async (page, url) => {
    await openAws(page, url, 'template');
    await page.fill('[data-testid=aws-template]', TEMPLATE);
    const spans = async () => page.$$eval('[data-testid=aws] .aws-editor pre.hl span', (els) => els.map((e) => [e.className, e.textContent]));
    await page.waitForFunction(() => document.querySelector('[data-testid=aws] .aws-editor pre.hl .t-tag'));
    const yaml = await spans();
    const has = (list, cls, text) => list.some(([c, t]) => c === cls && t.trim() === text);
    assert.ok(has(yaml, 't-key', 'Resources'), 'Resources is a key');
    assert.ok(yaml.some(([c, t]) => c === 't-tag' && /^!(Sub|Ref|GetAtt)$/.test(t)), 'a CloudFormation tag');
    assert.ok(yaml.some(([c]) => c === 't-comment') || !/^\s*#/m.test(TEMPLATE), 'comments');
    assert.ok(!yaml.some(([c]) => c === 't-other'), 'no word painted as a JSON error');
    await page.fill('[data-testid=aws-template]', '{"Resources": {"A": {"Type": "AWS::Events::Rule"}}}');
    await page.waitForFunction(() => !document.querySelector('[data-testid=aws] .aws-editor pre.hl .t-tag'));
    assert.ok(has(await spans(), 't-key', '"Resources"'));
  });
  // The code editor (CodeMirror) colours it too.
  await withPage('artifacts-yaml-code', async (page, url) => {
    await openAws(page, url, 'template');
    await page.click('[data-testid=aws-template-example]');
    await page.waitForSelector('[data-testid=aws] .aws-editor .cm-content .t-tag', { timeout: 30000 });
    await page.waitForSelector('[data-testid=aws] .aws-editor .cm-content .t-key');
  }, { editor: 'code' });
});

test('a share link keeps the From AWS texts; one too long leaves the biggest out and says so', async () => {
  await withPage('artifacts-link', async (page, url) => {
    await openAws(page, url, 'history');
    await page.fill('[data-testid=aws-history]', HISTORY);
    await page.click('[data-testid=aws-part-template]');
    await page.fill('[data-testid=aws-template]', TEMPLATE);
    await page.click('[data-testid=aws-part-matrix]');
    // 3,000 events with distinct ids do not fit a link: it is made without them, the notice
    // says so, and a reload (the link in the address bar, the autosave here) still has them.
    const many = Array.from({ length: 3000 }, (_, i) => JSON.stringify({ source: 'app', 'detail-type': 'x',
      detail: { id: (Math.imul(i + 1, 2654435761) >>> 0).toString(36) + (Math.imul(i + 7, 40503) >>> 0).toString(16) } })).join('\n');
    await paste(page, '[data-testid=aws-events]', many);
    await page.click('[data-testid=share]');
    await page.waitForSelector('[data-testid=notice] >> text=leaves out the sample events');
    assert.match(await page.textContent('[data-testid=notice]'), /over the 32000/);
    const short = await page.evaluate(() => location.href);
    assert.ok(short.length < 34000, `${short.length} characters`);
    await page.reload();
    await page.waitForSelector('[data-testid=run]:not([disabled])');
    await page.click('[data-testid=tab-aws]');
    await page.click('[data-testid=aws-part-matrix]');
    await page.waitForFunction((n) => document.querySelector('[data-testid=aws-events]').value.length === n, many.length);
    await page.click('[data-testid=aws-part-template]');
    assert.equal(await page.inputValue('[data-testid=aws-template]'), TEMPLATE);

    // Small enough: the link holds all three, and another browser (no autosave of this work)
    // opens it with them.
    await page.click('[data-testid=aws-part-matrix]');
    await page.fill('[data-testid=aws-events]', EVENTS);
    await page.click('[data-testid=share]');
    await page.waitForSelector('[data-testid=notice] >> text=restores this whole workspace');
    const link = await page.evaluate(() => location.href);
    const other = await page.context().browser().newContext({ viewport: { width: 1440, height: 900 } });
    try {
      const there = await other.newPage();
      await there.addInitScript(() => localStorage.setItem('statebridge.editor', 'plain'));
      await there.goto(link);
      await there.waitForSelector('[data-testid=run]:not([disabled])');
      await there.click('[data-testid=tab-aws]');
      assert.equal(await there.inputValue('[data-testid=aws-history]'), HISTORY);
      await there.click('[data-testid=aws-part-template]');
      assert.equal(await there.inputValue('[data-testid=aws-template]'), TEMPLATE);
      await there.click('[data-testid=aws-part-matrix]');
      assert.equal(await there.inputValue('[data-testid=aws-events]'), EVENTS);
    } finally {
      await other.close();
    }
  });
});
