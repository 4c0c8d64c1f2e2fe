/**
 * The training loop of SPEC sections 3-5: full-batch (or shuffled mini-batch) GD/Adam on the
 * student, with probes at step 0, every probeEverySteps steps and the last step. It emits events
 * and does no I/O; all randomness comes from the problem (already drawn) and hooks.rng (batches).
 */
import { EsdlabError, InputError, nullOnAsync } from '../errors.js';
import { allocate, copy, dtypeOf, type Backend, type DType, type FloatArray, type Matrix } from '../linalg/index.js';
import {
  checkProblemShapes,
  createStudentWorkspace,
  meanSquaredError,
  studentLossAndGradient,
  studentPredict,
  type Problem,
} from '../model/index.js';
import { createOptimizer, learningRateAt, normalizeFrobeniusInPlace } from '../optim/index.js';
import type { Generator } from '../random/index.js';
import { TrainingAbortedError } from './abort.js';
import { evaluateRidgeReadout, readoutFeatures } from './evaluate.js';
import { kernelTargetAlignment } from './kernelTargetAlignment.js';
import { OVERLAP_BLOCK_SIZE, type TrainOptions } from './options.js';
import { probeSteps, totalTrainingSteps } from './probeSchedule.js';
import type { ProbeRecord, StepMetrics, TrainEvent, TrainResult } from './result.js';
import { emptyStepMetrics, probeWeights } from './probeWeights.js';
import { updateGeometry } from './updateGeometry.js';

/** Optional callbacks and inputs of train(). */
export interface TrainHooks {
  /** Receives every event synchronously, in order. */
  onEvent?: (event: TrainEvent) => void;
  /** Checked between steps; when aborted, train() rejects with TrainingAbortedError. */
  signal?: AbortSignal;
  /** Shuffles the training set each epoch; required when batchSize < numTrain. */
  rng?: Generator;
  /**
   * The step-0 probe of an earlier run on the same problem with the same precision, regLambda,
   * isLastLayerFixed and probe options: reused instead of recomputed (its `lr` is set to this
   * run's). Step 0 does not depend on the optimizer or the learning rate, so the cells of a sweep
   * that share a draw (bulk_lr: every optimizer and lr of a repeat) compute it once. The caller is
   * responsible for the match; train() cannot check it.
   */
  initialProbe?: { readonly metrics: StepMetrics; readonly probe: ProbeRecord };
}

/**
 * Trains the student of `problem` as `options` say and returns the probed metrics. Training runs
 * in options.precision; probes in f64. Never throws for a diverging run: a NaN/Inf loss or weight
 * ends it with status 'diverged' and the metrics so far. Throws InputError for a problem that does
 * not match the options or a mini-batch run without hooks.rng, TrainingAbortedError when aborted.
 */
export async function train(backend: Backend, options: TrainOptions, problem: Problem, hooks: TrainHooks = {}): Promise<TrainResult> {
  const startedAt = performance.now();
  checkProblemShapes(options, problem);
  checkOptions(options);
  const { numTrain: n, inputDim: d, hiddenDim: h, isLastLayerFixed } = options;
  const dtype: DType = options.precision;
  const batchSize = Math.min(options.batchSize, n);
  const isMiniBatch = batchSize < n;
  if (isMiniBatch && !hooks.rng) {
    throw new InputError(`batchSize ${options.batchSize} < numTrain ${n} needs hooks.rng to shuffle the batches`);
  }
  const emit = hooks.onEvent ?? (() => {});

  const xTrain = inDtype(problem.xTrain, dtype);
  const split = {
    xProbe: inDtype(problem.xProbe, dtype),
    yProbe: problem.yProbe,
    xTest: inDtype(problem.xTest, dtype),
    yTest: problem.yTest,
  };
  const w = copy(problem.initialW, dtype);
  const a = allocate(h, dtype);
  a.set(problem.initialA);
  const initialW = copy(w);
  const lastFiniteW = allocate(h * d, dtype);
  const lastFiniteA = allocate(h, dtype);
  const workspace = createStudentWorkspace(batchSize, h, d, dtype);
  const xBatch: Matrix = isMiniBatch ? { rows: batchSize, cols: d, data: allocate(batchSize * d, dtype) } : xTrain;
  const yBatch = isMiniBatch ? new Float64Array(batchSize) : problem.yTrain;
  const settings = { momentum: options.momentum, weightDecay: options.weightDecay };
  const optimizerW = createOptimizer(options.optimizer, settings);
  const optimizerA = isLastLayerFixed ? null : createOptimizer(options.optimizer, settings);
  const targetNorm = Math.sqrt(h * d);

  const totalSteps = totalTrainingSteps(options.numEpochs, n, batchSize);
  const probed = probeSteps(totalSteps, options.probeEverySteps);
  const isProbed = new Set(probed);
  const steps: StepMetrics[] = [];
  const probes: ProbeRecord[] = [];
  const timing = { totalMs: 0, trainStepsMs: 0, evaluationMs: 0, probesMs: 0, numSteps: 0 };
  let previousProbeW: Matrix | null = null;

  const probeAt = async (step: number, batchLoss: number): Promise<void> => {
    const lrAtStep = learningRateAt(options.learningRate, options.lrSchedule, Math.max(step, 1));
    if (step === 0 && hooks.initialProbe) {
      const metrics = { ...hooks.initialProbe.metrics, lr: lrAtStep };
      if (options.shouldComputeOverlaps) previousProbeW = copy(w);
      steps.push(metrics);
      probes.push(hooks.initialProbe.probe);
      emit({ type: 'probe', step, metrics, probe: hooks.initialProbe.probe });
      return;
    }
    const metrics = emptyStepMetrics(step, lrAtStep);
    metrics.batch_loss = batchLoss;
    const evaluationStart = performance.now();
    if (isLastLayerFixed) {
      const evaluation = await evaluateRidgeReadout(backend, w, split, options.regLambda, options.shouldProbeFeatures);
      metrics.train_loss = evaluation.trainLoss;
      metrics.test_loss = evaluation.testLoss;
      metrics.kta = evaluation.kta;
    } else {
      metrics.train_loss = step === 0 ? meanSquaredError(await studentPredict(backend, { w, a }, xTrain), problem.yTrain) : batchLoss;
      metrics.test_loss = meanSquaredError(await studentPredict(backend, { w, a }, split.xTest), split.yTest);
    }
    const probeStart = performance.now();
    timing.evaluationMs += probeStart - evaluationStart;
    if (!isLastLayerFixed && options.shouldProbeFeatures) {
      metrics.kta = await kernelTargetAlignment(backend, await readoutFeatures(backend, w, split.xProbe), split.yProbe);
    }
    const record: ProbeRecord = { step, eigenvalues: new Float64Array(0), singularValues: new Float64Array(0) };
    if (options.shouldProbeWeights) {
      const weights = await probeWeights(backend, w, problem.teacherBeta, step === 0);
      Object.assign(metrics, weights.metrics);
      record.eigenvalues = weights.eigenvalues;
      record.singularValues = weights.singularValues;
      if (weights.alignmentProfile) record.alignmentProfile = weights.alignmentProfile;
      if (options.shouldComputeOverlaps) {
        // A degenerate update (M = 0, e.g. lr 0) has no singular vectors: the record just lacks overlaps.
        const geometry = previousProbeW ? await nullOnAsync(EsdlabError, () => updateGeometry(backend, previousProbeW!, w, OVERLAP_BLOCK_SIZE)) : null;
        if (geometry) record.overlaps = geometry;
        previousProbeW = copy(w);
      }
    }
    timing.probesMs += performance.now() - probeStart;
    steps.push(metrics);
    probes.push(record);
    emit({ type: 'probe', step, metrics, probe: record });
  };

  let status: TrainResult['status'] = 'done';
  let divergedAtStep: number | null = null;
  let divergenceReason: string | null = null;
  const diverge = (step: number, reason: string) => {
    status = 'diverged';
    divergedAtStep = step;
    divergenceReason = reason;
    emit({ type: 'diverged', step, reason });
  };

  emit({ type: 'start', totalSteps, numProbes: probed.length });
  await probeAt(0, Number.NaN);
  let step = 0;
  training: for (let epoch = 0; epoch < options.numEpochs; epoch++) {
    const order = isMiniBatch ? hooks.rng!.permutation(n) : null;
    for (let start = 0; start < n; start += batchSize) {
      await yieldToEventLoop();
      if (hooks.signal?.aborted) throw new TrainingAbortedError(step);
      step++;
      const stepStart = performance.now();
      let x: Matrix = xTrain;
      let y: ArrayLike<number> = problem.yTrain;
      if (order) {
        const count = Math.min(batchSize, n - start);
        gatherRows(xTrain, order, start, count, xBatch.data);
        for (let i = 0; i < count; i++) yBatch[i] = problem.yTrain[order[start + i]!]!;
        x = count === batchSize ? xBatch : { rows: count, cols: d, data: xBatch.data.subarray(0, count * d) };
        y = count === batchSize ? yBatch : yBatch.subarray(0, count);
      }
      const lr = learningRateAt(options.learningRate, options.lrSchedule, step);
      if (options.shouldNormalizeWeights) normalizeFrobeniusInPlace(w.data, targetNorm);
      const loss = await studentLossAndGradient(backend, { w, a }, x, y, workspace, !isLastLayerFixed);
      if (!Number.isFinite(loss)) {
        timing.trainStepsMs += performance.now() - stepStart;
        diverge(step, `the training loss became ${loss} at step ${step} (learning rate ${lr})`);
        break training;
      }
      lastFiniteW.set(w.data);
      optimizerW.step(w.data, workspace.gradW.data, lr);
      if (optimizerA) {
        lastFiniteA.set(a);
        optimizerA.step(a, workspace.gradA, lr);
      }
      timing.numSteps = step;
      if (!isAllFinite(w.data) || (optimizerA && !isAllFinite(a))) {
        // Keep the last finite weights as the result's final W (and a).
        w.data.set(lastFiniteW);
        if (optimizerA) a.set(lastFiniteA);
        timing.trainStepsMs += performance.now() - stepStart;
        diverge(step, `the weights became NaN or infinite at step ${step} (learning rate ${lr})`);
        break training;
      }
      timing.trainStepsMs += performance.now() - stepStart;
      emit({ type: 'step', step, totalSteps, loss });
      if (isProbed.has(step)) await probeAt(step, loss);
    }
  }
  timing.totalMs = performance.now() - startedAt;
  return {
    status,
    divergedAtStep,
    divergenceReason,
    steps,
    probes,
    initialW,
    finalW: w,
    finalA: Float64Array.from(a),
    timing,
  };
}

/** The engine's own sanity checks (the config layer validated ranges already). */
function checkOptions(options: TrainOptions): void {
  const positiveIntegers: [string, number][] = [
    ['batchSize', options.batchSize],
    ['probeEverySteps', options.probeEverySteps],
  ];
  for (const [name, value] of positiveIntegers) {
    if (!Number.isInteger(value) || value < 1) throw new InputError(`${name} must be a positive integer, got ${value}`);
  }
  if (!Number.isInteger(options.numEpochs) || options.numEpochs < 0) {
    throw new InputError(`numEpochs must be a non-negative integer, got ${options.numEpochs}`);
  }
  if (options.lrSchedule && (!Number.isInteger(options.lrSchedule.stepSize) || options.lrSchedule.stepSize < 1)) {
    throw new InputError(`the StepLR step size must be a positive integer, got ${options.lrSchedule.stepSize}`);
  }
}

/** `m` itself when it already has `dtype`, else a converted copy. */
function inDtype(m: Matrix, dtype: DType): Matrix {
  return dtypeOf(m) === dtype ? m : copy(m, dtype);
}

/** Copies rows order[start .. start + count) of x into `out` (row-major, count x d). */
function gatherRows(x: Matrix, order: Uint32Array, start: number, count: number, out: FloatArray): void {
  const d = x.cols;
  for (let i = 0; i < count; i++) {
    const row = order[start + i]!;
    out.set(x.data.subarray(row * d, (row + 1) * d), i * d);
  }
}

function isAllFinite(data: FloatArray): boolean {
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v - v !== 0) return false;
  }
  return true;
}

/** Lets timers and signal handlers run between steps (a step is ~0.1 s of synchronous work). */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
