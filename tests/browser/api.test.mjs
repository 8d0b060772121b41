// The JS API (crates/js, built into DIST/api by scripts/build-module.sh api) used from Node: the same
// ES module a documentation page imports, instantiated from the wasm file's bytes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DIST } from './harness.mjs';

const API = path.join(DIST, 'api');
const sb = await import(pathToFileURL(path.join(API, 'statebridge.js')).href);
await sb.default({ module_or_path: fs.readFileSync(path.join(API, 'statebridge_bg.wasm')) });

/** The call throws a plain object of this kind (not a string, not an Error with only a message). */
function throwsKind(call, kind, more = {}) {
  let caught;
  try { call(); } catch (e) { caught = e; }
  assert.ok(caught !== undefined, 'expected a throw');
  assert.equal(typeof caught, 'object', `thrown: ${caught}`);
  assert.equal(caught.kind, kind, JSON.stringify(caught));
  assert.equal(typeof caught.message, 'string');
  for (const [k, v] of Object.entries(more)) assert.deepEqual(caught[k], v, `${k} in ${JSON.stringify(caught)}`);
  return caught;
}

const ORDER = {
  StartAt: 'Charge',
  States: {
    Charge: {
      Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:charge',
      Retry: [{ ErrorEquals: ['Throttled'], IntervalSeconds: 2, MaxAttempts: 2 }],
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Refund' }],
      Next: 'Done',
    },
    Refund: { Type: 'Pass', Result: 'refunded', ResultPath: '$.refund', End: true },
    Done: { Type: 'Succeed' },
  },
};

test('match and explain take JSON text or values', () => {
  assert.equal(sb.match({ source: ['shop'] }, { source: 'shop' }), true);
  assert.equal(sb.match('{"detail": {"amount": [{"numeric": [">", 100]}]}}', '{"detail": {"amount": 50}}'), false);
  const e = sb.explain({ 'detail-type': ['OrderCreated'] }, { 'detail-type': 'OrderPlaced' });
  assert.equal(e.matched, false);
  assert.match(e.reasons[0], /OrderPlaced/);
  assert.equal(e.fields[0].path, 'detail-type');
});

test('errors are objects with a kind and a place', () => {
  throwsKind(() => sb.match('{\n  "source": "shop"\n}', {}), 'pattern', { argument: 'pattern', path: 'source', line: 2 });
  throwsKind(() => sb.match('{"source": [', {}), 'syntax', { argument: 'pattern' });
  throwsKind(() => sb.match({ a: ['x'] }, undefined), 'argument', { argument: 'event' });
  throwsKind(() => sb.run(ORDER, {}, { mocks: {}, nope: 1 }), 'options');
  const d = throwsKind(() => sb.run({ StartAt: 'Nowhere', States: {} }, {}), 'definition');
  assert.ok(Array.isArray(d.diagnostics) && d.diagnostics.length > 0);
  throwsKind(() => sb.route({ Rules: [{ Name: 'r' }] }, {}), 'bus', { argument: 'bus' });
  throwsKind(() => sb.transform({ InputPath: 3 }, {}), 'target');
});

test('transform gives what a target receives', () => {
  const event = { source: 'shop', detail: { orderId: 'ORD-1', amount: 12 } };
  assert.deepEqual(sb.transform({ InputPath: '$.detail' }, event), { text: '{"orderId":"ORD-1","amount":12}', json: event.detail });
  const t = sb.transform({ InputTransformer: { InputPathsMap: { id: '$.detail.orderId' }, InputTemplate: '{"order": <id>, "rule": <aws.events.rule-name>}' } },
    event, { ruleName: 'orders' });
  assert.deepEqual(t.json, { order: 'ORD-1', rule: 'orders' });
});

test('route lists matched rules with their targets input, and why others missed', () => {
  const bus = {
    Rules: [
      { Name: 'big', EventPattern: { detail: { amount: [{ numeric: ['>=', 100] }] } }, Targets: [{ Id: 't', Arn: 'arn:x' }] },
      { Name: 'orders', EventPattern: { source: ['shop'] }, Targets: [{ Id: 'f', Arn: 'arn:aws:states:us-east-1:1:stateMachine:f', InputPath: '$.detail' }] },
    ],
  };
  const r = sb.route(bus, { source: 'shop', detail: { amount: 12 } });
  assert.deepEqual(r.matched.map((m) => m.name), ['orders']);
  assert.deepEqual(r.matched[0].targets[0].input, { amount: 12 });
  assert.equal(r.notMatched[0].name, 'big');
  assert.match(r.notMatched[0].reason, /12/);
});

test('validate answers with diagnostics instead of throwing', () => {
  assert.deepEqual(sb.validate(ORDER), { valid: true, diagnostics: [] });
  const v = sb.validate({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'B' } } });
  assert.equal(v.valid, false);
  assert.ok(v.diagnostics.some((d) => /B/.test(d.message)), JSON.stringify(v));
});

test('run returns the history, deterministically, with mocks per attempt', () => {
  const mocks = { Charge: { '0-1': { Throw: { Error: 'Throttled', Cause: 'slow down' } }, '2': { Return: { charged: true } } } };
  const a = sb.run(ORDER, { orderId: 'ORD-1' }, { mocks });
  assert.equal(a.status, 'SUCCEEDED');
  assert.deepEqual(a.output, { charged: true });
  const types = a.history.map((e) => e.type);
  assert.equal(types[0], 'ExecutionStarted');
  assert.equal(types.filter((t) => t === 'TaskScheduled' || t === 'LambdaFunctionScheduled').length, 3, types.join());
  assert.deepEqual(sb.run(ORDER, { orderId: 'ORD-1' }, { mocks }), a, 'the same run twice gives the same history');
  const failed = sb.run(ORDER, '{"orderId": "ORD-2"}', { mocks: { Charge: { '0': { Throw: { Error: 'CardDeclined', Cause: 'no' } } } }, history: false });
  assert.equal(failed.status, 'SUCCEEDED');
  assert.equal(failed.output.refund, 'refunded');
  assert.equal(failed.history, undefined);
});

test('TypeScript declarations ship with the module', () => {
  const dts = fs.readFileSync(path.join(API, 'statebridge.d.ts'), 'utf8');
  for (const fn of ['match', 'explain', 'transform', 'route', 'validate', 'run', 'testState']) {
    assert.match(dts, new RegExp(`export function ${fn}\\(`), fn);
  }
  assert.match(dts, /export interface StatebridgeError/);
  assert.match(dts, /export default function __wbg_init/);
});

test('route takes PutEvents entries and answers as PutEvents does', () => {
  const bus = { Rules: [
    { Name: 'signups', EventPattern: { source: ['myapp.signup'] } },
    { Name: 'custom', EventBusName: 'MyCustomEventBus', EventPattern: { account: ['123456789012'] } },
  ] };
  const r = sb.route(bus, { Entries: [
    { Source: 'myapp.signup', DetailType: 'UserSignup', Detail: '{"user_id": "12345"}', EventBusName: 'default' },
    { DetailType: 'UserSignup', Detail: '{}' },
    { Source: 'x', DetailType: 't', Detail: '{}', EventBusName: 'MyCustomEventBus' },
  ] });
  assert.deepEqual(r.matched.map((m) => m.name), ['signups']);
  assert.equal(r.putEvents.FailedEntryCount, 1);
  assert.deepEqual(r.putEvents.Entries[1], { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter Source is not valid. Reason: Source is a required argument.' });
  assert.deepEqual(r.routings.map((x) => [x.bus, x.matched.map((m) => m.name)]), [['default', ['signups']], ['MyCustomEventBus', ['custom']]]);
  // A member PutEvents lacks: the whole call is refused, as boto3 refuses it, naming the member.
  const e = throwsKind(() => sb.route(bus, { Entries: [{ Source: 'a', 'detail-type': 't', Detail: '{}' }] }), 'event',
    { argument: 'event', path: 'Entries[0].detail-type' });
  assert.match(e.message, /Unknown parameter in Entries\[0\]: "detail-type".*did you mean `DetailType`/);
});

test('testState runs one state as TestState does, from values or AWS\'s JSON text', () => {
  const request = {
    definition: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', ResultSelector: { 'total.$': '$.Payload.total' },
      Retry: [{ ErrorEquals: ['Throttled'] }], Next: 'Ship' },
    input: { order: 1 },
    inspectionLevel: 'DEBUG',
    mock: { result: { Payload: { total: 42 } } },
  };
  const r = sb.testState(request);
  assert.equal(r.status, 'SUCCEEDED');
  assert.equal(r.nextState, 'Ship');
  assert.deepEqual(r.inspectionData.afterResultSelector, { total: 42 });
  // AWS's shape: the same members as JSON text.
  const asText = { ...request, definition: JSON.stringify(request.definition), input: '{"order": 1}',
    mock: { result: '{"Payload": {"total": 42}}' } };
  assert.deepEqual(sb.testState(asText), r);
  const retriable = sb.testState({ ...request, mock: { errorOutput: { error: 'Throttled', cause: 'slow down' } } });
  assert.equal(retriable.status, 'RETRIABLE');
  throwsKind(() => sb.testState('{"definition": {"Type": "Pass", "End": true},\n "inspectionLevel": "LOUD"}'), 'request',
    { argument: 'request', path: 'inspectionLevel', line: 2 });
  throwsKind(() => sb.testState({ definition: { Type: 'Pass', InputPath: 'nope', End: true } }), 'definition',
    { path: 'definition.InputPath' });
});

test('system runs a workspace\'s pipes: retries, partial batch failures and dead letters', () => {
  const ws = JSON.parse(fs.readFileSync(new URL('../../www/examples/pipe-partial-failure.json', import.meta.url), 'utf8'));
  const r = sb.system(ws);
  const [orders, readings] = r.pipes;
  assert.deepEqual(orders.records.map((x) => x.status),
    ['delivered', 'delivered', 'dead_lettered', 'delivered', 'delivered', 'delivered']);
  assert.deepEqual(orders.batches.map((b) => [b.status, b.attempt]),
    [['FAILED', 0], ['DELIVERED', 0], ['PARTIALLY_FAILED', 1], ['FAILED', 2]]);
  assert.equal(orders.dead_letters[0].attempts, 3);
  assert.match(orders.dead_letters[0].queue, /:orders-dlq$/);
  assert.deepEqual(readings.dead_letters[0].records, [2]);
  // A wrong retry setting throws with its place.
  ws.rules.Sources[0].Attributes.VisibilityTimeout = 'forever';
  const e = throwsKind(() => sb.system(ws), 'bus', { argument: 'workspace' });
  assert.match(e.message, /Sources\[0\]\.Attributes\.VisibilityTimeout/);
});

test('replay, importTemplate, exportTemplate and matrix read what people bring from AWS', () => {
  const www = path.join(DIST, 'artifacts');
  const history = fs.readFileSync(path.join(www, 'history.json'), 'utf8');
  const h = sb.replay(history);
  assert.equal(h.status, 'SUCCEEDED');
  assert.equal(h.events.length, 20);
  assert.deepEqual(h.events.map((e) => e.id), [...Array(20).keys()].map((i) => i + 1));
  assert.equal(h.millis[10] - h.millis[9], 2000, 'the retry waited its 2 s interval');
  assert.equal(h.definition.StartAt, 'ReserveStock');
  assert.equal(JSON.parse(h.input).orderId, 'o-1001');
  throwsKind(() => sb.replay('{"events": [\n  {"id": 1, "type": "ExecutionStarted", "timestamp": "soon"}]}'), 'history',
    { argument: 'history', path: 'events[0].timestamp', line: 2 });

  const template = fs.readFileSync(path.join(www, 'template.yaml'), 'utf8');
  const t = sb.importTemplate(template, { name: 'mine', event: { source: 'x' }, rules: { Rules: [] }, machines: {} });
  assert.deepEqual(Object.keys(t.machines).sort(), ['Fulfilment', 'Refunds']);
  assert.deepEqual(t.rules.map((r) => r.Name), ['FulfilmentOrderPlaced', 'FulfilmentNightly', 'OrderCancelled']);
  assert.deepEqual(t.workspace.event, { source: 'x' });
  assert.ok(t.notes.some((n) => /EventsRole/.test(n)), t.notes.join('\n'));
  throwsKind(() => sb.importTemplate('Resources:\n  X: !Bogus 1'), 'template', { argument: 'template', line: 2, column: 6 });

  for (const format of ['json', 'yaml']) {
    const out = sb.exportTemplate(t.workspace, format);
    assert.equal(out.format, format);
    const back = sb.importTemplate(out.text);
    assert.deepEqual(back.machines, t.machines, format);
    assert.deepEqual(back.rules.map((r) => r.EventPattern), t.rules.map((r) => r.EventPattern), format);
  }
  assert.equal(sb.exportTemplate(t.workspace).format, 'json');
  throwsKind(() => sb.exportTemplate(t.workspace, 'xml'), 'argument', { argument: 'format' });

  const events = fs.readFileSync(path.join(www, 'events.jsonl'), 'utf8');
  const m = sb.matrix(events, t.workspace);
  assert.equal(m.events.length, 6);
  assert.equal(m.cells[0][0].matched, true);
  assert.equal(m.cells[0][1].matched, false);
  assert.match(m.cells[0][1].reasons[0], /detail\.total/);
  assert.deepEqual(m.unmatched, [1, 3, 4, 5]);
  throwsKind(() => sb.matrix('{}\n{"Source": "a", "DetailType": "x", "Detail": "not json"}', { Rules: [] }), 'event', { argument: 'events', line: 2 });
});
