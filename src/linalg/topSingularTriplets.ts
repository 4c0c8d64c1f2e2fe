/** Public op: the k largest singular triplets by Lanczos on the Gram operator, without a full SVD. */
import { stream } from '../random/index.js';
import type { Backend } from './backend.js';
import { castMatrix, checkCount, checkFinite, checkMatrix, toFloat64Copy } from './checks.js';
import { lanczosLargest } from './algorithms/lanczos.js';
import { dtypeOf, zeros, type Matrix } from './matrix.js';
import { svd } from './svd.js';
import { checkTolerance, DENSE_FALLBACK_SIZE, type LanczosOptions } from './topEigenpairs.js';

/** The k largest singular values (descending, f64) with left (m x k) and right (n x k) singular vectors as columns, input dtype. */
export interface TopSingularTriplets {
  readonly values: Float64Array;
  readonly u: Matrix;
  readonly v: Matrix;
}

/**
 * The k largest singular triplets of A (m x n), A v_i = values[i] u_i, by Lanczos with full
 * reorthogonalization on A^T A (or A A^T when m < n), applied as two backend GEMVs per step; the
 * Gram matrix is never formed. values[i] = ||A v_i|| and u_i = A v_i / values[i]; where values[i]
 * is numerically zero (k above the rank) u_i completes the others to an orthonormal set. f32
 * input is copied to f64. Small problems (min(m, n) <= 32 or k above a third of it) use svd.
 */
export async function topSingularTriplets(backend: Backend, a: Matrix, k: number, options: LanczosOptions = {}): Promise<TopSingularTriplets> {
  checkMatrix('topSingularTriplets', 'A', a);
  const { rows: m, cols: n } = a;
  const small = Math.min(m, n);
  checkCount('topSingularTriplets', 'k', k, small);
  checkFinite('topSingularTriplets', 'A', a);
  const tolerance = checkTolerance('topSingularTriplets', options.tolerance);
  const dtype = dtypeOf(a);
  if (k === 0) return { values: new Float64Array(0), u: zeros(m, 0, dtype), v: zeros(n, 0, dtype) };
  if (small <= DENSE_FALLBACK_SIZE || 3 * k > small) {
    const full = await svd(backend, a);
    const u = zeros(m, k, dtype);
    const v = zeros(n, k, dtype);
    for (let i = 0; i < m; i++) for (let r = 0; r < k; r++) u.data[i * k + r] = full.u.data[i * small + r]!;
    for (let j = 0; j < n; j++) for (let r = 0; r < k; r++) v.data[j * k + r] = full.vt.data[r * n + j]!;
    return { values: full.values.slice(0, k), u, v };
  }
  const a64 = dtype === 'f64' ? (a as Matrix<Float64Array>) : toFloat64Copy(a);
  const operator = { rows: m, cols: n, data: a64.data.subarray(0, m * n) };
  const isTall = m >= n;
  const middle = new Float64Array(isTall ? m : n);
  // Gram operator on the short side: A^T A x (tall) or A A^T x (wide).
  const gram = async (x: Float64Array, y: Float64Array): Promise<void> => {
    await backend.gemv(operator, x, middle, { trans: !isTall, alpha: 1, beta: 0 });
    await backend.gemv(operator, middle, y, { trans: isTall, alpha: 1, beta: 0 });
  };
  const pairs = await lanczosLargest(backend, small, k, gram, options.rng ?? stream(0, 'lanczos'), tolerance);
  // pairs.vectors rows are the short-side singular vectors; map each through A (or A^T) for the other side.
  const values = new Float64Array(k);
  const longLength = isTall ? m : n;
  const otherRows = await mapThrough(backend, operator, pairs.vectors, k, small, longLength, isTall);
  for (let r = 0; r < k; r++) {
    let s = 0;
    for (let i = 0; i < longLength; i++) s += otherRows[r * longLength + i]! ** 2;
    values[r] = Math.sqrt(s);
  }
  // A v is rounding noise for a numerically zero singular value (k above the rank): its direction
  // is meaningless, so such vectors are completed to an orthonormal set instead of normalized.
  const negligible = Math.max(m, n) * Number.EPSILON * values[0]!;
  for (let r = 0; r < k; r++) {
    const row = otherRows.subarray(r * longLength, (r + 1) * longLength);
    if (values[r]! > negligible) {
      const inverse = 1 / values[r]!;
      for (let i = 0; i < longLength; i++) row[i] = row[i]! * inverse;
    } else completeOrthonormal(otherRows, r, longLength);
  }
  const shortSide = toColumns(pairs.vectors, k, small);
  const longSide = toColumns(otherRows, k, longLength);
  const u = isTall ? longSide : shortSide;
  const v = isTall ? shortSide : longSide;
  return { values, u: castMatrix(u, dtype), v: castMatrix(v, dtype) };
}

/** Rows r of the result = A x_r (tall) or A^T x_r (wide) for the k rows x_r of `rows`. */
async function mapThrough(backend: Backend, a: Matrix<Float64Array>, rows: Float64Array, k: number, shortLength: number, longLength: number, isTall: boolean): Promise<Float64Array> {
  const out = new Float64Array(k * longLength);
  for (let r = 0; r < k; r++) {
    await backend.gemv(a, rows.subarray(r * shortLength, (r + 1) * shortLength), out.subarray(r * longLength, (r + 1) * longLength), { trans: !isTall, alpha: 1, beta: 0 });
  }
  return out;
}

/** Sets row r of `rows` (len wide) to the first unit vector e_j that stays clear of rows 0..r-1 after orthogonalizing against them. */
function completeOrthonormal(rows: Float64Array, r: number, len: number): void {
  const row = rows.subarray(r * len, (r + 1) * len);
  for (let j = 0; j < len; j++) {
    row.fill(0);
    row[j] = 1;
    for (let pass = 0; pass < 2; pass++) {
      for (let p = 0; p < r; p++) {
        let dot = 0;
        for (let i = 0; i < len; i++) dot += rows[p * len + i]! * row[i]!;
        for (let i = 0; i < len; i++) row[i] = row[i]! - dot * rows[p * len + i]!;
      }
    }
    let norm = 0;
    for (let i = 0; i < len; i++) norm += row[i]! * row[i]!;
    norm = Math.sqrt(norm);
    if (norm > 0.5) {
      for (let i = 0; i < len; i++) row[i] = row[i]! / norm;
      return;
    }
  }
}

/** A k x len row array as a len x k matrix (columns = the rows). */
function toColumns(rows: Float64Array, k: number, len: number): Matrix<Float64Array> {
  const out = new Float64Array(len * k);
  for (let r = 0; r < k; r++) for (let i = 0; i < len; i++) out[i * k + r] = rows[r * len + i]!;
  return { rows: len, cols: k, data: out };
}
