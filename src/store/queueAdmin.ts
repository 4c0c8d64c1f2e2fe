/**
 * `esdlab queue status|drain|clean`: what is on a sweep queue, and cleaning it up.
 */
import type { Queue } from 'bullmq';
import { InputError } from '../errors.js';
import { QUEUE_NAME, type CellJobData, type CellJobResult } from './cellJob.js';
import { COORDINATOR_KEY_PREFIX, type CoordinatorHolder } from './coordinatorLock.js';
import { connectRedis, loadBullmq } from './redisConnection.js';
import { WORKER_KEY_PREFIX } from './runQueueWorker.js';
import type { Redis } from 'ioredis';

/** What `esdlab queue status` prints. */
export interface QueueStatus {
  readonly counts: Readonly<Record<'waiting' | 'active' | 'delayed' | 'completed' | 'failed', number>>;
  /** Connected workers, by their id ('host/pid backend xthreads'). */
  readonly workers: readonly string[];
  /** Running sweeps' coordinators. */
  readonly coordinators: readonly CoordinatorHolder[];
  /** Cells running now, with their worker and step. */
  readonly active: readonly { readonly sweep: string; readonly cellKey: string; readonly worker: string | null; readonly step: number | null; readonly totalSteps: number | null }[];
}

async function withQueue<T>(
  url: string,
  body: (queue: Queue<CellJobData, CellJobResult>, coordinators: () => Promise<CoordinatorHolder[]>, redis: Redis) => Promise<T>,
): Promise<T> {
  const redis = await connectRedis(url);
  const { Queue } = await loadBullmq();
  const queue: Queue<CellJobData, CellJobResult> = new Queue<CellJobData, CellJobResult>(QUEUE_NAME, { connection: redis });
  queue.on('error', () => {});
  const coordinators = async () => {
    const keys = await redis.keys(`${COORDINATOR_KEY_PREFIX}*`);
    const values = keys.length > 0 ? await redis.mget(keys) : [];
    return values.flatMap((v) => (v ? [JSON.parse(v) as CoordinatorHolder] : []));
  };
  try {
    return await body(queue, coordinators, redis);
  } finally {
    await queue.close();
    redis.disconnect();
  }
}

/** The queue's job counts, workers, coordinators and running cells. */
export function queueStatus(url: string): Promise<QueueStatus> {
  return withQueue(url, async (queue, coordinators, redis) => {
    const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed', 'prioritized');
    const workers = (await redis.keys(`${WORKER_KEY_PREFIX}*`)).map((key) => key.slice(WORKER_KEY_PREFIX.length)).sort();
    const active = (await queue.getJobs(['active'])).filter(Boolean).map((job) => {
      const p = (typeof job.progress === 'object' ? job.progress : {}) as { step?: number; totalSteps?: number; worker?: string };
      return { sweep: job.data.sweepName, cellKey: job.data.cellKey, worker: p.worker ?? null, step: p.step ?? null, totalSteps: p.totalSteps ?? null };
    });
    return {
      counts: {
        waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0),
        active: counts.active ?? 0,
        delayed: counts.delayed ?? 0,
        completed: counts.completed ?? 0,
        failed: counts.failed ?? 0,
      },
      workers,
      coordinators: await coordinators(),
      active,
    };
  });
}

/** Removes the waiting and delayed cells (running ones finish); returns how many were removed. */
export function drainQueue(url: string): Promise<number> {
  return withQueue(url, async (queue) => {
    const counts = await queue.getJobCounts('waiting', 'delayed', 'prioritized');
    await queue.drain(true);
    return Object.values(counts).reduce((a, b) => a + b, 0);
  });
}

/**
 * Removes completed and failed jobs. Their results are not in a store until a coordinator collects
 * them, so this refuses while a coordinator runs, unless `isForced`.
 */
export function cleanQueue(url: string, isForced = false): Promise<number> {
  return withQueue(url, async (queue, coordinators) => {
    const running = await coordinators();
    if (running.length > 0 && !isForced) {
      const first = running[0]!;
      throw new InputError(`a coordinator is running (sweep '${first.sweepName}', pid ${first.pid} on ${first.host}); its uncollected results would be lost; stop it first or pass --force`);
    }
    const completed = await queue.clean(0, 0, 'completed');
    const failed = await queue.clean(0, 0, 'failed');
    return completed.length + failed.length;
  });
}
