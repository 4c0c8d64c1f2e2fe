/**
 * Eigenvalues (and optionally eigenvectors) of a symmetric tridiagonal matrix by the implicit QL
 * method with Wilkinson shifts (EISPACK tql1/tql2, as in Numerical Recipes' tqli). Values only is
 * O(n^2). For vectors, the rotations of one QL sweep are recorded and then applied row by row to
 * Z (row-major, rotations act on adjacent columns), carrying one value in a register along each
 * row: one load and one store per element per sweep instead of two of each per rotation.
 * Backward stable: absolute error about eps * ||T||.
 */
import { NumericalError } from '../../errors.js';
import { applyDescendingSweep } from './rotationSweeps.js';
import { hypot } from './tridiagonalize.js';

const MAX_SWEEPS_PER_VALUE = 60;

/**
 * Diagonalizes T (diagonal d, off-diagonal e with e[i] coupling i and i + 1; both overwritten, d
 * ends holding the unsorted eigenvalues). With `z` (zRows x n row-major), post-multiplies it by
 * every rotation: starting from the identity (zRows = n), column j ends as the eigenvector of d[j];
 * starting from the row e_{n-1}^T (zRows = 1), entry j ends as the last component of that
 * eigenvector, all Lanczos residuals need, in O(n^2).
 */
export function tridiagonalQl(d: Float64Array, e: Float64Array, n: number, z?: Float64Array, zRows = n): void {
  if (n <= 1) return;
  e[n - 1] = 0;
  const eps = Number.EPSILON;
  // Deflate when e[m] is negligible next to its neighbours or, for blocks at rounding-noise level
  // (which the sweeps' own rounding keeps from converging relatively), next to ||T|| itself: the
  // error bound is absolute (eps ||T||) either way.
  let norm = 0;
  for (let i = 0; i < n; i++) norm = Math.max(norm, Math.abs(d[i]!) + Math.abs(e[i]!) + (i > 0 ? Math.abs(e[i - 1]!) : 0));
  const absoluteTolerance = eps * norm;
  const cosines = new Float64Array(n);
  const sines = new Float64Array(n);
  for (let l = 0; l < n; l++) {
    let iterations = 0;
    for (;;) {
      let m = l;
      for (; m < n - 1; m++) {
        const dd = Math.abs(d[m]!) + Math.abs(d[m + 1]!);
        if (Math.abs(e[m]!) <= eps * dd || Math.abs(e[m]!) <= absoluteTolerance) break;
      }
      if (m === l) break;
      if (++iterations > MAX_SWEEPS_PER_VALUE) {
        throw new NumericalError(`symmetricEigen: the tridiagonal QL iteration did not converge for eigenvalue ${l} of ${n}; check the input for extreme scaling`);
      }
      let g = (d[l + 1]! - d[l]!) / (2 * e[l]!);
      let r = hypot(g, 1);
      g = d[m]! - d[l]! + e[l]! / (g + (g >= 0 ? r : -r));
      let s = 1;
      let c = 1;
      let p = 0;
      let i = m - 1;
      let isUnderflow = false;
      for (; i >= l; i--) {
        const f = s * e[i]!;
        const b = c * e[i]!;
        r = hypot(f, g);
        e[i + 1] = r;
        if (r === 0) {
          d[i + 1] = d[i + 1]! - p;
          e[m] = 0;
          isUnderflow = true;
          break;
        }
        s = f / r;
        c = g / r;
        g = d[i + 1]! - p;
        r = (d[i]! - g) * s + 2 * c * b;
        p = s * r;
        d[i + 1] = g + p;
        g = c * r - b;
        cosines[i] = c;
        sines[i] = s;
      }
      // rotations i = m-1 down to `last` were made (last = l unless the sweep stopped early)
      if (z) applyDescendingSweep(z, zRows, n, m, isUnderflow ? i + 1 : l, cosines, sines);
      if (isUnderflow) continue;
      d[l] = d[l]! - p;
      e[l] = g;
      e[m] = 0;
    }
  }
}
