import { InputError } from '../errors.js';
import { checkSpectrum } from './checkSpectrum.js';

/** How xmin is chosen: the paper's two fits and WeightWatcher's fix_fingers variant. */
export type PowerLawMethod = 'hill' | 'mle_ks' | 'xmin_peak';

/** The power-law fit methods, in one table (name to description), for configs and CLI help. */
export const POWER_LAW_METHODS: Readonly<Record<PowerLawMethod, string>> = {
  hill: 'Hill estimator with xmin at the median eigenvalue, i = floor(N/2) (the paper\'s PL_Alpha_Hill, "xmin_mid")',
  mle_ks: 'MLE with the xmin that minimizes the KS distance over every candidate (Clauset et al. 2009; the paper\'s PL_Alpha_KS)',
  xmin_peak: 'MLE-KS restricted to xmin in [0.95p, 1.5p] around the peak p of the log10 histogram (WeightWatcher fix_fingers)',
};

/**
 * A power-law fit p(lambda) ~ lambda^-alpha on the tail lambda >= xmin of an ascending spectrum
 * (SPEC section 6). Plain JSON-serializable data.
 */
export interface PowerLawFit {
  readonly method: PowerLawMethod;
  /** Tail exponent alpha = 1 + n_t / (sum_{j>=i} ln lambda_j - n_t ln lambda_i); always > 1. */
  readonly alpha: number;
  /** The smallest eigenvalue of the tail (same units as the eigenvalues). */
  readonly xmin: number;
  /** Index of xmin in the caller's ascending array (numerically-zero eigenvalues included). */
  readonly xminIndex: number;
  /** Number of eigenvalues in the tail, n_t = N - i (N counts the positive eigenvalues). */
  readonly numTail: number;
  /** KS distance D between the tail and the fitted power law (SPEC's one-sided-step formula). */
  readonly ksDistance: number;
  /** lambda_max (the squared spectral norm of W; named as in the paper's code). */
  readonly spectralNorm: number;
  /** alpha * log10(lambda_max) (WeightWatcher's alpha_weighted / the paper's alphahat). */
  readonly alphaHat: number;
  /** sum of all eigenvalues = ||W||_F^2. */
  readonly frobeniusSquared: number;
  /** sum lambda / lambda_max. */
  readonly stableRank: number;
  /** How many leading eigenvalues were numerically zero and left out of the fit (see docs/spectra.md). */
  readonly numZeroEigenvalues: number;
}

/** alpha and D of the tail starting at index i of positive ascending logs (SPEC formulas). */
export interface TailFit {
  readonly alpha: number;
  readonly ksDistance: number;
}

/**
 * Fits a power law to the tail of an ascending eigenvalue array (eigenvalues of W^T W).
 * Eigenvalues <= 1e-12 * lambda_max are treated as zero and dropped first (ln 0 is undefined);
 * N below counts the remaining positive ones. Throws InputError on NaN/Inf, an unsorted or
 * negative array, fewer than 2 positive eigenvalues, or a tail whose values are all equal
 * (alpha would be infinite).
 * @param eigenvaluesAscending eigenvalues sorted ascending
 * @param method 'hill' (xmin at index floor(N/2)), 'mle_ks' (xmin minimizing D over i = 0..N-2),
 *   'xmin_peak' (mle_ks restricted to the window around the log-histogram peak)
 */
export function fitPowerLaw(eigenvaluesAscending: ArrayLike<number>, method: PowerLawMethod): PowerLawFit {
  const checked = checkSpectrum(eigenvaluesAscending);
  const positive = checked.positive;
  const n = positive.length;
  if (n < 2) {
    throw new InputError(
      `a power-law fit needs at least 2 positive eigenvalues, got ${n} (of ${n + checked.numZero}; the rest are numerically zero)`,
    );
  }
  if (positive[0] === positive[n - 1]) {
    throw new InputError(`all ${n} positive eigenvalues are equal (${positive[0]}), so no power-law tail can be fitted`);
  }
  const logs = new Float64Array(n);
  for (let i = 0; i < n; i++) logs[i] = Math.log(positive[i]!);
  const suffix = suffixSums(logs);
  let index: number;
  let tail: TailFit;
  if (method === 'hill') {
    index = Math.floor(n / 2);
    tail = tailFitAt(logs, suffix, index);
    if (!Number.isFinite(tail.alpha)) {
      throw new InputError(
        `the upper half of the eigenvalues (from index ${index + checked.numZero}) are all equal to ${positive[index]}, so the Hill alpha is infinite`,
      );
    }
  } else if (method === 'mle_ks' || method === 'xmin_peak') {
    const [first, last] = method === 'mle_ks' ? [0, n - 2] : peakWindow(positive);
    const best = scanKs(logs, suffix, first, last);
    if (best < 0) {
      throw new InputError(
        method === 'mle_ks'
          ? `no xmin gives a finite alpha on these ${n} positive eigenvalues`
          : `no xmin candidate in the xmin_peak window gives a finite alpha (${last - first + 1} candidates); use mle_ks`,
      );
    }
    index = best;
    tail = tailFitAt(logs, suffix, index);
  } else {
    throw new InputError(`unknown power-law method '${String(method)}'; allowed: ${Object.keys(POWER_LAW_METHODS).join(', ')}`);
  }
  const lambdaMax = checked.lambdaMax;
  return {
    method,
    alpha: tail.alpha,
    xmin: positive[index]!,
    xminIndex: index + checked.numZero,
    numTail: n - index,
    ksDistance: tail.ksDistance,
    spectralNorm: lambdaMax,
    alphaHat: tail.alpha * Math.log10(lambdaMax),
    frobeniusSquared: checked.sum,
    stableRank: checked.sum / lambdaMax,
    numZeroEigenvalues: checked.numZero,
  };
}

/** suffix[i] = sum_{j >= i} logs[j], length n + 1 (suffix[n] = 0). */
function suffixSums(logs: Float64Array): Float64Array {
  const n = logs.length;
  const suffix = new Float64Array(n + 1);
  for (let i = n - 1; i >= 0; i--) suffix[i] = suffix[i + 1]! + logs[i]!;
  return suffix;
}

/**
 * alpha_i and D_i for the tail starting at i (0-based) of positive ascending ln-eigenvalues, with
 * the suffix sums of `suffixSums`. A zero-spread tail (all values equal) gives alpha = Infinity
 * and D = 1, the same "invalid" mark as alpha <= 1.
 */
function tailFitAt(logs: Float64Array, suffix: Float64Array, i: number): TailFit {
  const alpha = alphaAt(logs, suffix, i);
  if (!(alpha > 1) || !Number.isFinite(alpha)) return { alpha, ksDistance: 1 };
  return { alpha, ksDistance: ksDistanceAt(logs, i, alpha, Infinity) };
}

function alphaAt(logs: Float64Array, suffix: Float64Array, i: number): number {
  const numTail = logs.length - i;
  const denominator = suffix[i]! - numTail * logs[i]!;
  return denominator > 0 ? 1 + numTail / denominator : denominator === 0 ? Infinity : -Infinity;
}

/**
 * D_i = max_k |1 - (lambda_{i+k}/lambda_i)^(1-alpha) - k/n_t|, computed from logs; stops early
 * (returning a value > stopAt) once the running max exceeds stopAt, which is all a minimizer needs
 * (a returned value <= stopAt is always the exact D).
 */
function ksDistanceAt(logs: Float64Array, i: number, alpha: number, stopAt: number): number {
  const n = logs.length;
  const numTail = n - i;
  const base = logs[i]!;
  const exponent = 1 - alpha;
  let distance = 0;
  for (let k = 0; k < numTail; k++) {
    const d = Math.abs(1 - Math.exp(exponent * (logs[i + k]! - base)) - k / numTail);
    if (d > distance) {
      distance = d;
      if (distance > stopAt) return distance;
    }
  }
  return distance;
}

/**
 * The index in [first, last] with the smallest D_i (first one on ties), D_i = 1 where alpha_i <= 1
 * or is infinite; -1 when no candidate has a finite alpha > 1. alpha_i costs O(1) from the suffix
 * sums, D_i one O(n_t) pass that stops as soon as it cannot beat the best so far (exact: a
 * candidate only wins with a strictly smaller D).
 */
function scanKs(logs: Float64Array, suffix: Float64Array, first: number, last: number): number {
  // A valid candidate always has D < 1 (both terms lie in [0, 1)), so the invalid ones (D = 1)
  // can only matter when there is no valid candidate at all; the caller reports that case.
  // A few candidates spread over the range are evaluated first, so that the early stop has a good
  // bound from the start; ties still go to the smallest index, so the result equals a plain scan.
  let bestIndex = -1;
  let bestDistance = Infinity;
  const consider = (i: number): void => {
    const alpha = alphaAt(logs, suffix, i);
    if (!(alpha > 1) || !Number.isFinite(alpha)) return;
    const distance = ksDistanceAt(logs, i, alpha, bestDistance);
    if (distance < bestDistance || (distance === bestDistance && i < bestIndex)) {
      bestDistance = distance;
      bestIndex = i;
    }
  };
  if (last - first > 64) for (let k = 1; k < 8; k++) consider(first + Math.floor(((last - first) * k) / 8));
  for (let i = first; i <= last; i++) consider(i);
  return bestIndex;
}

/**
 * The candidate index range [first, last] for xmin_peak: eigenvalues in [0.95p, 1.5p], p = 10^(left
 * edge of the fullest of 100 equal-width bins of log10 lambda over [min, max]; first bin on ties; the
 * maximum falls in the last bin, as numpy/torch histograms do). The original code compares lambda
 * against log10(0.95p) for the lower bound, a bug that lets nearly every small eigenvalue through;
 * esdlab implements the intended [0.95p, 1.5p]. Returns an empty range (first > last) when no
 * candidate falls in the window.
 */
function peakWindow(positive: Float64Array): [number, number] {
  const n = positive.length;
  const bins = 100;
  const low = Math.log10(positive[0]!);
  const high = Math.log10(positive[n - 1]!);
  const width = (high - low) / bins;
  const counts = new Uint32Array(bins);
  for (let i = 0; i < n; i++) {
    const bin = width > 0 ? Math.min(bins - 1, Math.floor((Math.log10(positive[i]!) - low) / width)) : 0;
    counts[bin]!++;
  }
  let fullest = 0;
  for (let b = 1; b < bins; b++) if (counts[b]! > counts[fullest]!) fullest = b;
  const peak = 10 ** (low + fullest * width);
  const lower = 0.95 * peak;
  const upper = 1.5 * peak;
  let first = 0;
  while (first < n - 1 && positive[first]! < lower) first++;
  let last = first - 1;
  while (last + 1 <= n - 2 && positive[last + 1]! <= upper) last++;
  return [first, last];
}
