import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../errors.js';
import { copy, loadBackend } from '../linalg/node.js';
import { createStudentWorkspace, drawProblem, studentLossAndGradient } from '../model/index.js';
import { stream } from '../random/index.js';
import type { TrainOptions } from './options.js';
import type { TrainEvent } from './result.js';
import { TrainingAbortedError } from './abort.js';
import { train } from './train.js';

const { backend } = await loadBackend('js');

const base: TrainOptions = {
  numTrain: 40,
  numTest: 10,
  inputDim: 12,
  hiddenDim: 16,
  labelNoiseStd: 0.3,
  batchSize: 40,
  optimizer: 'adam',
  learningRate: 1,
  momentum: 0,
  weightDecay: 0,
  lrSchedule: null,
  regLambda: 0.01,
  shouldNormalizeWeights: false,
  numEpochs: 3,
  probeSchedule: 'linear',
  readoutFeatures: 'reference',
  probeEverySteps: 1,
  shouldProbeWeights: true,
  shouldProbeFeatures: true,
  shouldComputeOverlaps: true,
  isLastLayerFixed: true,
  precision: 'f64',
};

function problemFor(options: TrainOptions, seed = 0) {
  return drawProblem(options, { teacher: stream(seed, 'teacher'), data: stream(seed, 'data'), init: stream(seed, 'init') });
}

test('train emits start, steps and probes in order and fills every metric', async () => {
  const events: TrainEvent[] = [];
  const result = await train(backend, base, problemFor(base), { onEvent: (e) => events.push(e) });
  assert.equal(result.status, 'done');
  assert.deepEqual(
    events.map((e) => `${e.type}${'step' in e ? e.step : ''}`),
    ['start', 'probe0', 'step1', 'probe1', 'step2', 'probe2', 'step3', 'probe3'],
  );
  assert.deepEqual(events[0], { type: 'start', totalSteps: 3, numProbes: 4, firstStep: 0 });
  assert.deepEqual(result.steps.map((s) => s.step), [0, 1, 2, 3]);
  for (const metrics of result.steps) {
    for (const key of ['train_loss', 'test_loss', 'kta', 'alignment', 'alpha_hill', 'alpha_mle_ks', 'spectral_norm', 'stable_rank'] as const) {
      assert.ok(Number.isFinite(metrics[key]), `${key} at step ${metrics.step} is ${metrics[key]}`);
    }
    assert.ok(metrics.alignment >= 0 && metrics.alignment <= 1 + 1e-12);
    assert.ok(metrics.kta > 0 && metrics.kta <= 1 + 1e-12);
  }
  assert.equal(result.probes[0]!.eigenvalues.length, 12);
  assert.equal(result.probes[0]!.alignmentProfile!.length, 12);
  assert.equal(result.probes[1]!.alignmentProfile, undefined);
  assert.equal(result.probes[0]!.overlaps, undefined);
  const overlaps = result.probes[1]!.overlaps!;
  assert.equal(overlaps.blockSize, 12);
  assert.equal(overlaps.leftOverlap.rows, 12);
  // Rows of a squared overlap matrix between orthonormal bases sum to at most 1.
  for (let i = 0; i < 12; i++) {
    let sum = 0;
    for (let j = 0; j < 12; j++) sum += overlaps.rightOverlap.data[i * 12 + j]!;
    assert.ok(sum <= 1 + 1e-9);
  }
  assert.equal(result.timing.numSteps, 3);
  // Frobenius norm squared is the sum of the eigenvalues.
  const last = result.steps[3]!;
  let sumSquares = 0;
  for (const v of result.finalW.data) sumSquares += v * v;
  assert.ok(Math.abs(last.frobenius_sq - sumSquares) < 1e-9 * sumSquares);
});

test('train with the same options and seed gives identical metrics and probes', async () => {
  const first = await train(backend, base, problemFor(base, 5));
  const second = await train(backend, base, problemFor(base, 5));
  assert.deepEqual(first.steps, second.steps);
  assert.deepEqual(first.probes, second.probes);
  assert.deepEqual(first.finalW, second.finalW);
});

test('train: one GD step equals W - lr * (G + wd W) by hand', async () => {
  const options: TrainOptions = { ...base, optimizer: 'sgd', learningRate: 0.5, weightDecay: 0.1, numEpochs: 1, shouldProbeWeights: false };
  const problem = problemFor(options);
  const result = await train(backend, options, problem);
  const workspace = createStudentWorkspace(40, 16, 12, 'f64');
  await studentLossAndGradient(backend, { w: problem.initialW, a: problem.initialA }, problem.xTrain, problem.yTrain, workspace, false);
  for (let i = 0; i < 16 * 12; i++) {
    const expected = problem.initialW.data[i]! - 0.5 * (workspace.gradW.data[i]! + 0.1 * problem.initialW.data[i]!);
    assert.ok(Math.abs(result.finalW.data[i]! - expected) < 1e-14);
  }
  assert.deepEqual(result.probes[0]!.eigenvalues.length, 0);
});

test('train with a huge GD learning rate ends diverged, keeping the metrics so far and a finite final W', async () => {
  const options: TrainOptions = { ...base, optimizer: 'sgd', learningRate: 1e100, weightDecay: 1, numEpochs: 10 };
  const events: TrainEvent[] = [];
  const result = await train(backend, options, problemFor(options), { onEvent: (e) => events.push(e) });
  assert.equal(result.status, 'diverged');
  assert.ok(result.divergedAtStep !== null && result.divergedAtStep > 1 && result.divergedAtStep <= 10);
  assert.match(result.divergenceReason!, /NaN or infinite|loss became/);
  assert.equal(result.steps.length, result.divergedAtStep);
  assert.equal(events.at(-1)!.type, 'diverged');
  for (const v of result.finalW.data) assert.ok(Number.isFinite(v));
});

test('train with mini-batches takes num_epochs * ceil(n / B) steps, shuffled reproducibly by hooks.rng', async () => {
  const options: TrainOptions = { ...base, batchSize: 15, numEpochs: 2, probeEverySteps: 4, shouldComputeOverlaps: false };
  const problem = problemFor(options);
  const result = await train(backend, options, problem, { rng: stream(0, 'batches') });
  assert.equal(result.timing.numSteps, 6);
  assert.deepEqual(result.steps.map((s) => s.step), [0, 4, 6]);
  const again = await train(backend, options, problem, { rng: stream(0, 'batches') });
  assert.deepEqual(again.steps, result.steps);
  const other = await train(backend, options, problem, { rng: stream(1, 'batches') });
  assert.notDeepEqual(other.finalW.data, result.finalW.data);
  await assert.rejects(train(backend, options, problem), InputError);
});

test('train with a trainable last layer updates a and reports the batch loss and the test MSE of f', async () => {
  const options: TrainOptions = { ...base, isLastLayerFixed: false, learningRate: 0.05 };
  const steps: number[] = [];
  const problem = problemFor(options);
  const result = await train(backend, options, problem, {
    onEvent: (e) => {
      if (e.type === 'step') steps.push(e.loss);
    },
  });
  assert.notDeepEqual(result.finalA, problem.initialA);
  assert.deepEqual(result.steps.slice(1).map((s) => s.train_loss), steps);
  assert.ok(Number.isNaN(result.steps[0]!.batch_loss) && Number.isFinite(result.steps[0]!.train_loss));
  for (const s of result.steps) assert.ok(Number.isFinite(s.test_loss) && Number.isFinite(s.kta));
});

test('train with weight normalization rescales W to ||W||_F^2 = h d before each step', async () => {
  const options: TrainOptions = { ...base, optimizer: 'sgd', learningRate: 0, shouldNormalizeWeights: true, numEpochs: 1 };
  const problem = problemFor(options);
  const scaled = copy(problem.initialW);
  for (let i = 0; i < scaled.data.length; i++) scaled.data[i]! *= 3;
  const result = await train(backend, options, { ...problem, initialW: scaled });
  assert.ok(Math.abs(result.steps[1]!.frobenius_sq - 16 * 12) < 1e-9);
});

test('train in f32 keeps W in f32 and lands close to the f64 run', async () => {
  const problem = problemFor(base);
  const single = await train(backend, { ...base, precision: 'f32' }, problem);
  const double = await train(backend, base, problem);
  assert.ok(single.finalW.data instanceof Float32Array);
  assert.ok(Math.abs(single.steps[3]!.test_loss - double.steps[3]!.test_loss) < 1e-3 * double.steps[3]!.test_loss + 1e-4);
});

test('train rejects with TrainingAbortedError when its signal is aborted', async () => {
  const controller = new AbortController();
  const run = train(backend, base, problemFor(base), {
    signal: controller.signal,
    onEvent: (e) => {
      if (e.type === 'step') controller.abort();
    },
  });
  await assert.rejects(run, (e: unknown) => e instanceof TrainingAbortedError && e.name === 'AbortError' && e.step === 1);
});

test('train with hooks.initialProbe from a run at another lr and optimizer gives the same result as computing step 0', async () => {
  const problem = problemFor(base);
  const first = await train(backend, { ...base, learningRate: 0.5 }, problem);
  const other: TrainOptions = { ...base, optimizer: 'sgd', learningRate: 3 };
  const computed = await train(backend, other, problem);
  const reused = await train(backend, other, problem, { initialProbe: { metrics: first.steps[0]!, probe: first.probes[0]! } });
  assert.deepEqual(reused.steps, computed.steps);
  assert.equal(reused.steps[0]!.lr, 3);
  assert.deepEqual(reused.probes.map((p) => p.overlaps?.updateSingularValues), computed.probes.map((p) => p.overlaps?.updateSingularValues));
  assert.deepEqual(reused.finalW.data, computed.finalW.data);
});
