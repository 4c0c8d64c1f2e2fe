import { InputError } from '../errors.js';
import { minimizeNelderMead } from './nelderMead.js';
import { logErfc, logIncompleteGammaIntegral } from './specialFunctions.js';

/** The alternative distributions a power-law tail is compared against. */
export type CandidateName = 'exponential' | 'lognormal' | 'truncated_power_law';

/** A candidate fitted by maximum likelihood to the tail x >= xmin (continuous, normalized on [xmin, inf)). */
export interface CandidateFit {
  readonly candidate: CandidateName;
  /** Fitted parameters in the eigenvalues' units: exponential {lambda}; lognormal {mu, sigma} (of ln x); truncated_power_law {alpha, lambda}. */
  readonly parameters: Readonly<Record<string, number>>;
  /** Sum of the log-densities over the tail. */
  readonly logLikelihood: number;
  /** Per-point log-densities, in the tail's order (ascending). */
  readonly logDensities: Float64Array;
}

/**
 * One candidate family. Everything runs on the scaled tail y = x / xmin >= 1 (better conditioned,
 * and the log-densities differ from the unscaled ones by the same -ln xmin for every family, which
 * cancels in every likelihood ratio); parameters are converted back for reporting.
 */
interface CandidateFamily {
  /** Whether the power law is a special case of the family (decides the LLR test; never inferred from names). */
  readonly isNested: boolean;
  fitScaled(y: Float64Array, powerLawAlpha: number): Float64Array;
  /** The log-density y -> ln p(y) for fixed parameters (normalizer computed once). */
  logDensityScaled(parameters: Float64Array): (y: number) => number;
  toOriginalUnits(parameters: Float64Array, xmin: number): Record<string, number>;
}

const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

/** Exponential p(y) = kappa e^{-kappa (y - 1)}: the MLE is closed form, kappa = 1 / (mean(y) - 1). */
const exponential: CandidateFamily = {
  isNested: false,
  fitScaled(y) {
    let sum = 0;
    for (let i = 0; i < y.length; i++) sum += y[i]!;
    const excess = sum / y.length - 1;
    if (!(excess > 0)) throw new InputError('the tail has no spread above xmin, so an exponential cannot be fitted');
    return Float64Array.of(1 / excess);
  },
  logDensityScaled([kappa]) {
    const logKappa = Math.log(kappa!);
    return (y) => logKappa - kappa! * (y - 1);
  },
  toOriginalUnits: ([kappa], xmin) => ({ lambda: kappa! / xmin }),
};

/**
 * Lognormal truncated to y >= 1: p(y) = phi((ln y - mu)/sigma) / (y sigma) / (erfc(-mu / (sigma sqrt 2)) / 2).
 * No closed-form MLE under truncation: Nelder-Mead over (mu, ln sigma) from the untruncated moments
 * of ln y, as the powerlaw package does (with scipy's fmin).
 */
const lognormal: CandidateFamily = {
  isNested: false,
  fitScaled(y) {
    const n = y.length;
    let mean = 0;
    for (let i = 0; i < n; i++) mean += Math.log(y[i]!);
    mean /= n;
    let variance = 0;
    for (let i = 0; i < n; i++) variance += (Math.log(y[i]!) - mean) ** 2;
    const sigma0 = Math.sqrt(variance / n) || 1;
    const negative = (p: Float64Array): number => -sumLogDensity(y, p, lognormal);
    const run = minimizeNelderMead((p) => negative(Float64Array.of(p[0]!, Math.exp(p[1]!))), [mean, Math.log(sigma0)], [sigma0, 0.5]);
    return Float64Array.of(run.point[0]!, Math.exp(run.point[1]!));
  },
  logDensityScaled([mu, sigma]) {
    const constant = -Math.log(sigma!) - HALF_LOG_TWO_PI + Math.LN2 - logErfc(-mu! / (sigma! * Math.SQRT2));
    return (y) => {
      const logY = Math.log(y);
      const z = (logY - mu!) / sigma!;
      return constant - logY - 0.5 * z * z;
    };
  },
  toOriginalUnits: ([mu, sigma], xmin) => ({ mu: mu! + Math.log(xmin), sigma: sigma! }),
};

/**
 * Truncated power law p(y) = y^-alpha e^{-kappa y} / Z, Z = integral_1^inf t^-alpha e^{-kappa t} dt =
 * I(1 - alpha, kappa) (= kappa^(alpha-1) Gamma(1 - alpha, kappa), see specialFunctions). Nelder-Mead over
 * (alpha, ln kappa) from the power law's alpha and kappa = 1 / mean(y) (powerlaw's start). The power
 * law is its kappa -> 0 limit; when the search ends below that limit's likelihood, the limit is kept
 * (kappa = 0), so the nested likelihood ratio is never positive. The search is constrained to
 * powerlaw's standard range alpha > 1 (Truncated_Power_Law._in_standard_parameter_range): without
 * it, a bulk-like tail drives alpha far below 1 (e.g. -21 on a Gaussian bulk), where e^{-kappa y}
 * does all the fitting and the likelihood ratio against the power law is inflated.
 */
/** The truncated power law's alpha is searched above this (powerlaw's standard range: alpha > 1). */
export const TRUNCATED_POWER_LAW_MIN_ALPHA = 1;

const truncatedPowerLaw: CandidateFamily = {
  isNested: true,
  fitScaled(y, powerLawAlpha) {
    let mean = 0;
    for (let i = 0; i < y.length; i++) mean += y[i]!;
    mean /= y.length;
    const objective = (p: Float64Array): number => (p[0]! > TRUNCATED_POWER_LAW_MIN_ALPHA ? -sumLogDensity(y, Float64Array.of(p[0]!, Math.exp(p[1]!)), truncatedPowerLaw) : Infinity);
    let best: { point: Float64Array; value: number } = { point: Float64Array.of(powerLawAlpha, -Infinity), value: -sumLogDensity(y, Float64Array.of(powerLawAlpha, 0), truncatedPowerLaw) };
    for (const logKappa of [-Math.log(mean), -Math.log(mean) - 6]) {
      const run = minimizeNelderMead(objective, [powerLawAlpha, logKappa], [0.1 * (powerLawAlpha - 1) + 0.05, 1]);
      if (run.value < best.value) best = run;
    }
    const kappa = Math.exp(best.point[1]!);
    // kappa underflowing to 0 is the power-law limit itself: report it exactly (alpha = the power law's MLE).
    return kappa > 0 ? Float64Array.of(best.point[0]!, kappa) : Float64Array.of(powerLawAlpha, 0);
  },
  logDensityScaled([alpha, kappa]) {
    const logNormalizer = kappa! > 0 ? logIncompleteGammaIntegral(1 - alpha!, kappa!) : alpha! > 1 ? -Math.log(alpha! - 1) : Infinity;
    return (y) => -alpha! * Math.log(y) - kappa! * y - logNormalizer;
  },
  toOriginalUnits: ([alpha, kappa], xmin) => ({ alpha: alpha!, lambda: kappa! / xmin }),
};

function sumLogDensity(y: Float64Array, parameters: Float64Array, family: CandidateFamily): number {
  const logDensity = family.logDensityScaled(parameters);
  let sum = 0;
  for (let i = 0; i < y.length; i++) sum += logDensity(y[i]!);
  return sum;
}

/** The candidate families by name: the one table that `compare` and the CLI read. */
export const CANDIDATES: Readonly<Record<CandidateName, CandidateFamily>> = {
  exponential,
  lognormal,
  truncated_power_law: truncatedPowerLaw,
};

/** Whether the power law is nested in the candidate (explicit table, never inferred from names). */
export function isNestedCandidate(candidate: CandidateName): boolean {
  return checkCandidate(candidate).isNested;
}

function checkCandidate(candidate: CandidateName): CandidateFamily {
  const family = (CANDIDATES as Record<string, CandidateFamily | undefined>)[candidate];
  if (!family) throw new InputError(`unknown candidate distribution '${candidate}'; allowed: ${Object.keys(CANDIDATES).join(', ')}`);
  return family;
}

/**
 * Fits a candidate to the tail by maximum likelihood.
 * @param tail the tail values x >= xmin, ascending
 * @param xmin the lower cutoff shared with the power-law fit
 * @param powerLawAlpha the power law's alpha (start of the truncated power law search)
 */
export function fitCandidate(candidate: CandidateName, tail: Float64Array, xmin: number, powerLawAlpha: number): CandidateFit {
  const family = checkCandidate(candidate);
  const y = new Float64Array(tail.length);
  for (let i = 0; i < tail.length; i++) y[i] = tail[i]! / xmin;
  const parameters = family.fitScaled(y, powerLawAlpha);
  const logXmin = Math.log(xmin);
  const logDensities = new Float64Array(y.length);
  let logLikelihood = 0;
  const logDensity = family.logDensityScaled(parameters);
  for (let i = 0; i < y.length; i++) {
    logDensities[i] = logDensity(y[i]!) - logXmin;
    logLikelihood += logDensities[i]!;
  }
  return { candidate, parameters: family.toOriginalUnits(parameters, xmin), logLikelihood, logDensities };
}

/** Per-point log-densities of the continuous power law alpha on [xmin, inf): ln(alpha-1) - ln xmin - alpha ln(x/xmin). */
export function powerLawLogDensities(tail: Float64Array, xmin: number, alpha: number): Float64Array {
  const out = new Float64Array(tail.length);
  const constant = Math.log(alpha - 1) - Math.log(xmin);
  for (let i = 0; i < tail.length; i++) out[i] = constant - alpha * Math.log(tail[i]! / xmin);
  return out;
}
