import type { FloatArray } from '../linalg/index.js';

/**
 * Rescales `weights` in place to Frobenius norm `targetNorm` (SPEC 4: sqrt(h * d) for W, applied
 * before every step). Returns the norm it had. A zero (or non-finite) array is left as it is.
 */
export function normalizeFrobeniusInPlace(weights: FloatArray, targetNorm: number): number {
  let sumSquares = 0;
  for (let i = 0; i < weights.length; i++) sumSquares += weights[i]! * weights[i]!;
  const norm = Math.sqrt(sumSquares);
  if (norm > 0 && Number.isFinite(norm)) {
    const scale = targetNorm / norm;
    for (let i = 0; i < weights.length; i++) weights[i] = weights[i]! * scale;
  }
  return norm;
}
