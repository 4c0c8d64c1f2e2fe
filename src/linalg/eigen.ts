/** Public symmetric eigensolver ops: all eigenvalues, all eigenpairs, or eigenvalues and projections onto the eigenvectors. */
import { InputError } from '../errors.js';
import type { Backend } from './backend.js';
import { castMatrix, checkFinite, checkMatrix, checkSameDtype, checkSquare, shapeOf, toFloat64Copy } from './checks.js';
import { symmetricEigenInPlace } from './algorithms/symmetricEigen.js';
import { dtypeOf, zeros, type Matrix } from './matrix.js';

/** Eigenvalues ascending (f64); vectors n x n in the input's dtype, column j = eigenvector j. */
export interface SymmetricEigenResult {
  readonly values: Float64Array;
  readonly vectors: Matrix;
}

/**
 * All eigenvalues of the symmetric matrix A (n x n), ascending, as f64. Only A's lower triangle is
 * read (LAPACK's uplo 'L'). Uses the backend's own eigensolver when it has one, else blocked
 * Householder tridiagonalization + implicit QL in f64 over the backend's kernels (f32 input is
 * computed in f64). Absolute error about n * eps * ||A||. Throws InputError for a non-square or
 * non-finite A. `options.twoStage` asks the backend for a two-stage reduction (native: LAPACK's
 * ?syevd_2stage, about twice as fast for n in the thousands); other backends ignore it.
 */
export async function symmetricEigenvalues(backend: Backend, a: Matrix, options: { readonly twoStage?: boolean } = {}): Promise<Float64Array> {
  checkInput('symmetricEigenvalues', a);
  const n = a.rows;
  if (n === 0) return new Float64Array(0);
  if (n === 1) return Float64Array.of(a.data[0]!);
  if (backend.symmetricEigen) return (await backend.symmetricEigen(a, { vectors: false, ...(options.twoStage ? { twoStage: true } : {}) })).values;
  return (await symmetricEigenInPlace(backend, toFloat64Copy(a), false)).values;
}

/**
 * All eigenpairs of the symmetric matrix A (n x n): values ascending (f64) and vectors (n x n, A's
 * dtype) with A vectors[:, j] = values[j] vectors[:, j] and orthonormal columns. Sign of each vector
 * is arbitrary. Without a backend eigensolver: blocked tridiagonalization, divide and conquer on
 * the tridiagonal, blocked back-transformation, all O(n^3) work in the backend's GEMM. Reads only
 * A's lower triangle; errors as symmetricEigenvalues.
 */
export async function symmetricEigen(backend: Backend, a: Matrix): Promise<SymmetricEigenResult> {
  checkInput('symmetricEigen', a);
  const n = a.rows;
  const dtype = dtypeOf(a);
  if (n === 0) return { values: new Float64Array(0), vectors: zeros(0, 0, dtype) };
  if (n === 1) {
    const vectors = zeros(1, 1, dtype);
    vectors.data[0] = 1;
    return { values: Float64Array.of(a.data[0]!), vectors };
  }
  if (backend.symmetricEigen) {
    const result = await backend.symmetricEigen(a, { vectors: true });
    return { values: result.values, vectors: result.vectors! };
  }
  const result = await symmetricEigenInPlace(backend, toFloat64Copy(a), true);
  return { values: result.values, vectors: castMatrix(result.vectors!, dtype) };
}

/** Eigenvalues ascending (f64) and P = Q^T B (n x r, B's dtype): row j = q_j^T B for values[j]. */
export interface SymmetricEigenProjection {
  readonly values: Float64Array;
  readonly projections: Matrix;
}

/**
 * The eigenvalues of the symmetric matrix A (n x n) and the projections Q^T B of a block B (n x r)
 * onto its eigenvectors (A = Q diag(values) Q^T): what the eigenvectors are needed for when only
 * their inner products with a few vectors matter. `values` are those symmetricEigen returns on
 * the same backend (bit for bit on wasm); row j of `projections` is q_j^T B for values[j], with
 * q_j's arbitrary sign, and within a repeated eigenvalue only the rows' joint norm is determined.
 * A backend with its own method (wasm) applies the tridiagonalization's reflectors and the QL
 * rotations to B instead of forming Q, O(n^2 r) beyond the eigenvalues; elsewhere it is
 * symmetricEigen and the product, summed in f64 over rows in order (O(n^2 r) on the calling
 * thread: meant for a few columns). Reads only A's lower triangle; A and B share a dtype and must
 * be finite (InputError otherwise, as symmetricEigenvalues).
 */
export async function symmetricEigenProjection(backend: Backend, a: Matrix, b: Matrix): Promise<SymmetricEigenProjection> {
  checkInput('symmetricEigenProjection', a);
  checkMatrix('symmetricEigenProjection', 'B', b);
  checkSameDtype('symmetricEigenProjection', { A: a, B: b });
  if (b.rows !== a.rows) throw new InputError(`symmetricEigenProjection: B is ${shapeOf(b)} but A is ${shapeOf(a)}; B needs ${a.rows} rows`);
  checkFinite('symmetricEigenProjection', 'B', b);
  const n = a.rows;
  const r = b.cols;
  const dtype = dtypeOf(b);
  if (n <= 1) {
    const projections = zeros(n, r, dtype);
    projections.data.set(b.data.subarray(0, n * r));
    return { values: n === 0 ? new Float64Array(0) : Float64Array.of(a.data[0]!), projections };
  }
  if (backend.symmetricEigenProjection) return backend.symmetricEigenProjection(a, b);
  const { values, vectors } = await symmetricEigen(backend, a);
  // out[j][k] = sum over i ascending of vectors[i][j] b[i][k], walking both by rows
  const q = vectors.data;
  const out = new Float64Array(n * r);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < r; k++) {
      const x = b.data[i * r + k]!;
      for (let j = 0; j < n; j++) out[j * r + k] += q[i * n + j]! * x;
    }
  }
  return { values, projections: castMatrix({ rows: n, cols: r, data: out }, dtype) };
}

function checkInput(op: string, a: Matrix): void {
  checkMatrix(op, 'A', a);
  checkSquare(op, 'A', a);
  checkFinite(op, 'A', a);
}
