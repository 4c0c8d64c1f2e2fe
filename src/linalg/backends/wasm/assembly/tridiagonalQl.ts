// Eigenvalues of a symmetric tridiagonal matrix by the implicit QL method with Wilkinson shifts
// (EISPACK tql1, as src/linalg/algorithms/tridiagonalEigen.ts does in TypeScript), O(n^2). The
// eigenvector variant is tridiagonalQlVectors.ts.
import { hypot } from './tridiagonalize';

// @ts-ignore: decorator
@inline
function at(base: usize, index: i32): usize {
  return base + (<usize>index << 3);
}

/**
 * Diagonalizes T (diagonal d, off-diagonal e, e[i] couples i and i + 1; both overwritten, d ends
 * holding the unsorted eigenvalues). Returns 0, or 1 + l when eigenvalue l did not converge within
 * 60 sweeps.
 */
export function tridiagonalQl(n: i32, d: usize, e: usize): i32 {
  if (n <= 1) return 0;
  store<f64>(at(e, n - 1), 0);
  const eps = f64.EPSILON;
  // Deflate when e[m] is negligible next to its neighbours or, for blocks at rounding-noise level
  // (which the sweeps' own rounding keeps from converging relatively), next to ||T||: the error
  // bound is absolute (eps ||T||) either way (as src/linalg/algorithms/tridiagonalEigen.ts).
  let norm: f64 = 0;
  for (let i = 0; i < n; i++) {
    norm = max(norm, abs(load<f64>(at(d, i))) + abs(load<f64>(at(e, i))) + (i > 0 ? abs(load<f64>(at(e, i - 1))) : 0));
  }
  const absoluteTolerance = eps * norm;
  for (let l = 0; l < n; l++) {
    let iterations = 0;
    for (;;) {
      let m = l;
      for (; m < n - 1; m++) {
        const dd = abs(load<f64>(at(d, m))) + abs(load<f64>(at(d, m + 1)));
        const em = abs(load<f64>(at(e, m)));
        if (em <= eps * dd || em <= absoluteTolerance) break;
      }
      if (m == l) break;
      if (++iterations > 60) return 1 + l;
      const dl = load<f64>(at(d, l));
      const el = load<f64>(at(e, l));
      let g = (load<f64>(at(d, l + 1)) - dl) / (2 * el);
      let r = hypot(g, 1);
      g = load<f64>(at(d, m)) - dl + el / (g + (g >= 0 ? r : -r));
      let s: f64 = 1;
      let c: f64 = 1;
      let p: f64 = 0;
      let isUnderflow = false;
      for (let i = m - 1; i >= l; i--) {
        const ei = load<f64>(at(e, i));
        const f = s * ei;
        const bb = c * ei;
        r = hypot(f, g);
        store<f64>(at(e, i + 1), r);
        if (r == 0) {
          store<f64>(at(d, i + 1), load<f64>(at(d, i + 1)) - p);
          store<f64>(at(e, m), 0);
          isUnderflow = true;
          break;
        }
        s = f / r;
        c = g / r;
        g = load<f64>(at(d, i + 1)) - p;
        r = (load<f64>(at(d, i)) - g) * s + 2 * c * bb;
        p = s * r;
        store<f64>(at(d, i + 1), g + p);
        g = c * r - bb;
      }
      if (isUnderflow) continue;
      store<f64>(at(d, l), load<f64>(at(d, l)) - p);
      store<f64>(at(e, l), g);
      store<f64>(at(e, m), 0);
    }
  }
  return 0;
}
