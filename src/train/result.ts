/**
 * What the training engine reports: events while it runs, and one result at the end. The
 * per-probe metric record uses snake_case on purpose: it is the metrics.json record (the file
 * contract). Numbers may be NaN (not computed, or failed); the writer maps them to null.
 */
import type { Matrix } from '../linalg/index.js';

/** Metrics of one probed step (SPEC sections 5-6). */
export interface StepMetrics {
  /** Optimizer steps taken (0 = initialization). */
  step: number;
  /** Learning rate of this step (the k-th optimizer step's rate; at step 0 the base rate). */
  lr: number;
  /** Fixed last layer: MSE of the ridge read-out on the probe split; else the batch loss of this step (step 0: the full training MSE). */
  train_loss: number;
  /** Fixed last layer: MSE of the ridge read-out on the test split; else the MSE of f on the test split. */
  test_loss: number;
  /** Batch loss of this step's optimizer update, before it (NaN at step 0). */
  batch_loss: number;
  /** Kernel target alignment on the probe split (NaN unless shouldProbeFeatures). */
  kta: number;
  /** sim(W, beta*) = |<v1, beta*>| / ||v1||, v1 the top right singular vector (NaN unless shouldProbeWeights). */
  alignment: number;
  /** Hill alpha at xmin = the median eigenvalue (PL_Alpha_Hill). */
  alpha_hill: number;
  /** xmin, tail size and KS distance of the Hill fit. */
  xmin_hill: number;
  num_tail_hill: number;
  ks_d_hill: number;
  /** alpha * log10(lambda_max) of the Hill fit. */
  alphahat_hill: number;
  /** MLE alpha with the KS-optimal xmin (PL_Alpha_KS). */
  alpha_mle_ks: number;
  xmin_mle: number;
  num_tail_mle: number;
  ks_d_mle: number;
  alphahat_mle: number;
  /** lambda_max of W^T W. */
  spectral_norm: number;
  /** sum lambda = ||W||_F^2. */
  frobenius_sq: number;
  /** sum lambda / lambda_max. */
  stable_rank: number;
  /** Marchenko-Pastur fit: the bulk's upper edge, the eigenvalues above it, edge / lambda_max. */
  mp_bulk_max: number;
  num_spikes: number;
  mp_soft_rank: number;
  /** The 5+1 phase label of the ESD ('' when weights are not probed). */
  phase: string;
}

/** The update geometry between two consecutive probes (SPEC section 6), leading blockSize vectors. */
export interface UpdateOverlaps {
  /** All singular values of M = W_t - W_prev, descending. */
  updateSingularValues: Float64Array;
  /** blockSize x blockSize (f64): (U_Wprev^T U_M).^2, rows index W's vectors, columns M's. */
  leftOverlap: Matrix;
  /** (V_Wprev^T V_M).^2. */
  rightOverlap: Matrix;
  /** (U_Wt^T U_M).^2, with W_t the weights at this probe. */
  leftOverlapNext: Matrix;
  /** (V_Wt^T V_M).^2. */
  rightOverlapNext: Matrix;
  blockSize: number;
}

/** The arrays of one probe (what plots need beyond the scalar metrics). */
export interface ProbeRecord {
  step: number;
  /** Eigenvalues of W^T W, ascending, f64 (empty unless shouldProbeWeights). */
  eigenvalues: Float64Array;
  /** Singular values of W, descending (sqrt of the eigenvalues). */
  singularValues: Float64Array;
  /** |V^T beta*| over all right singular vectors of W, in descending singular-value order; step 0 only. */
  alignmentProfile?: Float64Array;
  /** With shouldComputeOverlaps: the update from the previous probe to this one (absent at step 0). */
  overlaps?: UpdateOverlaps;
}

/** An event of a running training. */
export type TrainEvent =
  | { type: 'start'; totalSteps: number; numProbes: number; /** Steps already taken (> 0 when resumed from a checkpoint). */ firstStep: number }
  | { type: 'step'; step: number; totalSteps: number; loss: number }
  | { type: 'probe'; step: number; metrics: StepMetrics; probe: ProbeRecord }
  | { type: 'diverged'; step: number; reason: string };

/** Wall-clock breakdown of a training, in milliseconds. */
export interface TrainTiming {
  totalMs: number;
  /** Forward, backward and optimizer updates. */
  trainStepsMs: number;
  /** Losses at probes: the ridge read-out (and the KTA it shares the Gram matrix with), test MSE. */
  evaluationMs: number;
  /** Spectral probes: ESD, fits, alignment, overlaps (and KTA when the last layer trains). */
  probesMs: number;
  /** Optimizer steps taken. */
  numSteps: number;
}

/** The outcome of train(). */
export interface TrainResult {
  /** 'diverged' when a loss or weight became NaN/Inf; metrics up to then are kept. */
  status: 'done' | 'diverged';
  divergedAtStep: number | null;
  divergenceReason: string | null;
  /** One record per probed step, in order. */
  steps: StepMetrics[];
  probes: ProbeRecord[];
  /** W at initialization (training dtype). */
  initialW: Matrix;
  /** W after the last step; when diverged, the last finite W (before the failed step). */
  finalW: Matrix;
  /** The second layer after training (equal to the initial a when the last layer is fixed). */
  finalA: Float64Array;
  timing: TrainTiming;
}
