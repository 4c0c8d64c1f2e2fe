/**
 * Runs a sweep: expands its cells, registers them in the store (or resumes the sweep already
 * there), and trains the unfinished ones on a WorkerPool. It composes three parts: the pool
 * (threads compute), the store (this thread is its single writer and commits each finished run in
 * one transaction, so a kill at any moment loses no finished run) and a SweepProgressTracker
 * (progress and ETA). A thread that crashes fails its run and is replaced; a diverged run is
 * stored as such and the sweep goes on.
 */
import { availableParallelism } from 'node:os';
import { ConfigError, EsdlabError } from '../errors.js';
import { expandSweep, resultKey, type ExperimentConfig, type SweepCell } from '../experiments/index.js';
import type { ResultsStore, SweepRecord } from './resultsStore.js';
import { SweepProgressTracker, type SweepProgress } from './sweepProgressTracker.js';
import { PoolClosedError, WorkerPool } from './workerPool.js';

export type { SweepProgress, RunningCell } from './sweepProgressTracker.js';

/** Options of runSweep. */
export interface RunSweepOptions {
  readonly store: ResultsStore;
  readonly config: ExperimentConfig;
  /** Sweep name (the config file's name). */
  readonly name: string;
  /** Backend each worker loads ('auto', 'native', 'wasm', 'js'). */
  readonly backendName: string;
  /** Worker threads training cells at once; default: see defaultWorkerSplit. */
  readonly workers?: number;
  /** Compute threads of each worker's backend; default: see defaultWorkerSplit. */
  readonly threadsPerWorker?: number;
  /** Start a new sweep even when one with the same config is in the store. */
  readonly isFresh?: boolean;
  readonly onProgress?: (progress: SweepProgress) => void;
  /** Stops dispatching new cells; runs in flight are abandoned (left 'running', rerun on resume). */
  readonly signal?: AbortSignal;
}

/** What runSweep did. */
export interface RunSweepResult {
  readonly sweep: SweepRecord;
  readonly isResumed: boolean;
  /** Cells trained by this invocation. */
  readonly ranNow: number;
  readonly backend: string;
  readonly workers: number;
  readonly threadsPerWorker: number;
}

/**
 * The default split of the machine's cores: as many single-threaded workers as cores, since a
 * sweep's cells are independent (no synchronization between threads inside a GEMM) — but never more
 * workers than cells. workers x threadsPerWorker never exceeds the cores.
 */
export function defaultWorkerSplit(cells: number, cores = availableParallelism()): { workers: number; threadsPerWorker: number } {
  const workers = Math.max(1, Math.min(cores, cells));
  return { workers, threadsPerWorker: Math.max(1, Math.floor(cores / workers)) };
}

/** A sweep opened in the store: its record and the cells still to run, each with its run id. */
export interface OpenedSweep {
  readonly sweep: SweepRecord;
  readonly isResumed: boolean;
  readonly unfinished: { readonly runId: number; readonly cell: SweepCell }[];
}

/**
 * Expands a sweep config and opens its sweep in the store (resuming the one with the same
 * resultKey unless `isFresh`): the local runner and the queue coordinator both start here.
 */
export function openSweepInStore(store: ResultsStore, config: ExperimentConfig, name: string, isFresh?: boolean): OpenedSweep {
  const cells = expandSweep(config);
  const byKey = new Map(cells.map((cell) => [cell.cellKey, cell]));
  const { sweep, isResumed } = store.openSweep(
    { name, configHash: resultKey(config), config, cells: cells.map(({ cellKey, params, repeat }) => ({ cellKey, params, repeat })) },
    { isFresh },
  );
  const unfinished = store.unfinishedRuns(sweep.id).map((run) => {
    const cell = byKey.get(run.cellKey);
    if (!cell) throw new EsdlabError(`run ${run.id} of sweep ${sweep.id} has a cell (${run.cellKey}) this config does not produce; start over with --fresh`);
    return { runId: run.id, cell };
  });
  return { sweep, isResumed, unfinished };
}

/** Runs (or resumes) a sweep; resolves when every cell has finished or the signal aborts. */
export async function runSweep(options: RunSweepOptions): Promise<RunSweepResult> {
  const { store } = options;
  const { sweep, isResumed, unfinished } = openSweepInStore(store, options.config, options.name, options.isFresh);
  const queue = [...unfinished];
  const split = defaultWorkerSplit(queue.length);
  const workers = options.workers ?? split.workers;
  const threadsPerWorker = options.threadsPerWorker ?? (options.workers ? Math.max(1, Math.floor(availableParallelism() / workers)) : split.threadsPerWorker);
  if (!Number.isInteger(workers) || workers < 1) throw new ConfigError(`--workers must be an integer >= 1, got ${workers}`, 'workers');
  if (queue.length === 0 || options.signal?.aborted) {
    return { sweep: store.getSweep(sweep.id), isResumed, ranNow: 0, backend: options.backendName, workers: 0, threadsPerWorker };
  }

  const lanes = Math.min(workers, queue.length);
  const pool = await WorkerPool.start(lanes, { backendName: options.backendName, threads: threadsPerWorker });
  const progress = new SweepProgressTracker(sweep.id, sweep.cells, sweep.cells - queue.length, queue.length, options.onProgress);
  const onAbort = () => void pool.close();
  options.signal?.addEventListener('abort', onAbort);
  // one lane per thread, each taking the next cell in grid order (cells that share a draw come together)
  const lane = async (): Promise<void> => {
    for (let next = queue.shift(); next && !options.signal?.aborted; next = queue.shift()) {
      const { runId, cell } = next;
      store.markRunning(runId);
      progress.started({ runId, params: cell.params, repeat: cell.repeat });
      let outcome;
      try {
        outcome = await pool.run(cell, (step, totalSteps) => progress.stepped(runId, step, totalSteps));
      } catch (error) {
        if (error instanceof PoolClosedError) return; // aborted: the run stays 'running' and reruns on resume
        throw error;
      }
      store.finishRun(runId, { ...outcome, worker: 'local' });
      progress.finishedRun(runId, outcome.status);
    }
  };
  try {
    await Promise.all(Array.from({ length: lanes }, lane));
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    await pool.close();
  }
  return { sweep: store.getSweep(sweep.id), isResumed, ranNow: progress.ranNow, backend: pool.backend, workers, threadsPerWorker };
}
