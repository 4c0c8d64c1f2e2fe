/**
 * Distributed sweeps under faults, each test with its own redis-server (src/testing/redisServer.ts)
 * and the real `esdlab sweep --queue` / `esdlab worker` processes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { requireTool } from '../testing/oracle.js';
import { hasRedisServer, startRedis } from '../testing/redisServer.js';
import { ResultsStore } from './resultsStore.js';
import { QUEUE_NAME } from './cellJob.js';

const CLI = ['--import', 'tsx', 'src/cli/main.ts'];
const isRedisThere = hasRedisServer();

interface Spawned {
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  output(): { stdout: string; stderr: string };
}

function esdlab(args: string[]): Spawned {
  const child = spawn(process.execPath, [...CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, output: () => ({ stdout, stderr }) };
}

const cliSync = (args: string[]) => spawnSync(process.execPath, [...CLI, ...args], { encoding: 'utf8', timeout: 60000 });

async function waitFor(what: string, condition: () => Promise<boolean> | boolean, timeoutMs = 60000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** 2 optimizers x 3 learning rates x 2 repeats; lr 1e60 diverges; the others take about a second each on js. */
function midSweep(dir: string, extra = ''): string {
  const path = join(dir, 'mid.yml');
  writeFileSync(path, `n: 300\nn_test: 40\nh: 100\nd: 80\noptimizer: [sgd, adam]\nlr: [0.5, 2, 1.0e+60]\nnum_epochs: 40\nprobe_freq_steps: 5\nrepeat: 2\n${extra}`);
  return path;
}

function storedRuns(path: string) {
  const store = ResultsStore.open(path, { isReadonly: true });
  try {
    return store.listRuns().map((run) => ({ ...run, steps: store.runSteps(run.id), spectra: store.runSpectra(run.id) }));
  } finally {
    store.close();
  }
}

const finishedIn = (path: string) => {
  try {
    return storedRuns(path).filter((r) => r.status === 'done' || r.status === 'diverged').length;
  } catch {
    return 0;
  }
};

test('bad queue input: a wrong URL, an unreachable Redis and a wrong password each give one line and exit 2, quickly', async (t) => {
  if (!requireTool(t, isRedisThere, 'redis-server')) return;
  const redis = await startRedis({ password: 'right-secret' });
  try {
    const dir = mkdtempSync(join(tmpdir(), 'esdlab-queue-'));
    const cases: [string[], RegExp][] = [
      [['queue', 'status', '--queue', 'http://127.0.0.1:1'], /expected redis:\/\/ or rediss:\/\//],
      [['queue', 'status', '--queue', 'not a url'], /is not a URL/],
      [['queue', 'status', '--queue', `redis://127.0.0.1:${redis.port + 1}`], /connection refused/],
      [['queue', 'status', '--queue', `redis://:wrong@127.0.0.1:${redis.port}`], /wrong user name or password/],
      [['worker', '--queue', `redis://127.0.0.1:${redis.port}`, '--backend', 'js'], /needs a password/],
      [['sweep', midSweep(dir), '--store', join(dir, 'r.db'), '--no-report', '--queue', `redis://:wrong@127.0.0.1:${redis.port}`], /wrong user name or password/],
    ];
    for (const [args, pattern] of cases) {
      const startedAt = Date.now();
      const result = cliSync(args);
      assert.equal(result.status, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, pattern);
      assert.equal(result.stderr.trim().split('\n').filter((line) => !line.includes('coordinating on')).length, 1, result.stderr);
      assert.doesNotMatch(result.stderr, /right-secret|:wrong@/, 'the password is not printed');
      assert.ok(Date.now() - startedAt < 30000, `${args.join(' ')} took ${Date.now() - startedAt} ms`);
    }
    const status = cliSync(['queue', 'status', '--json', '--queue', redis.url]);
    assert.equal(status.status, 0, status.stderr);
    assert.deepEqual(JSON.parse(status.stdout).counts, { waiting: 0, active: 0, delayed: 0, completed: 0, failed: 0 });
  } finally {
    await redis.stop();
  }
});

test('a worker fails an invalid job payload at once with a clear message and runs nothing from it', async (t) => {
  if (!requireTool(t, isRedisThere, 'redis-server')) return;
  const redis = await startRedis();
  const queue = new Queue(QUEUE_NAME, { connection: { host: '127.0.0.1', port: redis.port } });
  const worker = esdlab(['worker', '--queue', redis.url, '--backend', 'js', '--threads', '1']);
  try {
    const config = { n: 20, lr: 0.1, script: 'process.exit(9)' };
    await queue.add('cell', { kind: 'esdlab-cell/1', sweepKey: 'a'.repeat(64), sweepName: 'evil', config, cellKey: '{"repeat":0}', runId: 1 }, { jobId: 'bad-config', attempts: 3 });
    await queue.add('cell', { kind: 'something-else' }, { jobId: 'bad-kind', attempts: 3 });
    await waitFor('both jobs to fail', async () => (await queue.getJobCounts('failed')).failed === 2);
    const badConfig = (await queue.getJob('bad-config'))!;
    assert.match(badConfig.failedReason, /^invalid job payload: the job's config does not validate: .*script/);
    assert.equal(badConfig.attemptsMade, 1, 'an invalid payload is not retried');
    assert.match((await queue.getJob('bad-kind'))!.failedReason, /invalid job payload: .*kind/);
    assert.equal(worker.child.exitCode, null, 'the worker goes on');
  } finally {
    worker.child.kill('SIGTERM');
    await worker.exited;
    await queue.close();
    await redis.stop();
  }
});

async function activeJobMidCell(queue: Queue): Promise<string | null> {
  for (const job of await queue.getJobs(['active'])) {
    const progress = job?.progress as { step?: number } | undefined;
    if (job && typeof progress === 'object' && (progress.step ?? 0) > 0) return job.id!;
  }
  return null;
}

test('worker SIGKILLed mid-cell and coordinator killed and restarted: every cell stored exactly once, nothing re-enqueued, bit-identical to a local sweep; a second coordinator is refused', async (t) => {
  if (!requireTool(t, isRedisThere, 'redis-server')) return;
  const redis = await startRedis();
  const { Redis } = await import('ioredis');
  const client = new Redis(redis.url);
  const queue = new Queue(QUEUE_NAME, { connection: { host: '127.0.0.1', port: redis.port } });
  const spawned: Spawned[] = [];
  try {
    const dir = mkdtempSync(join(tmpdir(), 'esdlab-queue-'));
    const config = midSweep(dir);
    const store = join(dir, 'queued.db');
    const sweepArgs = ['sweep', config, '--store', store, '--no-report', '--json', '--queue', redis.url];
    const workerArgs = ['worker', '--queue', redis.url, '--backend', 'js', '--threads', '1', '--lock-timeout', '1'];
    const c1 = esdlab(sweepArgs);
    spawned.push(c1);
    await waitFor('the 12 cells on the queue', async () => (await queue.getJobCounts('waiting')).waiting === 12);
    const w1 = esdlab(workerArgs);
    spawned.push(w1);
    await waitFor('a first committed result', () => finishedIn(store) >= 1);
    c1.child.kill('SIGKILL');
    await c1.exited;
    await waitFor('an uncollected result and a cell in progress on the worker', async () => (await queue.getJobCounts('completed')).completed >= 1 && (await activeJobMidCell(queue)) !== null);
    const killedJob = (await activeJobMidCell(queue))!;
    w1.child.kill('SIGKILL');
    await w1.exited;

    const c2 = esdlab(sweepArgs);
    spawned.push(c2);
    await waitFor('the restarted coordinator to hold the sweep', async () => {
      const keys = await client.keys('esdlab:coordinator:*');
      return keys.length === 1 && JSON.parse((await client.get(keys[0]!)) ?? '{}').pid === c2.child.pid;
    });
    const c3 = cliSync(sweepArgs);
    assert.equal(c3.status, 2, c3.stderr);
    assert.match(c3.stderr, new RegExp(`already coordinated by pid ${c2.child.pid} on `));
    const w2 = esdlab(workerArgs);
    spawned.push(w2);
    assert.equal(await c2.exited, 0, c2.output().stderr);
    const summary = JSON.parse(c2.output().stdout);
    assert.equal(summary.resumed, true);
    assert.equal(summary.enqueued, 0, 'nothing done or in flight is enqueued again');
    w2.child.kill('SIGTERM');
    assert.equal(await w2.exited, 0, w2.output().stderr);

    const runs = storedRuns(store);
    assert.equal(runs.length, 12);
    assert.equal(new Set(runs.map((r) => r.cellKey)).size, 12);
    assert.ok(runs.every((r) => r.status === 'done' || r.status === 'diverged'), JSON.stringify(runs.map((r) => r.status)));
    const w2Id = `/${w2.child.pid} js x1`;
    assert.ok(runs.every((r) => r.worker?.endsWith(`/${w1.child.pid} js x1`) || r.worker?.endsWith(w2Id)), JSON.stringify(runs.map((r) => r.worker)));
    const killedCell = (await queue.getJob(killedJob)) === undefined; // collected and removed
    assert.ok(killedCell);
    assert.ok(runs.some((r) => r.worker?.endsWith(w2Id)), 'the second worker took over');
    assert.deepEqual(JSON.parse(cliSync(['queue', 'status', '--json', '--queue', redis.url]).stdout).counts, { waiting: 0, active: 0, delayed: 0, completed: 0, failed: 0 });

    const local = join(dir, 'local.db');
    const localRun = cliSync(['sweep', config, '--store', local, '--backend', 'js', '--workers', '1', '--threads', '1', '--no-report']);
    assert.equal(localRun.status, 0, localRun.stderr);
    const localRuns = new Map(storedRuns(local).map((r) => [r.cellKey, r]));
    for (const run of runs) {
      const expected = localRuns.get(run.cellKey)!;
      assert.equal(run.status, expected.status);
      assert.deepEqual(run.steps, expected.steps, run.cellKey);
      assert.deepEqual(run.spectra, expected.spectra, run.cellKey);
    }
  } finally {
    for (const s of spawned) if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL');
    await Promise.all(spawned.map((s) => s.exited));
    client.disconnect();
    await queue.close();
    await redis.stop();
  }
});

test('Redis restarted mid-sweep (AOF on) loses and duplicates no cell; a throwing cell is recorded as failed after its retries and does not block the sweep', async (t) => {
  if (!requireTool(t, isRedisThere, 'redis-server')) return;
  const redis = await startRedis({ isAof: true, password: 's3cret' });
  const spawned: Spawned[] = [];
  try {
    const dir = mkdtempSync(join(tmpdir(), 'esdlab-queue-'));
    const config = join(dir, 'faults.yml');
    // n = 2e9 cannot be allocated: drawing its problem throws, on every attempt
    writeFileSync(config, 'n: [300, 2000000000]\nn_test: 40\nh: 100\nd: 80\nlr: [0.5, 2, 1.0e+60]\nnum_epochs: 40\nprobe_freq_steps: 5\nrepeat: 2\n');
    const store = join(dir, 'queued.db');
    const coordinator = esdlab(['sweep', config, '--store', store, '--no-report', '--json', '--attempts', '2', '--queue', redis.url]);
    const worker = esdlab(['worker', '--queue', redis.url, '--backend', 'js', '--threads', '1', '--lock-timeout', '2']);
    spawned.push(coordinator, worker);
    await waitFor('two committed results', () => finishedIn(store) >= 2);
    assert.ok(finishedIn(store) < 12, 'Redis restarts while cells are outstanding');
    await redis.restart();
    assert.equal(await coordinator.exited, 1, `failed cells make exit code 1: ${coordinator.output().stderr}`);
    const summary = JSON.parse(coordinator.output().stdout);
    assert.deepEqual([summary.cells, summary.failed], [12, 6]);
    const runs = storedRuns(store);
    assert.equal(runs.length, 12);
    assert.equal(new Set(runs.map((r) => r.cellKey)).size, 12);
    for (const run of runs) {
      if (run.params.n === 2000000000) {
        assert.equal(run.status, 'failed');
        assert.match(run.error ?? '', /^failed after 2 attempts: /);
      } else {
        assert.equal(run.status, run.params.lr === 1e60 ? 'diverged' : 'done', JSON.stringify(run.params));
        assert.ok(run.steps.length >= 1 && run.spectra.length >= 1);
      }
    }
    const clean = cliSync(['queue', 'clean', '--queue', redis.url]);
    assert.equal(clean.status, 0, clean.stderr);
    assert.match(clean.stdout, /^removed 0 finished jobs/);
    const drain = cliSync(['queue', 'drain', '--queue', redis.url]);
    assert.equal(drain.status, 0, drain.stderr);
  } finally {
    for (const s of spawned) if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGTERM');
    await Promise.all(spawned.map((s) => s.exited));
    await redis.stop();
  }
});
