import { InputError } from '../errors.js';
import type { Generator } from '../random/index.js';
import { fitPowerLaw } from './powerLawFit.js';
import type { PowerLawMethod } from './powerLawFit.js';

/** The Clauset-Shalizi-Newman goodness-of-fit p-value of a power-law fit. */
export interface BootstrapResult {
  /** Fraction of synthetic data sets whose re-fitted KS distance is at least the data's (CSN 2009, section 4.1). */
  readonly pValue: number;
  /** Synthetic sets drawn. */
  readonly numSets: number;
  /** How many of them had D >= the data's D. */
  readonly numAsExtreme: number;
  /** The data's own KS distance. */
  readonly ksDistance: number;
  /** The method whose xmin rule was re-applied to every synthetic set. */
  readonly method: PowerLawMethod;
}

/**
 * CSN's semi-parametric bootstrap: each synthetic set has the data's size N; each point, with
 * probability n_tail / N, is drawn from the fitted power law (x = xmin (1-u)^(-1/(alpha-1))), and
 * otherwise resampled uniformly from the data below xmin. Each set is re-fitted by the same method
 * (mle_ks re-chooses xmin; hill re-takes the median), and p is the fraction with D at least the
 * data's. A p below ~0.1 rules the power law out (CSN's rule of thumb); the p-value's standard error
 * is about sqrt(p(1-p)/numSets) (CSN suggest 2500 sets for two-decimal accuracy).
 * @param positiveAscending the positive eigenvalues, ascending (the data the fit was made on)
 * @param fit alpha, xmin's index in `positiveAscending`, D
 * @param rng the seeded generator (from `stream`) all draws come from
 */
export function bootstrapPowerLawPValue(
  positiveAscending: Float64Array,
  fit: { readonly alpha: number; readonly xminIndex: number; readonly ksDistance: number; readonly method: PowerLawMethod },
  numSets: number,
  rng: Generator,
): BootstrapResult {
  if (!Number.isInteger(numSets) || numSets < 1) throw new InputError(`numSets must be a positive integer, got ${numSets}`);
  const n = positiveAscending.length;
  const xmin = positiveAscending[fit.xminIndex]!;
  const numBody = fit.xminIndex;
  const tailProbability = (n - numBody) / n;
  const exponent = -1 / (fit.alpha - 1);
  const synthetic = new Float64Array(n);
  let numAsExtreme = 0;
  for (let set = 0; set < numSets; set++) {
    for (let i = 0; i < n; i++) {
      if (numBody === 0 || rng.nextDouble() < tailProbability) synthetic[i] = xmin * (1 - rng.nextDouble()) ** exponent;
      else synthetic[i] = positiveAscending[rng.nextInt(numBody)]!;
    }
    synthetic.sort();
    let distance: number;
    try {
      distance = fitPowerLaw(synthetic, fit.method).ksDistance;
    } catch (error) {
      // A degenerate synthetic set (e.g. a window with no candidate) fits no power law at all: as extreme as can be.
      if (!(error instanceof InputError)) throw error;
      distance = 1;
    }
    if (distance >= fit.ksDistance) numAsExtreme++;
  }
  return { pValue: numAsExtreme / numSets, numSets, numAsExtreme, ksDistance: fit.ksDistance, method: fit.method };
}
