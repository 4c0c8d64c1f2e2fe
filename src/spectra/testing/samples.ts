/** Seeded samples from the distributions the spectra tests fit (exact inverse-CDF or rejection draws). */
import { stream } from '../../random/index.js';

/** Exact Pareto samples with density ~ x^-alpha on [xmin, inf), by the inverse CDF, ascending. */
export function paretoSamples(count: number, alpha: number, xmin: number, seed: number, name = 'pareto'): Float64Array {
  const rng = stream(seed, name);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) out[i] = xmin * (1 - rng.nextDouble()) ** (-1 / (alpha - 1));
  return out.sort();
}

/** exp(mu + sigma Z) samples, ascending. */
export function lognormalSamples(count: number, mu: number, sigma: number, seed: number): Float64Array {
  const rng = stream(seed, 'lognormal');
  return Float64Array.from({ length: count }, () => Math.exp(mu + sigma * rng.nextNormal())).sort();
}

/** 1 + Exp(lambda) samples, ascending. */
export function exponentialSamples(count: number, lambda: number, seed: number): Float64Array {
  const rng = stream(seed, 'exponential');
  return Float64Array.from({ length: count }, () => 1 - Math.log(1 - rng.nextDouble()) / lambda).sort();
}

/** Truncated power law x^-alpha e^(-lambda x) on [1, inf), by rejection from the Pareto, ascending. */
export function truncatedPowerLawSamples(count: number, alpha: number, lambda: number, seed: number): Float64Array {
  const rng = stream(seed, 'truncated');
  const out: number[] = [];
  while (out.length < count) {
    const x = (1 - rng.nextDouble()) ** (-1 / (alpha - 1));
    if (rng.nextDouble() < Math.exp(-lambda * (x - 1))) out.push(x);
  }
  return Float64Array.from(out).sort();
}
