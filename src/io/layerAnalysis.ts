/**
 * One layer's analysis: checks the matrix (NaN/Inf, all zero), computes the ESD (eigenvalues of
 * W^T W of the raw W), rejects degenerate spectra (all eigenvalues equal), and runs the spectral
 * diagnostics. Never throws for a bad layer: the result says what went wrong in one sentence.
 */
import { EsdlabError, InputError } from '../errors.js';
import type { Backend, Matrix } from '../linalg/index.js';
import { diagnoseSpectrum, esdEigenvalues, fitPowerLaw, randomizedEsd } from '../spectra/index.js';
import type { EsdPrecision, PowerLawFit, RandomizedComparison, SpectrumDiagnostics } from '../spectra/index.js';
import type { Generator } from '../random/index.js';
import { stream } from '../random/index.js';

/** The outcome of analyzing one matrix (or one eigenvalue list). */
export interface LayerAnalysis {
  readonly name: string;
  /** The matrix shape analyzed (rows, cols), after any reshape of a higher-rank tensor. */
  readonly shape: readonly [number, number];
  /** The tensor's shape in the file (equal to `shape` for 2-D tensors). */
  readonly tensorShape: readonly number[];
  /** Storage dtype ('F32', 'BF16', ...; 'eigenvalues' for an eigenvalue file). */
  readonly dtype: string;
  readonly file: string;
  /** N = min(rows, cols), the number of eigenvalues. */
  readonly numEigenvalues: number;
  /** Wall time of this layer: load, eigenvalues and diagnostics (milliseconds). */
  readonly durationMs: number;
  /** Ascending eigenvalues of W^T W; present when the layer got as far as computing them. */
  readonly eigenvalues?: Float64Array;
  /** The diagnostics, when the layer was analyzed. */
  readonly diagnostics?: SpectrumDiagnostics;
  /** The randomized-ESD comparison (correlation traps), when asked for. */
  readonly randomized?: RandomizedComparison;
  /** Why the layer could not be analyzed (one sentence), when it failed. */
  readonly error?: string;
  /** The power-law fit of the `--xmin` rule (null with the reason in `selectedFitError` when it cannot be made). */
  readonly selectedFit?: PowerLawFit | null;
  readonly selectedFitError?: string;
  /** The arithmetic the eigenvalues were computed in (matrix layers only): 'f32' or 'f64'. */
  readonly precision?: EsdPrecision;
  /** Why an f32 layer was recomputed in f64 (see {@link F32_UNRESOLVED_FRACTION}), when it was. */
  readonly precisionNote?: string;
}

/** The `--xmin` rules: which power-law fit is the layer's `alpha`. */
export type XminRule = 'mle_ks' | 'hill' | 'peak';

/** The fit of `rule` on an analyzed spectrum: the diagnostics' own for mle_ks and hill, WeightWatcher's fix_fingers window for peak. */
function selectFit(eigenvalues: Float64Array, diagnostics: SpectrumDiagnostics, rule: XminRule): Pick<LayerAnalysis, 'selectedFit' | 'selectedFitError'> {
  if (rule !== 'peak') return { selectedFit: rule === 'hill' ? diagnostics.hill : diagnostics.mleKs, ...(diagnostics.powerLawError ? { selectedFitError: diagnostics.powerLawError } : {}) };
  try {
    return { selectedFit: fitPowerLaw(eigenvalues, 'xmin_peak') };
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return { selectedFit: null, selectedFitError: error.message };
  }
}

/** Options for one layer. */
export interface LayerOptions {
  /** Run the goodness-of-fit tests (bootstrap p-value, likelihood ratios), seeded by `rng`. */
  readonly shouldTestGoodnessOfFit?: boolean;
  /** Seeded generator for the bootstrap and the shuffle (one stream per layer); default stream(0, 'analyze', 0). */
  readonly rng?: Generator;
  /** Number of bootstrap sets for the goodness-of-fit p-value (default: src/spectra's, 100). */
  readonly numBootstrap?: number;
  /** Also compute the ESD of W with its entries shuffled (one more eigendecomposition and a copy of W). */
  readonly shouldRandomize?: boolean;
  /** Which fit is the layer's `alpha` (default mle_ks). */
  readonly xminRule?: XminRule;
  /** The arithmetic of the ESD (default f64; f32 is the fast route for large matrices, docs/analyze.md). */
  readonly precision?: EsdPrecision;
  /** The eigensolver's two-stage reduction (native only; see esdEigenvalues). */
  readonly twoStage?: boolean;
}

/**
 * The f32 route cannot tell an eigenvalue below {@link f32Resolution} from 0 (a zero eigenvalue of a
 * rank-deficient W comes out as round-off of order 2^-24 lambda_max). When more than this fraction
 * of a layer's f32 eigenvalues (and more than one) is that small, the layer is recomputed in f64,
 * so that its numerically-zero count, power-law fits and rank_collapse phase are f64's. When fewer
 * are, they are taken for the small positive eigenvalues of a full-rank W and set to the line.
 */
export const F32_UNRESOLVED_FRACTION = 0.01;

/**
 * The f32 route's zero threshold for an N-eigenvalue spectrum: 4 sqrt(N) 2^-24 lambda_max. The
 * zero eigenvalues of a rank-deficient W come out of the f32 route at about 2^-24 lambda_max, and a
 * full-rank square Gaussian W has about 0.1% of its eigenvalues below this (docs/analyze.md).
 */
export function f32Resolution(numEigenvalues: number, lambdaMax: number): number {
  return 4 * Math.sqrt(numEigenvalues) * 2 ** -24 * lambdaMax;
}

/** How many ascending eigenvalues are at or below the f32 resolution. */
function numUnresolved(eigenvaluesAscending: Float64Array): number {
  const n = eigenvaluesAscending.length;
  const floor = f32Resolution(n, eigenvaluesAscending[n - 1]!);
  let count = 0;
  while (count < n && eigenvaluesAscending[count]! <= floor) count++;
  return count;
}

/**
 * The ESD in the requested arithmetic, with the f32 route's fallback to f64 for spectra it
 * cannot resolve (see {@link F32_UNRESOLVED_FRACTION}).
 */
async function layerEigenvalues(backend: Backend, matrix: Matrix, precision: EsdPrecision, twoStage: boolean): Promise<{ eigenvalues: Float64Array; precision: EsdPrecision; precisionNote?: string }> {
  const solver = twoStage ? { twoStage } : {};
  if (precision === 'f64') return { eigenvalues: await esdEigenvalues(backend, matrix, solver), precision };
  const eigenvalues = await esdEigenvalues(backend, matrix, { precision: 'f32', ...solver });
  const unresolved = numUnresolved(eigenvalues);
  if (unresolved <= Math.max(1, F32_UNRESOLVED_FRACTION * eigenvalues.length)) {
    // Few enough to be the smallest eigenvalues of a full-rank W, which f64 resolves as positive.
    // f32 round-off makes some of them negative (clipped to 0, so "numerically zero"), which would
    // shift the Hill fit's median index and the zero count: they are set to the zero line instead.
    const line = f32Resolution(eigenvalues.length, eigenvalues[eigenvalues.length - 1]!);
    eigenvalues.fill(line, 0, unresolved);
    return { eigenvalues, precision };
  }
  return {
    eigenvalues: await esdEigenvalues(backend, matrix, solver),
    precision: 'f64',
    precisionNote: `recomputed in f64: ${unresolved} of ${eigenvalues.length} f32 eigenvalues were below the f32 resolution (4 sqrt(N) 2^-24 lambda_max), as a rank-deficient matrix gives`,
  };
}

/** Spread below which a spectrum counts as a single repeated eigenvalue: (max - min) / max. */
export const IDENTICAL_EIGENVALUES_RELATIVE_SPREAD = 1e-6;

/** Counts NaN/Inf entries and whether every entry is zero, in one pass. */
export function scanEntries(matrix: Matrix): { numNaN: number; numInfinite: number; firstBad: number; isAllZero: boolean } {
  const count = matrix.rows * matrix.cols;
  const data = matrix.data;
  let numNaN = 0;
  let numInfinite = 0;
  let firstBad = -1;
  let isAllZero = true;
  for (let k = 0; k < count; k++) {
    const v = data[k]!;
    if (v !== 0) {
      isAllZero = false;
      if (v - v !== 0) {
        if (v !== v) numNaN++;
        else numInfinite++;
        if (firstBad < 0) firstBad = k;
      }
    }
  }
  return { numNaN, numInfinite, firstBad, isAllZero };
}

/** Why a matrix cannot be analyzed before any eigenvalue is computed, or null when it can. */
export function matrixProblem(matrix: Matrix): string | null {
  const { rows, cols } = matrix;
  if (Math.min(rows, cols) < 2) return `shape ${rows}x${cols} gives ${Math.min(rows, cols)} eigenvalue${Math.min(rows, cols) === 1 ? '' : 's'}; a spectral fit needs min(rows, cols) >= 2`;
  const scan = scanEntries(matrix);
  if (scan.numNaN + scan.numInfinite > 0) {
    const r = Math.floor(scan.firstBad / cols);
    const parts = [scan.numNaN > 0 ? `${scan.numNaN} NaN` : '', scan.numInfinite > 0 ? `${scan.numInfinite} Inf` : ''].filter(Boolean);
    return `invalid values: ${parts.join(' and ')} entries (first at (${r}, ${scan.firstBad - r * cols})); the weights are corrupted or diverged`;
  }
  if (scan.isAllZero) return 'every entry is zero, so every eigenvalue is 0 and there is no spectrum to fit';
  return null;
}

/** Why an ascending spectrum cannot be fitted (all zero, all equal), or null when it can. */
export function spectrumProblem(eigenvaluesAscending: Float64Array): string | null {
  const n = eigenvaluesAscending.length;
  const max = eigenvaluesAscending[n - 1]!;
  const min = eigenvaluesAscending[0]!;
  if (!(max > 0)) return 'every eigenvalue is 0, so there is no spectrum to fit';
  if ((max - min) / max < IDENTICAL_EIGENVALUES_RELATIVE_SPREAD) {
    return `all ${n} eigenvalues equal ${max.toPrecision(6)} (the rows or columns of W are orthogonal with equal norms); a power law cannot be fitted to a single value`;
  }
  return null;
}

function messageOf(error: unknown): string {
  if (error instanceof EsdlabError) return error.message;
  return `internal error: ${error instanceof Error ? error.message : String(error)}`;
}

/** Runs the diagnostics on an ascending spectrum of a rows x cols matrix. Throws on failure. */
function diagnose(eigenvalues: Float64Array, rows: number, cols: number, options: LayerOptions): SpectrumDiagnostics {
  const rng = options.rng ?? stream(0, 'analyze', 0);
  return diagnoseSpectrum(eigenvalues, {
    rows,
    cols,
    ...(options.shouldTestGoodnessOfFit ? { goodnessOfFit: { rng, ...(options.numBootstrap ? { bootstrapSets: options.numBootstrap } : {}) } } : {}),
  });
}

type LayerIdentity = Pick<LayerAnalysis, 'name' | 'shape' | 'tensorShape' | 'dtype' | 'file'>;

/**
 * Analyzes one matrix: `load` is called here so a read failure (truncated data, bad dtype) is
 * reported as this layer's failure. Never throws.
 */
export async function analyzeMatrixLayer(
  backend: Backend,
  identity: LayerIdentity,
  load: () => Promise<Matrix>,
  options: LayerOptions = {},
): Promise<LayerAnalysis> {
  const start = performance.now();
  const numEigenvalues = Math.min(identity.shape[0], identity.shape[1]);
  const done = (fields: Partial<LayerAnalysis>): LayerAnalysis => ({ ...identity, numEigenvalues, durationMs: performance.now() - start, ...fields });
  let eigenvalues: Float64Array | undefined;
  try {
    const matrix = await load();
    const problem = matrixProblem(matrix);
    if (problem) return done({ error: problem });
    const route = await layerEigenvalues(backend, matrix, options.precision ?? 'f64', options.twoStage ?? false);
    eigenvalues = route.eigenvalues;
    const arithmetic = { precision: route.precision, ...(route.precisionNote ? { precisionNote: route.precisionNote } : {}) };
    const spectral = spectrumProblem(eigenvalues);
    if (spectral) return done({ eigenvalues, error: spectral, ...arithmetic });
    const diagnostics = diagnose(eigenvalues, matrix.rows, matrix.cols, options);
    const selected = selectFit(eigenvalues, diagnostics, options.xminRule ?? 'mle_ks');
    if (!options.shouldRandomize) return done({ eigenvalues, diagnostics, ...selected, ...arithmetic });
    // the shuffle draws after the bootstrap, from the same per-layer stream: deterministic
    const { numSpikes, hasCorrelationTrap, maxOverEdge, marchenkoPastur } = await randomizedEsd(backend, matrix, options.rng ?? stream(0, 'analyze', 0), { precision: route.precision, ...(options.twoStage ? { twoStage: true } : {}) });
    return done({ eigenvalues, diagnostics, ...selected, ...arithmetic, randomized: { numSpikes, hasCorrelationTrap, maxOverEdge, marchenkoPastur } });
  } catch (error) {
    return done({ eigenvalues, error: messageOf(error) });
  }
}

/**
 * Analyzes a precomputed ascending spectrum of a rows x cols matrix (`rows`, `cols` feed the
 * Marchenko-Pastur fit). Never throws.
 */
export async function analyzeSpectrumLayer(identity: LayerIdentity, eigenvaluesAscending: Float64Array, options: LayerOptions = {}): Promise<LayerAnalysis> {
  const start = performance.now();
  const done = (fields: Partial<LayerAnalysis>): LayerAnalysis => ({
    ...identity,
    numEigenvalues: eigenvaluesAscending.length,
    durationMs: performance.now() - start,
    eigenvalues: eigenvaluesAscending,
    ...fields,
  });
  try {
    if (eigenvaluesAscending.length < 2) throw new InputError(`${eigenvaluesAscending.length} eigenvalue(s) given; a spectral fit needs at least 2`);
    const problem = spectrumProblem(eigenvaluesAscending);
    if (problem) return done({ error: problem });
    const diagnostics = diagnose(eigenvaluesAscending, identity.shape[0], identity.shape[1], options);
    return done({ diagnostics, ...selectFit(eigenvaluesAscending, diagnostics, options.xminRule ?? 'mle_ks') });
  } catch (error) {
    return done({ error: messageOf(error) });
  }
}
