/** Messages between the lab page and its training worker (trainWorker.ts). */
import type { RunMetricsDocument, ScalarExperimentConfig, StepMetrics } from '../../src/browser.js';

/** Page to worker: start a run, stop (pause) it between two steps (now, or after step `afterStep`), resume the stopped run. */
export type WorkerRequest = { type: 'start'; config: ScalarExperimentConfig } | { type: 'stop'; afterStep?: number } | { type: 'resume' };

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
  /** firstStep: the steps taken before (> 0 when resumed); elapsedMs counts from this start or resume. */
  | { type: 'start'; totalSteps: number; numProbes: number; firstStep: number }
  | { type: 'step'; step: number; totalSteps: number; firstStep: number; elapsedMs: number }
  | ProbeMessage
  | { type: 'done'; metrics: RunMetricsDocument; divergenceReason: string | null }
  /** Paused by Stop after `step` steps; 'resume' continues from there. */
  | { type: 'stopped'; step: number }
  | { type: 'error'; name: string; message: string };
