import { InputError } from '../errors.js';

/**
 * Eigenvalues at or below `ZERO_RELATIVE_TOLERANCE * lambdaMax` count as numerically zero: they
 * are dropped before any power-law fit (whose formulas take ln lambda) and counted as rank loss.
 * 1e-12 sits above the round-off floor of an f64 Gram eigendecomposition (about N * 2^-52 *
 * lambdaMax for N up to ~10^4) and far below any eigenvalue a tail fit would ever use.
 */
export const ZERO_RELATIVE_TOLERANCE = 1e-12;

/**
 * Eigenvalues below `-NEGATIVE_RELATIVE_TOLERANCE * lambdaMax` cannot be round-off of a Gram
 * spectrum (eigenvalues of W^T W are >= 0): the input is rejected rather than silently clipped.
 */
export const NEGATIVE_RELATIVE_TOLERANCE = 1e-8;

/** A validated ascending spectrum, split into its numerically-zero head and its positive part. */
export interface CheckedSpectrum {
  /** The positive eigenvalues (> the zero tolerance), ascending; a subarray view of the input, or a copy when it was a plain array. */
  readonly positive: Float64Array;
  /** How many leading eigenvalues were treated as zero (dropped). */
  readonly numZero: number;
  /** The largest eigenvalue (0 for an all-zero spectrum). */
  readonly lambdaMax: number;
  /** Sum of all eigenvalues, zeros included (= ||W||_F^2). */
  readonly sum: number;
}

/**
 * Checks an ascending eigenvalue array (finite, ascending, no clearly negative value) and splits
 * off the numerically-zero eigenvalues. Throws InputError naming the first bad entry.
 * `what` names the array in messages ("eigenvalues of layer x").
 */
export function checkSpectrum(eigenvaluesAscending: ArrayLike<number>, what = 'the eigenvalue array'): CheckedSpectrum {
  const values = eigenvaluesAscending instanceof Float64Array ? eigenvaluesAscending : Float64Array.from(eigenvaluesAscending);
  const n = values.length;
  if (n === 0) throw new InputError(`${what} is empty; a spectrum needs at least 2 positive eigenvalues`);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) throw new InputError(`${what} holds ${v} at index ${i}; eigenvalues must be finite numbers`);
    if (i > 0 && v < values[i - 1]!) {
      throw new InputError(`${what} is not ascending (index ${i}: ${v} < ${values[i - 1]}); sort it ascending first`);
    }
    sum += v;
  }
  const lambdaMax = values[n - 1]!;
  if (values[0]! < -NEGATIVE_RELATIVE_TOLERANCE * Math.max(Math.abs(lambdaMax), Number.MIN_VALUE)) {
    throw new InputError(`${what} holds the negative value ${values[0]}; eigenvalues of W^T W are non-negative`);
  }
  const threshold = ZERO_RELATIVE_TOLERANCE * lambdaMax;
  let numZero = 0;
  while (numZero < n && values[numZero]! <= threshold) numZero++;
  return { positive: values.subarray(numZero), numZero, lambdaMax: Math.max(lambdaMax, 0), sum: Math.max(sum, 0) };
}
