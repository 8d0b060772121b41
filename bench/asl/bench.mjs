// Side-by-side benchmark in one run: aws-local-stepfunctions (pinned in package.json) against
// statebridge's interpreter natively (the release example `asl_bench`) and as wasm32-wasip1 under
// node:wasi. Same machines, same inputs, every Task answered locally; prints times and ratios.
//
//   node bench.mjs NATIVE_BINARY WASM_FILE [ORDER_RUNS] [MAP_RUNS] [ITEMS] [MEMORY_ITEMS]
// (scripts/bench-asl.sh builds both and calls this.) MEMORY_ITEMS (default 100,000; 0 skips it):
// the Map's peak memory over that many items, each side run once in a fresh child process.

import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';

// The wasm side runs in a child Node (`bench.mjs --wasm-child WASM_FILE ORDER_RUNS MAP_RUNS ITEMS`)
// with --single-threaded-gc: Node 20's V8 crashes (SIGSEGV in a GC thread walking the stack) after
// the 10,000-item Map has grown the wasm memory to ~150 MB; one GC thread avoids it, and
// aws-local-stepfunctions keeps V8's default GC in this process. --no-liftoff compiles the module
// with V8's optimising tier up front (compilation is not timed): V8's baseline tier would otherwise
// run the first few thousand executions on a busy machine, where the background tier-up lags, so the
// figure would depend on the warm-up; the JavaScript side gets its warm-up runs to reach its own
// optimised code.
if (process.argv[2] === '--wasm-child') {
  const { WASI } = await import('node:wasi');
  const { readFileSync } = await import('node:fs');
  const [file, ...args] = process.argv.slice(3);
  const wasi = new WASI({ version: 'preview1', args: ['asl_bench', ...args], returnOnExit: true });
  const module = await WebAssembly.compile(readFileSync(file));
  const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
  process.exit(wasi.start(instance));
}

// Node 20 lacks Promise.withResolvers, which aws-local-stepfunctions 3 uses.
if (typeof Promise.withResolvers !== 'function') {
  Promise.withResolvers = function withResolvers() {
    let resolve, reject;
    const promise = new Promise((res, rej) => { resolve = res; reject = rej; });
    return { promise, resolve, reject };
  };
}
const { StateMachine } = await import('aws-local-stepfunctions');

const here = dirname(fileURLToPath(import.meta.url));
const itemsInput = (n) => ({ items: Array.from({ length: n }, (_, i) => ({ sku: `SKU-${i}`, quantity: (i % 7) + 1 })) });
const mapHandlers = { PriceItem: () => ({ total: 42, currency: 'EUR' }) };

// The memory side of aws-local-stepfunctions (`bench.mjs --map-memory-child ITEMS`): one run of
// the Map over ITEMS items in this fresh process, then its peak resident memory. Node's
// resourceUsage().maxRSS is getrusage's ru_maxrss (KiB on Linux), the same figure as the VmHWM
// that asl_bench --map-memory reads for statebridge.
if (process.argv[2] === '--map-memory-child') {
  const n = Number(process.argv[3]);
  const machine = new StateMachine(JSON.parse(readFileSync(join(here, 'map-machine.json'), 'utf8')),
    { awsConfig: { region: 'us-east-1' } });
  const output = await machine.run(itemsInput(n), { overrides: { taskResourceLocalHandlers: mapHandlers } }).result;
  console.log(JSON.stringify({ items: n, peak_rss_bytes: process.resourceUsage().maxRSS * 1024, output_len: output.length }));
  process.exit(0);
}
const [nativeBin, wasmFile] = process.argv.slice(2, 4);
const orderRuns = Number(process.argv[4] ?? 2000);
const mapRuns = Number(process.argv[5] ?? 5);
const items = Number(process.argv[6] ?? 10000);
const memoryItems = Number(process.argv[7] ?? 100000);
if (!nativeBin || !wasmFile) {
  console.error('usage: node bench.mjs NATIVE_BINARY WASM_FILE [ORDER_RUNS] [MAP_RUNS] [ITEMS] [MEMORY_ITEMS]');
  process.exit(2);
}

const workspace = JSON.parse(readFileSync(join(here, '../../www/examples/order-processing.json'), 'utf8'));
const orderMachine = workspace.machines['order-processor'];
const orderInput = workspace.event.detail;
// The same answers as the mocks in crates/engine/examples/asl_bench.rs.
const orderHandlers = {
  ValidateOrder: () => ({ orderId: '12345', customerId: 'cust-999', totalAmount: 129.99, cardToken: 'tok_visa_xxx', valid: true }),
  ChargeCard: () => ({ orderId: '12345', chargeId: 'ch_3Nf9x2', status: 'new', amount: 129.99 }),
  FulfillOrder: () => ({ orderId: '12345', shipmentId: 'SHP-7781', warehouse: 'DUB-2' }),
  SendConfirmationEmail: () => ({ Output: '{"messageId":"0100018e3f"}', Status: 'SUCCEEDED' }),
  MarkOrderComplete: () => ({ orderId: '12345', status: 'COMPLETE' }),
};
const mapMachine = JSON.parse(readFileSync(join(here, 'map-machine.json'), 'utf8'));
const mapInput = itemsInput(items);

// Wall time (the figure compared, the same clock on all three sides) and this process's CPU time
// (user + system, all of Node's threads) for reference: on a loaded machine wall time includes
// waiting for a core, so run the comparison on a quiet machine.
// The runs go in up to 5 batches and the fastest batch's time per run is reported (the Rust side
// does the same), so a batch slowed by other work on a shared machine does not count.
async function timeRuns(machine, input, handlers, runs) {
  let output;
  runs = Math.max(runs, 1);
  const batches = Math.min(5, runs);
  const cpu = process.cpuUsage();
  let best = Infinity;
  let done = 0;
  for (let b = 0; b < batches; b++) {
    const size = Math.floor((runs - done) / (batches - b));
    const started = process.hrtime.bigint();
    for (let i = 0; i < size; i++) {
      output = await machine.run(input, { overrides: { taskResourceLocalHandlers: handlers } }).result;
    }
    done += size;
    best = Math.min(best, Number(process.hrtime.bigint() - started) / 1000 / Math.max(size, 1));
  }
  const used = process.cpuUsage(cpu);
  const cpuMicros = (used.user + used.system) / runs;
  return { micros: best, cpuMicros, output };
}

async function localStepFunctions() {
  // The Lambda ARNs name account 123456789012; the Tasks never call AWS (local handlers).
  const options = { awsConfig: { region: 'us-east-1' } };
  const order = new StateMachine(orderMachine, options);
  await timeRuns(order, orderInput, orderHandlers, Math.max(1, Math.floor(orderRuns / 10)));
  const o = await timeRuns(order, orderInput, orderHandlers, orderRuns);
  const map = new StateMachine(mapMachine, options);
  await timeRuns(map, mapInput, mapHandlers, 1);
  const m = await timeRuns(map, mapInput, mapHandlers, mapRuns);
  return {
    order_cpu_us_per_execution: o.cpuMicros,
    map_cpu_us_per_item: m.cpuMicros / items,
    order_us_per_execution: o.micros,
    order_output: o.output,
    map_us_per_item: m.micros / items,
    map_output_first: m.output[0],
    map_output_len: m.output.length,
  };
}

function native() {
  const out = execFileSync(nativeBin, [String(orderRuns), String(mapRuns), String(items)], { encoding: 'utf8' });
  return JSON.parse(out);
}

async function wasm() {
  const out = execFileSync(process.execPath,
    ['--single-threaded-gc', '--no-liftoff', '--no-warnings', fileURLToPath(import.meta.url), '--wasm-child', wasmFile,
      String(orderRuns), String(mapRuns), String(items)],
    { encoding: 'utf8', maxBuffer: 1 << 24 });
  return JSON.parse(out);
}

// Peak memory of one run of the Map over `memoryItems` items, each side in a fresh child process
// (so neither inherits the other's heap or this process's): aws-local-stepfunctions under Node's
// default flags, statebridge native with inspection on (the CLI's default) and off.
function mapMemory() {
  if (!(memoryItems > 0)) return null;
  const child = (file, args) => JSON.parse(execFileSync(file, args, { encoding: 'utf8', maxBuffer: 1 << 24 }));
  const reference = child(process.execPath, [fileURLToPath(import.meta.url), '--map-memory-child', String(memoryItems)]);
  const inspect = child(nativeBin, ['--map-memory', String(memoryItems)]);
  const noInspect = child(nativeBin, ['--map-memory', String(memoryItems), '--no-inspect']);
  for (const r of [inspect, noInspect]) {
    if (r.output_len !== reference.output_len) {
      throw new Error(`the ${memoryItems}-item Map's output has ${r.output_len} items in statebridge, ${reference.output_len} in aws-local-stepfunctions`);
    }
  }
  return { items: memoryItems, reference, native_inspect: inspect, native_no_inspect: noInspect };
}

const reference = await localStepFunctions();
const results = { native: native(), wasm: await wasm() };
const memory = mapMemory();
let agree = true;
for (const [name, r] of Object.entries(results)) {
  for (const k of ['order_output', 'map_output_first', 'map_output_len']) {
    if (!isDeepStrictEqual(r[k], reference[k])) {
      agree = false;
      console.error(`${name}: ${k} differs from aws-local-stepfunctions: ${JSON.stringify(r[k])} vs ${JSON.stringify(reference[k])}`);
    }
  }
}
const fmt = (x) => x.toFixed(2).padStart(9);
console.log('wall time per unit of work (fastest of up to 5 batches), all three measured in this run (CPU times in the JSON line):');
console.log(`aws-local-stepfunctions 3.0.0 on Node ${process.version}; ${orderRuns} order executions, ${mapRuns} Map runs of ${items} items`);
console.log('                         order µs/execution   ratio    Map µs/item   ratio');
console.log(`aws-local-stepfunctions   ${fmt(reference.order_us_per_execution)}          1.0x   ${fmt(reference.map_us_per_item)}    1.0x`);
for (const [name, r] of Object.entries(results)) {
  const ro = reference.order_us_per_execution / r.order_us_per_execution;
  const rm = reference.map_us_per_item / r.map_us_per_item;
  console.log(`statebridge ${name.padEnd(12)}  ${fmt(r.order_us_per_execution)}   ${ro.toFixed(1).padStart(9)}x   ${fmt(r.map_us_per_item)} ${rm.toFixed(1).padStart(6)}x`);
}
{
  const n = results.native;
  if (n.order_cpu_us_per_execution && n.map_cpu_us_per_item) {
    const ro = reference.order_cpu_us_per_execution / n.order_cpu_us_per_execution;
    const rm = reference.map_cpu_us_per_item / n.map_cpu_us_per_item;
    console.log(`CPU time (all runs), native against aws-local-stepfunctions: order ${ro.toFixed(1)}x, Map ${rm.toFixed(1)}x`);
  }
  console.log(`statebridge records its history in both modes; with the inspector's per-state data too: order native ${n.order_inspect_us_per_execution.toFixed(2)} µs, wasm ${results.wasm.order_inspect_us_per_execution.toFixed(2)} µs; Map native ${n.map_inspect_us_per_item.toFixed(2)} µs/item, wasm ${results.wasm.map_inspect_us_per_item.toFixed(2)} µs/item`);
}
// The Map written in JSONata (statebridge only): its cost per item at 1,000 and at ITEMS items,
// and against the JSONPath Map of the same run.
for (const [name, r] of Object.entries(results)) {
  const [small, large] = r.jsonata_map;
  console.log(`statebridge ${name.padEnd(12)}  JSONata Map µs/item: ${small.us_per_item.toFixed(2)} at ${small.items} items, ${large.us_per_item.toFixed(2)} at ${large.items} (${(large.us_per_item / small.us_per_item).toFixed(2)}x); ${(large.us_per_item / r.map_us_per_item).toFixed(2)}x the JSONPath Map's`);
  // Wall time on a shared machine favours the short runs (a 1,000-item run slips between other
  // work more often than a 10,000-item one): CPU time, where the system gives it, says the same
  // thing without that bias.
  if (small.cpu_us_per_item && large.cpu_us_per_item && r.map_cpu_us_per_item) {
    console.log(`statebridge ${name.padEnd(12)}  JSONata Map CPU µs/item: ${small.cpu_us_per_item.toFixed(2)} at ${small.items} items, ${large.cpu_us_per_item.toFixed(2)} at ${large.items} (${(large.cpu_us_per_item / small.cpu_us_per_item).toFixed(2)}x); ${(large.cpu_us_per_item / r.map_cpu_us_per_item).toFixed(2)}x the JSONPath Map's`);
  }
}
if (memory) {
  const mb = (r) => (r.peak_rss_bytes / 1e6).toFixed(1).padStart(8);
  const ratio = (r) => (r.peak_rss_bytes / memory.reference.peak_rss_bytes).toFixed(2);
  console.log(`peak resident memory of one run of the Map over ${memory.items} items, each in a fresh process (wasm not measured):`);
  console.log(`aws-local-stepfunctions              ${mb(memory.reference)} MB   1.00x`);
  console.log(`statebridge native, inspection on    ${mb(memory.native_inspect)} MB   ${ratio(memory.native_inspect)}x`);
  console.log(`statebridge native, inspection off   ${mb(memory.native_no_inspect)} MB   ${ratio(memory.native_no_inspect)}x`);
}
console.log(JSON.stringify({ reference, native: results.native, wasm: results.wasm, map_memory: memory, outputs_agree: agree }));
process.exit(agree ? 0 : 1);
