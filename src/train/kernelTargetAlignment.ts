import { frobeniusNorm, gemv, syrk, type Backend, type Matrix } from '../linalg/index.js';

/**
 * KTA from the pieces it shares with the ridge read-out: `gram` = Z^T Z (h x h), `zty` = Z^T y.
 * KTA = <Z Z^T, y y^T>_F / (||Z Z^T||_F ||y y^T||_F) = ||Z^T y||^2 / (||Z^T Z||_F ||y||^2), since
 * <ZZ^T, yy^T> = (Z^T y)^T (Z^T y), ||ZZ^T||_F = ||Z^T Z||_F (same nonzero eigenvalues) and
 * ||yy^T||_F = ||y||^2: no n x n matrix is formed (SPEC section 6). Invariant to scaling Z, so the
 * ridge features (scaled by 1/sqrt(h)) give the same value as the paper's tanh(Z).
 */
export function kernelTargetAlignmentFromGram(gram: Matrix, zty: ArrayLike<number>, y: ArrayLike<number>): number {
  let numerator = 0;
  for (let j = 0; j < zty.length; j++) numerator += zty[j]! * zty[j]!;
  let ySquared = 0;
  for (let i = 0; i < y.length; i++) ySquared += y[i]! * y[i]!;
  return numerator / (frobeniusNorm(gram) * ySquared);
}

/**
 * Kernel target alignment of features `z` (n x h, one row per sample) with targets `y` (n), in
 * O(n h^2) time and O(h^2) memory.
 */
export async function kernelTargetAlignment(backend: Backend, z: Matrix, y: Float64Array | Float32Array): Promise<number> {
  const gram = await syrk(backend, z, { trans: true });
  const zty = await gemv(backend, z, y, { trans: true });
  return kernelTargetAlignmentFromGram(gram, zty, y);
}
