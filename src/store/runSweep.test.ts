import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ResultsStore } from './resultsStore.js';
import { defaultWorkerSplit } from './runSweep.js';

const cli = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8' });

/** 2 optimizers x 3 learning rates x `repeat` cells; lr 1e60 diverges, the others take a few tenths of a second on js. */
function tinySweep(dir: string, repeat: number, name = 'tiny'): string {
  const path = join(dir, `${name}.yml`);
  writeFileSync(
    path,
    `n: 500\nn_test: 40\nh: 160\nd: 120\noptimizer: [sgd, adam]\nlr: [0.1, 0.3, 1.0e+60]\nnum_epochs: 12\nprobe_freq_steps: 2\nrepeat: ${repeat}\n`,
  );
  return path;
}

test('defaultWorkerSplit never uses more threads than cores nor more workers than cells', () => {
  assert.deepEqual(defaultWorkerSplit(10, 2), { workers: 2, threadsPerWorker: 1 });
  assert.deepEqual(defaultWorkerSplit(1, 2), { workers: 1, threadsPerWorker: 2 });
  assert.deepEqual(defaultWorkerSplit(5, 8), { workers: 5, threadsPerWorker: 1 });
});

test('esdlab sweep killed with SIGKILL resumes, runs every cell exactly once, and keeps finished runs as they were', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'esdlab-sweep-'));
  const config = tinySweep(dir, 4);
  const store = join(dir, 'results.db');
  const args = ['sweep', config, '--store', store, '--workers', '1', '--backend', 'js', '--no-report'];
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { stdio: 'ignore' });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  let hasExited = false;
  void exited.then(() => (hasExited = true));
  const finishedCount = () => {
    try {
      const reader = ResultsStore.open(store, { isReadonly: true });
      const n = reader.listRuns().filter((r) => r.status === 'done' || r.status === 'diverged').length;
      reader.close();
      return n;
    } catch {
      return 0; // the store does not exist yet
    }
  };
  const waitForFinished = async (count: number) => {
    while (finishedCount() < count) {
      if (hasExited) throw new Error('the sweep finished before it could be killed; make its cells slower');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  // `esdlab runs ls` works while the sweep is writing: started once a run is stored, not waited for
  await waitForFinished(1);
  const lsWhileWriting = new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const ls = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'runs', 'ls', '--json', '--store', store]);
    let stdout = '';
    let stderr = '';
    ls.stdout.on('data', (chunk) => (stdout += chunk));
    ls.stderr.on('data', (chunk) => (stderr += chunk));
    ls.on('exit', (status) => resolve({ status, stdout, stderr }));
  });
  await waitForFinished(3);
  child.kill('SIGKILL');
  await exited;
  const concurrentLs = await lsWhileWriting;
  assert.equal(concurrentLs.status, 0, concurrentLs.stderr);
  assert.ok(Array.isArray(JSON.parse(concurrentLs.stdout).runs));

  let reader = ResultsStore.open(store, { isReadonly: true });
  const total = reader.listRuns().length;
  assert.equal(total, 24);
  const finishedBeforeKill = reader
    .listRuns()
    .filter((r) => r.status === 'done' || r.status === 'diverged')
    .map((r) => ({ id: r.id, startedAt: r.startedAt, finishedAt: r.finishedAt, status: r.status }));
  assert.ok(reader.listRuns().some((r) => r.status === 'pending' || r.status === 'running'), 'the kill left unfinished runs');
  reader.close();

  const resumed = cli([...args, '--json']);
  assert.equal(resumed.status, 0, resumed.stderr);
  const summary = JSON.parse(resumed.stdout);
  assert.equal(summary.resumed, true);
  assert.equal(summary.ran_now, total - finishedBeforeKill.length);

  reader = ResultsStore.open(store, { isReadonly: true });
  const runs = reader.listRuns();
  assert.equal(reader.listSweeps().length, 1);
  assert.equal(runs.length, 24);
  assert.equal(new Set(runs.map((r) => r.cellKey)).size, 24);
  assert.ok(runs.every((r) => r.status === 'done' || r.status === 'diverged'), JSON.stringify(runs.map((r) => r.status)));
  for (const before of finishedBeforeKill) {
    const after = runs.find((r) => r.id === before.id)!;
    assert.deepEqual({ id: after.id, startedAt: after.startedAt, finishedAt: after.finishedAt, status: after.status }, before);
  }
  // lr 1e60 overflows f32 weights with either optimizer (diverged), the other cells finish; diverged runs keep their metrics so far
  const diverged = runs.filter((r) => r.status === 'diverged');
  assert.equal(diverged.length, 8);
  assert.ok(diverged.every((r) => r.params.lr === 1e60 && r.divergedAtStep !== null));
  assert.ok(reader.runSteps(diverged[0]!.id).length >= 1);
  assert.ok(runs.filter((r) => r.params.lr !== 1e60).every((r) => r.status === 'done'));
  reader.close();

  // a second, different sweep shares the store; `runs export` prints the documented shape
  const other = cli(['sweep', tinySweep(dir, 1, 'other'), '--store', store, '--backend', 'js', '--no-report', '--json']);
  assert.equal(other.status, 0, other.stderr);
  const listing = JSON.parse(cli(['runs', 'ls', '--json', '--store', store]).stdout);
  assert.equal(listing.sweeps.length, 2);
  const exported = JSON.parse(cli(['runs', 'export', String(summary.sweep_id), '--format', 'json', '--store', store]).stdout);
  assert.equal(exported.runs.length, 24);
  assert.ok(exported.runs[0].steps[0].step === 0 && 'train_loss' in exported.runs[0].steps[0]);
  const csv = cli(['runs', 'export', String(summary.sweep_id), '--format', 'csv', '--store', store]);
  assert.match(csv.stdout.split('\n')[0]!, /^run_id,repeat,status,optimizer,lr,step,/);
});

test('esdlab runs on a foreign or corrupt store fails with one line and exit code 2', () => {
  const dir = mkdtempSync(join(tmpdir(), 'esdlab-sweep-'));
  const bad = join(dir, 'bad.db');
  writeFileSync(bad, 'not sqlite');
  const result = cli(['runs', 'ls', '--store', bad]);
  assert.equal(result.status, 2);
  assert.match(result.stderr, /not an esdlab results store/);
  assert.equal(result.stderr.trim().split('\n').length, 1);
});

test('runSweep stores, for a cell of repeat 0, exactly the metrics esdlab run computes for that config (cached draws and step-0 probes included)', async () => {
  const { parseExperimentConfig, requireScalarConfig, runExperiment } = await import('../experiments/index.js');
  const { loadBackend } = await import('../linalg/node.js');
  const { runSweep } = await import('./runSweep.js');
  const raw = { n: 60, n_test: 20, h: 24, d: 16, optimizer: ['sgd', 'adam'], lr: [0.5, 2], num_epochs: 3, probe_freq_steps: 1, repeat: 2 };
  const { config } = parseExperimentConfig(raw);
  const store = ResultsStore.open(join(mkdtempSync(join(tmpdir(), 'esdlab-sweep-')), 'r.db'));
  const { sweep } = await runSweep({ store, config, name: 'equivalence', backendName: 'js', workers: 1 });
  const { backend } = await loadBackend('js');
  for (const run of store.listRuns(sweep.id).filter((r) => r.repeat === 0)) {
    const single = requireScalarConfig(parseExperimentConfig({ ...raw, ...run.params, repeat: 1 }).config);
    const expected = await runExperiment(backend, single);
    const asStored = JSON.parse(JSON.stringify(expected.steps, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v)));
    assert.deepEqual(store.runSteps(run.id), asStored, JSON.stringify(run.params));
  }
  store.close();
});
