#!/usr/bin/env node
// What the wasm kernel warm-up (src/linalg/backends/wasm/warmUp.ts) buys: in fresh child processes
// (V8 has compiled nothing yet), the time of the first and the second 2000x1000 * 1000x1500 GEMM on
// one thread, f32 then f64, without and with the warm-up before them, alternating, plus how long
// the warm-up itself took. Runs the library from src/ through tsx:
//
//   node scripts/bench-warmup.mjs [--rounds 3]
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values: opts } = parseArgs({ options: { rounds: { type: 'string', default: '3' } } });

const child = `
import { readFile } from 'node:fs/promises';
import { warmUpKernels } from ${JSON.stringify(join(root, 'src/linalg/backends/wasm/warmUp.ts'))};
import { kernelsUrl } from ${JSON.stringify(join(root, 'src/linalg/backends/wasm/wasmHost.ts'))};
const module = await WebAssembly.compile(await readFile(kernelsUrl('single')));
const memory = new WebAssembly.Memory({ initial: 1100, maximum: 65536 });
const kernels = new WebAssembly.Instance(module, { env: { memory, abort() { throw new Error('abort'); } } }).exports;
const work = 1 << 20, region = 6 << 20, a = 8 << 20, [m, n, k] = [2000, 1500, 1000];
let warmUpMs = 0;
if (process.argv.includes('warm')) {
  const started = performance.now();
  warmUpKernels(kernels, memory, region, work, 0, 1);
  warmUpMs = performance.now() - started;
  await new Promise((resolve) => setTimeout(resolve, 50)); // as a worker would: V8 optimizes in the background
}
const times = [];
for (const name of ['gemmF32', 'gemmF64']) {
  const size = name === 'gemmF32' ? 4 : 8;
  // normal values of the call's dtype (f64 bits read as f32 would be subnormal or NaN: slow)
  const values = size === 4 ? new Float32Array(memory.buffer, a, m * k + k * n) : new Float64Array(memory.buffer, a, m * k + k * n);
  for (let i = 0; i < values.length; i++) values[i] = Math.sin(i * 0.7);
  for (let call = 0; call < 2; call++) {
    const started = performance.now();
    kernels[name](m, n, k, 1, a, k, 1, a + m * k * size, n, 1, 0, a + (m * k + k * n) * size, n, work);
    times.push(performance.now() - started);
  }
}
console.log(JSON.stringify({ warmUpMs, times }));
`;

const rows = { cold: [], warm: [] };
for (let round = 0; round < Number(opts.rounds); round++) {
  for (const mode of ['cold', 'warm']) {
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', child, '--', mode], { cwd: root, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`child failed: ${r.stderr}`);
    rows[mode].push(JSON.parse(r.stdout.trim().split('\n').at(-1)));
  }
}
console.log('one thread, 2000x1000 * 1000x1500, ms per call; fresh process per row');
console.log('mode  warm-up  f32 1st  f32 2nd  f64 1st  f64 2nd');
for (const mode of ['cold', 'warm']) {
  for (const { warmUpMs, times } of rows[mode]) {
    console.log(`${mode.padEnd(5)} ${warmUpMs.toFixed(0).padStart(7)} ${times.map((t) => t.toFixed(0).padStart(8)).join(' ')}`);
  }
}
