#!/usr/bin/env node
// LLaMA-7B-shaped benchmark of `esdlab analyze` against numpy. Writes a synthetic bf16 safetensors
// checkpoint of N transformer blocks (per block q/k/v/o_proj 4096x4096, gate/up_proj 11008x4096 and
// down_proj 4096x11008, as in LLaMA-7B), analyzes it in a child process (analyzeCheckpoint, the
// library behind `esdlab analyze`), and after each matrix, while the child waits, has numpy time
// eigvalsh of the Gram matrix of the same matrix (read from the same file): f64 (W.astype(f64), the
// smaller Gram, eigvalsh) and f32 (the f32 Gram, eigvalsh). So esdlab and numpy alternate matrix by
// matrix and a load from other processes hits both alike. numpy is /usr/bin/python3's (findNumpyPython;
// the PATH python3 may lack numpy). Prints per-matrix times and ratios, per-block times, the peak RSS,
// the 32-block extrapolation and the load average before and after.
//
// With --jobs N (N > 1) esdlab analyzes a whole block at a time with N jobs (analyze --jobs), and
// numpy then times that block's matrices one by one: the alternation is per block.
//
//   node scripts/bench-llama-blocks.mjs [--blocks 2] [--backend native|wasm|js] [--precision f64|f32]
//        [--two-stage] [--jobs N] [--dim 4096] [--ff 11008] [--no-numpy] [--python PATH]
//        [--dir DIR (keep/reuse the checkpoint there)] [--out FILE (per-layer metrics as JSON)]
//        [--baseline FILE (a previous --out: metric differences against it)]
import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { register } from 'tsx/esm/api';

register();
const { findNumpyPython } = await import(pathToFileURL(resolve('src/testing/oracle.ts')).href);

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const k = args.indexOf(`--${name}`);
  return k >= 0 && k + 1 < args.length ? args[k + 1] : fallback;
};
const numBlocks = Number(flag('blocks', 2));
const dim = Number(flag('dim', 4096));
const ff = Number(flag('ff', 11008));
const backend = flag('backend', 'native');
const precision = flag('precision', 'f64');
const keepDir = flag('dir', undefined);
const dir = keepDir ?? mkdtempSync(join(tmpdir(), 'esdlab-bench-llama-'));
mkdirSync(dir, { recursive: true });
const withNumpy = !args.includes('--no-numpy');
const twoStage = args.includes('--two-stage');
const jobs = Number(flag('jobs', 1));

const blockShapes = [
  ['self_attn.q_proj.weight', dim, dim],
  ['self_attn.k_proj.weight', dim, dim],
  ['self_attn.v_proj.weight', dim, dim],
  ['self_attn.o_proj.weight', dim, dim],
  ['mlp.gate_proj.weight', ff, dim],
  ['mlp.up_proj.weight', ff, dim],
  ['mlp.down_proj.weight', dim, ff],
];

/** The header: every tensor's name, shape and byte range. */
function checkpointHeader() {
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
  return { header, json, dataBytes: offset };
}

/** Writes the bf16 checkpoint: uniform(-1, 1) entries from a seeded xorshift, 16 MB at a time. */
function writeCheckpoint(path) {
  const { json, dataBytes } = checkpointHeader();
  const prefix = Buffer.alloc(8 + json.length);
  prefix.writeBigUInt64LE(BigInt(json.length), 0);
  prefix.write(json, 8, 'latin1');
  if (existsSync(path) && statSync(path).size === prefix.length + dataBytes) return prefix.length + dataBytes;
  const fd = openSync(path, 'w');
  writeSync(fd, prefix);
  const chunkElements = 1 << 23;
  const f32 = new Float32Array(chunkElements);
  const bits = new Uint32Array(f32.buffer);
  const out = new Uint16Array(chunkElements);
  let state = 0x9e3779b9 | 0;
  for (let done = 0; done < dataBytes / 2; done += chunkElements) {
    const n = Math.min(chunkElements, dataBytes / 2 - done);
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
  return prefix.length + dataBytes;
}

/** A line-protocol numpy process: "path offset rows cols" in, {"f64": s, "f32": s} out. */
function startNumpy() {
  // Debian's numpy on Debian's OpenBLAS (the library the native backend uses) unless --python says otherwise
  const hasNumpy = (candidate) => spawnSync(candidate, ['-c', 'import numpy'], { encoding: 'utf8' }).status === 0;
  const python = flag('python', undefined) ?? (hasNumpy('/usr/bin/python3') ? '/usr/bin/python3' : findNumpyPython());
  if (!python) throw new Error('no python3 with numpy here (/usr/bin/python3, findNumpyPython); pass --no-numpy');
  const version = spawnSync(python, ['-c', 'import numpy; print(numpy.__version__)'], { encoding: 'utf8' }).stdout.trim();
  const py = spawn(python, ['-u', '-c', `
import json, sys, time
import numpy as np
for line in sys.stdin:
    path, offset, r, c = line.split()
    offset, r, c = int(offset), int(r), int(c)
    bits = np.fromfile(path, dtype=np.uint16, count=r * c, offset=offset)
    W = (bits.astype(np.uint32) << 16).view(np.float32).reshape(r, c)
    del bits
    t = time.perf_counter(); A = W.astype(np.float64); G = A.T @ A if c <= r else A @ A.T; del A; e64 = np.linalg.eigvalsh(G); del G; t1 = time.perf_counter()
    G32 = W.T @ W if c <= r else W @ W.T; e32 = np.linalg.eigvalsh(G32); del G32; t2 = time.perf_counter()
    print(json.dumps({"f64": t1 - t, "f32": t2 - t1, "lambda_max": float(e64[-1])}), flush=True)
`], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: py.stdout })[Symbol.asyncIterator]();
  return {
    python: `${python} (numpy ${version})`,
    async time(path, offset, r, c) {
      py.stdin.write(`${path} ${offset} ${r} ${c}\n`);
      const { value, done } = await lines.next();
      if (done) throw new Error('numpy exited');
      return JSON.parse(value);
    },
    stop() {
      py.stdin.end();
    },
  };
}

const module = (name) => pathToFileURL(resolve(`src/${name}.ts`)).href;
const path = join(dir, `llama-${numBlocks}-blocks-${dim}-${ff}.safetensors`);
const loadBefore = loadavg();
try {
  const fileBytes = writeCheckpoint(path);
  const { header, json } = checkpointHeader();
  const dataStart = 8 + json.length;
  const child = join(dir, 'analyze-child.mjs');
  writeFileSync(
    child,
    `import { createInterface } from 'node:readline';
    import { analyzeCheckpoint } from '${module('io/analyzeCheckpoint')}';
    import { layerToJson } from '${module('io/analyzeJson')}';
    import { loadBackend } from '${module('linalg/node')}';
    const go = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
    const { backend } = await loadBackend(${JSON.stringify(backend)});
    console.log('INFO ' + JSON.stringify({ backend: backend.name, threads: backend.threads, details: backend.details ?? '' }));
    const options = { backend, precision: ${JSON.stringify(precision)}, twoStage: ${twoStage}, jobs: ${jobs} };
    let durationMs = 0;
    let jobPeaks = [];
    if (${jobs} === 1) {
      // after each matrix: report it, then wait until numpy has timed the same matrix
      const report = await analyzeCheckpoint([${JSON.stringify(path)}], { ...options, onLayer: async (layer) => { console.log('LAYER ' + JSON.stringify(layerToJson(layer))); await go.next(); } });
      durationMs = report.durationMs;
    } else {
      // one block at a time on the jobs, then numpy times that block
      for (let b = 0; b < ${numBlocks}; b++) {
        const report = await analyzeCheckpoint([${JSON.stringify(path)}], { ...options, layerPattern: new RegExp('^model\\.layers\\.' + b + '\\.') });
        durationMs += report.durationMs;
        jobPeaks = jobPeaks.concat(report.jobPeakRssBytes ?? []);
        console.log('BLOCK ' + JSON.stringify({ block: b, durationMs: report.durationMs }));
        for (const layer of report.layers) { console.log('LAYER ' + JSON.stringify(layerToJson(layer))); await go.next(); }
      }
    }
    console.log('DONE ' + JSON.stringify({ durationMs, peakRss: process.resourceUsage().maxRSS * 1024, jobPeakRss: jobPeaks.length ? Math.max(...jobPeaks) : null }));
    await backend.dispose?.();
    process.exit(0);`,
  );
  const numpy = withNumpy ? startNumpy() : null;
  const start = process.hrtime.bigint();
  const analysis = spawn(process.execPath, ['--import', 'tsx', child], { stdio: ['pipe', 'pipe', 'inherit'] });
  const rows = [];
  let info = {};
  let done = null;
  const blockWalls = [];
  for await (const line of createInterface({ input: analysis.stdout })) {
    if (line.startsWith('INFO ')) info = JSON.parse(line.slice(5));
    else if (line.startsWith('BLOCK ')) blockWalls.push(JSON.parse(line.slice(6)).durationMs / 1000);
    else if (line.startsWith('DONE ')) done = JSON.parse(line.slice(5));
    else if (line.startsWith('LAYER ')) {
      const layer = JSON.parse(line.slice(6));
      const entry = header[layer.name];
      const np = numpy ? await numpy.time(path, dataStart + entry.data_offsets[0], entry.shape[0], entry.shape[1]) : null;
      rows.push({ layer, numpy: np });
      process.stderr.write(`${layer.name} ${layer.shape.join('x')}: esdlab ${(layer.duration_ms / 1000).toFixed(2)} s${np ? `, numpy f64 ${np.f64.toFixed(2)} s, f32 ${np.f32.toFixed(2)} s` : ''}\n`);
      analysis.stdin.write('go\n');
    }
  }
  const wallSeconds = Number(process.hrtime.bigint() - start) / 1e9;
  numpy?.stop();
  if (!done) throw new Error('the analysis child did not finish');
  const loadAfter = loadavg();

  const byShape = new Map();
  for (const { layer, numpy: np } of rows) {
    const key = layer.shape.join('x');
    const s = byShape.get(key) ?? { n: 0, esdlab: 0, f64: 0, f32: 0, ratiosF64: [], ratiosF32: [] };
    s.n++;
    s.esdlab += layer.duration_ms / 1000;
    if (np) {
      s.f64 += np.f64;
      s.f32 += np.f32;
      s.ratiosF64.push(layer.duration_ms / 1000 / np.f64);
      s.ratiosF32.push(layer.duration_ms / 1000 / np.f32);
    }
    byShape.set(key, s);
  }
  // with jobs, layers overlap: a block's time is its wall time, not the sum of its layers
  const blockSeconds = jobs > 1 ? blockWalls : Array.from({ length: numBlocks }, (_, b) => rows.slice(b * 7, (b + 1) * 7).reduce((s, r) => s + r.layer.duration_ms / 1000, 0));
  const numpyBlockSeconds = Array.from({ length: numBlocks }, (_, b) => rows.slice(b * 7, (b + 1) * 7).reduce((s, r) => s + (r.numpy?.f64 ?? 0), 0));
  const f = (x, d = 2) => x.toFixed(d);
  const lines = [];
  lines.push(`checkpoint: ${numBlocks} LLaMA-7B blocks, bf16 (${(fileBytes / 2 ** 20).toFixed(0)} MB); esdlab backend ${info.backend} (${jobs > 1 ? `${jobs} jobs sharing ` : ''}${info.threads} threads${info.details ? `, ${info.details}` : ''}), precision ${precision}${twoStage ? ', two-stage eigensolver' : ''}; numpy ${numpy ? numpy.python : 'not run'}`);
  lines.push(`load average (1, 5, 15 min) before: ${loadBefore.map((x) => x.toFixed(2)).join(', ')}; after: ${loadAfter.map((x) => x.toFixed(2)).join(', ')}`);
  lines.push('');
  if (jobs > 1) lines.push(`(--jobs ${jobs}: layers overlap, so a matrix's own time is longer than its share of the block; compare the per-block times)`);
  lines.push('| shape | matrices | esdlab s/matrix | numpy f64 Gram + eigvalsh, s | esdlab / numpy f64 (mean, max) | numpy f32 Gram + eigvalsh, s | esdlab / numpy f32 (mean, max) |');
  lines.push('|---|---|---|---|---|---|---|');
  for (const [shape, s] of byShape) {
    const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const np64 = s.ratiosF64.length ? `${f(s.f64 / s.n)} | ${f(mean(s.ratiosF64))}, ${f(Math.max(...s.ratiosF64))}` : '- | -';
    const np32 = s.ratiosF32.length ? `${f(s.f32 / s.n)} | ${f(mean(s.ratiosF32))}, ${f(Math.max(...s.ratiosF32))}` : '- | -';
    lines.push(`| ${shape} | ${s.n} | ${f(s.esdlab / s.n)} | ${np64} | ${np32} |`);
  }
  lines.push('');
  const numpyBlockF32 = Array.from({ length: numBlocks }, (_, b) => rows.slice(b * 7, (b + 1) * 7).reduce((s, r) => s + (r.numpy?.f32 ?? 0), 0));
  lines.push(`per block: esdlab ${blockSeconds.map((x) => f(x, 1)).join(' s, ')} s${numpy ? `; numpy f64 ${numpyBlockSeconds.map((x) => f(x, 1)).join(' s, ')} s; numpy f32 ${numpyBlockF32.map((x) => f(x, 1)).join(' s, ')} s` : ''}`);
  if (numpy) lines.push(`per block, esdlab / numpy: ${blockSeconds.map((x, b) => `block ${b}: ${f(x / numpyBlockSeconds[b])} of f64, ${f(x / numpyBlockF32[b])} of f32`).join('; ')}`);
  const esdlabSeconds = jobs > 1 ? done.durationMs / 1000 : rows.reduce((sum, r) => sum + r.layer.duration_ms / 1000, 0);
  lines.push(`esdlab time ${f(esdlabSeconds, 1)} s (${jobs > 1 ? 'block wall times' : 'sum of its layers'}; the whole run with numpy ${f(wallSeconds, 1)} s), peak RSS ${(done.peakRss / 2 ** 20).toFixed(0)} MB${done.jobPeakRss ? ` in the parent, ${(done.jobPeakRss / 2 ** 20).toFixed(0)} MB in the largest job (${jobs} jobs at once: at most ${((done.peakRss + jobs * done.jobPeakRss) / 2 ** 20).toFixed(0)} MB together)` : ''} (largest tensor ${ff}x${dim} as f32: ${((ff * dim * 4) / 2 ** 20).toFixed(0)} MB)`);
  const meanBlock = blockSeconds.reduce((a, b) => a + b, 0) / numBlocks;
  const perBlock = (xs) => xs.reduce((a, b) => a + b, 0) / numBlocks;
  lines.push(`extrapolated to 32 blocks: esdlab ${f((meanBlock * 32) / 60, 1)} min${numpy ? `, numpy f64 ${f((perBlock(numpyBlockSeconds) * 32) / 60, 1)} min, numpy f32 ${f((perBlock(numpyBlockF32) * 32) / 60, 1)} min` : ''}`);
  const failed = rows.filter((r) => r.layer.status !== 'ok');
  if (failed.length > 0) lines.push(`FAILED: ${failed.map((r) => `${r.layer.name}: ${r.layer.error}`).join('; ')}`);
  const fallbacks = rows.filter((r) => r.layer.precision_note);
  if (fallbacks.length > 0) lines.push(`recomputed in f64: ${fallbacks.map((r) => r.layer.name).join(', ')}`);

  const baselinePath = flag('baseline', undefined);
  if (baselinePath) {
    const baseline = new Map(JSON.parse(readFileSync(baselinePath, 'utf8')).layers.map((l) => [l.name, l]));
    const keys = ['alpha', 'alpha_hill', 'alpha_mle_ks', 'xmin_mle', 'spectral_norm', 'stable_rank', 'log_norm', 'log10_spectral_norm', 'alpha_weighted', 'log_alpha_norm', 'mp_bulk_max', 'num_spikes'];
    lines.push('');
    const base = JSON.parse(readFileSync(baselinePath, 'utf8'));
    // only the same matrices compare: same name and shape (the checkpoint is seeded, so equal names and shapes are equal data)
    const comparable = rows.filter(({ layer }) => baseline.get(layer.name)?.shape?.join('x') === layer.shape.join('x'));
    if (comparable.length < rows.length) lines.push(`(the baseline lacks ${rows.length - comparable.length} of these matrices; they are left out)`);
    lines.push(`metric differences against ${baselinePath} (precision ${base.precision}${base.twoStage ? ', two-stage' : ''}, backend ${base.backend}), max over ${comparable.length} matrices:`);
    lines.push('');
    lines.push('| metric | max abs difference | max relative difference |');
    lines.push('|---|---|---|');
    for (const key of keys) {
      let abs = 0;
      let rel = 0;
      for (const { layer } of comparable) {
        const a = layer[key];
        const b = baseline.get(layer.name)[key];
        if (typeof a !== 'number' || typeof b !== 'number') continue;
        abs = Math.max(abs, Math.abs(a - b));
        if (b !== 0) rel = Math.max(rel, Math.abs(a - b) / Math.abs(b));
      }
      lines.push(`| ${key} | ${abs.toExponential(2)} | ${rel.toExponential(2)} |`);
    }
    const sameXmin = comparable.filter(({ layer }) => baseline.get(layer.name).n_tail_mle === layer.n_tail_mle).length;
    const samePhase = comparable.filter(({ layer }) => baseline.get(layer.name).phase === layer.phase).length;
    lines.push('');
    lines.push(`same MLE-KS xmin (n_tail) in ${sameXmin} of ${comparable.length} matrices; same phase in ${samePhase} of ${comparable.length}`);
  }
  console.log(lines.join('\n'));
  const out = flag('out', undefined);
  if (out) writeFileSync(out, `${JSON.stringify({ precision, twoStage, jobs, backend: info.backend, layers: rows.map((r) => r.layer), numpy: rows.map((r) => r.numpy) }, null, 1)}\n`);
} finally {
  if (!keepDir) rmSync(dir, { recursive: true, force: true });
}
