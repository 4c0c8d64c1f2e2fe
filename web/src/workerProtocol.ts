/** Messages between the lab page and its training worker (trainWorker.ts). */
import type { RunMetricsDocument, ScalarExperimentConfig, StepMetrics } from '../../src/browser.js';

/** Page to worker. */
export type WorkerRequest = { type: 'start'; config: ScalarExperimentConfig } | { type: 'stop' };

/** A plain matrix (structured-clonable). */
export interface PlainMatrix {
  rows: number;
  cols: number;
  data: Float64Array;
}

/** One probe: its metrics record and the arrays the views draw. */
export interface ProbeMessage {
  type: 'probe';
  step: number;
  metrics: StepMetrics;
  eigenvalues: Float64Array;
  singularValues: Float64Array;
  overlaps?: {
    blockSize: number;
    leftOverlap: PlainMatrix;
    rightOverlap: PlainMatrix;
    leftOverlapNext: PlainMatrix;
    rightOverlapNext: PlainMatrix;
    updateSingularValues: Float64Array;
  };
}

/** Worker to page. */
export type WorkerReply =
  | { type: 'backend'; name: string; threads: number; isolated: boolean }
  | { type: 'start'; totalSteps: number; numProbes: number }
  | { type: 'step'; step: number; totalSteps: number; elapsedMs: number }
  | ProbeMessage
  | { type: 'done'; metrics: RunMetricsDocument; divergenceReason: string | null }
  | { type: 'error'; name: string; message: string; stopped: boolean };
