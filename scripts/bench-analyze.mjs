#!/usr/bin/env node
// Benchmark of `esdlab analyze` on a synthetic safetensors checkpoint: wall time and peak RSS
// against the largest tensor, showing that tensors stream one at a time (docs/analyze.md).
//
//   node scripts/bench-analyze.mjs                          # 8 layers of 4096x4096 f32 (~512 MB)
//   node scripts/bench-analyze.mjs --layers 4 --rows 32768 --cols 4096   # 4 x 512 MB = 2 GB
//   node scripts/bench-analyze.mjs --single                 # one 4096x11008 f32 layer (+ numpy eigvalsh)
//   options: --dtype F32|F16|BF16|F64  --backend auto|native|wasm|js  --dir DIR  --keep  --no-numpy  --dist
//
// The checkpoint is generated here in plain JS (seeded xorshift, uniform entries), written in
// 16 MB chunks, then analyzed in a child process by analyzeCheckpoint (the library behind
// `esdlab analyze`; the sources through tsx, or dist/ with --dist), which reports its own peak RSS.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { register } from 'tsx/esm/api';

// findNumpyPython (src/testing/oracle.ts): a python3 that imports numpy and scipy (the PATH python3 may not)
register();
const { findNumpyPython } = await import(pathToFileURL(resolve('src/testing/oracle.ts')).href);

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const k = args.indexOf(`--${name}`);
  return k >= 0 && k + 1 < args.length && !args[k + 1].startsWith('--') ? args[k + 1] : fallback;
};
const has = (name) => args.includes(`--${name}`);
const isSingle = has('single');
const numLayers = Number(flag('layers', isSingle ? 1 : 8));
const rows = Number(flag('rows', 4096));
const cols = Number(flag('cols', isSingle ? 11008 : 4096));
const dtype = flag('dtype', 'F32');
const backend = flag('backend', process.env.ESDLAB_BACKEND ?? 'auto');
const bytesPer = { F32: 4, F64: 8, F16: 2, BF16: 2 }[dtype];
if (!bytesPer) throw new Error(`--dtype ${dtype}: use F32, F64, F16 or BF16`);
const dir = flag('dir', undefined) ?? mkdtempSync(join(tmpdir(), 'esdlab-bench-analyze-'));
mkdirSync(dir, { recursive: true });

/** Writes a safetensors file of `count` rows x cols layers of uniform(-1, 1) entries. */
function writeCheckpoint(path, count, r, c) {
  const tensorBytes = r * c * bytesPer;
  const header = {};
  for (let k = 0; k < count; k++) header[`layers.${k}.weight`] = { dtype, shape: [r, c], data_offsets: [k * tensorBytes, (k + 1) * tensorBytes] };
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (json.length % 8)) % 8);
  const prefix = Buffer.alloc(8 + json.length);
  prefix.writeBigUInt64LE(BigInt(json.length), 0);
  prefix.write(json, 8, 'latin1');
  const fd = openSync(path, 'w');
  writeSync(fd, prefix);
  const chunkElements = 1 << 22;
  const chunk = Buffer.alloc(chunkElements * bytesPer);
  let state = 0x9e3779b9 | 0;
  const next = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296 * 2 - 1;
  };
  const total = count * r * c;
  for (let done = 0; done < total; done += chunkElements) {
    const n = Math.min(chunkElements, total - done);
    for (let i = 0; i < n; i++) {
      const v = next();
      if (dtype === 'F32') chunk.writeFloatLE(v, i * 4);
      else if (dtype === 'F64') chunk.writeDoubleLE(v, i * 8);
      else if (dtype === 'BF16') {
        const f = Buffer.alloc(4);
        f.writeFloatLE(v);
        chunk.writeUInt16LE(f.readUInt16LE(2), i * 2);
      } else chunk.writeUInt16LE(halfBits(v), i * 2);
    }
    writeSync(fd, chunk, 0, n * bytesPer);
  }
  closeSync(fd);
  return { fileBytes: prefix.length + total * bytesPer, tensorBytes };
}

function halfBits(v) {
  // values are in (-1, 1): normal or subnormal halves, truncated (a benchmark needs no rounding)
  const f = Buffer.alloc(4);
  f.writeFloatLE(v);
  const x = f.readUInt32LE();
  const sign = (x >>> 16) & 0x8000;
  const e = ((x >>> 23) & 0xff) - 112;
  if (e <= 0) return sign;
  return sign | (e << 10) | ((x & 0x7fffff) >>> 13);
}

/**
 * Analyzes `path` in a child process through the library (src/io/analyzeCheckpoint.ts, or dist/
 * when built), so the measured RSS is that of the analysis alone (plus the Node runtime).
 */
function analyze(path) {
  // --dist measures the build in dist/ (npm run build); by default the sources, through tsx
  const isBuilt = has('dist') && existsSync('dist/io/analyzeCheckpoint.js');
  const module = (name) => pathToFileURL(resolve(isBuilt ? `dist/${name}.js` : `src/${name}.ts`)).href;
  // a script file rather than `node -e`: some backends start workers relative to their module
  const child = join(dir, 'analyze-child.mjs');
  writeFileSync(
    child,
    `
    import { analyzeCheckpoint } from '${module('io/analyzeCheckpoint')}';
    import { analyzeReportToJson } from '${module('io/analyzeJson')}';
    import { loadBackend } from '${module('linalg/node')}';
    const { backend } = await loadBackend(${JSON.stringify(backend)});
    const doc = analyzeReportToJson(await analyzeCheckpoint([${JSON.stringify(path)}], { backend }));
    doc.summary.peak_rss_bytes = process.resourceUsage().maxRSS * 1024;
    console.log(JSON.stringify(doc));
    await backend.dispose?.();`,
  );
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [...(isBuilt ? [] : ['--import', 'tsx']), child], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const wallSeconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (r.status !== 0) throw new Error(`analyze exited ${r.status}: ${r.stderr}`);
  return { wallSeconds, doc: JSON.parse(r.stdout) };
}

const mb = (b) => (b / 2 ** 20).toFixed(0);
try {
  const tiny = join(dir, 'tiny.safetensors');
  writeCheckpoint(tiny, 1, 64, 64);
  const baseline = analyze(tiny);
  const path = join(dir, 'checkpoint.safetensors');
  const t0 = Date.now();
  const { fileBytes, tensorBytes } = writeCheckpoint(path, numLayers, rows, cols);
  const writeSeconds = (Date.now() - t0) / 1000;
  const run = analyze(path);
  const s = run.doc.summary;
  const n = Math.min(rows, cols);
  const gramBytes = n * n * 8;
  const result = {
    checkpoint: `${numLayers} x ${rows}x${cols} ${dtype}`,
    file_mb: Number(mb(fileBytes)),
    largest_tensor_mb: Number(mb(tensorBytes)),
    gram_mb: Number(mb(gramBytes)),
    generate_seconds: writeSeconds,
    backend: s.backend,
    analyze_wall_seconds: Number(run.wallSeconds.toFixed(2)),
    seconds_per_layer: Number((run.wallSeconds / numLayers).toFixed(2)),
    layer_ms: run.doc.layers.map((l) => l.duration_ms),
    num_failed: s.num_failed,
    peak_rss_mb: Number(mb(s.peak_rss_bytes)),
    baseline_peak_rss_mb: Number(mb(baseline.doc.summary.peak_rss_bytes)),
    rss_above_baseline_over_largest_tensor: Number(((s.peak_rss_bytes - baseline.doc.summary.peak_rss_bytes) / tensorBytes).toFixed(2)),
  };
  const python = isSingle && !has('no-numpy') ? findNumpyPython() : null;
  if (isSingle && !has('no-numpy') && !python) result.numpy = 'unavailable: no python3 with numpy and scipy (findNumpyPython)';
  if (python) {
    result.numpy_python = python;
    const py = spawnSync(python, ['-c', `
import numpy as np, time, sys
rng = np.random.default_rng(0)
W = rng.uniform(-1, 1, (${rows}, ${cols})).astype(np.float32)
t = time.perf_counter(); G = (W.astype(np.float64) @ W.T.astype(np.float64)) if ${rows} <= ${cols} else (W.T.astype(np.float64) @ W.astype(np.float64)); e = np.linalg.eigvalsh(G); t1 = time.perf_counter()
t2 = time.perf_counter(); G32 = W @ W.T if ${rows} <= ${cols} else W.T @ W; e32 = np.linalg.eigvalsh(G32); t3 = time.perf_counter()
print(f"{t1 - t:.3f} {t3 - t2:.3f}")
`], { encoding: 'utf8' });
    if (py.status === 0) {
      const [f64, f32] = py.stdout.trim().split(' ').map(Number);
      result.numpy_gram_f64_eigvalsh_seconds = f64;
      result.numpy_gram_f32_eigvalsh_seconds = f32;
      result.esdlab_layer_seconds = run.doc.layers[0].duration_ms / 1000;
    } else result.numpy = `unavailable: ${py.stderr.trim().split('\n').pop()}`;
  }
  console.log(JSON.stringify(result, null, 2));
} finally {
  if (!has('keep')) rmSync(dir, { recursive: true, force: true });
  else console.error(`kept ${dir}`);
}
