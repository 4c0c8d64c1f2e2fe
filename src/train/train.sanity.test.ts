/**
 * SLOW (about 5-60 s depending on the backend): SPEC section 8 on the main config's sizes
 * (n = 2000, d = 1000, h = 1500, Adam lr = 1, 10 full-batch steps, f32). Needs a fast backend
 * (native or wasm): skipped on a laptop with only the js backend, failed in CI.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadBackend } from '../linalg/node.js';
import { drawProblem } from '../model/index.js';
import { stream } from '../random/index.js';
import { requireTool } from '../testing/oracle.js';
import type { TrainOptions } from './options.js';
import { train } from './train.js';

const main: TrainOptions = {
  numTrain: 2000,
  numTest: 200,
  inputDim: 1000,
  hiddenDim: 1500,
  labelNoiseStd: 0.3,
  batchSize: 2000,
  optimizer: 'adam',
  learningRate: 1,
  momentum: 0,
  weightDecay: 0,
  lrSchedule: null,
  regLambda: 0.01,
  shouldNormalizeWeights: false,
  numEpochs: 10,
  probeSchedule: 'linear',
  readoutFeatures: 'reference',
  probeEverySteps: 10,
  shouldProbeWeights: true,
  shouldProbeFeatures: true,
  shouldComputeOverlaps: false,
  isLastLayerFixed: true,
  precision: 'f32',
};

test('train on the main config: MP bulk without spike at step 0; after Adam lr=1 a spike >= 20x the MP edge, alignment >= 0.2, alpha Hill lower', { timeout: 180_000 }, async (t) => {
  const { backend } = await loadBackend('auto');
  if (!requireTool(t, backend.name !== 'js', 'a fast linalg backend (native or wasm)')) return;
  const problem = drawProblem(main, { teacher: stream(0, 'teacher'), data: stream(0, 'data'), init: stream(0, 'init') });
  const result = await train(backend, main, problem);
  assert.equal(result.status, 'done');
  assert.deepEqual(result.steps.map((s) => s.step), [0, 10]);
  const [initial, final] = result.steps as [(typeof result.steps)[0], (typeof result.steps)[0]];
  const lowerEdge = (Math.sqrt(1500) - Math.sqrt(1000)) ** 2; // ~51
  const upperEdge = (Math.sqrt(1500) + Math.sqrt(1000)) ** 2; // ~4949
  const eigenvalues = result.probes[0]!.eigenvalues;
  assert.equal(eigenvalues.length, 1000);
  assert.ok(eigenvalues[0]! > 0.8 * lowerEdge, `smallest eigenvalue ${eigenvalues[0]}`);
  assert.ok(eigenvalues[999]! < 1.05 * upperEdge, `no spike at step 0: lambda_max ${eigenvalues[999]}`);
  assert.ok(final.spectral_norm >= 20 * upperEdge, `spike after training: lambda_max ${final.spectral_norm}`);
  assert.ok(final.alignment >= 0.2, `alignment ${final.alignment}`);
  assert.ok(final.alpha_hill < initial.alpha_hill, `alpha Hill ${initial.alpha_hill} -> ${final.alpha_hill}`);
  assert.ok(Number.isFinite(final.train_loss) && Number.isFinite(final.test_loss) && Number.isFinite(final.kta));
});
