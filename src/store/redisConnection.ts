/**
 * Connections to the Redis behind a distributed sweep (`--queue redis://[user:password@]HOST:PORT[/db]`,
 * `rediss://` for TLS). `connectRedis` checks the URL, connects with a bounded timeout and pings,
 * so a wrong URL, an unreachable server or a wrong password is one InputError line (exit 2), never
 * a hang. After that check, the connections BullMQ uses retry forever (a Redis restart mid-sweep is
 * waited out, not fatal).
 */
import type { Redis, RedisOptions } from 'ioredis';

/**
 * BullMQ and ioredis load on first use (about 0.3 s of module loading): `esdlab run`, `analyze`
 * and local sweeps never touch the queue, so they do not pay for it at start.
 */
export function loadBullmq(): Promise<typeof import('bullmq')> {
  return import('bullmq');
}

async function loadIoredis(): Promise<{ Redis: typeof Redis }> {
  const { Redis: RedisClass } = await import('ioredis');
  return { Redis: RedisClass };
}
import { InputError } from '../errors.js';

/** How long the first connection may take before esdlab gives up. */
export const CONNECT_TIMEOUT_MS = 5000;

/** The queue's URL without its password, for messages. */
export function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}

function checkUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InputError(`--queue '${url}' is not a URL; expected redis://[user:password@]HOST:PORT[/db] or rediss://...`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new InputError(`--queue '${redactedUrl(url)}' has protocol '${parsed.protocol}'; expected redis:// or rediss://`);
  }
  if (!parsed.hostname) throw new InputError(`--queue '${redactedUrl(url)}' names no host; expected redis://HOST:PORT`);
  const db = parsed.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d+$/.test(db)) throw new InputError(`--queue '${redactedUrl(url)}': the database '${db}' must be a number (redis://HOST:PORT/0)`);
  return parsed;
}

/** Options for the long-lived connections (BullMQ needs maxRetriesPerRequest: null). */
export function durableOptions(): RedisOptions {
  return { maxRetriesPerRequest: null, connectTimeout: CONNECT_TIMEOUT_MS, retryStrategy: (times) => Math.min(times * 200, 2000) };
}

/**
 * Connects to the queue's Redis and pings it, within CONNECT_TIMEOUT_MS. Resolves with a durable
 * connection (reconnects forever from then on); throws InputError naming the cause otherwise.
 */
export async function connectRedis(url: string): Promise<Redis> {
  checkUrl(url);
  const { Redis } = await loadIoredis();
  const probe = new Redis(url, { lazyConnect: true, connectTimeout: CONNECT_TIMEOUT_MS, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  let lastError: Error | null = null;
  probe.on('error', (error: Error) => (lastError = error)); // the cause behind 'Connection is closed'
  let timer: NodeJS.Timeout | undefined;
  try {
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${CONNECT_TIMEOUT_MS / 1000} s`)), CONNECT_TIMEOUT_MS);
    });
    await Promise.race([probe.connect().then(() => probe.ping()), deadline]);
  } catch (error) {
    const cause = /Connection is closed/.test((error as Error).message) && lastError ? lastError : (error as Error);
    throw new InputError(`cannot use the queue at ${redactedUrl(url)}: ${describeRedisError(cause)}`);
  } finally {
    clearTimeout(timer);
    probe.disconnect();
  }
  const connection = new Redis(url, durableOptions());
  connection.on('error', () => {}); // reconnects on its own; a lasting outage shows as stalled progress
  return connection;
}

function describeRedisError(error: Error): string {
  const message = error.message;
  if (/WRONGPASS|invalid username-password|invalid password/i.test(message)) return 'wrong user name or password';
  if (/NOAUTH/i.test(message)) return 'the server needs a password (redis://:PASSWORD@HOST:PORT)';
  if (/ECONNREFUSED/.test(message)) return 'connection refused (is redis-server running on that host and port?)';
  if (/ENOTFOUND|EAI_AGAIN/.test(message)) return 'unknown host';
  if (/ETIMEDOUT|no answer/i.test(message)) return `no answer within ${CONNECT_TIMEOUT_MS / 1000} s`;
  return message.split('\n')[0]!;
}
