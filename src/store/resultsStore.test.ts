import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ResultsStore } from './resultsStore.js';
import { InputError } from '../errors.js';

const tempStorePath = () => join(mkdtempSync(join(tmpdir(), 'esdlab-store-')), 'results.db');
const cells = [
  { cellKey: 'a', params: { lr: 1 }, repeat: 0 },
  { cellKey: 'b', params: { lr: 10 }, repeat: 0 },
];

test('ResultsStore.openSweep registers cells as pending and resumes the same config hash', () => {
  const path = tempStorePath();
  const store = ResultsStore.open(path);
  const first = store.openSweep({ name: 's', configHash: 'h1', config: { x: 1 }, cells });
  assert.equal(first.isResumed, false);
  assert.equal(first.sweep.cells, 2);
  assert.equal(first.sweep.pending, 2);
  const again = store.openSweep({ name: 's', configHash: 'h1', config: { x: 1 }, cells });
  assert.equal(again.isResumed, true);
  assert.equal(again.sweep.id, first.sweep.id);
  const fresh = store.openSweep({ name: 's', configHash: 'h1', config: { x: 1 }, cells }, { isFresh: true });
  assert.notEqual(fresh.sweep.id, first.sweep.id);
  const other = store.openSweep({ name: 't', configHash: 'h2', config: {}, cells });
  assert.equal(store.listSweeps().length, 3);
  assert.equal(store.listRuns(other.sweep.id).length, 2);
  store.close();
});

test('ResultsStore.finishRun stores metrics (NaN as null), spectra bit-exact, and status atomically', () => {
  const store = ResultsStore.open(tempStorePath());
  const { sweep } = store.openSweep({ name: 's', configHash: 'h', config: {}, cells });
  const [run] = store.unfinishedRuns(sweep.id);
  store.markRunning(run!.id);
  const eigenvalues = new Float64Array([0.1, 1 / 3, Math.PI]);
  store.finishRun(run!.id, {
    status: 'done',
    steps: [{ step: 0, kta: Number.NaN, train_loss: 0.5 }, { step: 10, kta: 0.2, train_loss: 0.25 }],
    spectra: [{ step: 10, eigenvalues }],
    timing: { totalMs: 12 },
  });
  const stored = store.getRun(run!.id);
  assert.equal(stored.status, 'done');
  assert.ok(stored.startedAt && stored.finishedAt);
  assert.deepEqual(store.runSteps(run!.id), [{ step: 0, kta: null, train_loss: 0.5 }, { step: 10, kta: 0.2, train_loss: 0.25 }]);
  assert.deepEqual(store.runSpectra(run!.id)[0]!.eigenvalues, eigenvalues);
  assert.equal(store.unfinishedRuns(sweep.id).length, 1);
  assert.equal(store.getSweep(sweep.id).done, 1);
  store.close();
});

test('ResultsStore resets runs left running by a killed process to pending on resume', () => {
  const path = tempStorePath();
  let store = ResultsStore.open(path);
  const { sweep } = store.openSweep({ name: 's', configHash: 'h', config: {}, cells });
  store.markRunning(store.listRuns(sweep.id)[0]!.id);
  store.close();
  store = ResultsStore.open(path);
  store.openSweep({ name: 's', configHash: 'h', config: {}, cells });
  assert.deepEqual(store.listRuns(sweep.id).map((r) => r.status), ['pending', 'pending']);
  store.close();
});

test('ResultsStore.open rejects a file that is not SQLite, and a foreign SQLite database', () => {
  const dir = mkdtempSync(join(tmpdir(), 'esdlab-store-'));
  const textFile = join(dir, 'notes.db');
  writeFileSync(textFile, 'this is not a database at all');
  assert.throws(() => ResultsStore.open(textFile), (e: unknown) => e instanceof InputError && /not a SQLite file/.test(e.message));
  const foreign = join(dir, 'foreign.db');
  const db = new Database(foreign);
  db.exec('CREATE TABLE people (name TEXT)');
  db.close();
  assert.throws(() => ResultsStore.open(foreign), (e: unknown) => e instanceof InputError && /not an esdlab results store/.test(e.message));
  const truncated = join(dir, 'truncated.db');
  writeFileSync(truncated, 'SQLite format 3\u0000' + 'x'.repeat(50));
  assert.throws(() => ResultsStore.open(truncated), InputError);
});

test('ResultsStore can be read by a second connection while a writer holds it open', () => {
  const path = tempStorePath();
  const writer = ResultsStore.open(path);
  const { sweep } = writer.openSweep({ name: 's', configHash: 'h', config: {}, cells });
  const reader = ResultsStore.open(path, { isReadonly: true });
  assert.equal(reader.getSweep(sweep.id).cells, 2);
  writer.finishRun(writer.listRuns(sweep.id)[0]!.id, { status: 'diverged', divergedAtStep: 3, steps: [] });
  assert.equal(reader.getSweep(sweep.id).diverged, 1);
  reader.close();
  writer.close();
});

test('a version-1 store is migrated on open: sweeps re-keyed by resultKey (so they still resume), runs gain a worker column', async () => {
  const { parseExperimentConfig, resultKey } = await import('../experiments/index.js');
  const path = tempStorePath();
  const config = parseExperimentConfig({ n: 10, lr: [1, 2] }).config;
  const v1 = new Database(path);
  v1.exec(`
    CREATE TABLE sweeps (id INTEGER PRIMARY KEY, name TEXT NOT NULL, config_hash TEXT NOT NULL, config_json TEXT NOT NULL, created_at TEXT NOT NULL);
    CREATE TABLE runs (id INTEGER PRIMARY KEY, sweep_id INTEGER NOT NULL REFERENCES sweeps(id) ON DELETE CASCADE, cell_key TEXT NOT NULL,
      params_json TEXT NOT NULL, repeat INTEGER NOT NULL, status TEXT NOT NULL, error TEXT, diverged_at_step INTEGER, started_at TEXT,
      finished_at TEXT, timing_json TEXT, UNIQUE (sweep_id, cell_key));
    CREATE TABLE steps (run_id INTEGER NOT NULL, step INTEGER NOT NULL, metrics_json TEXT NOT NULL, PRIMARY KEY (run_id, step));
    CREATE TABLE spectra (run_id INTEGER NOT NULL, step INTEGER NOT NULL, eigenvalues BLOB NOT NULL, PRIMARY KEY (run_id, step));`);
  v1.prepare(`INSERT INTO sweeps VALUES (1, 's', '0123456789abcdef', ?, '2026-01-01')`).run(JSON.stringify(config));
  v1.prepare(`INSERT INTO runs (sweep_id, cell_key, params_json, repeat, status) VALUES (1, 'a', '{}', 0, 'done')`).run();
  v1.pragma('application_id = 1163084876');
  v1.pragma('user_version = 1');
  v1.close();
  const store = ResultsStore.open(path);
  assert.equal(store.getSweep(1).configHash, resultKey(config));
  assert.equal(store.listRuns(1)[0]!.worker, null);
  const again = store.openSweep({ name: 's', configHash: resultKey(config), config, cells: [] });
  assert.equal(again.isResumed, true);
  assert.equal(again.sweep.id, 1);
  store.close();
});
