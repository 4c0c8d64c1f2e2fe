/**
 * A training checkpoint: the part of a TrainState that is not derived from the options and the
 * problem (weights, optimizer moments, the batch stream's position and generator, the probes so
 * far). Restoring it into a fresh state of the same options and problem continues the training
 * bit for bit (same backend). Plain data: the run folder's writer serializes it (src/io).
 */
import { InputError } from '../errors.js';
import { copy, type FloatArray } from '../linalg/index.js';
import type { OptimizerState } from '../optim/index.js';
import type { GeneratorState } from '../random/index.js';
import type { ProbeRecord, StepMetrics, TrainTiming } from './result.js';
import type { TrainState } from './trainState.js';

/** What a checkpoint holds (arrays are the state's own until serialized: write it before the next step). */
export interface TrainCheckpoint {
  /** Optimizer steps taken. */
  readonly step: number;
  readonly epoch: number;
  readonly batchStart: number;
  readonly order: Uint32Array | null;
  /** The batch stream's generator (null for full batch). */
  readonly rng: GeneratorState | null;
  readonly w: FloatArray;
  readonly a: FloatArray;
  readonly optimizerW: OptimizerState;
  readonly optimizerA: OptimizerState | null;
  readonly previousProbeW: FloatArray | null;
  readonly steps: readonly StepMetrics[];
  readonly probes: readonly ProbeRecord[];
  readonly timing: TrainTiming;
}

/** The checkpoint of a state that has not diverged. */
export function checkpointOf(state: TrainState): TrainCheckpoint {
  return {
    step: state.step,
    epoch: state.epoch,
    batchStart: state.batchStart,
    order: state.order,
    rng: state.rng ? state.rng.snapshot() : null,
    w: state.w.data,
    a: state.a,
    optimizerW: state.optimizerW.saveState(),
    optimizerA: state.optimizerA ? state.optimizerA.saveState() : null,
    previousProbeW: state.previousProbeW ? state.previousProbeW.data : null,
    steps: state.steps,
    probes: state.probes,
    timing: { ...state.timing },
  };
}

/**
 * Puts a checkpoint into a fresh state of the same options and problem. Throws InputError when its
 * arrays do not fit the state (a checkpoint of another config).
 */
export function restoreCheckpoint(state: TrainState, checkpoint: TrainCheckpoint): void {
  const fits = (name: string, array: ArrayLike<number> | null, expected: ArrayLike<number>) => {
    if (array !== null && (array.length !== expected.length || array.constructor !== expected.constructor)) {
      throw new InputError(`the checkpoint's ${name} (${array.length} values) does not fit this config (${expected.length} ${expected.constructor.name})`);
    }
  };
  fits('W', checkpoint.w, state.w.data);
  fits('a', checkpoint.a, state.a);
  fits('previous probe W', checkpoint.previousProbeW, state.w.data);
  if (checkpoint.step > state.totalSteps || (checkpoint.rng === null) !== (state.rng === null)) {
    throw new InputError(`the checkpoint (step ${checkpoint.step}) does not fit this config (${state.totalSteps} steps)`);
  }
  state.w.data.set(checkpoint.w);
  state.a.set(checkpoint.a);
  state.optimizerW.loadState(checkpoint.optimizerW);
  if (state.optimizerA && checkpoint.optimizerA) state.optimizerA.loadState(checkpoint.optimizerA);
  if (state.rng && checkpoint.rng) state.rng.restore(checkpoint.rng);
  state.step = checkpoint.step;
  state.epoch = checkpoint.epoch;
  state.batchStart = checkpoint.batchStart;
  state.order = checkpoint.order ? checkpoint.order.slice() : null;
  state.previousProbeW = checkpoint.previousProbeW ? copy({ rows: state.w.rows, cols: state.w.cols, data: checkpoint.previousProbeW }) : null;
  state.steps.push(...checkpoint.steps);
  state.probes.push(...checkpoint.probes);
  Object.assign(state.timing, checkpoint.timing);
}
