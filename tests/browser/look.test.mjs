// How the playground looks to a person (issue 17), measured in the page rather than judged from
// screenshots: the graph's legend, zoom buttons and "Part of the machine" line sit in a bar and
// cover no state and no each other; state names are drawn at 12 px or more at 1280×720; the
// drawing is fitted again when its pane changes size; a Catch edge is drawn taken only when its
// error was caught; the system view shows its lanes and time axis without a page scroll at
// 1280×720; Catch edges shown in full cross no state's box; while a run plays at 1280×720 the
// drawing has most of the height and nothing is cut off; a retry's attempt and wait sit beside
// the retried state, clear of every other label; no page scrolls sideways at 390 px; text meets WCAG AA contrast in both themes
// (ratios computed from the computed styles); the keyboard reaches Run, playback, zoom and states.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withPage, pickExample, showEditor } from './harness.mjs';

const SEEDS = ['order-fulfilment', 'order-processing', 'order-compensation'];
const SIZES = [[1440, 900], [1280, 720], [390, 844]];

async function ready(page, url) {
  await page.goto(url);
  await page.waitForSelector('[data-testid=run]:not([disabled])');
}

/** Picks an example (the first is already there) and waits for its graph. */
async function open(page, name) {
  if ((await page.getAttribute('[data-testid=examples]', 'data-example')) !== name) await pickExample(page, name);
  await page.waitForSelector('[data-testid=graph] [data-state]');
}

/** Runs the workspace and goes to the end of the run. */
async function runToEnd(page) {
  await page.click('[data-testid=run]');
  await page.waitForSelector('[data-testid=scrubber]:not([disabled])', { timeout: 30000 });
  await page.click('[aria-label="To the end"]');
  await page.waitForFunction(() => {
    const s = document.querySelector('[data-testid=scrubber]');
    return s && s.value === s.max;
  });
}

/** Waits until the graph's view has stopped changing (a re-fit after a resize, a followed state). */
async function settled(page) {
  await page.waitForFunction(() => new Promise((done) => {
    const vb = () => document.querySelector('[data-testid=graph] svg')?.getAttribute('viewBox');
    const first = vb();
    requestAnimationFrame(() => requestAnimationFrame(() => done(first !== null && vb() === first)));
  }));
}

/** Screen boxes of the graph's bar items and of every state's box, clipped to the drawing. */
function graphBoxes(page) {
  return page.evaluate(() => {
    const box = (e) => { const r = e.getBoundingClientRect(); return { x: r.left, y: r.top, w: r.width, h: r.height }; };
    const g = document.querySelector('[data-testid=graph]');
    const canvas = box(g.querySelector('.graph-canvas'));
    const clip = (b) => {
      const x = Math.max(b.x, canvas.x), y = Math.max(b.y, canvas.y);
      const w = Math.min(b.x + b.w, canvas.x + canvas.w) - x, h = Math.min(b.y + b.h, canvas.y + canvas.h) - y;
      return w > 0 && h > 0 ? { x, y, w, h } : null;
    };
    const bar = {};
    for (const [name, sel] of [['legend', '.legend'], ['zoom', '.graph-tools'], ['part', '[data-testid=graph-part]']]) {
      const e = g.querySelector(sel);
      if (e && e.getClientRects().length) bar[name] = box(e);
    }
    const states = [...g.querySelectorAll('.node')].map((n) => ({ name: n.dataset.state, at: clip(box(n.querySelector('.box'))) }))
      .filter((s) => s.at);
    return { bar, states, canvas };
  });
}

const overlap = (a, b) => a.x < b.x + b.w - 0.5 && b.x < a.x + a.w - 0.5 && a.y < b.y + b.h - 0.5 && b.y < a.y + a.h - 0.5;

test('the legend, the zoom buttons and the "Part of the machine" line cover no state and not each other', async () => {
  await withPage('look-overlays', async (page, url) => {
    await ready(page, url);
    for (const [w, h] of SIZES) {
      await page.setViewportSize({ width: w, height: h });
      for (const name of SEEDS) {
        await open(page, name);
        await runToEnd(page);
        // Zoomed in, so that only part of the machine is in view and the line says so.
        for (let i = 0; i < 6 && !(await page.locator('[data-testid=graph-part]').count()); i++) {
          await page.click('[aria-label="Zoom in"]');
        }
        await page.waitForSelector('[data-testid=graph-part]');
        for (const zoomed of [true, false]) {
          if (!zoomed) await page.click('[aria-label="Fit to view"]');
          await settled(page);
          const { bar, states } = await graphBoxes(page);
          const where = `${name} at ${w}×${h}${zoomed ? ', zoomed in' : ''}`;
          assert.ok(bar.legend && bar.zoom, `${where}: legend and zoom buttons shown`);
          const names = Object.keys(bar);
          for (let i = 0; i < names.length; i++) {
            for (let j = i + 1; j < names.length; j++) {
              assert.ok(!overlap(bar[names[i]], bar[names[j]]), `${where}: ${names[i]} overlaps ${names[j]}`);
            }
          }
          assert.ok(states.length > 0, `${where}: some state in view`);
          for (const s of states) {
            for (const n of names) assert.ok(!overlap(s.at, bar[n]), `${where}: the ${n} covers ${s.name}`);
          }
        }
      }
    }
  });
});

test('state names are at least 12 px at 1280×720, before and after Run (the pane re-fitted)', async () => {
  await withPage('look-names', async (page, url) => {
    await ready(page, url);
    const sizes = () => page.$$eval('[data-testid=graph] .node .name', (texts) => {
      const svg = document.querySelector('[data-testid=graph] svg');
      const view = svg.getBoundingClientRect();
      const perUnit = svg.getScreenCTM().a;
      return texts.filter((t) => {
        const r = t.getBoundingClientRect();
        return r.right > view.left && r.left < view.right && r.bottom > view.top && r.top < view.bottom;
      }).map((t) => parseFloat(getComputedStyle(t).fontSize) * perUnit);
    });
    const report = [];
    for (const name of SEEDS) {
      await open(page, name);
      await settled(page);
      const before = await sizes();
      assert.ok(before.length >= 3, `${name}: ${before.length} names in view`);
      await page.click('[data-testid=run]');
      await page.waitForSelector('[data-testid=editors][data-rail=true]');
      await page.waitForSelector('[data-testid=scrubber]:not([disabled])', { timeout: 30000 });
      await settled(page);
      const after = await sizes();
      const least = Math.min(...before, ...after);
      report.push(`${name} ${Math.min(...before).toFixed(1)}/${Math.min(...after).toFixed(1)} px`);
      assert.ok(least >= 12, `${name}: a name at ${least.toFixed(2)} px`);
      // Back to the editors for the next example (the rail opens a tab).
      await page.click('[data-testid=tab-editor-machine]');
    }
    console.log(`smallest state name at 1280×720 before/after Run: ${report.join(', ')}`);
  }, { viewport: { width: 1280, height: 720 } });
});

test('the drawing is fitted again when its pane changes size', async () => {
  await withPage('look-refit', async (page, url) => {
    await ready(page, url);
    // In a small window the machine opens in part (whole, its names would be under 12 px)…
    await page.setViewportSize({ width: 1000, height: 560 });
    await open(page, 'order-fulfilment');
    await settled(page);
    const cut = () => page.evaluate(() => {
      const c = document.querySelector('[data-testid=graph] .graph-canvas').getBoundingClientRect();
      return [...document.querySelectorAll('[data-testid=graph] .node .box')].filter((b) => {
        const r = b.getBoundingClientRect();
        return r.left < c.left - 0.5 || r.top < c.top - 0.5 || r.right > c.right + 0.5 || r.bottom > c.bottom + 0.5;
      }).map((b) => b.parentElement.dataset.state);
    });
    assert.ok((await cut()).length > 0, 'the small window shows part of the machine');
    const vb = await page.getAttribute('[data-testid=graph] svg', 'viewBox');
    // …and when the window grows, the view is fitted again: every state wholly in view.
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.waitForFunction((v) => document.querySelector('[data-testid=graph] svg').getAttribute('viewBox') !== v, vb);
    await settled(page);
    assert.deepEqual(await cut(), [], 'states cut off after the resize');
    assert.equal(await page.locator('[data-testid=graph-part]').count(), 0);
  });
});

test('a Catch edge is drawn taken only when its error was caught', async () => {
  await withPage('look-catch-truth', async (page, url) => {
    await ready(page, url);
    await open(page, 'order-compensation');
    await runToEnd(page);
    await page.waitForSelector('[data-testid=graph] [data-state=ShipOrder][data-status=caught]');
    const taken = await page.$$eval('[data-testid=graph] .edge-catch.taken', (es) => es.map((e) => `${e.dataset.from}→${e.dataset.to}`));
    // ShipOrder's ShippingFailed was caught; UpdateInventory succeeded, so its Catch to
    // RefundPayment (reached another way, by ReleaseInventory's Next) was not taken.
    assert.deepEqual(taken, ['ShipOrder→ReleaseInventory']);
    const next = await page.$$eval('[data-testid=graph] .edge.taken:not(.edge-catch)', (es) => es.map((e) => `${e.dataset.from}→${e.dataset.to}`));
    assert.ok(next.includes('ReleaseInventory→RefundPayment'), next.join(', '));
    assert.ok(!next.includes('ShipOrder→OrderShipped'), 'the Next of a caught state is not taken');
  });
});

/** In drawing units: every shown Catch edge's polyline and every state's box (a container's
 * node is its header; its group is the rest). */
function drawnCatches(page) {
  return page.evaluate(() => {
    const g = document.querySelector('[data-testid=graph]');
    const num = (e, a) => parseFloat(e.getAttribute(a));
    const rect = (r) => ({ x: num(r, 'x'), y: num(r, 'y'), w: num(r, 'width'), h: num(r, 'height') });
    const boxes = [...g.querySelectorAll('.node')].map((n) => ({ name: n.dataset.state, ...rect(n.querySelector('.box')) }));
    const groups = [...g.querySelectorAll('.group')].map((e) => ({ id: e.dataset.group, ...rect(e.querySelector('rect')) }));
    const edges = [...g.querySelectorAll('.edge-catch')].filter((e) => getComputedStyle(e).display !== 'none').map((e) => ({
      from: e.dataset.from, to: e.dataset.to,
      points: e.querySelector('path').getAttribute('d').split(/[ML ]+/).filter(Boolean).map((p) => p.split(',').map(Number)),
    }));
    return { boxes, groups, edges };
  });
}

/** Whether segment a–b passes through the inside of box r (Liang–Barsky, 0.5 unit inset). */
function crosses([ax, ay], [bx, by], r) {
  const [x0, y0, x1, y1] = [r.x + 0.5, r.y + 0.5, r.x + r.w - 0.5, r.y + r.h - 0.5];
  let t0 = 0, t1 = 1;
  for (const [p, q] of [[ax - bx, ax - x0], [bx - ax, x1 - ax], [ay - by, ay - y0], [by - ay, y1 - ay]]) {
    if (p === 0) { if (q < 0) return false; continue; }
    const t = q / p;
    if (p < 0) t0 = Math.max(t0, t); else t1 = Math.min(t1, t);
  }
  return t1 - t0 > 1e-9;
}

test('Catch edges shown in full cross no state box (each state pointed at in turn)', async () => {
  await withPage('look-catch-routes', async (page, url) => {
    await ready(page, url);
    let seen = 0;
    for (const name of ['order-processing', 'order-compensation']) {
      await open(page, name);
      await page.click('[aria-label="Fit to view"]');
      await settled(page);
      const sources = await page.$$eval('[data-testid=graph] .node', (ns) => ns.filter((n) => n.querySelector('.catches')).map((n) => n.dataset.state));
      assert.ok(sources.length >= 2, `${name}: states with Catches ${sources}`);
      for (const s of sources) {
        await page.hover(`[data-testid=graph] [data-state="${s}"] .box`);
        await page.waitForFunction((st) => [...document.querySelectorAll('[data-testid=graph] .edge-catch')]
          .some((e) => getComputedStyle(e).display !== 'none' && e.dataset.from.split('/').pop() === st), s);
        const { boxes, groups, edges } = await drawnCatches(page);
        for (const e of edges) {
          seen += 1;
          for (let i = 1; i < e.points.length; i++) {
            for (const b of boxes) {
              const own = [e.from, e.to].some((id) => id.split('/').pop() === b.name);
              assert.ok(own || !crosses(e.points[i - 1], e.points[i], b), `${name}: Catch ${e.from} → ${e.to} crosses ${b.name}`);
            }
            for (const gr of groups) {
              const inside = [e.from, e.to].some((id) => id === gr.id || id.startsWith(`${gr.id}/`));
              assert.ok(inside || !crosses(e.points[i - 1], e.points[i], gr), `${name}: Catch ${e.from} → ${e.to} crosses ${gr.id}`);
            }
          }
          // It leaves its state on the side: the first point is on the state's right edge.
          const from = boxes.find((b) => b.name === e.from.split('/').pop());
          assert.ok(Math.abs(e.points[0][0] - (from.x + from.w)) < 0.6, `${name}: ${e.from} → ${e.to} leaves from its side`);
        }
        await page.mouse.move(2, 2);
      }
    }
    assert.ok(seen >= 8, `${seen} Catch edges checked`);
  }, { viewport: { width: 1440, height: 900 } });
});

test('while a run plays at 1280×720 the graph has most of the height, and nothing is cut off', async () => {
  await withPage('look-graph-height', async (page, url) => {
    await ready(page, url);
    for (const [w, h, share] of [[1280, 720, 0.5], [1440, 900, 0.5]]) {
      await page.setViewportSize({ width: w, height: h });
      for (const name of ['order-processing', 'order-fulfilment']) {
        await open(page, name);
        await page.click('[data-testid=run]');
        await page.waitForSelector('[data-testid=editors][data-rail=true]');
        await page.waitForSelector('[data-testid=scrubber]:not([disabled])', { timeout: 30000 });
        await settled(page);
        const m = await page.evaluate(() => {
          const r = (sel) => document.querySelector(sel)?.getBoundingClientRect();
          return {
            canvas: r('[data-testid=graph] .graph-canvas').height,
            scroll: document.scrollingElement.scrollHeight - innerHeight,
            // The panes that must stay on the first screen, wholly.
            cut: ['[data-testid=graph-bar]', '[data-testid=scrubber]', '[data-testid=history]', '.system-pane .pane-head', '.result-pane .pane-head']
              .filter((sel) => { const b = r(sel); return !b || b.bottom > innerHeight + 0.5 || b.top < 0 || b.height < 1; }),
          };
        });
        const where = `${name} at ${w}×${h}`;
        console.log(`${where}: the drawing is ${m.canvas.toFixed(0)} px tall (${(m.canvas / h * 100).toFixed(0)}% of the window)`);
        assert.ok(m.canvas >= share * h, `${where}: the drawing is ${m.canvas} px tall`);
        assert.ok(m.scroll <= 0, `${where}: the page scrolls by ${m.scroll} px`);
        assert.deepEqual(m.cut, [], `${where}: cut off`);
        await page.click('[data-testid=tab-editor-machine]');
      }
    }
  });
});

test('a retry\'s attempt and wait sit beside the retried state, clear of other labels', async () => {
  await withPage('look-retry-label', async (page, url) => {
    await ready(page, url);
    await open(page, 'order-processing');
    await page.click('[data-testid=run]');
    await page.waitForSelector('[data-testid=scrubber]:not([disabled])', { timeout: 30000 });
    if ((await page.getAttribute('[data-testid=play]', 'aria-label')) === 'Pause') await page.click('[data-testid=play]');
    if (await page.isEnabled('[aria-label="To the start"]')) await page.click('[aria-label="To the start"]');
    const len = Number(await page.getAttribute('[data-testid=scrubber]', 'max'));
    for (let i = 0; i < len && !(await page.$('[data-state=ChargeCard][data-status=retrying]')); i++) {
      await page.click('[data-testid=step-forward]');
      await page.waitForFunction((n) => document.querySelector('[data-testid=scrubber]').value === String(n), i + 1);
    }
    await settled(page);
    const m = await page.evaluate(() => {
      const box = (e) => { const r = e.getBoundingClientRect(); return { x: r.left, y: r.top, w: r.width, h: r.height }; };
      const g = document.querySelector('[data-testid=graph]');
      const label = g.querySelector('[data-state=ChargeCard] [data-testid=attempts]');
      const shown = (e) => e.getClientRects().length && getComputedStyle(e).display !== 'none'
        && !e.closest('.quiet, .hint .edge-label') && getComputedStyle(e.closest('.edge') || e).display !== 'none';
      const others = [...g.querySelectorAll('.edge-label, .node text, .marker text, .group-label')]
        .filter((e) => !label.contains(e) && e !== label && shown(e) && e.textContent.trim())
        .map((e) => ({ what: e.textContent.trim().slice(0, 30), ...box(e) }));
      return { text: label.textContent, label: box(label), state: box(g.querySelector('[data-state=ChargeCard] .box')), others };
    });
    assert.match(m.text, /attempt 1 failed.*retry in 1\.0 s/);
    // Beside the state: on its left, level with it, within a few pixels.
    assert.ok(m.label.x + m.label.w <= m.state.x + 0.5, `the label ends at ${m.label.x + m.label.w}, the state starts at ${m.state.x}`);
    assert.ok(m.state.x - (m.label.x + m.label.w) < 24, 'the label is next to its state');
    assert.ok(m.label.y < m.state.y + m.state.h && m.label.y + m.label.h > m.state.y, 'the label is level with its state');
    assert.ok(m.label.h >= 20, 'two lines: the attempt, then the wait');
    for (const o of m.others) assert.ok(!overlap(m.label, o), `the retry label overlaps "${o.what}"`);
  }, { viewport: { width: 1280, height: 720 } });
});

test('the system view shows its lanes and time axis at 1280×720 without a page scroll; every target has a lane', async () => {
  await withPage('look-system', async (page, url) => {
    await ready(page, url);
    await pickExample(page, 'system-orders');
    await page.waitForSelector('[data-testid=graph] [data-state]');
    await page.click('[data-testid=run-system]');
    await page.waitForSelector('[data-testid=sys-axis] [data-testid=sys-tick]');
    await page.evaluate(() => scrollTo(0, 0));
    const seen = await page.evaluate(() => {
      const body = document.querySelector('.system-body').getBoundingClientRect();
      const lanes = [...document.querySelectorAll('[data-testid=sys-axis], [data-testid=sys-bus-lane], [data-testid=sys-target-lane], [data-testid=sys-lane]')];
      return {
        pageScroll: document.scrollingElement.scrollHeight - innerHeight,
        lanes: lanes.map((l) => { const r = l.getBoundingClientRect(); return { id: l.dataset.testid, top: r.top, bottom: r.bottom }; }),
        body: { top: body.top, bottom: Math.min(body.bottom, innerHeight) },
      };
    });
    assert.ok(seen.pageScroll <= 1, `the page scrolls by ${seen.pageScroll} px`);
    assert.ok(seen.lanes.length >= 5, `${seen.lanes.length} lanes`);
    for (const l of seen.lanes) {
      assert.ok(l.top >= seen.body.top - 1 && l.bottom <= seen.body.bottom + 1, `${l.id} out of view: ${JSON.stringify(l)} in ${JSON.stringify(seen.body)}`);
    }
    // Every delivery's target has a lane: a target lane, or the lane of the execution it started.
    const missing = await page.$$eval('[data-testid=sys-delivery]', (ds) => ds.filter((d) => {
      const [rule, target] = d.querySelector('.sys-rule').textContent.split(' → ');
      const own = document.querySelector(`[data-testid=sys-target-lane][data-rule="${CSS.escape(rule)}"][data-target="${CSS.escape(target)}"]`);
      const exec = d.querySelector('[data-testid=sys-execution]');
      const lane = exec && document.querySelector(`[data-testid=sys-lane][data-machine="${CSS.escape(exec.dataset.machine)}"]`);
      return !own && !lane;
    }).map((d) => d.textContent));
    assert.deepEqual(missing, []);
  }, { viewport: { width: 1280, height: 720 } });
});

const noSideways = (page) => page.evaluate(() => document.scrollingElement.scrollWidth - innerWidth);

test('nothing scrolls sideways at 390 px: the playground, its editors, the workshop and an embed', async () => {
  await withPage('look-phone', async (page, url) => {
    await ready(page, url);
    await open(page, 'order-processing');
    assert.ok((await noSideways(page)) <= 0, `playground: ${await noSideways(page)} px sideways`);
    await runToEnd(page);
    for (const ed of ['editor-event', 'editor-rule', 'editor-machine', 'editor-mocks']) {
      await showEditor(page, ed);
      assert.ok((await noSideways(page)) <= 0, `${ed}: ${await noSideways(page)} px sideways`);
    }
    await page.goto(`${url}#/exercises`);
    await page.waitForSelector('[data-testid=exercise-list]');
    assert.ok((await noSideways(page)) <= 0, `workshop list: ${await noSideways(page)} px sideways`);
    await page.locator('[data-testid=exercise-link]').nth(1).click();
    await page.waitForSelector('[data-testid=instructions] h3');
    assert.ok((await noSideways(page)) <= 0, `an exercise: ${await noSideways(page)} px sideways`);
    await page.goto(`${url}?embed&example=order-processing&panes=machine,graph&readonly`);
    await page.waitForSelector('[data-testid=graph] [data-state]');
    assert.ok((await noSideways(page)) <= 0, `embed: ${await noSideways(page)} px sideways`);
  }, { viewport: { width: 390, height: 844 } });
});

/** Every visible text's contrast against what is behind it, from the computed styles: HTML text
 * against the nearest opaque background (semi-transparent ones blended), SVG text (fill) against
 * the shape it is drawn on. Returns the texts below AA (4.5, or 3 for large text). */
function lowContrast(page) {
  return page.evaluate(() => {
    const parse = (c) => {
      const m = c.match(/rgba?\(([^)]+)\)/);
      if (!m) return null;
      const p = m[1].split(/[\s,/]+/).filter(Boolean).map(Number);
      return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
    };
    const over = (top, under) => ({
      r: top.r * top.a + under.r * (1 - top.a), g: top.g * top.a + under.g * (1 - top.a),
      b: top.b * top.a + under.b * (1 - top.a), a: 1,
    });
    const lum = (c) => {
      const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
      return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
    };
    const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
    // The colour behind an HTML element: its own and its ancestors' backgrounds, blended.
    const behind = (el) => {
      const layers = [];
      for (let e = el; e; e = e.parentElement) {
        const c = parse(getComputedStyle(e).backgroundColor);
        if (c && c.a > 0) { layers.push(c); if (c.a >= 1) break; }
      }
      let c = { r: 255, g: 255, b: 255, a: 1 };
      if (matchMedia('(prefers-color-scheme: dark)').matches) c = { r: 0, g: 0, b: 0, a: 1 };
      for (const l of layers.reverse()) c = over(l, c);
      return c;
    };
    const opacity = (el) => { let o = 1; for (let e = el; e; e = e.parentElement) o *= Number(getComputedStyle(e).opacity); return o; };
    const shown = (el) => {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) return false;
      const s = getComputedStyle(el);
      return s.visibility !== 'hidden' && s.display !== 'none';
    };
    const bad = [];
    const check = (el, fg, bg, what) => {
      const s = getComputedStyle(el);
      const size = parseFloat(s.fontSize), bold = Number(s.fontWeight) >= 700;
      const large = size >= 24 || (bold && size >= 18.66);
      const need = large ? 3 : 4.5;
      const r = ratio(fg, bg);
      if (r < need) bad.push(`${what}: ${r.toFixed(2)} < ${need}`);
    };
    const label = (el) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} "${el.textContent.trim().slice(0, 30)}"`;
    // HTML text: elements with text of their own, not in a disabled control (WCAG exempts
    // inactive components).
    for (const el of document.querySelectorAll('body *:not(svg *):not(script):not(style):not(option)')) {
      const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
      if (!own || !shown(el) || el.closest(':disabled, [aria-disabled=true]')) continue;
      const fg = parse(getComputedStyle(el).color);
      if (!fg) continue;
      const bg = behind(el);
      check(el, over({ ...fg, a: fg.a * opacity(el) }, bg), bg, label(el));
    }
    // SVG text of the graph: on its node's box, its edge label's box, a marker, or the pane.
    const pane = document.querySelector('[data-testid=graph] .graph-canvas');
    for (const t of document.querySelectorAll('[data-testid=graph] svg text')) {
      if (!shown(t) || !t.textContent.trim()) continue;
      const on = t.closest('.retry-mark') || t.classList.contains('catches') || t.classList.contains('runs')
        ? null
        : t.closest('.node, .edge-label, .marker')?.querySelector('rect');
      const bg = on ? parse(getComputedStyle(on).fill) : behind(pane);
      const fg = parse(getComputedStyle(t).fill);
      if (!fg || !bg) continue;
      const base = pane ? behind(pane) : { r: 255, g: 255, b: 255, a: 1 };
      check(t, fg, bg.a < 1 ? over(bg, base) : bg, `svg ${label(t)}${t.closest('.node') ? ` on ${t.closest('.node').dataset.status}` : ''}`);
    }
    return [...new Set(bad)];
  });
}

for (const scheme of ['light', 'dark']) {
  test(`text meets WCAG AA contrast in the ${scheme} theme`, async () => {
    await withPage(`look-contrast-${scheme}`, async (page, url) => {
      await ready(page, url);
      const found = [];
      // The order-processing run at its end, then stepped back into a retry.
      await open(page, 'order-processing');
      await runToEnd(page);
      found.push(...await lowContrast(page));
      await page.click('[aria-label="To the start"]');
      for (let i = 0; i < 40 && !(await page.$('[data-state=ChargeCard][data-status=retrying]')); i++) {
        await page.click('[data-testid=step-forward]');
      }
      await page.click('[data-testid=graph] [data-state=ChargeCard] .box');
      await page.waitForSelector('[data-testid=inspector]');
      found.push(...await lowContrast(page));
      // Every status a state can be drawn in: the compensation run (caught, failed) and a system run.
      await open(page, 'order-compensation');
      await runToEnd(page);
      found.push(...await lowContrast(page));
      await pickExample(page, 'system-orders');
      await page.waitForSelector('[data-testid=graph] [data-state]');
      await page.click('[data-testid=run-system]');
      await page.waitForSelector('[data-testid=sys-axis] [data-testid=sys-tick]');
      found.push(...await lowContrast(page));
      // The workshop.
      await page.goto(`${url}#/exercises`);
      await page.waitForSelector('[data-testid=exercise-list]');
      found.push(...await lowContrast(page));
      const unique = [...new Set(found)];
      assert.deepEqual(unique, [], `${unique.length} texts below AA:\n${unique.join('\n')}`);
    }, { colorScheme: scheme, viewport: { width: 1280, height: 720 } });
  });
}

test('the keyboard reaches Run, playback, the zoom buttons and the states', async () => {
  await withPage('look-keyboard', async (page, url) => {
    await ready(page, url);
    await open(page, 'order-processing');
    await runToEnd(page);
    // From the top of the page: a click on the title (not a control) starts the Tab order there.
    await page.click('.topbar h1');
    const reached = new Set();
    for (let i = 0; i < 120; i++) {
      await page.keyboard.press('Tab');
      const what = await page.evaluate(() => {
        const e = document.activeElement;
        if (e?.dataset?.state) return 'state';
        return e?.getAttribute('data-testid') || e?.getAttribute('aria-label') || e?.tagName;
      });
      reached.add(what);
    }
    // (At the end of the run, Step forward and To the end are disabled, so not in the order.)
    for (const want of ['run', 'To the start', 'step-back', 'play', 'scrubber', 'Zoom in', 'Fit to view', 'state', 'tab-editor-machine', 'expand-row']) {
        assert.ok(reached.has(want), `Tab never reaches ${want}: ${[...reached].join(', ')}`);
    }
  }, { viewport: { width: 1280, height: 720 } });
});
