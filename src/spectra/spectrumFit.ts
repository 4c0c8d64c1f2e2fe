import { InputError } from '../errors.js';
import type { Generator } from '../random/index.js';
import { bootstrapPowerLawPValue } from './bootstrapPValue.js';
import type { BootstrapResult } from './bootstrapPValue.js';
import { CANDIDATES, fitCandidate, powerLawLogDensities } from './candidates.js';
import type { CandidateFit, CandidateName } from './candidates.js';
import { checkSpectrum } from './checkSpectrum.js';
import type { CheckedSpectrum } from './checkSpectrum.js';
import { loglikelihoodRatio } from './likelihoodRatio.js';
import type { LikelihoodRatioTest } from './likelihoodRatio.js';
import { fitPowerLaw } from './powerLawFit.js';
import type { PowerLawFit, PowerLawMethod } from './powerLawFit.js';

/** Options of `fitSpectrum`. */
export interface SpectrumFitOptions {
  /** Which power-law fit the comparisons and the bootstrap use (default 'mle_ks', as the powerlaw package). */
  readonly method?: PowerLawMethod;
}

/** One row of `SpectrumFit.compare`: the power law against a candidate on the same tail. */
export interface CandidateComparison extends LikelihoodRatioTest {
  readonly candidate: CandidateName;
  /** The candidate's maximum-likelihood parameters (eigenvalue units). */
  readonly parameters: Readonly<Record<string, number>>;
}

/**
 * One fit of an ascending spectrum, many questions (after the powerlaw package's `Fit`): the three
 * power-law fits (computed on first access, then memoized), likelihood-ratio comparisons against
 * the candidate families, and the bootstrap goodness-of-fit p-value. Everything it returns is
 * plain JSON-serializable data; the input is validated once, here.
 */
export class SpectrumFit {
  /** The method `compare` and `bootstrapPValue` use. */
  readonly method: PowerLawMethod;
  private readonly spectrum: CheckedSpectrum;
  private readonly fits = new Map<PowerLawMethod, PowerLawFit>();
  private readonly candidates = new Map<CandidateName, CandidateFit>();

  constructor(eigenvaluesAscending: ArrayLike<number>, options: SpectrumFitOptions = {}) {
    this.spectrum = checkSpectrum(eigenvaluesAscending);
    this.method = options.method ?? 'mle_ks';
    if (this.spectrum.positive.length < 2) {
      throw new InputError(`a power-law fit needs at least 2 positive eigenvalues, got ${this.spectrum.positive.length}`);
    }
  }

  /** The Hill fit at xmin = the median eigenvalue. */
  get hill(): PowerLawFit {
    return this.powerLaw('hill');
  }

  /** The MLE fit with the KS-minimizing xmin. */
  get mleKs(): PowerLawFit {
    return this.powerLaw('mle_ks');
  }

  /** The MLE-KS fit restricted to the window around the log-histogram peak. */
  get xminPeak(): PowerLawFit {
    return this.powerLaw('xmin_peak');
  }

  /** The fit by a given method (memoized). */
  powerLaw(method: PowerLawMethod): PowerLawFit {
    let fit = this.fits.get(method);
    if (!fit) {
      fit = fitPowerLaw(this.spectrum.positive, method);
      fit = { ...fit, xminIndex: fit.xminIndex + this.spectrum.numZero, numZeroEigenvalues: this.spectrum.numZero };
      this.fits.set(method, fit);
    }
    return fit;
  }

  /** The tail x >= xmin of `method`'s fit (a view). */
  private tail(): Float64Array {
    return this.spectrum.positive.subarray(this.powerLaw(this.method).xminIndex - this.spectrum.numZero);
  }

  /** The candidate's maximum-likelihood fit on the power law's tail (memoized). */
  candidate(name: CandidateName): CandidateFit {
    let fit = this.candidates.get(name);
    if (!fit) {
      const powerLaw = this.powerLaw(this.method);
      fit = fitCandidate(name, this.tail(), powerLaw.xmin, powerLaw.alpha);
      this.candidates.set(name, fit);
    }
    return fit;
  }

  /**
   * The log-likelihood-ratio test of the power law against `candidate` on the tail x >= xmin
   * (R > 0 favours the power law). Non-nested candidates (exponential, lognormal) get Vuong's
   * two-sided p; the truncated power law, which nests the power law, gets the chi-square(1) p.
   */
  compare(candidate: CandidateName): CandidateComparison {
    if (!(candidate in CANDIDATES)) {
      throw new InputError(`unknown candidate distribution '${candidate}'; allowed: ${Object.keys(CANDIDATES).join(', ')}`);
    }
    const powerLaw = this.powerLaw(this.method);
    const fit = this.candidate(candidate);
    const powerLawDensities = powerLawLogDensities(this.tail(), powerLaw.xmin, powerLaw.alpha);
    const test = loglikelihoodRatio(powerLawDensities, fit.logDensities, CANDIDATES[candidate].isNested);
    if (test.isNested && test.loglikelihoodRatio > -1e-9 * powerLawDensities.length) {
      // The nesting model can never fit worse than the power law: R > 0, or an improvement at
      // round-off level (whose normalized ratio would be noise over noise), means "no improvement".
      return { candidate, parameters: fit.parameters, loglikelihoodRatio: 0, normalizedRatio: 0, pValue: 1, isNested: true };
    }
    return { candidate, parameters: fit.parameters, ...test };
  }

  /**
   * The Clauset-Shalizi-Newman bootstrap p-value of the power-law fit (not memoized: it depends on
   * the generator's state). Cost: numSets re-fits of an N-point spectrum.
   * @param options.numSets synthetic data sets (default 100; CSN suggest 2500 for p to two decimals)
   * @param options.rng the seeded generator every draw comes from
   */
  bootstrapPValue({ numSets = 100, rng }: { numSets?: number; rng: Generator }): BootstrapResult {
    const fit = this.powerLaw(this.method);
    return bootstrapPowerLawPValue(
      this.spectrum.positive,
      { alpha: fit.alpha, xminIndex: fit.xminIndex - this.spectrum.numZero, ksDistance: fit.ksDistance, method: this.method },
      numSets,
      rng,
    );
  }
}

/**
 * Fits an ascending eigenvalue array once and answers many questions about it (see SpectrumFit).
 * Throws InputError for NaN/Inf, unsorted or negative input, or fewer than 2 positive eigenvalues.
 */
export function fitSpectrum(eigenvaluesAscending: ArrayLike<number>, options: SpectrumFitOptions = {}): SpectrumFit {
  return new SpectrumFit(eigenvaluesAscending, options);
}
