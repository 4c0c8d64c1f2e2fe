import type { Backend } from '../linalg/index.js';
import { drawProblem, type Problem } from '../model/index.js';
import { stream, type Generator } from '../random/index.js';
import { train, type TrainCheckpoint, type TrainEvent, type TrainHooks, type TrainResult } from '../train/index.js';
import type { ScalarExperimentConfig } from './configSchema.js';
import { toTrainOptions } from './toTrainOptions.js';

/** Options of runExperiment. */
export interface RunExperimentOptions {
  /** Arrays that replace the seeded draw (a PyTorch replay: the config's `init:` block, loaded). */
  readonly overrides?: Partial<Problem>;
  /** Called for every training event (start, step, probe, diverged), e.g. to drive a progress bar. */
  readonly onEvent?: (event: TrainEvent) => void;
  /** Aborts the training between steps. */
  readonly signal?: AbortSignal;
  /** The seeded generators to draw from (a sweep cell's, say); default: the config seed's streams. */
  readonly streams?: { readonly teacher: Generator; readonly data: Generator; readonly init: Generator; readonly batches: Generator };
  /** Receives a checkpoint every `everySteps` steps and on abort (train()'s hook). */
  readonly checkpoint?: TrainHooks['checkpoint'];
  /** Continues from this checkpoint of the same config instead of starting at step 0. */
  readonly resumeFrom?: TrainCheckpoint;
}

/**
 * Draws the problem of a one-run config from its seed and trains on it. The seeded streams are
 * `stream(seed, 'teacher')`, `'data'`, `'init'` (drawProblem) and `'batches'` (mini-batch
 * shuffling), so the same config and seed give the same run on every backend up to rounding.
 * No I/O: the caller writes the result.
 */
export async function runExperiment(backend: Backend, config: ScalarExperimentConfig, options: RunExperimentOptions = {}): Promise<TrainResult> {
  const trainOptions = toTrainOptions(config);
  const seed = config.seed;
  const streams = options.streams ?? {
    teacher: stream(seed, 'teacher'),
    data: stream(seed, 'data'),
    init: stream(seed, 'init'),
    batches: stream(seed, 'batches'),
  };
  const problem = drawProblem(trainOptions, streams, options.overrides ?? {});
  return train(backend, trainOptions, problem, {
    onEvent: options.onEvent,
    signal: options.signal,
    rng: streams.batches,
    ...(options.checkpoint ? { checkpoint: options.checkpoint } : {}),
    ...(options.resumeFrom ? { resumeFrom: options.resumeFrom } : {}),
  });
}
