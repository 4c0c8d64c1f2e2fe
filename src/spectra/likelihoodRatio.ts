import { InputError } from '../errors.js';
import { chiSquareOneSurvival, erfc } from './specialFunctions.js';

/** A log-likelihood-ratio test of the power law against one candidate (the powerlaw package's distribution_compare). */
export interface LikelihoodRatioTest {
  /** R = sum_i (ln p_powerlaw(x_i) - ln p_candidate(x_i)): positive favours the power law, negative the candidate. */
  readonly loglikelihoodRatio: number;
  /** R / sqrt(n * variance of the pointwise differences) (Vuong's statistic, ~ N(0,1) when neither is better). */
  readonly normalizedRatio: number;
  /**
   * Non-nested: Vuong's two-sided p = erfc(|R| / sqrt(2 n variance)), the chance of a |R| this large if
   * both fit equally well (small p: the sign of R is trustworthy). Nested: p = P(chi^2_1 > 2|R|), the
   * chance of an improvement this large if the power law were true (small p: the candidate is
   * significantly better).
   */
  readonly pValue: number;
  /** Whether the nested (chi-square) treatment was used. */
  readonly isNested: boolean;
}

/** powerlaw's floor for a -Infinity log-density: ln(10^-307), so one impossible point cannot make R infinite. */
const LOG_DENSITY_FLOOR = Math.log(1e-307);

/**
 * The log-likelihood ratio, its normalized form and p-value, exactly as powerlaw's
 * `loglikelihood_ratio` computes them (variance with 1/n; -Infinity log-densities floored at
 * ln 1e-307). Nested p-values use the chi-square(1) survival of 2|R| without the boundary halving
 * of Self & Liang (powerlaw does the same; the halved p is pValue / 2).
 * @param first per-point log-densities of the first model (the power law)
 * @param second per-point log-densities of the alternative, same points
 */
export function loglikelihoodRatio(first: Float64Array, second: Float64Array, isNested: boolean): LikelihoodRatioTest {
  const n = first.length;
  if (second.length !== n) throw new InputError(`the two log-likelihood arrays differ in length (${n} vs ${second.length})`);
  if (n === 0) return { loglikelihoodRatio: 0, normalizedRatio: 0, pValue: 1, isNested };
  const differences = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const a = first[i] === -Infinity ? LOG_DENSITY_FLOOR : first[i]!;
    const b = second[i] === -Infinity ? LOG_DENSITY_FLOOR : second[i]!;
    differences[i] = a - b;
    sum += a - b;
  }
  const mean = sum / n;
  let variance = 0;
  for (let i = 0; i < n; i++) variance += (differences[i]! - mean) ** 2;
  variance /= n;
  const scale = Math.sqrt(n * variance);
  const pValue = isNested ? chiSquareOneSurvival(2 * Math.abs(sum)) : scale > 0 ? erfc(Math.abs(sum) / (Math.SQRT2 * scale)) : sum === 0 ? 1 : 0;
  const normalizedRatio = scale > 0 ? sum / scale : sum === 0 ? 0 : Math.sign(sum) * Number.MAX_VALUE;
  return { loglikelihoodRatio: sum, normalizedRatio, pValue, isNested };
}
