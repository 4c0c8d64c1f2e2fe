/**
 * Blocked Cholesky factorization and triangular solves in f64 over a backend's kernels
 * (right-looking, as LAPACK's potrf with uplo 'L'): each step factors an NB x NB diagonal block and
 * its panel in TypeScript, then updates the trailing matrix with one backend SYRK. The trailing
 * matrix is kept compact (contiguous) so the kernels see plain row-major operands.
 */
import { NumericalError } from '../../errors.js';
import type { Backend } from '../backend.js';
import { rowsView, type Matrix } from '../matrix.js';

/** Block width; the wasm backend's kernel (backends/wasm/assembly/cholesky.ts) blocks the same way, for the same bits. */
const NB = 64;

/** The error of a factorization whose pivot k (of n) came out as `pivot`, not positive. */
export function notPositiveDefiniteError(k: number, n: number, pivot: number): NumericalError {
  return new NumericalError(
    `choleskyFactor: the matrix is not positive definite (pivot k = ${k} of n = ${n} is ${pivot}); add a ridge term or check the input`,
  );
}

/**
 * The lower Cholesky factor L (new n x n f64, zeros above the diagonal) with A = L L^T. Reads only
 * the lower triangle of `a`, which it overwrites (pass a copy). Throws NumericalError when a pivot is
 * not positive.
 */
export async function choleskyFactorInPlace(backend: Backend, a: Matrix<Float64Array>): Promise<Matrix<Float64Array>> {
  const n = a.rows;
  const l = new Float64Array(n * n);
  // Only the lower triangle of `work` is ever read; SYRK keeps updating both, the upper is ignored.
  let work = a.data;
  let m = n;
  let off = 0;
  while (off < n) {
    const b = Math.min(NB, m);
    for (let r = 0; r < m; r++) {
      const lr = (off + r) * n + off;
      const jEnd = Math.min(r + 1, b);
      for (let j = 0; j < jEnd; j++) {
        const lj = (off + j) * n + off;
        let s = work[r * m + j]!;
        for (let p = 0; p < j; p++) s -= l[lr + p]! * l[lj + p]!;
        if (j === r) {
          if (!(s > 0)) throw notPositiveDefiniteError(off + r, n, s);
          l[lr + j] = Math.sqrt(s);
        } else l[lr + j] = s / l[lj + j]!;
      }
    }
    if (b === m) break;
    const rest = m - b;
    const panel = new Float64Array(rest * b);
    for (let r = 0; r < rest; r++) panel.set(l.subarray((off + b + r) * n + off, (off + b + r) * n + off + b), r * b);
    for (let r = 0; r < rest; r++) work.copyWithin(r * rest, (b + r) * m + b, (b + r) * m + m);
    work = work.subarray(0, rest * rest);
    await backend.syrk({ rows: rest, cols: b, data: panel }, { rows: rest, cols: rest, data: work }, { trans: false, alpha: -1, beta: 1 });
    off += b;
    m = rest;
  }
  return { rows: n, cols: n, data: l };
}

/** Solves L L^T X = B in place of `b` (n x r, f64) for the lower factor `l` (n x n, f64). */
export async function choleskySolveInPlace(backend: Backend, l: Matrix<Float64Array>, b: Matrix<Float64Array>): Promise<Matrix<Float64Array>> {
  const n = l.rows;
  const r = b.cols;
  const ld = l.data;
  const x = b.data;
  if (n === 0 || r === 0) return b;
  // Forward: L Y = B, block row by block row.
  for (let i0 = 0; i0 < n; i0 += NB) {
    const i1 = Math.min(n, i0 + NB);
    if (i0 > 0) {
      const left = new Float64Array((i1 - i0) * i0);
      for (let i = i0; i < i1; i++) left.set(ld.subarray(i * n, i * n + i0), (i - i0) * i0);
      await backend.gemm({ rows: i1 - i0, cols: i0, data: left }, rowsView(b, 0, i0), rowsView(b, i0, i1), { alpha: -1, beta: 1 });
    }
    for (let i = i0; i < i1; i++) {
      const xi = i * r;
      for (let j = i0; j < i; j++) {
        const lij = ld[i * n + j]!;
        if (lij !== 0) for (let c = 0; c < r; c++) x[xi + c] -= lij * x[j * r + c]!;
      }
      const inv = 1 / ld[i * n + i]!;
      for (let c = 0; c < r; c++) x[xi + c] *= inv;
    }
  }
  // Backward: L^T X = Y, last block row first.
  const lastStart = Math.floor((n - 1) / NB) * NB;
  for (let i0 = lastStart; i0 >= 0; i0 -= NB) {
    const i1 = Math.min(n, i0 + NB);
    if (i1 < n) {
      const below = new Float64Array((n - i1) * (i1 - i0));
      for (let i = i1; i < n; i++) below.set(ld.subarray(i * n + i0, i * n + i1), (i - i1) * (i1 - i0));
      await backend.gemm({ rows: n - i1, cols: i1 - i0, data: below }, rowsView(b, i1, n), rowsView(b, i0, i1), { transA: true, alpha: -1, beta: 1 });
    }
    for (let i = i1 - 1; i >= i0; i--) {
      const xi = i * r;
      for (let j = i + 1; j < i1; j++) {
        const lji = ld[j * n + i]!;
        if (lji !== 0) for (let c = 0; c < r; c++) x[xi + c] -= lji * x[j * r + c]!;
      }
      const inv = 1 / ld[i * n + i]!;
      for (let c = 0; c < r; c++) x[xi + c] *= inv;
    }
  }
  return b;
}
