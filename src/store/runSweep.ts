/**
 * Runs a sweep: expands its cells, registers them in the store (or resumes the sweep already
 * there), and trains the unfinished ones on a pool of worker threads. Workers only compute; this
 * thread is the store's single writer, and commits each finished run in one transaction, so a
 * kill at any moment loses no finished run. A worker that crashes marks its run failed and is
 * replaced; a diverged run is stored as such and the sweep goes on.
 */
import type { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { ConfigError, EsdlabError } from '../errors.js';
import { expandSweep, sweepConfigHash, type ExperimentConfig, type SweepCell } from '../experiments/index.js';
import type { ResultsStore, SweepRecord } from './resultsStore.js';
import { startModuleWorker } from './moduleWorker.js';

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

/** Where a sweep stands, for a progress bar. */
export interface SweepProgress {
  readonly sweepId: number;
  readonly total: number;
  /** Finished cells (done, diverged or failed), including those finished before a resume. */
  readonly finished: number;
  /** Cells this invocation still has to finish. */
  readonly remaining: number;
  /** The cells running now, with their parameters and how far they are. */
  readonly running: readonly { readonly runId: number; readonly params: Readonly<Record<string, string | number>>; readonly repeat: number; readonly step: number; readonly totalSteps: number }[];
  /** Estimated seconds left, from the mean time per finished cell so far (null before the first). */
  readonly etaSeconds: number | null;
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

/** Runs (or resumes) a sweep; resolves when every cell has finished or the signal aborts. */
export async function runSweep(options: RunSweepOptions): Promise<RunSweepResult> {
  const { store, config } = options;
  const cells = expandSweep(config);
  const byKey = new Map(cells.map((cell) => [cell.cellKey, cell]));
  const { sweep, isResumed } = store.openSweep(
    { name: options.name, configHash: sweepConfigHash(config), config, cells: cells.map(({ cellKey, params, repeat }) => ({ cellKey, params, repeat })) },
    { isFresh: options.isFresh },
  );
  const queue = store.unfinishedRuns(sweep.id).map((run) => {
    const cell = byKey.get(run.cellKey);
    if (!cell) throw new EsdlabError(`run ${run.id} of sweep ${sweep.id} has a cell (${run.cellKey}) this config does not produce; start over with --fresh`);
    return { runId: run.id, cell };
  });
  const split = defaultWorkerSplit(queue.length);
  const workers = options.workers ?? split.workers;
  const threadsPerWorker = options.threadsPerWorker ?? (options.workers ? Math.max(1, Math.floor(availableParallelism() / workers)) : split.threadsPerWorker);
  if (!Number.isInteger(workers) || workers < 1) throw new ConfigError(`--workers must be an integer >= 1, got ${workers}`, 'workers');
  if (queue.length === 0) {
    return { sweep: store.getSweep(sweep.id), isResumed, ranNow: 0, backend: options.backendName, workers: 0, threadsPerWorker };
  }

  const total = sweep.cells;
  let finished = total - queue.length;
  let ranNow = 0;
  const startedAt = performance.now();
  const running = new Map<number, { runId: number; params: Readonly<Record<string, string | number>>; repeat: number; step: number; totalSteps: number }>();
  let backendName = options.backendName;
  const report = () => {
    const elapsedSeconds = (performance.now() - startedAt) / 1000;
    const remaining = queue.length + running.size;
    options.onProgress?.({
      sweepId: sweep.id,
      total,
      finished,
      remaining,
      running: [...running.values()],
      etaSeconds: ranNow > 0 ? (elapsedSeconds / ranNow) * remaining / 1 : null,
    });
  };

  await new Promise<void>((resolve, reject) => {
    let active = 0;
    let isStopped = false;
    const pool: Worker[] = [];
    const stopAll = () => {
      isStopped = true;
      for (const worker of pool) void worker.terminate();
    };
    const settleIfIdle = () => {
      if (active === 0 && (queue.length === 0 || isStopped)) {
        stopAll();
        resolve();
      }
    };
    options.signal?.addEventListener('abort', () => {
      stopAll();
      resolve();
    });

    const launch = () => {
      const worker = startModuleWorker(import.meta.url, 'sweepWorker', { backendName: options.backendName, threads: threadsPerWorker });
      pool.push(worker);
      active++;
      let current: { runId: number; cell: SweepCell } | null = null;
      const next = () => {
        current = isStopped ? null : (queue.shift() ?? null);
        if (!current) {
          active--;
          void worker.terminate();
          settleIfIdle();
          return;
        }
        store.markRunning(current.runId);
        running.set(current.runId, { runId: current.runId, params: current.cell.params, repeat: current.cell.repeat, step: 0, totalSteps: 0 });
        report();
        worker.postMessage({ type: 'run', runId: current.runId, cell: current.cell });
      };
      const finish = (runId: number, outcome: Parameters<ResultsStore['finishRun']>[1]) => {
        store.finishRun(runId, outcome);
        running.delete(runId);
        finished++;
        ranNow++;
        report();
      };
      worker.on('message', (message: WorkerMessage) => {
        switch (message.type) {
          case 'ready':
            backendName = message.backend;
            next();
            break;
          case 'fatal':
            stopAll();
            reject(new EsdlabError(`a sweep worker could not start: ${message.message}`));
            break;
          case 'progress': {
            const entry = running.get(message.runId);
            if (entry) {
              entry.step = message.step;
              entry.totalSteps = message.totalSteps;
              report();
            }
            break;
          }
          case 'result':
            finish(message.runId, {
              status: message.status,
              error: message.error,
              divergedAtStep: message.divergedAtStep,
              steps: message.steps,
              spectra: message.spectra,
              timing: message.timing as unknown as Record<string, number>,
            });
            next();
            break;
          case 'failed':
            finish(message.runId, { status: 'failed', error: message.message });
            next();
            break;
        }
      });
      worker.on('error', (error) => {
        // the worker died (out of memory, a crash in a backend): its run failed; go on with a new worker
        if (current) finish(current.runId, { status: 'failed', error: `worker crashed: ${error.message}` });
        current = null;
        active--;
        if (!isStopped && queue.length > 0) launch();
        else settleIfIdle();
      });
    };
    for (let i = 0; i < Math.min(workers, queue.length); i++) launch();
  });

  return { sweep: store.getSweep(sweep.id), isResumed, ranNow, backend: backendName, workers, threadsPerWorker };
}

type WorkerMessage =
  | { type: 'ready'; backend: string; threads: number }
  | { type: 'fatal'; message: string }
  | { type: 'progress'; runId: number; step: number; totalSteps: number }
  | {
      type: 'result';
      runId: number;
      status: 'done' | 'diverged';
      divergedAtStep: number | null;
      error: string | null;
      steps: Record<string, unknown>[];
      spectra: { step: number; eigenvalues: Float64Array }[];
      timing: object;
    }
  | { type: 'failed'; runId: number; message: string };
