/**
 * Symmetric eigen-decomposition in f64 over a backend's kernels: scale to unit max-norm, blocked
 * tridiagonalization (tridiagonalize.ts), then implicit QL on the tridiagonal for values only
 * (tridiagonalEigen.ts) or divide and conquer for eigenvectors (tridiagonalDivideConquer.ts), and
 * a blocked back-transformation X = Q Z applying each panel's compact-WY
 * form I - V T V^T with three backend GEMMs.
 */
import type { Backend } from '../backend.js';
import type { Matrix } from '../matrix.js';
import { applyPanel } from './applyReflectors.js';
import { tridiagonalEigenDivideConquer } from './tridiagonalDivideConquer.js';
import { tridiagonalize } from './tridiagonalize.js';
import { tridiagonalQl } from './tridiagonalEigen.js';

/** Eigenvalues ascending; `vectors` (n x n f64, column j = eigenvector j) when asked. */
export interface SymmetricEigenF64 {
  readonly values: Float64Array;
  readonly vectors?: Matrix<Float64Array>;
}

/**
 * Eigen-decomposition of the symmetric n x n f64 matrix `a`. Reads only the lower triangle (the
 * upper is overwritten by its mirror), and overwrites `a`: pass a copy.
 */
export async function symmetricEigenInPlace(backend: Backend, a: Matrix<Float64Array>, shouldComputeVectors: boolean): Promise<SymmetricEigenF64> {
  const n = a.rows;
  const data = a.data;
  let maxAbs = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) maxAbs = Math.max(maxAbs, Math.abs(data[i * n + j]!));
  }
  const scale = maxAbs === 0 ? 1 : 1 / maxAbs;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const x = data[i * n + j]! * scale;
      data[i * n + j] = x;
      data[j * n + i] = x;
    }
  }
  const form = await tridiagonalize(backend, a, shouldComputeVectors);
  const d = form.diagonal;
  const e = form.offDiagonal;
  if (!shouldComputeVectors) {
    tridiagonalQl(d, e, n);
    const values = Float64Array.from(d).sort();
    for (let j = 0; j < n; j++) values[j] = values[j]! / scale;
    return { values };
  }
  // eigenvectors of T by divide and conquer: values come back ascending, column j for values[j]
  const z = await tridiagonalEigenDivideConquer(backend, d, e, n);
  const values = new Float64Array(n);
  for (let j = 0; j < n; j++) values[j] = d[j]! / scale;
  const vectors = { rows: n, cols: n, data: z };
  for (let p = form.panels.length - 1; p >= 0; p--) await applyPanel(backend, form.panels[p]!, vectors);
  return { values, vectors };
}
