/**
 * The jobs of a distributed sweep: what the coordinator puts on the BullMQ queue for one cell, and
 * the worker's check of it. A job carries data only (the sweep's config and the cell's key); the
 * worker re-validates the config against the schema, checks it against the sweep's resultKey, and
 * expands the grid itself to find the cell, so it runs nothing but esdlab cells and executes no
 * code from the queue.
 */
import { InputError } from '../errors.js';
import { expandSweep, parseExperimentConfig, resultKey, sha256Hex, type SweepCell } from '../experiments/index.js';
import type { EncodedOutcome } from './sweepProtocol.js';

/** The BullMQ queue every esdlab sweep uses (jobs of several sweeps can share it). */
export const QUEUE_NAME = 'esdlab-cells';
/** The payload format's tag. */
export const CELL_JOB_KIND = 'esdlab-cell/1';

/** One cell's job. */
export interface CellJobData {
  readonly kind: typeof CELL_JOB_KIND;
  /** resultKey of the sweep's config. */
  readonly sweepKey: string;
  readonly sweepName: string;
  /** The sweep's parsed config (JSON). */
  readonly config: unknown;
  readonly cellKey: string;
  /** The run's id in the coordinator's store. */
  readonly runId: number;
}

/** What a worker returns for a job. */
export interface CellJobResult {
  /** Who ran it: 'host/pid backend xthreads'. */
  readonly worker: string;
  readonly outcome: EncodedOutcome;
}

/** The job id of a cell: deterministic, so adding a job twice is a no-op (BullMQ keeps the first). */
export function cellJobId(sweepKey: string, storeSweepId: number, cellKey: string): string {
  return `esdlab-${sha256Hex(`${sweepKey}\n${storeSweepId}\n${cellKey}`).slice(0, 32)}`;
}

const expanded = new Map<string, SweepCell[]>();

/** Validates a job's payload and finds its cell; InputError (one line) when anything is off. */
export function cellOfJob(data: unknown): { readonly job: CellJobData; readonly cell: SweepCell } {
  if (data === null || typeof data !== 'object') throw new InputError('the job payload is not an object');
  const job = data as Partial<CellJobData>;
  if (job.kind !== CELL_JOB_KIND) throw new InputError(`the job payload's kind is ${JSON.stringify(job.kind)}, expected '${CELL_JOB_KIND}'`);
  if (typeof job.sweepKey !== 'string' || !/^[0-9a-f]{64}$/.test(job.sweepKey)) throw new InputError('the job payload has no valid sweepKey (64 hex digits)');
  if (typeof job.cellKey !== 'string') throw new InputError('the job payload has no cellKey');
  if (!Number.isInteger(job.runId)) throw new InputError('the job payload has no integer runId');
  let cells = expanded.get(job.sweepKey);
  if (!cells) {
    let config;
    try {
      config = parseExperimentConfig(job.config).config;
    } catch (error) {
      throw new InputError(`the job's config does not validate: ${(error as Error).message}`);
    }
    if (resultKey(config) !== job.sweepKey) throw new InputError("the job's config does not match its sweepKey");
    cells = expandSweep(config);
    expanded.set(job.sweepKey, cells);
  }
  const cell = cells.find((c) => c.cellKey === job.cellKey);
  if (!cell) throw new InputError(`the job's cellKey ${job.cellKey} is not a cell of its sweep`);
  return { job: job as CellJobData, cell };
}
