#!/usr/bin/env node
// Distributed-sweep throughput (BENCHMARKS.md, "Distributed sweeps"): one sweep config run by the
// local pool and by the queue with K worker processes, side by side on one machine, each into a
// fresh store, on a throwaway redis-server (Debian's) in a temporary folder.
//   node scripts/bench-queue.mjs CONFIG [--backend native] [--local-workers 2] [--queue-workers 1,2] [--threads 1]
// Prints one JSON line per run: {mode, workers, cells, wall_ms, cells_per_s}. wall_ms is the
// coordinator's (or the local sweep's) own figure; queue workers are started and ready before it.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const args = process.argv.slice(2);
const config = args[0];
const flag = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const backend = flag('backend', 'native');
const threads = flag('threads', '1');
const localWorkers = flag('local-workers', '2');
const queueWorkers = flag('queue-workers', '1,2').split(',').map(Number);
const CLI = ['--import', 'tsx', 'src/cli/main.ts'];
if (!config) {
  console.error('usage: node scripts/bench-queue.mjs CONFIG [--backend B] [--local-workers N] [--queue-workers 1,2] [--threads N]');
  process.exit(2);
}

const dir = mkdtempSync(join(tmpdir(), 'esdlab-bench-queue-'));
const port = await new Promise((resolve) => {
  const server = createServer().listen(0, '127.0.0.1', () => {
    const p = server.address().port;
    server.close(() => resolve(p));
  });
});
const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'yes'], { stdio: 'ignore' });
for (;;) {
  const ok = await new Promise((resolve) => {
    const s = createConnection({ port, host: '127.0.0.1' }, () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
  if (ok) break;
  await new Promise((r) => setTimeout(r, 50));
}
const url = `redis://127.0.0.1:${port}`;

function sweep(extra, store) {
  const r = spawnSync(process.execPath, [...CLI, 'sweep', config, '--store', join(dir, store), '--no-report', '--json', ...extra], { encoding: 'utf8' });
  if (r.status !== 0 && r.status !== 1) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
}

function report(mode, workers, summary) {
  console.log(JSON.stringify({ mode, workers, cells: summary.ran_now, wall_ms: summary.wall_ms, cells_per_s: +(summary.ran_now / (summary.wall_ms / 1000)).toFixed(2) }));
}

try {
  report('local', Number(localWorkers), sweep(['--backend', backend, '--workers', localWorkers, '--threads', threads], 'local.db'));
  for (const k of queueWorkers) {
    const workers = Array.from({ length: k }, () => {
      const child = spawn(process.execPath, [...CLI, 'worker', '--queue', url, '--backend', backend, '--threads', threads], { stdio: ['ignore', 'ignore', 'pipe'] });
      const ready = new Promise((resolve) => {
        let text = '';
        child.stderr.on('data', (chunk) => {
          text += chunk;
          if (text.includes('waiting for cells')) resolve();
        });
      });
      return { child, ready, exited: new Promise((resolve) => child.once('exit', resolve)) };
    });
    await Promise.all(workers.map((w) => w.ready));
    report('queue', k, sweep(['--queue', url], `queue-${k}.db`));
    for (const w of workers) w.child.kill('SIGTERM');
    await Promise.all(workers.map((w) => w.exited));
  }
} finally {
  redis.kill('SIGTERM');
  await new Promise((resolve) => redis.once('exit', resolve));
  rmSync(dir, { recursive: true, force: true });
}
