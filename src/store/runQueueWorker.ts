/**
 * A distributed-sweep worker (`esdlab worker --queue URL`): takes cell jobs from the BullMQ queue
 * and trains them on a WorkerPool of `concurrency` threads (so the main thread stays free to renew
 * the jobs' locks). Every payload is validated (cellOfJob) before anything runs; an invalid one is
 * failed at once with the reason. A cell that throws is retried by BullMQ up to the job's attempts.
 * When `signal` aborts, the cells in progress are handed back to the queue (another worker takes
 * them) and the worker exits; a worker killed outright loses its lock and BullMQ's stalled-job
 * check hands its cells to another worker.
 */
import { hostname } from 'node:os';
import type { Job } from 'bullmq';
import { cellOfJob, QUEUE_NAME, type CellJobData, type CellJobResult } from './cellJob.js';
import { connectRedis, loadBullmq } from './redisConnection.js';
import { encodeOutcome } from './sweepProtocol.js';
import { PoolClosedError, WorkerPool } from './workerPool.js';

/** Prefix of the workers' heartbeat keys (`esdlab queue status` lists them). */
export const WORKER_KEY_PREFIX = 'esdlab:worker:';

/** Options of runQueueWorker. */
export interface QueueWorkerOptions {
  readonly queueUrl: string;
  readonly backendName: string;
  /** Compute threads per cell. */
  readonly threads: number;
  /** Cells trained at once. */
  readonly concurrency: number;
  /** A cell whose worker is silent this long goes to another worker (default 30 s; tests use less). */
  readonly lockMs?: number;
  readonly signal: AbortSignal;
  /** Called once the worker is connected, with its id ('host/pid backend xthreads'). */
  readonly onReady?: (workerId: string) => void;
  /** Called when a cell starts or ends. */
  readonly onCell?: (event: { readonly type: 'start' | 'done' | 'failed' | 'handed back'; readonly jobId: string; readonly params: object; readonly message?: string }) => void;
}

/** Runs cells until `signal` aborts; resolves with how many it finished. */
export async function runQueueWorker(options: QueueWorkerOptions): Promise<{ readonly workerId: string; readonly finished: number }> {
  const redis = await connectRedis(options.queueUrl);
  const { UnrecoverableError, WaitingError, Worker } = await loadBullmq();
  const pool = await WorkerPool.start(options.concurrency, { backendName: options.backendName, threads: options.threads }).catch((error: unknown) => {
    redis.disconnect();
    throw error;
  });
  const workerId = `${hostname()}/${process.pid} ${pool.backend} x${options.threads}`;
  let finished = 0;
  const lockMs = options.lockMs ?? 30000;
  const processCell = async (job: Job<CellJobData, CellJobResult>, token?: string): Promise<CellJobResult> => {
    let cell;
    try {
      cell = cellOfJob(job.data).cell;
    } catch (error) {
      options.onCell?.({ type: 'failed', jobId: job.id!, params: {}, message: (error as Error).message });
      throw new UnrecoverableError(`invalid job payload: ${(error as Error).message}`);
    }
    options.onCell?.({ type: 'start', jobId: job.id!, params: cell.params });
    let lastProgress = 0;
    let outcome;
    try {
      outcome = await pool.run(cell, (step, totalSteps) => {
        if (performance.now() - lastProgress < 500) return;
        lastProgress = performance.now();
        void job.updateProgress({ step, totalSteps, worker: workerId }).catch(() => {});
      });
    } catch (error) {
      if (!(error instanceof PoolClosedError)) throw error;
      options.onCell?.({ type: 'handed back', jobId: job.id!, params: cell.params });
      await job.moveToWait(token);
      throw new WaitingError();
    }
    if (outcome.status === 'failed') {
      options.onCell?.({ type: 'failed', jobId: job.id!, params: cell.params, message: outcome.error ?? '' });
      throw new Error(outcome.error ?? 'the cell failed');
    }
    finished++;
    options.onCell?.({ type: 'done', jobId: job.id!, params: cell.params });
    return { worker: workerId, outcome: encodeOutcome(outcome) };
  };
  const worker = new Worker<CellJobData, CellJobResult>(QUEUE_NAME, processCell, {
    connection: redis,
    concurrency: options.concurrency,
    lockDuration: lockMs,
    stalledInterval: Math.max(500, Math.floor(lockMs / 2)),
    maxStalledCount: 2,
    name: workerId,
    autorun: false,
  });
  worker.on('error', () => {}); // connection trouble: BullMQ reconnects
  // a heartbeat key, so that `esdlab queue status` lists the workers alive now
  const heartbeatKey = `${WORKER_KEY_PREFIX}${workerId}`;
  const beat = () => void redis.set(heartbeatKey, JSON.stringify({ id: workerId, concurrency: options.concurrency, since: startedAt }), 'PX', 15000).catch(() => {});
  const startedAt = new Date().toISOString();
  beat();
  const heartbeat = setInterval(beat, 5000);
  options.onReady?.(workerId);
  const running = worker.run();
  await new Promise<void>((resolve) => {
    if (options.signal.aborted) resolve();
    options.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  const closing = worker.close(); // takes no new job, waits for the active ones
  await pool.close(); // the active ones hand their cells back
  await closing;
  await running;
  clearInterval(heartbeat);
  await redis.del(heartbeatKey).catch(() => 0);
  redis.disconnect();
  return { workerId, finished };
}
