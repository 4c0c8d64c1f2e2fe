/**
 * Input shapes of the report module. They are structural (no imports from `train`), so that the
 * engine's `TrainResult`, a metrics.json read back from disk, or rows from the store all fit them.
 */

/**
 * A Vega-Lite top-level specification as plain JSON. Kept loose on purpose: the builders are
 * checked by compiling each spec with vega-lite (see the tests), not by vega-lite's very deep
 * TypeScript types.
 */
export type VegaLiteSpec = { [key: string]: unknown };

/** A numeric array as the report accepts it: typed array or plain numbers. */
export type NumericArray = ArrayLike<number>;

/** A dense row-major matrix (structurally the same as linalg's `Matrix`). */
export interface MatrixLike {
  readonly rows: number;
  readonly cols: number;
  readonly data: NumericArray;
}

/**
 * One probed step's metrics, with the snake_case keys of metrics.json. Every field except `step`
 * is optional and may be NaN or null (not computed, or diverged).
 */
export interface StepMetricsLike {
  step: number;
  lr?: number | null;
  train_loss?: number | null;
  test_loss?: number | null;
  kta?: number | null;
  alignment?: number | null;
  alpha_hill?: number | null;
  alpha_mle_ks?: number | null;
  ks_d_hill?: number | null;
  ks_d_mle?: number | null;
  xmin_mle?: number | null;
  spectral_norm?: number | null;
  frobenius_sq?: number | null;
  stable_rank?: number | null;
  alphahat_hill?: number | null;
  phase?: string | null;
  num_spikes?: number | null;
  mp_bulk_max?: number | null;
  mp_soft_rank?: number | null;
}

/**
 * A second run drawn over a run's metric views (the lab's compare mode): its label (the legend
 * says `pinned: <label>`) and its metric records.
 */
export interface ComparisonRun {
  readonly label: string;
  readonly steps: readonly StepMetricsLike[];
}

/** The update geometry measured at a probe (SPEC section 6), squared overlaps of singular vectors. */
export interface ProbeOverlapsLike {
  /** Singular values of M = W_{t+1} - W_t, descending. */
  updateSingularValues?: NumericArray;
  /** (U_W^T U_M).^2 for W_t: row i = singular vector i of W, column j = singular vector j of M. */
  leftOverlap: MatrixLike;
  /** (V_W^T V_M).^2 for W_t. */
  rightOverlap: MatrixLike;
  /** The same with the singular vectors of W_{t+1}. */
  leftOverlapNext?: MatrixLike;
  rightOverlapNext?: MatrixLike;
  /** Size of the leading block that was computed (the matrices may be exactly this size). */
  blockSize?: number;
}

/** What one probe recorded about the weight matrix W (h x d). */
export interface ProbeLike {
  step: number;
  /** Eigenvalues of W^T W (squared singular values), ascending. */
  eigenvalues: NumericArray;
  /** Singular values of W; any order (sorted descending for plotting). */
  singularValues?: NumericArray;
  /** |V^T beta*| over all right singular vectors, in singular-value order (step 0 only). */
  alignmentProfile?: NumericArray;
  overlaps?: ProbeOverlapsLike;
}

/** Everything a single-run report draws. `TrainResult` from the engine fits this shape. */
export interface RunReportData {
  steps: StepMetricsLike[];
  probes: ProbeLike[];
  /** W before training and after the last step; used for the weight-value histograms. */
  initialW?: MatrixLike;
  finalW?: MatrixLike;
  /**
   * The resolved config, a plain object (shown as a table). Keys `h` and `d` size the MP overlay
   * when `initialW` is absent. Typed `object` so that interfaces without an index signature fit.
   */
  config?: object;
  status?: 'done' | 'diverged' | string;
  divergedAtStep?: number | null;
  /** Optional extras shown on the report page. */
  seed?: number;
  backend?: string;
  /** Timings in milliseconds (e.g. the engine's TrainTiming); numeric entries are listed. */
  timing?: object;
}

/** Values a sweep cell's parameter can take. */
export type ParamValue = number | string | boolean | null;

/** One run (cell x repeat) of a sweep. */
export interface SweepRunLike {
  id?: number | string;
  params: Record<string, ParamValue>;
  repeat: number;
  status: 'done' | 'diverged' | 'failed' | 'pending' | 'running' | string;
  steps: StepMetricsLike[];
  /** Eigenvalues of W^T W at the last probed step, ascending (optional). */
  finalEigenvalues?: NumericArray | null;
  divergedAtStep?: number | null;
  error?: string | null;
}

/** Everything a sweep report draws. */
export interface SweepReportData {
  name?: string;
  /** 'bulk_lr' plots final metrics against log10(lr); 'bulk_losses' plots losses against step. Inferred when absent. */
  kind?: 'bulk_lr' | 'bulk_losses';
  /** The parameter that varies in a bulk_losses sweep (inferred when absent). */
  varyingParam?: string;
  config?: object;
  runs: SweepRunLike[];
}
