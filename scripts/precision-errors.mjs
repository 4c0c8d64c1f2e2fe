#!/usr/bin/env node
// The error of `esdlab analyze --precision f32` (and of --two-stage) against the default f64 route,
// metric by metric, on seeded synthetic matrices: Gaussian (MP bulk), square Gaussian, spiked,
// heavy-tailed (symmetric Pareto entries) and a trained-like decaying bulk, f32 entries (what bf16,
// f16 and f32 checkpoints hold). Prints one markdown table per backend; the numbers in
// docs/analyze.md ("Errors of the f32 route") come from it.
//
//   node scripts/precision-errors.mjs [--backends native,wasm] [--size 1024]
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { register } from 'tsx/esm/api';

register();
const load = (name) => import(pathToFileURL(resolve(`src/${name}.ts`)).href);
const { loadBackend, copy } = await load('linalg/node');
const { analyzeMatrixLayer, f32Resolution } = await load('io/layerAnalysis');
const { layerToJson } = await load('io/analyzeJson');
const matrices = await load('spectra/testing/matrices');

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const k = args.indexOf(`--${name}`);
  return k >= 0 && k + 1 < args.length ? args[k + 1] : fallback;
};
const n = Number(flag('size', 1024));
const backends = flag('backends', 'native,wasm').split(',');

const cases = [
  ['gaussian 2Nx N', () => matrices.gaussianMatrix(2 * n, n, 1)],
  ['gaussian N x N', () => matrices.gaussianMatrix(n, n, 2)],
  ['spiked 2N x N', () => matrices.plantLowRank(matrices.gaussianMatrix(2 * n, n, 3), [4, 3, 2], 4)],
  ['pareto(2) 2N x N', () => matrices.paretoEntriesMatrix(2 * n, n, 5, 2)],
  ['pareto(3) 2N x N', () => matrices.paretoEntriesMatrix(2 * n, n, 6, 3)],
  ['decaying bulk 2N x N', () => matrices.decayingBulkMatrix(2 * n, n, 7, 4)],
  ['rank N/2, 2N x N', () => matrices.lowRankMatrix(2 * n, n, n / 2, 8)],
];
const METRICS = ['alpha_hill', 'alpha_mle_ks', 'xmin_mle', 'spectral_norm', 'stable_rank', 'log_norm', 'log10_spectral_norm', 'alpha_weighted', 'log_alpha_norm', 'mp_bulk_max'];
const identity = (w) => ({ name: 'w', shape: [w.rows, w.cols], tensorShape: [w.rows, w.cols], dtype: 'F32', file: 'memory' });

for (const name of backends) {
  let backend;
  try {
    backend = (await loadBackend(name)).backend;
  } catch (error) {
    console.log(`${name}: not available (${error.message})\n`);
    continue;
  }
  const routes = name === 'native' ? [['f32', { precision: 'f32' }], ['f64 two-stage', { twoStage: true }], ['f32 two-stage', { precision: 'f32', twoStage: true }]] : [['f32', { precision: 'f32' }]];
  console.log(`backend ${backend.name} (${backend.threads} threads), N = ${n}; relative differences |x - x_f64| / |x_f64| (n_tail and phase: equal or not)\n`);
  console.log(`| matrix | route | max abs eigenvalue error / (2^-24 lambda_max) | f64 eigenvalues below the f32 zero line (4 sqrt(N) 2^-24 lambda_max) | ${METRICS.join(' | ')} | same n_tail_mle | same phase |`);
  console.log(`|${'---|'.repeat(METRICS.length + 6)}`);
  for (const [label, make] of cases) {
    const w = copy(make(), 'f32');
    const exact = await analyzeMatrixLayer(backend, identity(w), async () => w);
    const e = layerToJson(exact);
    for (const [route, options] of routes) {
      const fast = await analyzeMatrixLayer(backend, identity(w), async () => w, options);
      const f = layerToJson(fast);
      let worst = 0;
      for (let i = 0; i < exact.eigenvalues.length; i++) worst = Math.max(worst, Math.abs(fast.eigenvalues[i] - exact.eigenvalues[i]));
      const lambdaMax = exact.eigenvalues.at(-1);
      const line = f32Resolution(exact.eigenvalues.length, lambdaMax);
      const below = exact.eigenvalues.filter((v) => v <= line).length;
      const cells = METRICS.map((key) => (typeof e[key] === 'number' && typeof f[key] === 'number' ? (Math.abs(f[key] - e[key]) / Math.abs(e[key])).toExponential(1) : '-'));
      console.log(`| ${label} | ${route}${fast.precisionNote ? ' (fell back to f64)' : ''} | ${(worst / (2 ** -24 * lambdaMax)).toFixed(1)} | ${below} of ${exact.eigenvalues.length} | ${cells.join(' | ')} | ${f.n_tail_mle === e.n_tail_mle ? 'yes' : `no (${e.n_tail_mle} -> ${f.n_tail_mle})`} | ${f.phase === e.phase ? 'yes' : `no (${e.phase} -> ${f.phase})`} |`);
    }
  }
  console.log('');
  await backend.dispose?.();
}
