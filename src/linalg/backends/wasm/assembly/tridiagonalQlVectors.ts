// Eigenvalues and eigenvectors of a symmetric tridiagonal matrix (implicit QL with Wilkinson
// shifts, EISPACK tql2). One task runs the O(n^2) QL iteration and records each sweep's rotations
// (cos, sin) in a buffer; when the buffer is nearly full (and at the end) pool tasks apply the
// recorded sweeps, in order, each to its own range of columns of Zt, and the QL task resumes.
//
// Zt is Z transposed (row j of Zt = column j of Z, n x n row-major) and starts as the identity,
// so row j ends as the eigenvector of d[j]. A rotation of a sweep combines two adjacent rows of Zt,
// so it runs with v128 loads across columns; a task walks its columns in chunks of 8 and applies
// all recorded sweeps to one chunk (n x 8 values, which stays in L2) before the next, carrying the
// running row of each sweep in registers: one load and one store per element per rotation.
import { hypot } from './tridiagonalize';

// @ts-ignore: decorator
@inline
function at(base: usize, index: i32): usize {
  return base + (<usize>index << 3);
}

/**
 * Runs the QL iteration on d, e (overwritten; d ends holding the unsorted eigenvalues), recording
 * each sweep's rotations, until the rotation buffer could overflow or all values have converged;
 * the caller then applies the recorded sweeps to Zt (applySweepsTask, on all workers) and calls
 * again. `state` holds three i32: the eigenvalue l to resume at, its sweeps so far, and the result:
 * 0 running, 1 done, 2 + l when eigenvalue l did not converge in 60 sweeps; then, at byte 16, the
 * absolute deflation tolerance as f64 (zero all 24 bytes before the first call). rotations: capacity (cos, sin) pairs; sweeps: capacity x 3 i32 (top, last,
 * first pair); capacity >= n. Returns the number of sweeps recorded.
 */
export function tridiagonalQlRecord(n: i32, d: usize, e: usize, rotations: usize, sweeps: usize, capacity: i32, state: usize): i32 {
  let used = 0;
  let sweepCount = 0;
  if (n <= 1) {
    store<i32>(state, 1, 8);
    return 0;
  }
  store<f64>(at(e, n - 1), 0);
  const eps = f64.EPSILON;
  // Deflate when e[m] is negligible next to its neighbours or, for blocks at rounding-noise level
  // (which the sweeps' own rounding keeps from converging relatively), next to ||T||: the error
  // bound is absolute (eps ||T||) either way (as src/linalg/algorithms/tridiagonalEigen.ts).
  let norm: f64 = 0;
  for (let i = 0; i < n; i++) {
    norm = max(norm, abs(load<f64>(at(d, i))) + abs(load<f64>(at(e, i))) + (i > 0 ? abs(load<f64>(at(e, i - 1))) : 0));
  }
  // fixed at the first call, so that resuming does not change the deflation test
  if (load<f64>(state, 16) == 0) store<f64>(state, eps * norm, 16);
  const absoluteTolerance = load<f64>(state, 16);
  let l = load<i32>(state);
  let iterations = load<i32>(state, 4);
  for (; l < n; l++) {
    for (;;) {
      let m = l;
      for (; m < n - 1; m++) {
        const dd = abs(load<f64>(at(d, m))) + abs(load<f64>(at(d, m + 1)));
        const em = abs(load<f64>(at(e, m)));
        if (em <= eps * dd || em <= absoluteTolerance) break;
      }
      if (m == l) break;
      if (++iterations > 60) {
        store<i32>(state, 2 + l, 8);
        return sweepCount;
      }
      if (used + n > capacity || sweepCount == capacity) {
        // resume this sweep next call
        store<i32>(state, l);
        store<i32>(state, iterations - 1, 4);
        return sweepCount;
      }
      const dl = load<f64>(at(d, l));
      const el = load<f64>(at(e, l));
      let g = (load<f64>(at(d, l + 1)) - dl) / (2 * el);
      let r = hypot(g, 1);
      g = load<f64>(at(d, m)) - dl + el / (g + (g >= 0 ? r : -r));
      let s: f64 = 1;
      let c: f64 = 1;
      let p: f64 = 0;
      let isUnderflow = false;
      let i = m - 1;
      // rotation i of this sweep is stored as pair used + (m - 1 - i)
      for (; i >= l; i--) {
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
        const pair = rotations + (<usize>(used + m - 1 - i) << 4);
        store<f64>(pair, c);
        store<f64>(pair, s, 8);
      }
      const last = isUnderflow ? i + 1 : l;
      if (m > last) {
        const descriptor = sweeps + <usize>(sweepCount * 12);
        store<i32>(descriptor, m);
        store<i32>(descriptor, last, 4);
        store<i32>(descriptor, used, 8);
        sweepCount++;
        used += m - last;
      }
      if (isUnderflow) continue;
      store<f64>(at(d, l), load<f64>(at(d, l)) - p);
      store<f64>(at(e, l), g);
      store<f64>(at(e, m), 0);
    }
    iterations = 0;
  }
  store<i32>(state, n);
  store<i32>(state, 1, 8);
  return sweepCount;
}

/** applySweeps for a pool task: columns [k0, k1) of Zt (k0 a multiple of 8 for aligned chunks). */
export function applySweepsTask(n: i32, zt: usize, rotations: usize, sweeps: usize, sweepCount: i32, k0: i32, k1: i32): void {
  applySweeps(n, zt, rotations, sweeps, sweepCount, k0, k1);
}

/** Applies the recorded sweeps, in order, to columns [k0, k1) of Zt. */
function applySweeps(n: i32, zt: usize, rotations: usize, sweeps: usize, sweepCount: i32, k0: i32, k1: i32): void {
  const rowBytes = <usize>n << 3;
  let k = k0;
  for (; k + 8 <= k1; k += 8) {
    const column = zt + (<usize>k << 3);
    for (let q = 0; q < sweepCount; q++) {
      const descriptor = sweeps + <usize>(q * 12);
      const top = load<i32>(descriptor);
      const last = load<i32>(descriptor, 4);
      let pair = rotations + (<usize>load<i32>(descriptor, 8) << 4);
      let row = column + <usize>top * rowBytes;
      let f0 = v128.load(row), f1 = v128.load(row, 16), f2 = v128.load(row, 32), f3 = v128.load(row, 48);
      for (let i = top - 1; i >= last; i--) {
        const c = v128.load_splat<f64>(pair);
        const s = v128.load_splat<f64>(pair, 8);
        pair += 16;
        const below = row;
        row -= rowBytes;
        const z0 = v128.load(row), z1 = v128.load(row, 16), z2 = v128.load(row, 32), z3 = v128.load(row, 48);
        v128.store(below, f64x2.add(f64x2.mul(s, z0), f64x2.mul(c, f0)));
        v128.store(below, f64x2.add(f64x2.mul(s, z1), f64x2.mul(c, f1)), 16);
        v128.store(below, f64x2.add(f64x2.mul(s, z2), f64x2.mul(c, f2)), 32);
        v128.store(below, f64x2.add(f64x2.mul(s, z3), f64x2.mul(c, f3)), 48);
        f0 = f64x2.sub(f64x2.mul(c, z0), f64x2.mul(s, f0));
        f1 = f64x2.sub(f64x2.mul(c, z1), f64x2.mul(s, f1));
        f2 = f64x2.sub(f64x2.mul(c, z2), f64x2.mul(s, f2));
        f3 = f64x2.sub(f64x2.mul(c, z3), f64x2.mul(s, f3));
      }
      v128.store(row, f0);
      v128.store(row, f1, 16);
      v128.store(row, f2, 32);
      v128.store(row, f3, 48);
    }
  }
  for (; k < k1; k++) {
    const column = zt + (<usize>k << 3);
    for (let q = 0; q < sweepCount; q++) {
      const descriptor = sweeps + <usize>(q * 12);
      const top = load<i32>(descriptor);
      const last = load<i32>(descriptor, 4);
      let pair = rotations + (<usize>load<i32>(descriptor, 8) << 4);
      let row = column + <usize>top * rowBytes;
      let f = load<f64>(row);
      for (let i = top - 1; i >= last; i--) {
        const c = load<f64>(pair);
        const s = load<f64>(pair, 8);
        pair += 16;
        const below = row;
        row -= rowBytes;
        const z = load<f64>(row);
        store<f64>(below, s * z + c * f);
        f = c * z - s * f;
      }
      store<f64>(row, f);
    }
  }
}
