/** Public op: the k largest eigenpairs of a symmetric matrix by Lanczos, without a full decomposition. */
import { stream } from '../random/index.js';
import { InputError } from '../errors.js';
import type { Backend } from './backend.js';
import { castMatrix, checkCount, checkFinite, checkMatrix, checkSquare, toFloat64Copy } from './checks.js';
import { lanczosLargest, type NormalSource } from './algorithms/lanczos.js';
import { symmetricEigen } from './eigen.js';
import { dtypeOf, transpose, zeros, type Matrix } from './matrix.js';

/** Options of the Lanczos ops. */
export interface LanczosOptions {
  /** Start-vector source; default stream(0, 'lanczos') from src/random, so results are reproducible. */
  readonly rng?: NormalSource;
  /** Residual tolerance relative to the largest Ritz value magnitude; default 1e-10. */
  readonly tolerance?: number;
}

/** The k largest eigenvalues (descending, f64) and their eigenvectors (n x k, input dtype, column i for values[i]). */
export interface TopEigenpairs {
  readonly values: Float64Array;
  readonly vectors: Matrix;
}

/** Below this size (or for k above a third of n) a full decomposition is cheaper and exact. */
export const DENSE_FALLBACK_SIZE = 32;

/**
 * The k largest (algebraic, not by magnitude) eigenpairs of the symmetric matrix A (n x n), by
 * Lanczos with full reorthogonalization using the backend's GEMV (f32 input is copied to f64).
 * Reads the whole of A (both triangles must agree). Residual ||A v - lambda v|| <= tolerance *
 * ||A|| per pair. Single-vector Lanczos may return a repeated eigenvalue of the wanted set once.
 * Small problems (n <= 32 or k > n / 3) use symmetricEigen instead.
 */
export async function topEigenpairs(backend: Backend, a: Matrix, k: number, options: LanczosOptions = {}): Promise<TopEigenpairs> {
  checkMatrix('topEigenpairs', 'A', a);
  checkSquare('topEigenpairs', 'A', a);
  checkCount('topEigenpairs', 'k', k, a.rows);
  checkFinite('topEigenpairs', 'A', a);
  const tolerance = checkTolerance('topEigenpairs', options.tolerance);
  const n = a.rows;
  const dtype = dtypeOf(a);
  if (k === 0) return { values: new Float64Array(0), vectors: zeros(n, 0, dtype) };
  if (n <= DENSE_FALLBACK_SIZE || 3 * k > n) {
    const full = await symmetricEigen(backend, a);
    const values = new Float64Array(k);
    const vectors = zeros(n, k, dtype);
    for (let r = 0; r < k; r++) {
      const j = n - 1 - r;
      values[r] = full.values[j]!;
      for (let i = 0; i < n; i++) vectors.data[i * k + r] = full.vectors.data[i * n + j]!;
    }
    return { values, vectors };
  }
  // the operator in the backend's own memory where it has some (wasm): each of the ~100 products
  // then reads it in place instead of copying n^2 values in (the same bits)
  const block = (await backend.reserve?.(n * n * 8)) ?? null;
  try {
    let operator: Matrix;
    if (block) {
      operator = { rows: n, cols: n, data: block.allocate(n * n, 'f64') };
      operator.data.set(a.data.subarray(0, n * n));
    } else {
      const a64 = dtype === 'f64' ? (a as Matrix<Float64Array>) : toFloat64Copy(a);
      operator = { rows: n, cols: n, data: a64.data.subarray(0, n * n) };
    }
    const pairs = await lanczosLargest(
      backend,
      n,
      k,
      (x, y) => backend.gemv(operator, x, y, { alpha: 1, beta: 0 }),
      options.rng ?? stream(0, 'lanczos'),
      tolerance,
    );
    return { values: pairs.values, vectors: castMatrix(transpose({ rows: k, cols: n, data: pairs.vectors }), dtype) };
  } finally {
    await block?.release();
  }
}

/** The tolerance, defaulted and checked. */
export function checkTolerance(op: string, tolerance: number | undefined): number {
  const value = tolerance ?? 1e-10;
  if (!(value > 0 && value < 1)) throw new InputError(`${op}: tolerance must be in (0, 1), got ${value}`);
  return value;
}
