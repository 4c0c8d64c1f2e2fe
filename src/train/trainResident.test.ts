/**
 * train() on the wasm backend places the step's operands in its reserved memory (Backend.reserve):
 * the same bits as the same backend copying every operand in and out, for full-batch and
 * mini-batch Adam, GD, f32 and f64, a fixed and a trainable last layer; nothing it returns or
 * checkpoints on abort is a view of that memory, and the memory is given back after each training.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { loadBackend, type Backend, type FloatArray } from '../linalg/node.js';
import { drawProblem } from '../model/index.js';
import { stream } from '../random/index.js';
import { requireTool } from '../testing/oracle.js';
import { TrainingAbortedError } from './abort.js';
import type { TrainOptions } from './options.js';
import type { TrainCheckpoint } from './trainCheckpoint.js';
import { train } from './train.js';

const base: TrainOptions = {
  numTrain: 96,
  numTest: 20,
  inputDim: 40,
  hiddenDim: 72,
  labelNoiseStd: 0.3,
  batchSize: 96,
  optimizer: 'adam',
  learningRate: 1,
  momentum: 0,
  weightDecay: 0.001,
  lrSchedule: null,
  regLambda: 0.01,
  shouldNormalizeWeights: false,
  numEpochs: 4,
  probeSchedule: 'linear',
  readoutFeatures: 'reference',
  probeEverySteps: 2,
  shouldProbeWeights: true,
  shouldProbeFeatures: true,
  shouldComputeOverlaps: false,
  isLastLayerFixed: true,
  precision: 'f32',
};

/** The same backend without reservations: every call copies its operands in and out. */
function copying(backend: Backend): Backend {
  return Object.create(backend, { reserve: { value: undefined } }) as Backend;
}

function isShared(array: FloatArray | Float64Array): boolean {
  return array.buffer instanceof SharedArrayBuffer;
}

async function wasm(t: TestContext): Promise<Backend | null> {
  let backend: Backend | null = null;
  try {
    backend = (await loadBackend('wasm', { threads: 2 })).backend;
  } catch {
    backend = null;
  }
  return requireTool(t, backend !== null, 'the wasm backend') ? backend : null;
}

test('train on wasm with reserved operands gives the bits of the copying path (Adam, GD, mini-batch, f64, trainable a)', async (t) => {
  const backend = await wasm(t);
  if (!backend) return;
  try {
    const cases: [string, Partial<TrainOptions>][] = [
      ['full-batch Adam f32', {}],
      ['mini-batch Adam f32', { batchSize: 40 }],
      ['GD f64 with momentum', { optimizer: 'sgd', learningRate: 0.5, momentum: 0.9, precision: 'f64' }],
      ['trainable last layer', { isLastLayerFixed: false }],
    ];
    for (const [name, change] of cases) {
      const options = { ...base, ...change };
      const problem = () => drawProblem(options, { teacher: stream(1, 'teacher'), data: stream(1, 'data'), init: stream(1, 'init') });
      const rng = () => stream(1, 'batches');
      const resident = await train(backend, options, problem(), { rng: rng() });
      const copied = await train(copying(backend), options, problem(), { rng: rng() });
      assert.deepEqual(resident.steps, copied.steps, `${name}: metrics`);
      assert.deepEqual(resident.finalW.data, copied.finalW.data, `${name}: final W`);
      assert.deepEqual(resident.finalA, copied.finalA, `${name}: final a`);
      assert.ok(!isShared(resident.finalW.data) && !isShared(resident.initialW.data), `${name}: the result holds no view of the wasm memory`);
      // the reserved memory was given back: a second training on the same backend gives the same bits
      const again = await train(backend, options, problem(), { rng: rng() });
      assert.deepEqual(again.steps, resident.steps, `${name}: a second training`);
    }
  } finally {
    await backend.dispose?.();
  }
});

test('the checkpoint of an aborted wasm training holds copies, not views of the memory given back', async (t) => {
  const backend = await wasm(t);
  if (!backend) return;
  try {
    const controller = new AbortController();
    let saved: TrainCheckpoint | null = null;
    const problem = drawProblem(base, { teacher: stream(2, 'teacher'), data: stream(2, 'data'), init: stream(2, 'init') });
    await assert.rejects(
      train(backend, base, problem, {
        onEvent: (event) => {
          if (event.type === 'step' && event.step === 2) controller.abort();
        },
        signal: controller.signal,
        checkpoint: { everySteps: Infinity, save: (checkpoint) => void (saved = checkpoint) },
      }),
      TrainingAbortedError,
    );
    assert.ok(saved);
    const checkpoint = saved as TrainCheckpoint;
    assert.ok(!isShared(checkpoint.w));
    for (const buffer of Object.values(checkpoint.optimizerW.buffers)) assert.ok(buffer && !isShared(buffer), 'Adam moments copied');
    const w = checkpoint.w.slice();
    // another training reuses the memory; the checkpoint stays as it was, and resuming from it
    // continues exactly as the uninterrupted training does
    await train(backend, base, problem);
    assert.deepEqual(checkpoint.w, w);
    const resumed = await train(backend, base, problem, { resumeFrom: checkpoint });
    const whole = await train(backend, base, problem);
    assert.deepEqual(resumed.finalW.data, whole.finalW.data);
  } finally {
    await backend.dispose?.();
  }
});
