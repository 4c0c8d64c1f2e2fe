import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../errors.js';
import { loadBackend } from '../linalg/node.js';
import { drawProblem } from '../model/index.js';
import { stream } from '../random/index.js';
import { TrainingAbortedError } from './abort.js';
import type { TrainOptions } from './options.js';
import type { TrainCheckpoint } from './trainCheckpoint.js';
import { train } from './train.js';

const { backend } = await loadBackend('js');

const options: TrainOptions = {
  numTrain: 30,
  numTest: 8,
  inputDim: 10,
  hiddenDim: 14,
  labelNoiseStd: 0.3,
  batchSize: 12,
  optimizer: 'adam',
  learningRate: 0.3,
  momentum: 0,
  weightDecay: 0.01,
  lrSchedule: null,
  regLambda: 0.01,
  shouldNormalizeWeights: false,
  numEpochs: 4,
  probeEverySteps: 2,
  probeSchedule: 'linear',
  readoutFeatures: 'reference',
  shouldProbeWeights: true,
  shouldProbeFeatures: true,
  shouldComputeOverlaps: true,
  isLastLayerFixed: false,
  precision: 'f32',
};
const problem = drawProblem(options, { teacher: stream(2, 'teacher'), data: stream(2, 'data'), init: stream(2, 'init') });

/** A deep copy of a checkpoint, as if it had gone to disk and back. */
function frozen(checkpoint: TrainCheckpoint): TrainCheckpoint {
  return structuredClone(checkpoint);
}

for (const optimizer of ['adam', 'sgd'] as const) {
  test(`a training resumed from any checkpoint (${optimizer}, mini-batch, mid-epoch) ends bit for bit as the uninterrupted one`, async () => {
    const o: TrainOptions = { ...options, optimizer, momentum: optimizer === 'sgd' ? 0.5 : 0 };
    const checkpoints: TrainCheckpoint[] = [];
    const full = await train(backend, o, problem, {
      rng: stream(2, 'batches'),
      checkpoint: { everySteps: 3, save: (c) => void checkpoints.push(frozen(c)) },
    });
    // 12 steps (3 batches per epoch): checkpoints after steps 3, 6, 9 (not after the last step)
    assert.deepEqual(checkpoints.map((c) => c.step), [3, 6, 9]);
    for (const checkpoint of checkpoints) {
      const resumedSteps: number[] = [];
      const resumed = await train(backend, o, problem, {
        rng: stream(99, 'batches'), // overwritten by the checkpoint's generator state
        resumeFrom: checkpoint,
        onEvent: (e) => {
          if (e.type === 'step') resumedSteps.push(e.step);
        },
      });
      assert.equal(resumedSteps[0], checkpoint.step + 1, 'nothing finished is recomputed');
      assert.deepEqual(resumed.steps, full.steps);
      assert.deepEqual(resumed.probes, full.probes);
      assert.deepEqual(resumed.finalW.data, full.finalW.data);
      assert.deepEqual(resumed.finalA, full.finalA);
    }
  });
}

test('an aborted training with checkpoints saves the step it reached, and resuming completes it', async () => {
  const controller = new AbortController();
  let saved: TrainCheckpoint | null = null;
  await assert.rejects(
    train(backend, options, problem, {
      rng: stream(2, 'batches'),
      signal: controller.signal,
      onEvent: (e) => {
        if (e.type === 'step' && e.step === 5) controller.abort();
      },
      checkpoint: { everySteps: 1000, save: (c) => void (saved = frozen(c)) },
    }),
    TrainingAbortedError,
  );
  assert.equal(saved!.step, 5);
  const resumed = await train(backend, options, problem, { rng: stream(2, 'batches'), resumeFrom: saved! });
  const full = await train(backend, options, problem, { rng: stream(2, 'batches') });
  assert.deepEqual(resumed.steps, full.steps);
});

test('a checkpoint of another shape or batch mode is refused', async () => {
  const checkpoints: TrainCheckpoint[] = [];
  await train(backend, options, problem, { rng: stream(2, 'batches'), checkpoint: { everySteps: 5, save: (c) => void checkpoints.push(frozen(c)) } });
  const wider = { ...options, hiddenDim: 15 };
  const widerProblem = drawProblem(wider, { teacher: stream(2, 'teacher'), data: stream(2, 'data'), init: stream(2, 'init') });
  await assert.rejects(train(backend, wider, widerProblem, { rng: stream(2, 'batches'), resumeFrom: checkpoints[0]! }), InputError);
  await assert.rejects(train(backend, { ...options, batchSize: 30 }, problem, { resumeFrom: checkpoints[0]! }), InputError);
});

test('the engine refuses numEpochs 0, as the config schema (num_epochs >= 1) does', async () => {
  await assert.rejects(train(backend, { ...options, numEpochs: 0 }, problem, { rng: stream(2, 'batches') }), /numEpochs must be a positive integer, got 0/);
});
