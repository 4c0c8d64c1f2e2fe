/**
 * The messages between a sweep's runner and the threads that train its cells, typed once for both
 * sides (sweepWorker.ts sends what WorkerPool receives and the other way round). The distributed
 * queue (sweepQueue.ts) carries the same CellOutcome, encoded by encodeOutcome for JSON.
 */
import type { SweepCell } from '../experiments/index.js';
import type { RunOutcome } from './resultsStore.js';

/** What a worker thread is started with (its workerData). */
export interface WorkerSetup {
  readonly backendName: string;
  readonly threads: number;
}

/** The result of training one cell: what the store writes for it (worker aside). */
export type CellOutcome = Omit<RunOutcome, 'worker'>;

/** Runner to worker: train this cell. */
export interface RunCellMessage {
  readonly type: 'run';
  readonly taskId: number;
  readonly cell: SweepCell;
}

/** Worker to runner. */
export type WorkerMessage =
  | { readonly type: 'ready'; readonly backend: string; readonly threads: number }
  | { readonly type: 'fatal'; readonly message: string }
  | { readonly type: 'progress'; readonly taskId: number; readonly step: number; readonly totalSteps: number }
  | { readonly type: 'outcome'; readonly taskId: number; readonly outcome: CellOutcome };

/** A CellOutcome as plain JSON (spectra as base64 of their f64 bytes), for a queue that stores JSON. */
export interface EncodedOutcome extends Omit<CellOutcome, 'spectra'> {
  readonly spectra?: readonly { readonly step: number; readonly f64Base64: string }[];
}

/** Encodes an outcome for JSON (spectra bit-exact). */
export function encodeOutcome(outcome: CellOutcome): EncodedOutcome {
  return {
    ...outcome,
    spectra: outcome.spectra?.map((s) => ({ step: s.step, f64Base64: Buffer.from(s.eigenvalues.buffer, s.eigenvalues.byteOffset, s.eigenvalues.byteLength).toString('base64') })),
  };
}

/** Decodes what encodeOutcome made. */
export function decodeOutcome(encoded: EncodedOutcome): CellOutcome {
  return {
    ...encoded,
    spectra: encoded.spectra?.map((s) => {
      const bytes = Buffer.from(s.f64Base64, 'base64');
      const copy = new Uint8Array(bytes.byteLength);
      copy.set(bytes);
      return { step: s.step, eigenvalues: new Float64Array(copy.buffer) };
    }),
  };
}
