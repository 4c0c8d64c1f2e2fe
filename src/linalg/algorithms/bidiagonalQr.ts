/**
 * Singular values (and optionally vectors) of an upper bidiagonal matrix by Golub-Kahan implicit
 * zero-shift/shifted QR (Golub & Reinsch 1970), following LINPACK's dsvdc as restructured in JAMA.
 * Backward stable: absolute error about eps * ||B||, so small and zero singular values of
 * rank-deficient matrices come out right. Singular vectors are accumulated as the columns of
 * row-major U and V: the rotations of one QR sweep are recorded and then applied row by row,
 * carrying one value in a register, so each sweep reads and writes each element once.
 */
import { NumericalError } from '../../errors.js';
import { applyAscendingSweep } from './rotationSweeps.js';
import { hypot } from './tridiagonalize.js';

const MAX_ITERATIONS_PER_VALUE = 75;

/**
 * Implicit-shift QR (Golub-Kahan) on the upper bidiagonal of order n (s diagonal, e[k] = B[k][k+1],
 * e[n-1] ignored), in place: s ends holding the singular values, descending. With `u` (uRows x n)
 * and `v` (vRows x n), row-major, post-multiplies them by the left and right rotations so that,
 * starting from identities, B = U diag(s) V^T; their columns are permuted along with s.
 */
export function bidiagonalQr(s: Float64Array, e: Float64Array, n: number, u?: Float64Array, uRows = 0, v?: Float64Array, vRows = 0): void {
  const eps = Number.EPSILON;
  const tiny = 2 ** -966;
  const leftCos = new Float64Array(n);
  const leftSin = new Float64Array(n);
  const rightCos = new Float64Array(n);
  const rightSin = new Float64Array(n);
  let iterations = 0;
  let p = n;
  if (n > 0) e[n - 1] = 0;
  // absolute floor for negligible superdiagonal entries: eps ||B|| (the error bound is absolute anyway)
  let norm = 0;
  for (let i = 0; i < n; i++) norm = Math.max(norm, Math.abs(s[i]!) + Math.abs(e[i]!));
  const absoluteTolerance = eps * norm;
  while (p > 0) {
    let k: number;
    let kase: number;
    for (k = p - 2; k >= 0; k--) {
      if (Math.abs(e[k]!) <= tiny + eps * (Math.abs(s[k]!) + Math.abs(s[k + 1]!)) || Math.abs(e[k]!) <= absoluteTolerance) {
        e[k] = 0;
        break;
      }
    }
    if (k === p - 2) kase = 4;
    else {
      let ks: number;
      for (ks = p - 1; ks > k; ks--) {
        const t = (ks !== p ? Math.abs(e[ks]!) : 0) + (ks !== k + 1 ? Math.abs(e[ks - 1]!) : 0);
        if (Math.abs(s[ks]!) <= tiny + eps * t) {
          s[ks] = 0;
          break;
        }
      }
      if (ks === k) kase = 3;
      else if (ks === p - 1) kase = 1;
      else {
        kase = 2;
        k = ks;
      }
    }
    k++;
    if (kase === 1) {
      // deflate a negligible s[p-1]: rotations on columns (j, p-1) of V
      let f = e[p - 2]!;
      e[p - 2] = 0;
      for (let j = p - 2; j >= k; j--) {
        const t = hypot(s[j]!, f);
        const cs = s[j]! / t;
        const sn = f / t;
        s[j] = t;
        if (j !== k) {
          f = -sn * e[j - 1]!;
          e[j - 1] = cs * e[j - 1]!;
        }
        if (v) rotateColumns(v, vRows, n, j, p - 1, cs, sn);
      }
    } else if (kase === 2) {
      // split at a negligible s[k-1]: rotations on columns (j, k-1) of U
      let f = e[k - 1]!;
      e[k - 1] = 0;
      for (let j = k; j < p; j++) {
        const t = hypot(s[j]!, f);
        const cs = s[j]! / t;
        const sn = f / t;
        s[j] = t;
        f = -sn * e[j]!;
        e[j] = cs * e[j]!;
        if (u) rotateColumns(u, uRows, n, j, k - 1, cs, sn);
      }
    } else if (kase === 3) {
      if (++iterations > MAX_ITERATIONS_PER_VALUE) {
        throw new NumericalError(`svd: the bidiagonal QR iteration did not converge for singular value ${p - 1} of ${n}; check the input for extreme scaling`);
      }
      const scale = Math.max(Math.abs(s[p - 1]!), Math.abs(s[p - 2]!), Math.abs(e[p - 2]!), Math.abs(s[k]!), Math.abs(e[k]!));
      const sp = s[p - 1]! / scale;
      const spm1 = s[p - 2]! / scale;
      const epm1 = e[p - 2]! / scale;
      const sk = s[k]! / scale;
      const ek = e[k]! / scale;
      const b = ((spm1 + sp) * (spm1 - sp) + epm1 * epm1) / 2;
      const c = sp * epm1 * (sp * epm1);
      let shift = 0;
      if (b !== 0 || c !== 0) {
        shift = Math.sqrt(b * b + c);
        if (b < 0) shift = -shift;
        shift = c / (b + shift);
      }
      let f = (sk + sp) * (sk - sp) + shift;
      let g = sk * ek;
      for (let j = k; j < p - 1; j++) {
        let t = hypot(f, g);
        let cs = t === 0 ? 1 : f / t;
        let sn = t === 0 ? 0 : g / t;
        if (j !== k) e[j - 1] = t;
        f = cs * s[j]! + sn * e[j]!;
        e[j] = cs * e[j]! - sn * s[j]!;
        g = sn * s[j + 1]!;
        s[j + 1] = cs * s[j + 1]!;
        rightCos[j] = cs;
        rightSin[j] = sn;
        t = hypot(f, g);
        cs = t === 0 ? 1 : f / t;
        sn = t === 0 ? 0 : g / t;
        s[j] = t;
        f = cs * e[j]! + sn * s[j + 1]!;
        s[j + 1] = -sn * e[j]! + cs * s[j + 1]!;
        g = sn * e[j + 1]!;
        e[j + 1] = cs * e[j + 1]!;
        leftCos[j] = cs;
        leftSin[j] = sn;
      }
      e[p - 2] = f;
      if (v) applyAscendingSweep(v, vRows, n, k, p - 1, rightCos, rightSin);
      if (u) applyAscendingSweep(u, uRows, n, k, p - 1, leftCos, leftSin);
    } else {
      // converged: make s[k] non-negative (flipping its right vector)
      if (s[k]! <= 0) {
        s[k] = s[k]! < 0 ? -s[k]! : 0;
        if (v) for (let r = 0; r < vRows; r++) v[r * n + k] = -v[r * n + k]!;
      }
      iterations = 0;
      p--;
    }
  }
  sortDescending(s, n, u, uRows, v, vRows);
}

/** Columns a and b of x (rows x n): (x_a, x_b) := (cs x_a + sn x_b, -sn x_a + cs x_b). */
function rotateColumns(x: Float64Array, rows: number, n: number, a: number, b: number, cs: number, sn: number): void {
  for (let r = 0; r < rows; r++) {
    const xa = x[r * n + a]!;
    const xb = x[r * n + b]!;
    x[r * n + a] = cs * xa + sn * xb;
    x[r * n + b] = -sn * xa + cs * xb;
  }
}

/** Sorts s descending and permutes the columns of u and v the same way. */
function sortDescending(s: Float64Array, n: number, u: Float64Array | undefined, uRows: number, v: Float64Array | undefined, vRows: number): void {
  let isSorted = true;
  for (let i = 1; i < n; i++) if (s[i - 1]! < s[i]!) isSorted = false;
  if (isSorted) return;
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => s[y]! - s[x]!);
  const values = Float64Array.from(order, (i) => s[i]!);
  s.set(values);
  for (const [x, rows] of [[u, uRows], [v, vRows]] as const) {
    if (!x) continue;
    const row = new Float64Array(n);
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < n; j++) row[j] = x[r * n + order[j]!]!;
      x.set(row, r * n);
    }
  }
}
