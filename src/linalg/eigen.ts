/** Public symmetric eigensolver ops: all eigenvalues, or all eigenpairs. */
import type { Backend } from './backend.js';
import { castMatrix, checkFinite, checkMatrix, checkSquare, toFloat64Copy } from './checks.js';
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

function checkInput(op: string, a: Matrix): void {
  checkMatrix(op, 'A', a);
  checkSquare(op, 'A', a);
  checkFinite(op, 'A', a);
}
