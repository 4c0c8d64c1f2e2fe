#!/usr/bin/env node
// LLaMA-7B-shaped benchmark of `esdlab analyze`: writes a synthetic bf16 safetensors checkpoint of
// N transformer blocks (per block q/k/v/o_proj 4096x4096 and gate/up_proj 11008x4096, down_proj
// 4096x11008, as in LLaMA-7B), analyzes it in a child process (analyzeCheckpoint, the library behind
// `esdlab analyze`) and, in the same run, times numpy's eigvalsh of the f64 Gram (and of the f32
// Gram) of matrices of the same shapes. Prints per-matrix and per-block times, peak RSS, the
// per-matrix ratio to numpy, and the extrapolation to 32 blocks. Nothing is committed: the
// checkpoint lives in a temp folder and is deleted.
//
//   node scripts/bench-llama-blocks.mjs [--blocks 2] [--backend native|wasm|js] [--dim 4096] [--ff 11008] [--no-numpy]
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const k = args.indexOf(`--${name}`);
  return k >= 0 && k + 1 < args.length ? args[k + 1] : fallback;
};
const numBlocks = Number(flag('blocks', 2));
const dim = Number(flag('dim', 4096));
const ff = Number(flag('ff', 11008));
const backend = flag('backend', 'native');
const dir = mkdtempSync(join(tmpdir(), 'esdlab-bench-llama-'));

const blockShapes = [
  ['self_attn.q_proj.weight', dim, dim],
  ['self_attn.k_proj.weight', dim, dim],
  ['self_attn.v_proj.weight', dim, dim],
  ['self_attn.o_proj.weight', dim, dim],
  ['mlp.gate_proj.weight', ff, dim],
  ['mlp.up_proj.weight', ff, dim],
  ['mlp.down_proj.weight', dim, ff],
];

/** Writes the bf16 checkpoint: uniform(-1, 1) entries from a seeded xorshift, 16 MB at a time. */
function writeCheckpoint(path) {
  const header = {};
  let offset = 0;
  for (let b = 0; b < numBlocks; b++) {
    for (const [name, r, c] of blockShapes) {
      header[`model.layers.${b}.${name}`] = { dtype: 'BF16', shape: [r, c], data_offsets: [offset, offset + r * c * 2] };
      offset += r * c * 2;
    }
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (json.length % 8)) % 8);
  const prefix = Buffer.alloc(8 + json.length);
  prefix.writeBigUInt64LE(BigInt(json.length), 0);
  prefix.write(json, 8, 'latin1');
  const fd = openSync(path, 'w');
  writeSync(fd, prefix);
  const chunkElements = 1 << 23;
  const f32 = new Float32Array(chunkElements);
  const bits = new Uint32Array(f32.buffer);
  const out = new Uint16Array(chunkElements);
  let state = 0x9e3779b9 | 0;
  for (let done = 0; done < offset / 2; done += chunkElements) {
    const n = Math.min(chunkElements, offset / 2 - done);
    for (let i = 0; i < n; i++) {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      f32[i] = ((state >>> 0) / 4294967296) * 2 - 1;
      out[i] = bits[i] >>> 16;
    }
    writeSync(fd, Buffer.from(out.buffer, 0, n * 2));
  }
  closeSync(fd);
  return prefix.length + offset;
}

function analyze(path) {
  const module = (name) => pathToFileURL(resolve(`src/${name}.ts`)).href;
  const child = join(dir, 'analyze-child.mjs');
  writeFileSync(
    child,
    `import { analyzeCheckpoint } from '${module('io/analyzeCheckpoint')}';
    import { loadBackend } from '${module('linalg/node')}';
    const { backend } = await loadBackend(${JSON.stringify(backend)});
    const report = await analyzeCheckpoint([${JSON.stringify(path)}], { backend });
    console.log(JSON.stringify({ backend: report.backend, threads: backend.threads, layers: report.layers.map((l) => ({ name: l.name, shape: l.shape, ms: l.durationMs, error: l.error })), peakRss: process.resourceUsage().maxRSS * 1024 }));
    await backend.dispose?.();`,
  );
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--import', 'tsx', child], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`analyze exited ${r.status}: ${r.stderr}`);
  return { wallSeconds: Number(process.hrtime.bigint() - start) / 1e9, ...JSON.parse(r.stdout) };
}

/** numpy's time per shape: f64 Gram of the smaller side + eigvalsh, and the same in f32. */
function numpyTimes() {
  const shapes = [[dim, dim], [ff, dim], [dim, ff]];
  const py = spawnSync('/usr/bin/python3', ['-c', `
import json, sys, time
import numpy as np
rng = np.random.default_rng(0)
out = {}
for r, c in ${JSON.stringify(shapes)}:
    W = rng.uniform(-1, 1, (r, c)).astype(np.float32)
    t = time.perf_counter(); A = W.astype(np.float64); G = A.T @ A if c <= r else A @ A.T; np.linalg.eigvalsh(G); t1 = time.perf_counter()
    G32 = W.T @ W if c <= r else W @ W.T; np.linalg.eigvalsh(G32); t2 = time.perf_counter()
    out[f"{r}x{c}"] = [t1 - t, t2 - t1]
print(json.dumps(out))
`], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (py.status !== 0) return { error: py.stderr.trim().split('\n').pop() };
  return JSON.parse(py.stdout);
}

try {
  const path = join(dir, 'llama-blocks.safetensors');
  const fileBytes = writeCheckpoint(path);
  const run = analyze(path);
  const perShape = {};
  for (const l of run.layers) (perShape[l.shape.join('x')] ??= []).push(l.ms / 1000);
  const blockSeconds = Array.from({ length: numBlocks }, (_, b) => run.layers.slice(b * 7, (b + 1) * 7).reduce((s, l) => s + l.ms / 1000, 0));
  const result = {
    checkpoint: `${numBlocks} LLaMA-7B blocks, bf16 (${(fileBytes / 2 ** 20).toFixed(0)} MB)`,
    backend: `${run.backend} (${run.threads} threads)`,
    failed: run.layers.filter((l) => l.error).map((l) => `${l.name}: ${l.error}`),
    esdlab_seconds_per_matrix: Object.fromEntries(Object.entries(perShape).map(([k, v]) => [k, Number((v.reduce((a, b) => a + b, 0) / v.length).toFixed(2))])),
    esdlab_seconds_per_block: blockSeconds.map((s) => Number(s.toFixed(1))),
    analyze_wall_seconds: Number(run.wallSeconds.toFixed(1)),
    peak_rss_mb: Math.round(run.peakRss / 2 ** 20),
    extrapolated_32_blocks_minutes: Number(((blockSeconds.reduce((a, b) => a + b, 0) / numBlocks) * 32 / 60).toFixed(1)),
  };
  if (!args.includes('--no-numpy')) {
    const numpy = numpyTimes();
    result.numpy_seconds_f64_gram_eigvalsh_and_f32 = numpy;
    if (!numpy.error) {
      result.ratio_esdlab_over_numpy_f64 = Object.fromEntries(Object.entries(result.esdlab_seconds_per_matrix).map(([k, v]) => [k, Number((v / numpy[k][0]).toFixed(2))]));
      result.ratio_esdlab_over_numpy_f32 = Object.fromEntries(Object.entries(result.esdlab_seconds_per_matrix).map(([k, v]) => [k, Number((v / numpy[k][1]).toFixed(2))]));
    }
  }
  console.log(JSON.stringify(result, null, 2));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
