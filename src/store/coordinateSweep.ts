/**
 * The coordinator of a distributed sweep (`esdlab sweep CONFIG --queue URL`): opens the sweep in
 * the store like runSweep, enqueues every unfinished cell on the BullMQ queue (job ids are
 * deterministic, so a cell already queued, running or finished-but-uncollected is not added again),
 * and commits each result as it arrives: the store stays the single writer. A completed job keeps
 * its result in Redis until it is committed here; only then is it removed, so a coordinator killed
 * at any moment loses nothing and, started again, collects what finished meanwhile.
 */
import type { Job, Queue } from 'bullmq';
import { resultKey, type ExperimentConfig } from '../experiments/index.js';
import { CELL_JOB_KIND, cellJobId, QUEUE_NAME, type CellJobData, type CellJobResult } from './cellJob.js';
import { acquireCoordinatorLock } from './coordinatorLock.js';
import { connectRedis, loadBullmq } from './redisConnection.js';
import type { ResultsStore, SweepRecord } from './resultsStore.js';
import { openSweepInStore } from './runSweep.js';
import { decodeOutcome } from './sweepProtocol.js';
import { SweepProgressTracker, type RunningCell, type SweepProgress } from './sweepProgressTracker.js';

/** Options of coordinateSweep. */
export interface CoordinateSweepOptions {
  readonly store: ResultsStore;
  readonly config: ExperimentConfig;
  readonly name: string;
  /** redis://[user:password@]HOST:PORT[/db] or rediss://... */
  readonly queueUrl: string;
  readonly isFresh?: boolean;
  /** Tries per cell before it is recorded as failed (default 3). */
  readonly attempts?: number;
  /** How often the queue is polled for results and progress (default 250 ms). */
  readonly pollMs?: number;
  readonly onProgress?: (progress: SweepProgress) => void;
  /** Stops coordinating; queued and running cells stay on the queue for the next coordinator. */
  readonly signal?: AbortSignal;
}

/** What coordinateSweep did. */
export interface CoordinateSweepResult {
  readonly sweep: SweepRecord;
  readonly isResumed: boolean;
  /** Results committed by this invocation. */
  readonly ranNow: number;
  /** Jobs this invocation added (the others were on the queue already). */
  readonly enqueued: number;
  /** The workers that ran the cells committed now. */
  readonly workers: readonly string[];
}

/** Coordinates a sweep on a queue; resolves when every cell is stored or the signal aborts. */
export async function coordinateSweep(options: CoordinateSweepOptions): Promise<CoordinateSweepResult> {
  const { store, config } = options;
  const sweepKey = resultKey(config);
  const redis = await connectRedis(options.queueUrl);
  const { Queue } = await loadBullmq();
  const queue: Queue<CellJobData, CellJobResult> = new Queue<CellJobData, CellJobResult>(QUEUE_NAME, { connection: redis });
  queue.on('error', () => {}); // connection trouble: the durable connection reconnects
  try {
    const lock = await acquireCoordinatorLock(redis, sweepKey, options.name, store.path);
    try {
      const { sweep, isResumed, unfinished } = openSweepInStore(store, config, options.name, options.isFresh);
      const outstanding = new Map(unfinished.map((u) => [cellJobId(sweepKey, sweep.id, u.cell.cellKey), u]));
      const progress = new SweepProgressTracker(sweep.id, sweep.cells, sweep.cells - unfinished.length, unfinished.length, options.onProgress);
      const workers = new Set<string>();

      const commit = (job: Job<CellJobData, CellJobResult>, isCompleted: boolean) => {
        const entry = outstanding.get(job.id!);
        if (!entry) return;
        const run = store.getRun(entry.runId);
        if (run.status !== 'done' && run.status !== 'diverged') {
          if (isCompleted) {
            const result = job.returnvalue;
            store.finishRun(entry.runId, { ...decodeOutcome(result.outcome), worker: result.worker });
            workers.add(result.worker);
            progress.finishedRun(entry.runId, result.outcome.status);
          } else {
            store.finishRun(entry.runId, { status: 'failed', error: `failed after ${job.attemptsMade} attempts: ${job.failedReason}` });
            progress.finishedRun(entry.runId, 'failed');
          }
        }
        outstanding.delete(job.id!);
      };
      const collect = async () => {
        for (const state of ['completed', 'failed'] as const) {
          for (let start = 0; ; start += 500) {
            const jobs = (await queue.getJobs([state], start, start + 499, true)).filter((job) => job && outstanding.has(job.id!));
            for (const job of jobs) {
              commit(job, state === 'completed');
              await job.remove();
            }
            if (jobs.length < 500) break;
            start -= jobs.length; // removed jobs shift the list
          }
        }
      };

      await collect(); // results that finished while no coordinator ran
      // a cell whose job is already on the queue (waiting, running, retrying) is not added again
      const missing: [string, (typeof unfinished)[number]][] = [];
      for (const [jobId, entry] of outstanding) if ((await queue.getJobState(jobId)) === 'unknown') missing.push([jobId, entry]);
      const toAdd = missing.map(([jobId, { runId, cell }]) => ({
        name: 'cell',
        data: { kind: CELL_JOB_KIND, sweepKey, sweepName: options.name, config, cellKey: cell.cellKey, runId } satisfies CellJobData,
        opts: { jobId, attempts: options.attempts ?? 3, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: false, removeOnFail: false },
      }));
      for (let i = 0; i < toAdd.length; i += 500) await queue.addBulk(toAdd.slice(i, i + 500));
      const enqueued = toAdd.length;

      const markedRunning = new Set<number>();
      let lastRefresh = performance.now();
      while (outstanding.size > 0 && !options.signal?.aborted) {
        await collect();
        const active = (await queue.getJobs(['active'])).filter((job) => job && outstanding.has(job.id!));
        const running: RunningCell[] = active.map((job) => {
          const { runId, cell } = outstanding.get(job.id!)!;
          const p = (typeof job.progress === 'object' ? job.progress : {}) as { step?: number; totalSteps?: number; worker?: string };
          return { runId, params: cell.params, repeat: cell.repeat, step: p.step ?? 0, totalSteps: p.totalSteps ?? 0, worker: p.worker };
        });
        for (const cell of running) {
          if (!markedRunning.has(cell.runId)) store.markRunning(cell.runId);
          markedRunning.add(cell.runId);
        }
        progress.replaceRunning(running);
        if (performance.now() - lastRefresh > 3000) {
          await lock.refresh();
          lastRefresh = performance.now();
        }
        if (outstanding.size > 0) await sleep(options.pollMs ?? 250, options.signal);
      }
      return { sweep: store.getSweep(sweep.id), isResumed, ranNow: progress.ranNow, enqueued, workers: [...workers].sort() };
    } finally {
      await lock.release();
    }
  } finally {
    await queue.close();
    redis.disconnect();
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
