#!/usr/bin/env node
// Where a paper-size main run's time goes: each phase of a training step, an evaluation (ridge
// read-out + KTA) and a weight probe, timed alone at configs/main.yml's sizes (n=2000, d=1000,
// h=1500, n_test=200, f32 training), with its FLOP count and GFLOP/s. Phases marked "derived" are a
// whole minus its timed parts. Runs the library from src/ through tsx:
//
//   node --import tsx scripts/bench-phases.mjs [--backend native] [--repeats 5] [--markdown]
//
// The time is the best of the repeats (after one warm-up call). The step-0 probe's two routes (the
// eigenvalues and projections of beta*, and the old one through the eigenvectors) are timed
// interleaved, round by round, so that a change in the machine's load hits both alike.
import { parseArgs } from 'node:util';
import { loadBackend, copy, gemmInto, syrk, gemv, solvePositiveDefinite, symmetricEigenvalues, symmetricEigen, symmetricEigenProjection, topEigenpairs, zeros, fromArray }
  from '../src/linalg/node.ts';
import { drawProblem, createStudentWorkspace, studentLossAndGradient } from '../src/model/index.ts';
import { createOptimizer } from '../src/optim/index.ts';
import { stream } from '../src/random/index.ts';
import { fitPowerLaw, fitMarchenkoPastur } from '../src/spectra/index.ts';
import { smallerGram } from '../src/spectra/esdEigenvalues.ts';
import { evaluateRidgeReadout, readoutFeatures } from '../src/train/evaluate.ts';
import { probeWeights } from '../src/train/probeWeights.ts';

const { values: opts } = parseArgs({ options: { backend: { type: 'string', default: 'native' }, repeats: { type: 'string', default: '5' }, markdown: { type: 'boolean', default: false } } });
const repeats = Number(opts.repeats);
const { backend } = await loadBackend(opts.backend);
const [n, d, h, nTest] = [2000, 1000, 1500, 200];
process.stderr.write(`bench-phases: backend ${backend.name} (${backend.threads} threads)${backend.details ? `: ${backend.details}` : ''}\n`);

const problem = drawProblem({ numTrain: n, numTest: nTest, inputDim: d, hiddenDim: h, labelNoiseStd: 0.3 },
  { teacher: stream(0, 'teacher'), data: stream(0, 'data'), init: stream(0, 'init') });
// the step's operands where train() puts them: in the backend's reserved memory where it has some
// (wasm: calls use them in place, no copies), else plain arrays
const block = backend.reserve ? await backend.reserve(64 * 2 ** 20) : null;
const place = (length, dtype) => (block ? block.allocate(length, dtype) : zeros(1, length, dtype).data);
const placed = (m) => {
  const data = place(m.rows * m.cols, 'f32');
  data.set(m.data.subarray(0, m.rows * m.cols));
  return { rows: m.rows, cols: m.cols, data };
};
if (block) process.stderr.write('bench-phases: the step\'s operands in the backend\'s reserved memory\n');
const x = placed(problem.xTrain);
const w = placed(problem.initialW);
const a = Float32Array.from(problem.initialA);
const split = { xProbe: copy(problem.xProbe, 'f32'), yProbe: problem.yProbe, xTest: copy(problem.xTest, 'f32'), yTest: problem.yTest };
const workspace = createStudentWorkspace(n, h, d, 'f32', place);
const adam = createOptimizer('adam', { momentum: 0, weightDecay: 0 }, place);

/** Best wall time (ms) of `repeats` calls after a warm-up. */
async function best(run) {
  await run();
  let bestMs = Infinity;
  for (let r = 0; r < repeats; r++) {
    const started = performance.now();
    await run();
    bestMs = Math.min(bestMs, performance.now() - started);
  }
  return bestMs;
}

/** Best wall times (ms) of each call over `repeats` rounds in which every call runs once, in turn (after one warm-up each). */
async function bestInterleaved(...runs) {
  for (const run of runs) await run();
  const bestMs = runs.map(() => Infinity);
  for (let r = 0; r < repeats; r++) {
    for (const [i, run] of runs.entries()) {
      const started = performance.now();
      await run();
      bestMs[i] = Math.min(bestMs[i], performance.now() - started);
    }
  }
  return bestMs;
}

const rows = [];
const add = (group, phase, flops, ms, note = '') => rows.push({ group, phase, flops, ms, note });

// training step
const forward = await best(() => gemmInto(backend, x, w, workspace.hidden, { transB: true, alpha: 1 / Math.sqrt(d), beta: 0 }));
const backward = await best(() => gemmInto(backend, workspace.hidden, x, workspace.gradW, { transA: true, alpha: 1e-9, beta: 0 }));
const lossAndGradient = await best(() => studentLossAndGradient(backend, { w, a }, x, problem.yTrain, workspace, false));
// the same backend with its fused elementwise kernels hidden: the TypeScript loops (the same bits)
const loopsOnly = Object.create(backend, { elementwise: { value: undefined } });
const kernels = backend.elementwise;
const lossAndGradientLoop = kernels ? await best(() => studentLossAndGradient(loopsOnly, { w, a }, x, problem.yTrain, workspace, false)) : lossAndGradient;
const wWork = placed(w);
const adamMs = await best(() => adam.step(wWork.data, workspace.gradW.data, 1e-6, kernels));
const adamLoopMs = kernels ? await best(() => adam.step(wWork.data, workspace.gradW.data, 1e-6)) : adamMs;
add('step', 'forward GEMM X W^T (f32)', 2 * n * d * h, forward);
if (kernels) {
  const z = workspace.hidden.data.slice();
  const passMs = await best(() => kernels.tanhBackwardF32(z, n, h, a, problem.yTrain, 1 / Math.sqrt(h), null));
  add('step', 'tanh, residual, D (fused kernel, timed alone)', 0, passMs, `${(n * h / 1e6).toFixed(1)}M elements`);
  add('step', 'tanh, residual, D (TypeScript loop, derived)', 0, lossAndGradientLoop - forward - backward, 'the same bits');
} else {
  add('step', 'tanh, residual, D (elementwise, derived)', 0, lossAndGradient - forward - backward, `${(n * h / 1e6).toFixed(1)}M elements`);
}
add('step', 'gradient GEMM D^T X (f32)', 2 * n * d * h, backward);
add('step', kernels ? 'Adam update (fused kernel)' : 'Adam update', 0, adamMs, `${(h * d / 1e6).toFixed(1)}M parameters`);
if (kernels) add('step', 'Adam update (TypeScript loop)', 0, adamLoopMs, 'the same bits');
add('step', 'whole step', 4 * n * d * h, lossAndGradient + adamMs, 'loss and gradient + Adam');

// evaluation at one probe
let features;
const featuresMs = await best(async () => { features = await readoutFeatures(backend, w, split.xProbe); });
const gramMs = await best(() => syrk(backend, features, { trans: true }));
const gram = await syrk(backend, features, { trans: true });
const ftyMs = await best(() => gemv(backend, features, problem.yProbe, { trans: true }));
const rhs = fromArray(h, 1, new Float64Array(h).fill(1));
for (let j = 0; j < h; j++) gram.data[j * h + j] += 1e-2;
const solveMs = await best(() => solvePositiveDefinite(backend, gram, rhs));
const testFeaturesMs = await best(() => readoutFeatures(backend, w, split.xTest));
const evaluation = await best(() => evaluateRidgeReadout(backend, w, split, 0.01, true));
add('evaluation', 'probe features tanh(X W^T) (f32 GEMM, f64 tanh)', 2 * n * d * h, featuresMs);
add('evaluation', 'F^T F (f64 SYRK)', n * h * h, gramMs);
add('evaluation', 'F^T y, predictions (f64 GEMV)', 3 * 2 * n * h, 3 * ftyMs);
add('evaluation', 'Cholesky solve (f64)', h ** 3 / 3 + 2 * h * h, solveMs);
add('evaluation', 'test features (f32 GEMM, f64 tanh)', 2 * nTest * d * h, testFeaturesMs);
add('evaluation', 'whole evaluation (ridge + KTA)', 2 * n * d * h + n * h * h + h ** 3 / 3 + 2 * nTest * d * h, evaluation);

// weight probe
let wGram;
const wGramMs = await best(async () => { wGram = await smallerGram(backend, w); });
const eigenvaluesMs = await best(() => symmetricEigenvalues(backend, wGram));
// the step-0 route before symmetricEigenProjection: the same backend without that method, so the
// public op runs symmetricEigen with vectors and the product (as the probe did); on a backend
// without the method (native, js) both routes are that one
const withoutProjection = Object.create(backend, { symmetricEigenProjection: { value: undefined } });
const hasProjection = typeof backend.symmetricEigenProjection === 'function';
const beta = fromArray(d, 1, Float64Array.from(problem.teacherBeta));
const [projectionMs, eigenMs] = await bestInterleaved(() => symmetricEigenProjection(backend, wGram, beta), () => symmetricEigen(backend, wGram));
const lanczosMs = await best(() => topEigenpairs(backend, wGram, 1, { rng: stream(0, 'alignment') }));
const values = await symmetricEigenvalues(backend, wGram);
const fitsMs = await best(() => { fitPowerLaw(values, 'hill'); fitPowerLaw(values, 'mle_ks'); fitMarchenkoPastur(values, h, d); });
const probeLater = await best(() => probeWeights(backend, w, problem.teacherBeta, false));
const [probeFirst, probeFirstOld] = await bestInterleaved(
  () => probeWeights(backend, w, problem.teacherBeta, true),
  () => probeWeights(withoutProjection, w, problem.teacherBeta, true),
);
const sameRoute = hasProjection ? '' : 'this backend has no projection method: the same route as the old one';
add('probe', 'W^T W (f64 SYRK from f32 blocks)', h * d * d, wGramMs);
add('probe', 'eigenvalues of W^T W (syevd, values)', (4 / 3) * d ** 3, eigenvaluesMs, 'FLOPs: the tridiagonal reduction');
add('probe', 'eigenvalues + V^T beta* (projection, step 0 profile)', (4 / 3) * d ** 3, projectionMs, sameRoute || 'FLOPs: the tridiagonal reduction; interleaved with the next row');
add('probe', 'eigenvectors of W^T W (syevd, old step 0 route)', (4 / 3 + 2) * d ** 3, eigenMs, 'FLOPs: reduction + back-transformation');
add('probe', 'top eigenvector (Lanczos, alignment)', 0, lanczosMs);
add('probe', 'power-law fits (Hill, MLE-KS) + MP fit', 0, fitsMs, 'scalar code');
add('probe', 'whole probe, later steps', h * d * d + (4 / 3) * d ** 3, probeLater);
add('probe', 'whole probe, step 0 (profile by projection)', h * d * d + (4 / 3) * d ** 3, probeFirst, sameRoute || 'interleaved with the next row');
add('probe', 'whole probe, step 0 (old route: eigenvectors)', h * d * d + (4 / 3 + 2) * d ** 3, probeFirstOld);

const gflops = (r) => (r.flops > 0 ? (r.flops / (r.ms * 1e6)).toFixed(1) : '-');
const gf = (r) => (r.flops > 0 ? (r.flops / 1e9).toFixed(2) : '-');
if (opts.markdown) {
  process.stdout.write('| group | phase | GFLOP | ms | GFLOP/s | note |\n|---|---|---|---|---|---|\n');
  for (const r of rows) process.stdout.write(`| ${r.group} | ${r.phase} | ${gf(r)} | ${r.ms.toFixed(1)} | ${gflops(r)} | ${r.note} |\n`);
} else {
  for (const r of rows) process.stdout.write(`${r.group.padEnd(11)} ${r.phase.padEnd(50)} ${gf(r).padStart(6)} ${r.ms.toFixed(1).padStart(8)} ms ${gflops(r).padStart(7)} GFLOP/s  ${r.note}\n`);
}
await backend.dispose?.();
