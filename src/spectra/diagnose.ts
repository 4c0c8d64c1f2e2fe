import { InputError, nullOn } from '../errors.js';
import type { Backend, Matrix } from '../linalg/index.js';
import type { Generator } from '../random/index.js';
import type { BootstrapResult } from './bootstrapPValue.js';
import { checkSpectrum } from './checkSpectrum.js';
import { esdEigenvalues } from './esdEigenvalues.js';
import { fitMarchenkoPastur } from './marchenkoPasturFit.js';
import type { MarchenkoPasturFit } from './marchenkoPasturFit.js';
import { phaseLabel, robustLambdaMax } from './phaseLabel.js';
import type { Phase } from './phaseLabel.js';
import type { PowerLawFit } from './powerLawFit.js';
import { randomizedEsd } from './randomizedEsd.js';
import { scaleMetrics } from './scaleMetrics.js';
import type { ScaleMetrics } from './scaleMetrics.js';
import { fitSpectrum } from './spectrumFit.js';
import type { CandidateComparison } from './spectrumFit.js';

/** Goodness-of-fit options: the bootstrap's size and generator. */
export interface GoodnessOfFitOptions {
  /** Synthetic sets for the CSN bootstrap (default 100). */
  readonly bootstrapSets?: number;
  /** The seeded generator the bootstrap draws from. */
  readonly rng: Generator;
}

/** Goodness of fit of the MLE-KS power law: CSN bootstrap and likelihood-ratio tests on its tail. */
export interface GoodnessOfFit {
  readonly bootstrap: BootstrapResult;
  /** One test per candidate: exponential, lognormal, truncated_power_law (R > 0 favours the power law). */
  readonly comparisons: CandidateComparison[];
}

/**
 * Everything esdlab can say about one ESD from its eigenvalues alone. Plain JSON-serializable data
 * (null where a part could not be computed, with the reason in `powerLawError`).
 */
export interface SpectrumDiagnostics {
  /** Rows h and columns d of the matrix the ESD came from. */
  readonly rows: number;
  readonly cols: number;
  /** N = min(rows, cols). */
  readonly numEigenvalues: number;
  /** Eigenvalues <= 1e-12 lambda_max (treated as zero; rank loss). */
  readonly numZeroEigenvalues: number;
  /** lambda_max (= sigma_max(W)^2; the paper's spectral_norm). */
  readonly lambdaMax: number;
  /** sum lambda = ||W||_F^2. */
  readonly frobeniusSquared: number;
  /** sum lambda / lambda_max. */
  readonly stableRank: number;
  /** Hill fit at the median (null if the spectrum cannot be fitted). */
  readonly hill: PowerLawFit | null;
  /** MLE fit with the KS-chosen xmin (null if the spectrum cannot be fitted). */
  readonly mleKs: PowerLawFit | null;
  /** Why the power-law fits are null, else null. */
  readonly powerLawError: string | null;
  /** The MP bulk and its spikes (null for an all-zero spectrum). */
  readonly marchenkoPastur: MarchenkoPasturFit | null;
  /** WeightWatcher's scale metrics, with the MLE-KS alpha (null without it). */
  readonly scale: ScaleMetrics | null;
  /** The 5+1 phase and why (docs/spectra.md has the rule). */
  readonly phase: Phase;
  readonly phaseReason: string;
  /** Present only when asked for (it costs bootstrapSets re-fits). */
  readonly goodnessOfFit: GoodnessOfFit | null;
}

/** Options of `diagnoseSpectrum`. */
export interface DiagnoseSpectrumOptions {
  /** Shape of W (the ESD must hold min(rows, cols) eigenvalues). */
  readonly rows: number;
  readonly cols: number;
  /** When given, also the bootstrap p-value and the likelihood-ratio tests. */
  readonly goodnessOfFit?: GoodnessOfFitOptions;
}

/**
 * Diagnoses an ascending ESD (eigenvalues of W^T W of a rows x cols W): the two paper fits, MP bulk
 * and spikes, scale metrics, the phase, and optionally goodness of fit. Throws InputError for
 * invalid input (NaN/Inf, unsorted, clearly negative, empty, or a length other than
 * min(rows, cols)); a degenerate but valid spectrum (rank 1, all equal) gets null fits and a phase.
 */
export function diagnoseSpectrum(eigenvaluesAscending: ArrayLike<number>, options: DiagnoseSpectrumOptions): SpectrumDiagnostics {
  const { rows, cols } = options;
  const checked = checkSpectrum(eigenvaluesAscending);
  const n = checked.positive.length + checked.numZero;
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 1 || cols < 1 || n !== Math.min(rows, cols)) {
    throw new InputError(`a ${rows}x${cols} matrix has min(rows, cols) ESD eigenvalues, but ${n} were given`);
  }
  let powerLawError: string | null = null;
  let fit: ReturnType<typeof fitSpectrum> | null = null;
  let hill: PowerLawFit | null = null;
  let mleKs: PowerLawFit | null = null;
  try {
    fit = fitSpectrum(eigenvaluesAscending);
    hill = fit.hill;
    mleKs = fit.mleKs;
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    powerLawError = error.message;
    fit = null;
    hill = null;
    mleKs = null;
  }
  const marchenkoPastur = nullOn(InputError, () => fitMarchenkoPastur(eigenvaluesAscending, rows, cols));
  const phase = phaseLabel({
    numEigenvalues: n,
    numZeroEigenvalues: checked.numZero,
    marchenkoPastur,
    lambdaMax: checked.lambdaMax,
    robustLambdaMax: robustLambdaMax(checked.positive),
    alphaMleKs: mleKs?.alpha ?? null,
  });
  let goodnessOfFit: GoodnessOfFit | null = null;
  if (options.goodnessOfFit && fit) {
    const { bootstrapSets = 100, rng } = options.goodnessOfFit;
    goodnessOfFit = {
      bootstrap: fit.bootstrapPValue({ numSets: bootstrapSets, rng }),
      comparisons: (['exponential', 'lognormal', 'truncated_power_law'] as const).map((name) => fit.compare(name)),
    };
  }
  return {
    rows,
    cols,
    numEigenvalues: n,
    numZeroEigenvalues: checked.numZero,
    lambdaMax: checked.lambdaMax,
    frobeniusSquared: checked.sum,
    stableRank: checked.lambdaMax > 0 ? checked.sum / checked.lambdaMax : 0,
    hill,
    mleKs,
    powerLawError,
    marchenkoPastur,
    scale: mleKs ? scaleMetrics(eigenvaluesAscending, mleKs.alpha) : null,
    phase: phase.phase,
    phaseReason: phase.reason,
    goodnessOfFit,
  };
}

/** The randomized-ESD comparison without its eigenvalue array (JSON-friendly). */
export interface RandomizedComparison {
  readonly numSpikes: number;
  readonly hasCorrelationTrap: boolean;
  readonly maxOverEdge: number | null;
  readonly marchenkoPastur: MarchenkoPasturFit | null;
}

/** `diagnoseSpectrum` of W's ESD plus W's shape and the randomized comparison. */
export interface MatrixDiagnostics extends SpectrumDiagnostics {
  /** [rows, cols] of W. */
  readonly shape: [number, number];
  /** The elementwise-shuffled ESD's verdict; null when shouldRandomize was false. */
  readonly randomized: RandomizedComparison | null;
}

/** Options of `diagnoseMatrix`. */
export interface DiagnoseMatrixOptions {
  /** Seeded generator for the shuffle of the randomized comparison. */
  readonly rng: Generator;
  /** Compute the randomized ESD (one more eigendecomposition; default true). */
  readonly shouldRandomize?: boolean;
  /** When given, also the bootstrap p-value and the likelihood-ratio tests. */
  readonly goodnessOfFit?: GoodnessOfFitOptions;
}

/**
 * Diagnoses a weight matrix W (rows x cols, f32 or f64): its ESD (eigenvalues of W^T W, in f64),
 * everything `diagnoseSpectrum` reports, and the randomized comparison. Throws InputError for an
 * empty matrix or NaN/Inf entries.
 */
export async function diagnoseMatrix(backend: Backend, weights: Matrix, options: DiagnoseMatrixOptions): Promise<MatrixDiagnostics> {
  const eigenvalues = await esdEigenvalues(backend, weights);
  const diagnostics = diagnoseSpectrum(eigenvalues, {
    rows: weights.rows,
    cols: weights.cols,
    ...(options.goodnessOfFit ? { goodnessOfFit: options.goodnessOfFit } : {}),
  });
  let randomized: RandomizedComparison | null = null;
  if (options.shouldRandomize ?? true) {
    const { numSpikes, hasCorrelationTrap, maxOverEdge, marchenkoPastur } = await randomizedEsd(backend, weights, options.rng);
    randomized = { numSpikes, hasCorrelationTrap, maxOverEdge, marchenkoPastur };
  }
  return { ...diagnostics, shape: [weights.rows, weights.cols], randomized };
}
