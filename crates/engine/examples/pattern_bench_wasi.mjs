// Runs a wasm32-wasip1 build of an example under Node's own WASI (node:wasi; no other runtime).
//   node pattern_bench_wasi.mjs EXAMPLE.wasm [ARGS...]
// Every absolute path among ARGS gets its directory pre-opened, so the example can read it.
import { WASI } from 'node:wasi';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import process from 'node:process';

const [wasmPath, ...args] = process.argv.slice(2);
if (!wasmPath) {
  console.error('usage: node pattern_bench_wasi.mjs EXAMPLE.wasm [ARGS...]');
  process.exit(2);
}
const preopens = {};
for (const a of args) {
  if (path.isAbsolute(a)) preopens[path.dirname(a)] = path.dirname(a);
}
const wasi = new WASI({ version: 'preview1', args: [path.basename(wasmPath), ...args], env: {}, preopens, returnOnExit: true });
const module = await WebAssembly.compile(await readFile(wasmPath));
const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
process.exitCode = wasi.start(instance);
