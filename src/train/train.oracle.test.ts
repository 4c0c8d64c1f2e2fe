/**
 * The engine against an independent numpy transcription of the original PyTorch code (trainer.py,
 * tracker.py): Adam and GD steps, the ridge read-out, KTA with n x n matrices, sim(W, beta*) from a
 * full SVD, and the Hill alpha, for both read-out feature settings. Small sizes, f64. Needs python3 with numpy (skipped on a laptop
 * without it, failed in CI).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadBackend } from '../linalg/node.js';
import { drawProblem } from '../model/index.js';
import { stream } from '../random/index.js';
import { findNumpyPython, requireTool, runPython } from '../testing/oracle.js';
import { TRAIN_ORACLE } from '../testing/trainOracle.js';
import type { TrainOptions } from './options.js';
import { train } from './train.js';


const base: TrainOptions = {
  numTrain: 30,
  numTest: 9,
  inputDim: 8,
  hiddenDim: 12,
  labelNoiseStd: 0.3,
  batchSize: 30,
  optimizer: 'adam',
  learningRate: 0.3,
  momentum: 0,
  weightDecay: 0.01,
  lrSchedule: null,
  regLambda: 0.01,
  shouldNormalizeWeights: false,
  numEpochs: 3,
  probeEverySteps: 1,
  probeSchedule: 'linear',
  readoutFeatures: 'reference',
  shouldProbeWeights: true,
  shouldProbeFeatures: true,
  shouldComputeOverlaps: false,
  isLastLayerFixed: true,
  precision: 'f64',
};

const variants: TrainOptions[] = [
  base,
  { ...base, optimizer: 'sgd', learningRate: 20, momentum: 0.5 },
  { ...base, readoutFeatures: 'paper' },
  { ...base, optimizer: 'sgd', learningRate: 20, momentum: 0.5, readoutFeatures: 'paper' },
];
for (const options of variants) {
  test(`train (${options.optimizer}, ${options.readoutFeatures} read-out) matches a numpy transcription of the original code at every probe`, async (t) => {
    if (!requireTool(t, findNumpyPython() !== null, 'python3 with numpy')) return;
    const { backend } = await loadBackend('js');
    const problem = drawProblem(options, { teacher: stream(9, 'teacher'), data: stream(9, 'data'), init: stream(9, 'init') });
    const result = await train(backend, options, problem);
    const expected = runPython<Record<string, number>[]>(TRAIN_ORACLE, {
      options,
      xTrain: [...problem.xTrain.data],
      yTrain: [...problem.yTrain],
      xProbe: [...problem.xProbe.data],
      yProbe: [...problem.yProbe],
      xTest: [...problem.xTest.data],
      yTest: [...problem.yTest],
      initialW: [...problem.initialW.data],
      initialA: [...problem.initialA],
      beta: [...problem.teacherBeta],
    });
    assert.equal(result.steps.length, expected.length);
    result.steps.forEach((metrics, k) => {
      for (const key of ['train_loss', 'test_loss', 'kta', 'alignment', 'alpha_hill'] as const) {
        const want = expected[k]![key]!;
        assert.ok(Math.abs(metrics[key] - want) <= 1e-8 * Math.max(1, Math.abs(want)), `step ${k} ${key}: ${metrics[key]} vs numpy ${want}`);
      }
    });
  });
}
