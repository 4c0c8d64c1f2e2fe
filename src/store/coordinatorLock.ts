/**
 * One coordinator per sweep: a Redis key `esdlab:coordinator:<sweepKey>` held with a time-to-live
 * and refreshed while the coordinator runs. A second coordinator refuses, naming the first; a
 * coordinator that died is replaced at once when it ran on this host (its pid is gone), otherwise
 * after the time-to-live.
 */
import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import { InputError } from '../errors.js';

/** Prefix of the lock keys (`esdlab queue status` lists them). */
export const COORDINATOR_KEY_PREFIX = 'esdlab:coordinator:';

/** Who holds a sweep. */
export interface CoordinatorHolder {
  readonly host: string;
  readonly pid: number;
  readonly store: string;
  readonly sweepName: string;
  readonly since: string;
}

const REFRESH = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A held lock: refresh it periodically, release it at the end. */
export interface CoordinatorLock {
  refresh(): Promise<void>;
  release(): Promise<void>;
}

/** Takes the sweep's lock, or throws InputError naming the coordinator that holds it. */
export async function acquireCoordinatorLock(redis: Redis, sweepKey: string, sweepName: string, store: string, ttlMs = 15000): Promise<CoordinatorLock> {
  const key = COORDINATOR_KEY_PREFIX + sweepKey;
  const value = JSON.stringify({ host: hostname(), pid: process.pid, store, sweepName, since: new Date().toISOString() } satisfies CoordinatorHolder);
  let isTaken = (await redis.set(key, value, 'PX', ttlMs, 'NX')) === 'OK';
  if (!isTaken) {
    const text = await redis.get(key);
    const holder = text ? (JSON.parse(text) as CoordinatorHolder) : null;
    if (!holder || (holder.host === hostname() && !isAlive(holder.pid))) {
      isTaken = (await redis.set(key, value, 'PX', ttlMs)) === 'OK';
    } else {
      throw new InputError(
        `sweep '${sweepName}' is already coordinated by pid ${holder.pid} on ${holder.host} (store ${holder.store}, since ${holder.since}); ` +
          `stop that one first (a coordinator that died on another host frees the sweep after ${ttlMs / 1000} s)`,
      );
    }
  }
  return {
    refresh: async () => {
      await redis.eval(REFRESH, 1, key, value, String(ttlMs));
    },
    release: async () => {
      await redis.eval(RELEASE, 1, key, value);
    },
  };
}
