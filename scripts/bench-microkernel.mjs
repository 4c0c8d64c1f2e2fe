#!/usr/bin/env node
// Compares wasm GEMM micro-kernel tile shapes: for each MRxNV (rows x v128 vectors per row) and k
// unroll, builds a copy of src/linalg/backends/wasm/assembly/gemm.ts with a generated micro-kernel
// (same packing and blocking), compiles it with asc into a temporary folder, and times one-thread
// GEMM 2000x1000 * 1000x1500 (NN) in f32 and f64, all variants in one process, interleaved, best of
// the rounds. The product's bits do not depend on the tile (one accumulator per C element, k in order).
//
//   node scripts/bench-microkernel.mjs [--variants 2x4u1,4x3u4,...] [--rounds 4]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values: opts } = parseArgs({ options: {
  variants: { type: 'string', default: '2x4u1,4x2u1,3x2u1,2x3u1,4x3u1,6x2u1,3x4u1,2x6u1,4x3u4,2x4u2' },
  rounds: { type: 'string', default: '4' },
} });

function microKernel(mr, nv, unroll) {
  const acc = [];
  for (let r = 0; r < mr; r++) for (let v = 0; v < nv; v++) acc.push([r, v]);
  let step = '    {\n';
  for (let v = 0; v < nv; v++) step += `    const b${v} = v128.load(pb, ${v * 16});\n`;
  for (let r = 0; r < mr; r++) {
    step += `    const a${r} = v128.load_splat<T>(pa + ${r} * size);\n`;
    for (let v = 0; v < nv; v++) step += `    c${r}_${v} = v128.add<T>(c${r}_${v}, v128.mul<T>(a${r}, b${v}));\n`;
  }
  step += '    pa += <usize>MR * size;\n    pb += nr;\n    }\n';
  return `// @ts-ignore: decorator
@inline export const MR: i32 = ${mr};
// @ts-ignore: decorator
@inline export const NV: i32 = ${nv};
// @ts-ignore: decorator
@inline
export function microKernel<T>(kc: i32, packedA: usize, packedB: usize, tile: usize): void {
  const size = <usize>sizeof<T>();
  const nr = <usize>(NV * 16);
${acc.map(([r, v]) => `  let c${r}_${v} = v128.splat<T>(0);`).join('\n')}
  let pa = packedA;
  let pb = packedB;
  let p = 0;
  for (; p + ${unroll - 1} < kc; p += ${unroll}) {
${step.repeat(unroll)}  }
  for (; p < kc; p++) {
${step}  }
${acc.map(([r, v]) => `  v128.store(tile + ${r} * nr, c${r}_${v}, ${v * 16});`).join('\n')}
}
`;
}

const folder = mkdtempSync(join(tmpdir(), 'esdlab-microkernel-'));
const gemmSource = readFileSync(join(root, 'src/linalg/backends/wasm/assembly/gemm.ts'), 'utf8');
const variants = opts.variants.split(',').map((name) => {
  const match = /^(\d+)x(\d+)u(\d+)$/.exec(name);
  if (!match) throw new Error(`--variants: ${name} is not MRxNVuUNROLL (e.g. 2x4u1)`);
  const [mr, nv, unroll] = match.slice(1).map(Number);
  if (48 % mr !== 0) throw new Error(`--variants: ${name}: MR must divide MC = 48`);
  writeFileSync(join(folder, `mk_${name}.ts`), microKernel(mr, nv, unroll));
  // the copy is an entry file: its exports become module exports, so nothing but the two wrappers is exported
  let gemm = gemmSource.replace("from './microkernel'", `from './mk_${name}'`).replace(/@inline export const/g, '@inline const');
  gemm += `\nexport function gemmF32(m: i32, n: i32, k: i32, a: usize, b: usize, c: usize, work: usize): void { gemm<f32>(m, n, k, 1, a, k, 1, b, n, 1, 0, c, n, work); }\n`;
  gemm += `export function gemmF64(m: i32, n: i32, k: i32, a: usize, b: usize, c: usize, work: usize): void { gemm<f64>(m, n, k, 1, a, k, 1, b, n, 1, 0, c, n, work); }\n`;
  writeFileSync(join(folder, `gemm_${name}.ts`), gemm);
  const result = spawnSync(process.execPath, [join(root, 'node_modules/assemblyscript/bin/asc.js'), join(folder, `gemm_${name}.ts`),
    '--outFile', join(folder, `${name}.wasm`), '-O3', '--noAssert', '--runtime', 'stub', '--enable', 'simd',
    '--importMemory', '--initialMemory', '1', '--maximumMemory', '65536', '--noExportMemory'], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`asc failed for ${name}: ${result.stderr}`);
  return name;
});

const memory = new WebAssembly.Memory({ initial: 1100, maximum: 65536 });
const [m, n, k] = [2000, 1500, 1000];
const work = 1 << 20;
const a = work + (8 << 20);
const b = a + m * k * 8;
const c = b + k * n * 8;
const exportsOf = Object.fromEntries(variants.map((name) => [name,
  new WebAssembly.Instance(new WebAssembly.Module(readFileSync(join(folder, `${name}.wasm`))), { env: { memory } }).exports]));
rmSync(folder, { recursive: true, force: true });
const best = {};
for (const dtype of ['f32', 'f64']) {
  const values = dtype === 'f32' ? new Float32Array(memory.buffer, a, m * k + k * n) : new Float64Array(memory.buffer, a, m * k + k * n);
  for (let i = 0; i < values.length; i++) values[i] = Math.sin(i * 0.7);
  const bAt = a + m * k * values.BYTES_PER_ELEMENT;
  for (let round = 0; round < Number(opts.rounds) + 1; round++) {
    for (const name of variants) {
      const started = performance.now();
      exportsOf[name][dtype === 'f32' ? 'gemmF32' : 'gemmF64'](m, n, k, a, bAt, c, work);
      const ms = performance.now() - started;
      // round 0 warms V8 up (its first call of a function runs baseline code)
      if (round > 0) best[`${name} ${dtype}`] = Math.min(best[`${name} ${dtype}`] ?? Infinity, ms);
    }
  }
}
console.log('tile      dtype   best ms   GFLOP/s  (one thread, 2000x1000 * 1000x1500 NN)');
for (const [key, ms] of Object.entries(best)) {
  const [name, dtype] = key.split(' ');
  console.log(`${name.padEnd(9)} ${dtype.padEnd(5)} ${ms.toFixed(1).padStart(9)} ${((2 * m * n * k) / ms / 1e6).toFixed(1).padStart(9)}`);
}
