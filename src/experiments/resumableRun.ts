/**
 * A run that can be stopped between two steps and continued later (the web lab's Stop and
 * Resume). It is the CLI's checkpoint/resume core kept in memory: stop() aborts train() between
 * two steps, train()'s checkpoint hook (on abort only) hands over the state reached, and the next
 * continue() passes it back as `resumeFrom` (src/train/trainCheckpoint.ts restores the weights, the
 * optimizers' moments, the batch generator and order, and the probes so far). So a stopped and
 * continued run ends with exactly the metrics of an uninterrupted one on the same backend.
 */
import { InputError } from '../errors.js';
import type { Backend } from '../linalg/index.js';
import { TrainingAbortedError, type TrainCheckpoint, type TrainEvent, type TrainResult } from '../train/index.js';
import type { ScalarExperimentConfig } from './configSchema.js';
import { runExperiment, type RunExperimentOptions } from './runExperiment.js';

/** How a continue() ended: the training finished (or diverged), or stop() paused it after `step` steps. */
export type ResumableOutcome = { readonly status: 'finished'; readonly result: TrainResult } | { readonly status: 'stopped'; readonly step: number };

/** A training that stop() pauses and continue() resumes; see createResumableRun. */
export interface ResumableRun {
  readonly config: ScalarExperimentConfig;
  /** The steps taken when the last stop() paused it; null before a stop, while running and once finished. */
  readonly stoppedAtStep: number | null;
  /** Whether the training is over (a continue() returned 'finished'). */
  readonly isFinished: boolean;
  /** Whether a continue() is in progress. */
  readonly isRunning: boolean;
  /** Milliseconds spent inside continue() so far: training time, the pauses left out. */
  readonly activeMs: number;
  /**
   * Trains from step 0, or from the step the last stop() paused at, until the end or the next
   * stop(). Every event goes to `onEvent` (a continued training starts with a 'start' event whose
   * firstStep is the step it resumes after, and emits no probe twice). Rejects with InputError when
   * it is already running or finished; a training error rejects as runExperiment's does.
   */
  continue(onEvent?: (event: TrainEvent) => void): Promise<ResumableOutcome>;
  /**
   * Pauses the training between two steps: now (the running continue() stops before its next
   * step; nothing when none is running), or, with `afterStep`, once it has taken that many steps
   * (also a continue() started later; a target it is already past stops it at once). Any stop that
   * fires clears the scheduled one.
   */
  stop(afterStep?: number): void;
}

/**
 * A stoppable, resumable run of `config` on `backend` (the problem is drawn from the config's seed,
 * as runExperiment does, each time continue() starts: the draw is deterministic).
 */
export function createResumableRun(
  backend: Backend,
  config: ScalarExperimentConfig,
  options: Pick<RunExperimentOptions, 'overrides'> = {},
): ResumableRun {
  let checkpoint: TrainCheckpoint | null = null;
  let controller: AbortController | null = null;
  let isFinished = false;
  let activeMs = 0;
  let stopAfter: number | null = null;
  return {
    config,
    get stoppedAtStep() {
      return controller === null && !isFinished && checkpoint !== null ? checkpoint.step : null;
    },
    get isFinished() {
      return isFinished;
    },
    get isRunning() {
      return controller !== null;
    },
    get activeMs() {
      return activeMs;
    },
    async continue(onEvent) {
      if (controller !== null) throw new InputError('this run is already running');
      if (isFinished) throw new InputError('this run has finished; start a new one');
      const signalController = new AbortController();
      controller = signalController;
      const startedAt = performance.now();
      let saved: TrainCheckpoint | null = null;
      const onEachEvent = (event: TrainEvent) => {
        onEvent?.(event);
        const reached = event.type === 'start' ? event.firstStep : event.type === 'step' ? event.step : null;
        if (stopAfter !== null && reached !== null && reached >= stopAfter) signalController.abort();
      };
      try {
        const result = await runExperiment(backend, config, {
          ...(options.overrides ? { overrides: options.overrides } : {}),
          onEvent: onEachEvent,
          signal: signalController.signal,
          checkpoint: { everySteps: Infinity, save: (reached) => void (saved = reached) },
          ...(checkpoint ? { resumeFrom: checkpoint } : {}),
        });
        isFinished = true;
        checkpoint = null;
        return { status: 'finished', result };
      } catch (error) {
        if (error instanceof TrainingAbortedError && saved !== null) {
          checkpoint = saved;
          stopAfter = null;
          return { status: 'stopped', step: (saved as TrainCheckpoint).step };
        }
        throw error;
      } finally {
        activeMs += performance.now() - startedAt;
        controller = null;
      }
    },
    stop(afterStep) {
      if (afterStep === undefined) controller?.abort();
      else stopAfter = afterStep;
    },
  };
}
