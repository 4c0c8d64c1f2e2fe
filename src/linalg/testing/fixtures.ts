/**
 * Test fixtures for the linalg suites: seeded random matrices with known spectra, naive reference
 * kernels, and error measures. Kept out of the build (the testing folders are excluded).
 */
import { stream, type Generator } from '../../random/index.js';
import type { DType, FloatArray, Matrix } from '../matrix.js';
import { zeros } from '../matrix.js';

/** A seeded generator for one fixture, so each test draws the same numbers every run. */
export function fixtureRng(name: string, index = 0): Generator {
  return stream(20260, `linalg-test:${name}`, index);
}

/** A rows x cols matrix of N(0, 1) entries. */
export function gaussian(rng: Generator, rows: number, cols: number, dtype: DType = 'f64'): Matrix {
  const m = zeros(rows, cols, dtype);
  for (let i = 0; i < rows * cols; i++) m.data[i] = rng.nextNormal();
  return m;
}

/** A random n x k (k <= n) matrix with orthonormal columns: Gram-Schmidt (twice) on a Gaussian, f64. */
export function randomOrthonormal(rng: Generator, n: number, k = n): Matrix<Float64Array> {
  const q = new Float64Array(n * k);
  for (let i = 0; i < n * k; i++) q[i] = rng.nextNormal();
  for (let j = 0; j < k; j++) {
    for (let pass = 0; pass < 2; pass++) {
      for (let p = 0; p < j; p++) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += q[i * k + p]! * q[i * k + j]!;
        for (let i = 0; i < n; i++) q[i * k + j] -= dot * q[i * k + p]!;
      }
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += q[i * k + j]! ** 2;
    norm = Math.sqrt(norm);
    for (let i = 0; i < n; i++) q[i * k + j] = q[i * k + j]! / norm;
  }
  return { rows: n, cols: k, data: q };
}

/** U diag(s) V^T for U (m x k), V (n x k) with k = s.length, in the requested dtype (built in f64). */
export function fromFactors(u: Matrix<Float64Array>, s: ArrayLike<number>, v: Matrix<Float64Array>, dtype: DType = 'f64'): Matrix {
  const m = u.rows;
  const n = v.rows;
  const k = s.length;
  const out = zeros(m, n, dtype);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let p = 0; p < k; p++) sum += u.data[i * u.cols + p]! * s[p]! * v.data[j * v.cols + p]!;
      out.data[i * n + j] = sum;
    }
  }
  return out;
}

/** A symmetric n x n matrix Q diag(values) Q^T with a random orthogonal Q. */
export function symmetricWithSpectrum(rng: Generator, values: ArrayLike<number>, dtype: DType = 'f64'): Matrix {
  const q = randomOrthonormal(rng, values.length);
  const a = fromFactors(q, values, q, dtype);
  const n = values.length;
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) a.data[j * n + i] = a.data[i * n + j]!; // exactly symmetric
  return a;
}

/** A random symmetric matrix (G + G^T) / 2. */
export function randomSymmetric(rng: Generator, n: number, dtype: DType = 'f64'): Matrix {
  const g = gaussian(rng, n, n, 'f64');
  const a = zeros(n, n, dtype);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a.data[i * n + j] = (g.data[i * n + j]! + g.data[j * n + i]!) / 2;
  return a;
}

/** G G^T / (n + 5) + 0.1 I for a Gaussian G (n x (n + 5)): symmetric positive definite, condition number around 10-100. */
export function randomPositiveDefinite(n: number, dtype: DType, index: number): Matrix {
  const g = gaussian(fixtureRng('spd', index), n, n + 5, 'f64');
  const product = naiveGemm(g, g, false, true, 1 / (n + 5), 0);
  const a = zeros(n, n, dtype);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a.data[i * n + j] = product[i * n + j]! + (i === j ? 0.1 : 0);
  return a;
}

/** Naive alpha * op(A) op(B) + beta * C in f64 (C's old values from `c`, or zero). */
export function naiveGemm(a: Matrix, b: Matrix, transA: boolean, transB: boolean, alpha: number, beta: number, c?: Matrix): Float64Array {
  const m = transA ? a.cols : a.rows;
  const k = transA ? a.rows : a.cols;
  const n = transB ? b.rows : b.cols;
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let p = 0; p < k; p++) {
        const x = transA ? a.data[p * a.cols + i]! : a.data[i * a.cols + p]!;
        const y = transB ? b.data[j * b.cols + p]! : b.data[p * b.cols + j]!;
        sum += x * y;
      }
      out[i * n + j] = alpha * sum + (c && beta !== 0 ? beta * c.data[i * n + j]! : 0);
    }
  }
  return out;
}

/** max |x - y| over the first `length` entries. */
export function maxAbsDiff(x: ArrayLike<number>, y: ArrayLike<number>, length = Math.max(x.length, y.length)): number {
  let d = 0;
  for (let i = 0; i < length; i++) d = Math.max(d, Math.abs(x[i]! - y[i]!));
  return d;
}

/** max |x_i| (at least Number.MIN_VALUE, so it can divide). */
export function maxAbs(x: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < x.length; i++) d = Math.max(d, Math.abs(x[i]!));
  return d || Number.MIN_VALUE;
}

/** max |Q^T Q - I| for the columns of q (rows x cols), in f64. */
export function orthogonalityError(q: Matrix): number {
  const { rows, cols, data } = q;
  let err = 0;
  for (let i = 0; i < cols; i++) {
    for (let j = i; j < cols; j++) {
      let s = 0;
      for (let r = 0; r < rows; r++) s += data[r * cols + i]! * data[r * cols + j]!;
      err = Math.max(err, Math.abs(s - (i === j ? 1 : 0)));
    }
  }
  return err;
}

/** A copy of a vector/array as plain numbers (for messages). */
export function toList(x: FloatArray | Float64Array, limit = 8): string {
  return `[${Array.from(x.slice(0, limit), (v) => v.toPrecision(6)).join(', ')}${x.length > limit ? ', ...' : ''}]`;
}
