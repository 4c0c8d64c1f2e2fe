/**
 * The training loop of SPEC sections 3-5: full-batch (or shuffled mini-batch) GD/Adam on the
 * student, with probes at the schedule's steps (step 0 and the last step always). It composes
 * createTrainState, step and probe (trainState.ts), emits events and does no I/O; all randomness
 * comes from the problem (already drawn) and hooks.rng (batches). Checkpoints go out through a hook.
 */
import { copy, type Backend } from '../linalg/index.js';
import type { Problem } from '../model/index.js';
import type { Generator } from '../random/index.js';
import { TrainingAbortedError } from './abort.js';
import type { TrainOptions } from './options.js';
import type { ProbeRecord, StepMetrics, TrainEvent, TrainResult } from './result.js';
import { checkpointOf, restoreCheckpoint, type TrainCheckpoint } from './trainCheckpoint.js';
import { createTrainState, isFinished, probe, residentBytes, step, type TrainState } from './trainState.js';

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
   * isLastLayerFixed, readoutFeatures and probe options: reused instead of recomputed (its `lr` is
   * set to this run's). Step 0 does not depend on the optimizer, the learning rate or the probe
   * schedule, so the cells of a sweep that share a draw (bulk_lr: every optimizer and lr of a
   * repeat) compute it once. The caller is responsible for the match; train() cannot check it.
   */
  initialProbe?: { readonly metrics: StepMetrics; readonly probe: ProbeRecord };
  /**
   * Checkpoints: `save` receives the state every `everySteps` steps (after that step's probe) and,
   * when the signal aborts, at the step reached. train() waits for it before the next step, so
   * `save` may serialize the (live) arrays asynchronously. `everySteps: Infinity` saves only on
   * abort (the web lab's Stop, which keeps the checkpoint in memory to resume from).
   */
  checkpoint?: { readonly everySteps: number; save(checkpoint: TrainCheckpoint): void | Promise<void> };
  /** A checkpoint of an earlier training of the same options and problem to continue from. */
  resumeFrom?: TrainCheckpoint;
}

/**
 * Trains the student of `problem` as `options` say and returns the probed metrics. Training runs
 * in options.precision; probes in f64. Never throws for a diverging run: a NaN/Inf loss or weight
 * ends it with status 'diverged' and the metrics so far. Throws InputError for a problem that does
 * not match the options or a mini-batch run without hooks.rng, TrainingAbortedError when aborted.
 */
export async function train(backend: Backend, options: TrainOptions, problem: Problem, hooks: TrainHooks = {}): Promise<TrainResult> {
  const startedAt = performance.now();
  // the step's operands in the backend's own memory where it has some (wasm): no copies per call
  // (a size the backend cannot take, e.g. from options that createTrainState then refuses, gives null)
  const resident = (await backend.reserve?.(residentBytes(options))) ?? undefined;
  try {
    const state = createTrainState(options, problem, hooks.rng ?? null, resident);
    const result = await trainState(backend, state, hooks, startedAt, resident !== undefined);
    // W outlives the reserved block
    return resident ? { ...result, finalW: copy(result.finalW) } : result;
  } finally {
    await resident?.release();
  }
}

async function trainState(backend: Backend, state: TrainState, hooks: TrainHooks, startedAt: number, isResident: boolean): Promise<TrainResult> {
  const emit = hooks.onEvent ?? (() => {});
  const isProbed = new Set(state.probeSteps);
  const probeAndEmit = async (batchLoss: number) => {
    const { metrics, record } = await probe(backend, state, batchLoss, state.step === 0 ? hooks.initialProbe : undefined);
    emit({ type: 'probe', step: state.step, metrics, probe: record });
  };
  const save = async (isLast = false) => {
    // the abort's checkpoint outlives the training (the lab resumes from it): no views of the reserved block
    if (hooks.checkpoint) await hooks.checkpoint.save(isLast && isResident ? detachedCheckpoint(checkpointOf(state)) : checkpointOf(state));
  };
  let elapsedBefore = 0;
  if (hooks.resumeFrom) {
    restoreCheckpoint(state, hooks.resumeFrom);
    elapsedBefore = state.timing.totalMs;
  }

  emit({ type: 'start', totalSteps: state.totalSteps, numProbes: state.probeSteps.length, firstStep: state.step });
  if (!hooks.resumeFrom) await probeAndEmit(Number.NaN);
  while (!isFinished(state)) {
    await yieldToEventLoop();
    if (hooks.signal?.aborted) {
      state.timing.totalMs = elapsedBefore + performance.now() - startedAt;
      await save(true);
      throw new TrainingAbortedError(state.step, hooks.checkpoint !== undefined);
    }
    const outcome = await step(backend, state);
    if (outcome.diverged) {
      emit({ type: 'diverged', step: state.step, reason: outcome.reason });
      break;
    }
    emit({ type: 'step', step: state.step, totalSteps: state.totalSteps, loss: outcome.loss });
    if (isProbed.has(state.step)) await probeAndEmit(outcome.loss);
    if (hooks.checkpoint && state.step % hooks.checkpoint.everySteps === 0 && !isFinished(state)) {
      state.timing.totalMs = elapsedBefore + performance.now() - startedAt;
      await save();
    }
  }
  state.timing.totalMs = elapsedBefore + performance.now() - startedAt;
  return resultOf(state);
}

/** The outcome of a finished (or diverged) state. */
function resultOf(state: TrainState): TrainResult {
  return {
    status: state.status,
    divergedAtStep: state.divergedAtStep,
    divergenceReason: state.divergenceReason,
    steps: state.steps,
    probes: state.probes,
    initialW: state.initialW,
    finalW: state.w,
    finalA: Float64Array.from(state.a),
    timing: state.timing,
  };
}

/** The checkpoint with its arrays copied (none aliases the state's). */
function detachedCheckpoint(checkpoint: TrainCheckpoint): TrainCheckpoint {
  const buffers = (state: TrainCheckpoint['optimizerW']) =>
    ({ ...state, buffers: Object.fromEntries(Object.entries(state.buffers).map(([name, buffer]) => [name, buffer ? buffer.slice() : buffer])) });
  return {
    ...checkpoint,
    w: checkpoint.w.slice(),
    a: checkpoint.a.slice(),
    optimizerW: buffers(checkpoint.optimizerW),
    optimizerA: checkpoint.optimizerA ? buffers(checkpoint.optimizerA) : null,
  };
}

/** Lets timers and signal handlers run between steps (a step is ~0.1 s of synchronous work). */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
