/**
 * The results store: one SQLite file (WAL mode) holding sweeps, their runs, per-step metrics and
 * spectra. Every finished run is written in one transaction, so killing the process at any moment
 * (SIGKILL included) loses no finished run; a run caught mid-way stays 'running' and is rerun when
 * the sweep resumes. Readers (`esdlab runs ls`) work while a sweep writes (WAL: one writer, many
 * readers), with a busy timeout for the rare lock.
 */
import Database from 'better-sqlite3';
import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import { InputError } from '../errors.js';
import { resultKey, type ExperimentConfig } from '../experiments/index.js';

/** SQLite `application_id` of an esdlab store ("ESDL"), so a foreign database is recognized. */
export const STORE_APPLICATION_ID = 0x4553444c;
/**
 * Bumped when the schema changes. 2: runs.worker (who ran a cell); sweeps.config_hash is
 * resultKey (SHA-256) instead of the 16-digit hash of version 1 (migrated on open, see migrate()).
 */
export const STORE_SCHEMA_VERSION = 2;

export type RunStatus = 'pending' | 'running' | 'done' | 'failed' | 'diverged';

/** A sweep and the counts of its runs by status. */
export interface SweepRecord {
  readonly id: number;
  readonly name: string;
  readonly configHash: string;
  readonly config: unknown;
  readonly createdAt: string;
  readonly cells: number;
  readonly done: number;
  readonly diverged: number;
  readonly failed: number;
  readonly running: number;
  readonly pending: number;
}

/** One cell of a sweep (its parameters and repeat), and what became of it. */
export interface RunRecord {
  readonly id: number;
  readonly sweepId: number;
  readonly cellKey: string;
  readonly params: Record<string, unknown>;
  readonly repeat: number;
  readonly status: RunStatus;
  readonly error: string | null;
  readonly divergedAtStep: number | null;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  readonly timing: Record<string, number> | null;
  /** Who ran it ('host/pid backend xthreads' for a queue worker, 'local' for the local pool), null before. */
  readonly worker: string | null;
}

/** A cell to register when a sweep is created. */
export interface CellSpec {
  readonly cellKey: string;
  readonly params: Record<string, unknown>;
  readonly repeat: number;
}

/** What a finished run writes, all in one transaction. */
export interface RunOutcome {
  readonly status: 'done' | 'diverged' | 'failed';
  readonly error?: string | null;
  readonly divergedAtStep?: number | null;
  readonly steps?: readonly Record<string, unknown>[];
  readonly spectra?: readonly { readonly step: number; readonly eigenvalues: Float64Array }[];
  readonly timing?: Record<string, number> | null;
  /** Who ran it (see RunRecord.worker). */
  readonly worker?: string | null;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS sweeps (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  config_hash TEXT NOT NULL,
  config_json TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS runs (
  id INTEGER PRIMARY KEY,
  sweep_id INTEGER NOT NULL REFERENCES sweeps(id) ON DELETE CASCADE,
  cell_key TEXT NOT NULL,
  params_json TEXT NOT NULL,
  repeat INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending','running','done','failed','diverged')),
  error TEXT,
  diverged_at_step INTEGER,
  started_at TEXT,
  finished_at TEXT,
  timing_json TEXT,
  worker TEXT,
  UNIQUE (sweep_id, cell_key)
);
CREATE TABLE IF NOT EXISTS steps (
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  step INTEGER NOT NULL,
  metrics_json TEXT NOT NULL,
  PRIMARY KEY (run_id, step)
);
CREATE TABLE IF NOT EXISTS spectra (
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  step INTEGER NOT NULL,
  eigenvalues BLOB NOT NULL,
  PRIMARY KEY (run_id, step)
);
CREATE INDEX IF NOT EXISTS runs_by_sweep ON runs (sweep_id, status);
`;

const SQLITE_MAGIC = 'SQLite format 3\u0000';

/** The results store on one SQLite file. Open with `ResultsStore.open(path)`. */
export class ResultsStore {
  private constructor(
    private readonly db: Database.Database,
    readonly path: string,
  ) {}

  /**
   * Opens (creating when absent) the store at `path`. Throws an InputError when the file is not
   * SQLite, or is a SQLite database of something other than esdlab.
   */
  static open(path: string, options: { readonly isReadonly?: boolean } = {}): ResultsStore {
    const isNew = !existsSync(path);
    if (!isNew) checkHeader(path);
    if (isNew && options.isReadonly) throw new InputError(`no results store at ${path}; run a sweep first (esdlab sweep CONFIG --store ${path})`);
    let db: Database.Database;
    try {
      db = new Database(path, { readonly: Boolean(options.isReadonly), timeout: 10000 });
    } catch (error) {
      throw new InputError(`cannot open the results store ${path}: ${(error as Error).message}`);
    }
    try {
      const applicationId = db.pragma('application_id', { simple: true }) as number;
      const tables = db.prepare(`SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'`).get() as { n: number };
      if (applicationId !== STORE_APPLICATION_ID && tables.n > 0) {
        throw new InputError(`${path} is a SQLite database but not an esdlab results store (application_id ${applicationId}); choose another --store path`);
      }
      const version = db.pragma('user_version', { simple: true }) as number;
      if (version > STORE_SCHEMA_VERSION) {
        throw new InputError(`the results store ${path} has schema version ${version}, newer than this esdlab's ${STORE_SCHEMA_VERSION}; upgrade esdlab`);
      }
      if (!options.isReadonly) {
        db.pragma('journal_mode = WAL');
        db.pragma('synchronous = NORMAL'); // WAL + NORMAL: a committed transaction survives a process kill
        db.pragma('foreign_keys = ON');
        if (tables.n === 0) {
          db.exec(SCHEMA);
          db.pragma(`application_id = ${STORE_APPLICATION_ID}`);
          db.pragma(`user_version = ${STORE_SCHEMA_VERSION}`);
        } else if (version < STORE_SCHEMA_VERSION) {
          migrate(db, version);
        }
      }
      const integrity = db.pragma('quick_check', { simple: true });
      if (integrity !== 'ok') throw new InputError(`the results store ${path} is corrupt (${String(integrity)}); move it aside and rerun`);
    } catch (error) {
      db.close();
      if (error instanceof InputError) throw error;
      throw new InputError(`the results store ${path} is unreadable: ${(error as Error).message}`);
    }
    return new ResultsStore(db, path);
  }

  close(): void {
    this.db.close();
  }

  /**
   * The newest sweep with this config hash, or a new one with `cells` registered as pending
   * (also when `isFresh`). Resuming resets runs left 'running' by a killed process to 'pending'.
   */
  openSweep(
    spec: { readonly name: string; readonly configHash: string; readonly config: unknown; readonly cells: readonly CellSpec[] },
    options: { readonly isFresh?: boolean } = {},
  ): { sweep: SweepRecord; isResumed: boolean } {
    const existing = this.db
      .prepare(`SELECT id FROM sweeps WHERE config_hash = ? ORDER BY id DESC LIMIT 1`)
      .get(spec.configHash) as { id: number } | undefined;
    if (existing && !options.isFresh) {
      this.db.prepare(`UPDATE runs SET status = 'pending', started_at = NULL WHERE sweep_id = ? AND status = 'running'`).run(existing.id);
      return { sweep: this.getSweep(existing.id), isResumed: true };
    }
    const create = this.db.transaction(() => {
      const info = this.db
        .prepare(`INSERT INTO sweeps (name, config_hash, config_json, created_at) VALUES (?, ?, ?, ?)`)
        .run(spec.name, spec.configHash, JSON.stringify(spec.config), new Date().toISOString());
      const sweepId = Number(info.lastInsertRowid);
      const insert = this.db.prepare(`INSERT INTO runs (sweep_id, cell_key, params_json, repeat, status) VALUES (?, ?, ?, ?, 'pending')`);
      for (const cell of spec.cells) insert.run(sweepId, cell.cellKey, JSON.stringify(cell.params), cell.repeat);
      return sweepId;
    });
    return { sweep: this.getSweep(create()), isResumed: false };
  }

  /** Runs of a sweep that still have to run: pending, running (left by a killed process) and failed ones. */
  unfinishedRuns(sweepId: number): RunRecord[] {
    return this.listRuns(sweepId).filter((r) => r.status === 'pending' || r.status === 'running' || r.status === 'failed');
  }

  /** Marks a run as started now. */
  markRunning(runId: number): void {
    this.db.prepare(`UPDATE runs SET status = 'running', started_at = ?, error = NULL WHERE id = ?`).run(new Date().toISOString(), runId);
  }

  /** Writes a finished run (status, metrics, spectra, timing) atomically. */
  finishRun(runId: number, outcome: RunOutcome): void {
    const write = this.db.transaction(() => {
      this.db.prepare(`DELETE FROM steps WHERE run_id = ?`).run(runId);
      this.db.prepare(`DELETE FROM spectra WHERE run_id = ?`).run(runId);
      const insertStep = this.db.prepare(`INSERT INTO steps (run_id, step, metrics_json) VALUES (?, ?, ?)`);
      for (const s of outcome.steps ?? []) insertStep.run(runId, Number(s.step), JSON.stringify(s, nonFiniteToNull));
      const insertSpectrum = this.db.prepare(`INSERT INTO spectra (run_id, step, eigenvalues) VALUES (?, ?, ?)`);
      for (const s of outcome.spectra ?? []) {
        insertSpectrum.run(runId, s.step, Buffer.from(s.eigenvalues.buffer, s.eigenvalues.byteOffset, s.eigenvalues.byteLength));
      }
      this.db
        .prepare(`UPDATE runs SET status = ?, error = ?, diverged_at_step = ?, finished_at = ?, timing_json = ?, worker = ? WHERE id = ?`)
        .run(
          outcome.status,
          outcome.error ?? null,
          outcome.divergedAtStep ?? null,
          new Date().toISOString(),
          outcome.timing ? JSON.stringify(outcome.timing) : null,
          outcome.worker ?? null,
          runId,
        );
    });
    write();
  }

  /** Every sweep, newest first, with run counts. */
  listSweeps(): SweepRecord[] {
    const rows = this.db.prepare(`SELECT id FROM sweeps ORDER BY id DESC`).all() as { id: number }[];
    return rows.map((r) => this.getSweep(r.id));
  }

  /** One sweep by id; InputError when absent. */
  getSweep(id: number): SweepRecord {
    const row = this.db.prepare(`SELECT * FROM sweeps WHERE id = ?`).get(id) as
      | { id: number; name: string; config_hash: string; config_json: string; created_at: string }
      | undefined;
    if (!row) throw new InputError(`no sweep with id ${id} in ${this.path}; see esdlab runs ls`);
    const counts = Object.fromEntries(
      (this.db.prepare(`SELECT status, count(*) AS n FROM runs WHERE sweep_id = ? GROUP BY status`).all(id) as { status: string; n: number }[]).map(
        (c) => [c.status, c.n],
      ),
    ) as Partial<Record<RunStatus, number>>;
    const count = (s: RunStatus) => counts[s] ?? 0;
    return {
      id: row.id,
      name: row.name,
      configHash: row.config_hash,
      config: JSON.parse(row.config_json),
      createdAt: row.created_at,
      cells: count('pending') + count('running') + count('done') + count('failed') + count('diverged'),
      done: count('done'),
      diverged: count('diverged'),
      failed: count('failed'),
      running: count('running'),
      pending: count('pending'),
    };
  }

  /** Runs (of one sweep, or all), in id order. */
  listRuns(sweepId?: number): RunRecord[] {
    const rows = (
      sweepId === undefined
        ? this.db.prepare(`SELECT * FROM runs ORDER BY id`).all()
        : this.db.prepare(`SELECT * FROM runs WHERE sweep_id = ? ORDER BY id`).all(sweepId)
    ) as RunRow[];
    return rows.map(toRunRecord);
  }

  /** One run by id; InputError when absent. */
  getRun(id: number): RunRecord {
    const row = this.db.prepare(`SELECT * FROM runs WHERE id = ?`).get(id) as RunRow | undefined;
    if (!row) throw new InputError(`no run with id ${id} in ${this.path}; see esdlab runs ls`);
    return toRunRecord(row);
  }

  /** The per-step metric records of a run, in step order (non-finite numbers come back as null). */
  runSteps(runId: number): Record<string, unknown>[] {
    const rows = this.db.prepare(`SELECT metrics_json FROM steps WHERE run_id = ? ORDER BY step`).all(runId) as { metrics_json: string }[];
    return rows.map((r) => JSON.parse(r.metrics_json) as Record<string, unknown>);
  }

  /** The stored spectra (eigenvalues of WᵀW, ascending) of a run, in step order. */
  runSpectra(runId: number): { step: number; eigenvalues: Float64Array }[] {
    const rows = this.db.prepare(`SELECT step, eigenvalues FROM spectra WHERE run_id = ? ORDER BY step`).all(runId) as { step: number; eigenvalues: Buffer }[];
    return rows.map((r) => {
      const copy = new Uint8Array(r.eigenvalues.byteLength);
      copy.set(r.eigenvalues);
      return { step: r.step, eigenvalues: new Float64Array(copy.buffer) };
    });
  }
}

interface RunRow {
  id: number;
  sweep_id: number;
  cell_key: string;
  params_json: string;
  repeat: number;
  status: RunStatus;
  error: string | null;
  diverged_at_step: number | null;
  started_at: string | null;
  finished_at: string | null;
  timing_json: string | null;
  worker: string | null;
}

function toRunRecord(row: RunRow): RunRecord {
  return {
    id: row.id,
    sweepId: row.sweep_id,
    cellKey: row.cell_key,
    params: JSON.parse(row.params_json) as Record<string, unknown>,
    repeat: row.repeat,
    status: row.status,
    error: row.error,
    divergedAtStep: row.diverged_at_step,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    timing: row.timing_json ? (JSON.parse(row.timing_json) as Record<string, number>) : null,
    worker: row.worker ?? null,
  };
}

function nonFiniteToNull(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? null : value;
}

/**
 * Upgrades a store written by an older esdlab, in one transaction. From version 1: adds runs.worker,
 * and re-keys every sweep by resultKey of its stored config (version 1 used a 16-digit non-standard
 * hash), so that running the same sweep file again still resumes the sweep it started.
 */
function migrate(db: Database.Database, from: number): void {
  db.transaction(() => {
    if (from < 2) {
      db.exec(`ALTER TABLE runs ADD COLUMN worker TEXT`);
      const sweeps = db.prepare(`SELECT id, config_json FROM sweeps`).all() as { id: number; config_json: string }[];
      const update = db.prepare(`UPDATE sweeps SET config_hash = ? WHERE id = ?`);
      for (const sweep of sweeps) update.run(resultKey(JSON.parse(sweep.config_json) as ExperimentConfig), sweep.id);
    }
    db.pragma(`user_version = ${STORE_SCHEMA_VERSION}`);
  })();
}

/** Rejects a file that is not SQLite before better-sqlite3 sees it, with a message naming the file. */
function checkHeader(path: string): void {
  const head = Buffer.alloc(16);
  let length: number;
  try {
    const fd = openSync(path, 'r');
    try {
      length = readSync(fd, head, 0, 16, 0);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    throw new InputError(`cannot read the results store ${path}: ${(error as Error).message}`);
  }
  if (length === 0) return; // an empty file is a new database
  if (length < 16 || head.toString('latin1') !== SQLITE_MAGIC) {
    throw new InputError(`${path} is not an esdlab results store (not a SQLite file); choose another --store path`);
  }
}
