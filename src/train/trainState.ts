/**
 * The training loop's parts, in the shape of TensorFlow Playground's `oneStep`: a state object
 * (createTrainState) and two plain functions over it, `step` (one optimizer update) and `probe`
 * (the measurements of SPEC sections 5-6 at the current weights). train() composes them; a
 * checkpoint is a snapshot of the state (trainCheckpoint.ts).
 */
import { EsdlabError, InputError, nullOnAsync } from '../errors.js';
import { allocate, copy, dtypeOf, type DType, type FloatArray, type Backend, type Matrix, type ResidentBlock } from '../linalg/index.js';
import {
  checkProblemShapes,
  createStudentWorkspace,
  meanSquaredError,
  studentLossAndGradient,
  studentPredict,
  type Problem,
  type StudentWorkspace,
} from '../model/index.js';
import { createOptimizer, learningRateAt, normalizeFrobeniusInPlace, type Optimizer } from '../optim/index.js';
import type { Generator } from '../random/index.js';
import { evaluateRidgeReadout, readoutFeatures, readoutInputScale } from './evaluate.js';
import { kernelTargetAlignment } from './kernelTargetAlignment.js';
import { OVERLAP_BLOCK_SIZE, type TrainOptions } from './options.js';
import { probeSteps, totalTrainingSteps } from './probeSchedule.js';
import { emptyStepMetrics, probeWeights } from './probeWeights.js';
import type { ProbeRecord, StepMetrics, TrainResult, TrainTiming } from './result.js';
import { updateGeometry } from './updateGeometry.js';

/** Everything a training holds between steps. Mutable: step() and probe() advance it. */
export interface TrainState {
  readonly options: TrainOptions;
  readonly problem: Problem;
  /** The inputs in the training dtype. */
  readonly xTrain: Matrix;
  readonly split: { readonly xProbe: Matrix; readonly yProbe: Float64Array; readonly xTest: Matrix; readonly yTest: Float64Array };
  /** The student's weights (training dtype), updated in place. */
  readonly w: Matrix;
  readonly a: FloatArray;
  readonly initialW: Matrix;
  readonly optimizerW: Optimizer;
  /** null when the last layer is fixed. */
  readonly optimizerA: Optimizer | null;
  /** Shuffles each epoch's batches (mini-batch runs only). */
  readonly rng: Generator | null;
  readonly batchSize: number;
  readonly totalSteps: number;
  /** The steps probe() runs at, ascending. */
  readonly probeSteps: readonly number[];
  /** Optimizer steps taken. */
  step: number;
  /** Epochs completed, and the first sample of the next batch in the current one. */
  epoch: number;
  batchStart: number;
  /** The current epoch's sample order (null for full batch, or before the epoch's first batch). */
  order: Uint32Array | null;
  /** W at the previous probe (for the update geometry), or null. */
  previousProbeW: Matrix | null;
  readonly steps: StepMetrics[];
  readonly probes: ProbeRecord[];
  status: TrainResult['status'];
  divergedAtStep: number | null;
  divergenceReason: string | null;
  readonly timing: TrainTiming;
  /** Scratch: the workspace of the loss and gradient, the gathered batch, the last finite weights. */
  readonly scratch: { workspace: StudentWorkspace; xBatch: Matrix; yBatch: Float64Array; lastFiniteW: FloatArray; lastFiniteA: FloatArray };
}

/**
 * A fresh state: W and a at the problem's initialization, no step taken. Throws InputError for a
 * problem that does not match the options, invalid options, or a mini-batch run without `rng`.
 * `resident` (from a backend's reserved block, see residentBytes) holds the arrays every step
 * passes to the backend: the batch inputs, W, the workspace and Adam's moments; the bits are the same.
 */
export function createTrainState(options: TrainOptions, problem: Problem, rng: Generator | null, resident?: ResidentBlock): TrainState {
  checkProblemShapes(options, problem);
  checkOptions(options);
  const { numTrain: n, inputDim: d, hiddenDim: h } = options;
  const dtype: DType = options.precision;
  const batchSize = Math.min(options.batchSize, n);
  const isMiniBatch = batchSize < n;
  if (isMiniBatch && !rng) throw new InputError(`batchSize ${options.batchSize} < numTrain ${n} needs hooks.rng to shuffle the batches`);
  const place = resident ? (length: number, type: DType) => resident.allocate(length, type) : allocate;
  const w = placedCopy(problem.initialW, dtype, place);
  const a = allocate(h, dtype);
  a.set(problem.initialA);
  const settings = { momentum: options.momentum, weightDecay: options.weightDecay };
  const totalSteps = totalTrainingSteps(options.numEpochs, n, batchSize);
  // full batch: the inputs themselves are the step's operand; mini-batch: the gathered batch is
  const xTrain = resident && !isMiniBatch ? placedCopy(problem.xTrain, dtype, place) : inDtype(problem.xTrain, dtype);
  return {
    options,
    problem,
    xTrain,
    split: resident
      ? { xProbe: placedCopy(problem.xProbe, dtype, place), yProbe: problem.yProbe, xTest: placedCopy(problem.xTest, dtype, place), yTest: problem.yTest }
      : { xProbe: inDtype(problem.xProbe, dtype), yProbe: problem.yProbe, xTest: inDtype(problem.xTest, dtype), yTest: problem.yTest },
    w,
    a,
    initialW: copy(w),
    optimizerW: createOptimizer(options.optimizer, settings, place),
    optimizerA: options.isLastLayerFixed ? null : createOptimizer(options.optimizer, settings),
    rng: isMiniBatch ? rng : null,
    batchSize,
    totalSteps,
    probeSteps: probeSteps(totalSteps, options.probeEverySteps, options.probeSchedule),
    step: 0,
    epoch: 0,
    batchStart: 0,
    order: null,
    previousProbeW: null,
    steps: [],
    probes: [],
    status: 'done',
    divergedAtStep: null,
    divergenceReason: null,
    timing: { totalMs: 0, trainStepsMs: 0, evaluationMs: 0, probesMs: 0, numSteps: 0 },
    scratch: {
      workspace: createStudentWorkspace(batchSize, h, d, dtype, place),
      xBatch: isMiniBatch ? { rows: batchSize, cols: d, data: place(batchSize * d, dtype) } : xTrain,
      yBatch: new Float64Array(isMiniBatch ? batchSize : 0),
      lastFiniteW: allocate(h * d, dtype),
      lastFiniteA: allocate(h, dtype),
    },
  };
}

/** Whether the training is over: every epoch done, or diverged. */
export function isFinished(state: TrainState): boolean {
  return state.status === 'diverged' || state.epoch >= state.options.numEpochs;
}

/** What one step did: its batch loss (before the update), or that it diverged. */
export type StepOutcome = { readonly loss: number; readonly diverged: false } | { readonly loss: number; readonly diverged: true; readonly reason: string };

/**
 * One optimizer step on the next batch (drawing the epoch's order first when a mini-batch epoch
 * starts). A NaN/Inf loss leaves the weights untouched; NaN/Inf weights after the update are
 * replaced by the last finite ones. Either way the state is marked diverged.
 */
export async function step(backend: Backend, state: TrainState): Promise<StepOutcome> {
  const { options, problem, scratch } = state;
  const n = options.numTrain;
  const stepStart = performance.now();
  const stepNumber = state.step + 1;
  let x = state.xTrain;
  let y: ArrayLike<number> = problem.yTrain;
  if (state.rng) {
    if (state.batchStart === 0) state.order = state.rng.permutation(n);
    const count = Math.min(state.batchSize, n - state.batchStart);
    gatherRows(state.xTrain, state.order!, state.batchStart, count, scratch.xBatch.data);
    for (let i = 0; i < count; i++) scratch.yBatch[i] = problem.yTrain[state.order![state.batchStart + i]!]!;
    const full = count === state.batchSize;
    x = full ? scratch.xBatch : { rows: count, cols: options.inputDim, data: scratch.xBatch.data.subarray(0, count * options.inputDim) };
    y = full ? scratch.yBatch : scratch.yBatch.subarray(0, count);
  }
  const lr = learningRateAt(options.learningRate, options.lrSchedule, stepNumber);
  const { w, a } = state;
  if (options.shouldNormalizeWeights) normalizeFrobeniusInPlace(w.data, Math.sqrt(options.hiddenDim * options.inputDim));
  const loss = await studentLossAndGradient(backend, { w, a }, x, y, scratch.workspace, !options.isLastLayerFixed);
  state.step = stepNumber;
  state.batchStart += state.batchSize;
  if (state.batchStart >= n) {
    state.epoch += 1;
    state.batchStart = 0;
    state.order = null;
  }
  if (!Number.isFinite(loss)) {
    state.timing.trainStepsMs += performance.now() - stepStart;
    return diverge(state, loss, `the training loss became ${loss} at step ${stepNumber} (learning rate ${lr})`);
  }
  scratch.lastFiniteW.set(w.data);
  state.optimizerW.step(w.data, scratch.workspace.gradW.data, lr, backend.elementwise);
  if (state.optimizerA) {
    scratch.lastFiniteA.set(a);
    state.optimizerA.step(a, scratch.workspace.gradA, lr, backend.elementwise);
  }
  state.timing.numSteps = stepNumber;
  state.timing.trainStepsMs += performance.now() - stepStart;
  if (!isAllFinite(w.data) || (state.optimizerA && !isAllFinite(a))) {
    // Keep the last finite weights as the result's final W (and a).
    w.data.set(scratch.lastFiniteW);
    if (state.optimizerA) a.set(scratch.lastFiniteA);
    return diverge(state, loss, `the weights became NaN or infinite at step ${stepNumber} (learning rate ${lr})`);
  }
  return { loss, diverged: false };
}

function diverge(state: TrainState, loss: number, reason: string): StepOutcome {
  state.status = 'diverged';
  state.divergedAtStep = state.step;
  state.divergenceReason = reason;
  return { loss, diverged: true, reason };
}

/**
 * Probes the current weights (SPEC sections 5-6) and appends the record to state.steps/probes.
 * `batchLoss` is the loss of the step just taken (NaN at step 0). `reused`, a step-0 probe of the
 * same problem and probe options, is taken instead of computing it (train()'s initialProbe).
 */
export async function probe(
  backend: Backend,
  state: TrainState,
  batchLoss: number,
  reused?: { readonly metrics: StepMetrics; readonly probe: ProbeRecord },
): Promise<{ metrics: StepMetrics; record: ProbeRecord }> {
  const { options, problem, split, w, a } = state;
  const at = state.step;
  const lrAtStep = learningRateAt(options.learningRate, options.lrSchedule, Math.max(at, 1));
  if (at === 0 && reused) {
    const metrics = { ...reused.metrics, lr: lrAtStep };
    if (options.shouldComputeOverlaps) state.previousProbeW = copy(w);
    state.steps.push(metrics);
    state.probes.push(reused.probe);
    return { metrics, record: reused.probe };
  }
  const metrics = emptyStepMetrics(at, lrAtStep);
  metrics.batch_loss = batchLoss;
  const evaluationStart = performance.now();
  const inputScale = readoutInputScale(options.readoutFeatures, options.inputDim);
  if (options.isLastLayerFixed) {
    const evaluation = await evaluateRidgeReadout(backend, w, split, options.regLambda, options.shouldProbeFeatures, inputScale);
    metrics.train_loss = evaluation.trainLoss;
    metrics.test_loss = evaluation.testLoss;
    metrics.kta = evaluation.kta;
  } else {
    metrics.train_loss = at === 0 ? meanSquaredError(await studentPredict(backend, { w, a }, state.xTrain), problem.yTrain) : batchLoss;
    metrics.test_loss = meanSquaredError(await studentPredict(backend, { w, a }, split.xTest), split.yTest);
  }
  const probeStart = performance.now();
  state.timing.evaluationMs += probeStart - evaluationStart;
  if (!options.isLastLayerFixed && options.shouldProbeFeatures) {
    metrics.kta = await kernelTargetAlignment(backend, await readoutFeatures(backend, w, split.xProbe, inputScale), split.yProbe);
  }
  const record: ProbeRecord = { step: at, eigenvalues: new Float64Array(0), singularValues: new Float64Array(0) };
  if (options.shouldProbeWeights) {
    const weights = await probeWeights(backend, w, problem.teacherBeta, at === 0);
    Object.assign(metrics, weights.metrics);
    record.eigenvalues = weights.eigenvalues;
    record.singularValues = weights.singularValues;
    if (weights.alignmentProfile) record.alignmentProfile = weights.alignmentProfile;
    if (options.shouldComputeOverlaps) {
      // A degenerate update (M = 0, e.g. lr 0) has no singular vectors: the record just lacks overlaps.
      const previous = state.previousProbeW;
      const geometry = previous ? await nullOnAsync(EsdlabError, () => updateGeometry(backend, previous, w, OVERLAP_BLOCK_SIZE)) : null;
      if (geometry) record.overlaps = geometry;
      state.previousProbeW = copy(w);
    }
  }
  state.timing.probesMs += performance.now() - probeStart;
  state.steps.push(metrics);
  state.probes.push(record);
  return { metrics, record };
}

/** The engine's own sanity checks (the config layer validated ranges already). */
function checkOptions(options: TrainOptions): void {
  const positiveIntegers: [string, number][] = [
    ['batchSize', options.batchSize],
    ['probeEverySteps', options.probeEverySteps],
    // at least one epoch, as the config schema's num_epochs >= 1 (a run without a step has nothing to report)
    ['numEpochs', options.numEpochs],
  ];
  for (const [name, value] of positiveIntegers) {
    if (!Number.isInteger(value) || value < 1) throw new InputError(`${name} must be a positive integer, got ${value}`);
  }
  if (options.lrSchedule && (!Number.isInteger(options.lrSchedule.stepSize) || options.lrSchedule.stepSize < 1)) {
    throw new InputError(`the StepLR step size must be a positive integer, got ${options.lrSchedule.stepSize}`);
  }
  if (options.readoutFeatures !== 'reference' && options.readoutFeatures !== 'paper') {
    throw new InputError(`readoutFeatures must be 'reference' or 'paper', got ${String(options.readoutFeatures)}`);
  }
  if (options.probeSchedule !== 'linear' && options.probeSchedule !== 'log') {
    throw new InputError(`probeSchedule must be 'linear' or 'log', got ${String(options.probeSchedule)}`);
  }
}

/** `m` itself when it already has `dtype`, else a converted copy. */
/**
 * The bytes createTrainState places in a reserved block for these options: the step's inputs
 * (batch x d), W, the hidden workspace (batch x h), dL/dW, Adam's two moments, and the probe and
 * test inputs (n x d, n_test x d) that every evaluation multiplies by W.
 */
export function residentBytes(options: TrainOptions): number {
  const { numTrain: n, inputDim: d, hiddenDim: h } = options;
  const batchSize = Math.min(options.batchSize, n);
  const values = batchSize * d + h * d + batchSize * h + h * d + (options.optimizer === 'adam' ? 2 * h * d : 0) + (n + options.numTest) * d;
  return values * (options.precision === 'f32' ? 4 : 8);
}

/** A copy of `m` in `dtype`, in an array from `place`. */
function placedCopy(m: Matrix, dtype: DType, place: (length: number, dtype: DType) => FloatArray): Matrix {
  const out = { rows: m.rows, cols: m.cols, data: place(m.rows * m.cols, dtype) };
  out.data.set(m.data.subarray(0, m.rows * m.cols));
  return out;
}

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
