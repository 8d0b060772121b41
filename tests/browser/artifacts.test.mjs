// "From AWS": a pasted get-execution-history replays on the graph (scrubber and inspector work on
// it), a SAM template replaces the workspace's rules and machines (Undo puts them back), the
// workspace exports as a template that imports back the same, and sample events meet the rules in
// a matrix with reasons. At a phone's width nothing runs off the side.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { withPage, showEditor } from './harness.mjs';

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

    // A miss's reason, on expansion.
    await page.click('[data-testid=matrix-cell][data-rule="OrderCancelled"][data-event="3"]');
    assert.match(await page.textContent('[data-testid=matrix-detail]'), /anything-but|fraud/);
    await page.click('[data-testid=matrix-cell][data-rule="FulfilmentOrderPlaced"][data-event="1"]');
    assert.match(await page.textContent('[data-testid=matrix-detail]'), /detail\.total/);
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
