import { checkSpectrum } from './checkSpectrum.js';

/** WeightWatcher's scale metrics of one layer (base-10 logs). */
export interface ScaleMetrics {
  /** log10 ||W||_F = 0.5 log10(sum lambda) (WeightWatcher's log_norm). */
  readonly log10FrobeniusNorm: number;
  /** log10 lambda_max, lambda_max = sigma_max^2 (WeightWatcher's log_spectral_norm; the paper calls lambda_max the spectral norm). */
  readonly log10SpectralNorm: number;
  /** alpha * log10 lambda_max (WeightWatcher's alpha_weighted, the paper's alphahat). */
  readonly alphaWeighted: number;
  /** log10 sum_i lambda_i^alpha over all eigenvalues (WeightWatcher's log_alpha_norm), by log-sum-exp so it never overflows. */
  readonly logAlphaNorm: number;
}

/**
 * The scale metrics of an ascending ESD for a fitted alpha (any of the power-law fits; NaN alpha
 * gives NaN for the two alpha metrics). Numerically-zero eigenvalues add nothing to the sums.
 */
export function scaleMetrics(eigenvaluesAscending: ArrayLike<number>, alpha: number): ScaleMetrics {
  const { positive, lambdaMax, sum } = checkSpectrum(eigenvaluesAscending);
  const logMax = Math.log(lambdaMax);
  let scaled = 0;
  for (let i = 0; i < positive.length; i++) scaled += Math.exp(alpha * (Math.log(positive[i]!) - logMax));
  return {
    log10FrobeniusNorm: 0.5 * Math.log10(sum),
    log10SpectralNorm: Math.log10(lambdaMax),
    alphaWeighted: alpha * Math.log10(lambdaMax),
    logAlphaNorm: (alpha * logMax + Math.log(scaled)) / Math.LN10,
  };
}
