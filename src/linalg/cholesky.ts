/** Public Cholesky ops: factor, solve with the factor, and solve a positive definite system. */
import { InputError } from '../errors.js';
import type { Backend } from './backend.js';
import { castMatrix, checkCholeskyDiagonal, checkFinite, checkMatrix, checkSameDtype, checkSquare, isFiniteMatrix, shapeOf, toFloat64Copy } from './checks.js';
import { choleskyFactorInPlace, choleskySolveInPlace } from './algorithms/cholesky.js';
import { dtypeOf, zeros, type Matrix } from './matrix.js';

/**
 * The lower Cholesky factor L of a symmetric positive definite A (n x n), A = L L^T, as a new
 * matrix in A's dtype with zeros above the diagonal. Only A's lower triangle is read (LAPACK's
 * uplo 'L'). f32 input is factored in f64 and rounded. Throws InputError for a non-square or
 * non-finite A, NumericalError when A is not positive definite.
 */
export async function choleskyFactor(backend: Backend, a: Matrix): Promise<Matrix> {
  checkMatrix('choleskyFactor', 'A', a);
  checkSquare('choleskyFactor', 'A', a);
  checkFinite('choleskyFactor', 'A', a);
  if (a.rows === 0) return zeros(0, 0, dtypeOf(a));
  if (backend.choleskyFactor) return backend.choleskyFactor(a);
  const l = await choleskyFactorInPlace(backend, toFloat64Copy(a));
  return castMatrix(l, dtypeOf(a));
}

/**
 * X solving L L^T X = B, new n x r matrix in B's dtype, for the lower factor L (n x n) from
 * choleskyFactor and a right-hand side B (n x r). L and B must share a dtype.
 */
export async function choleskySolve(backend: Backend, l: Matrix, b: Matrix): Promise<Matrix> {
  checkMatrix('choleskySolve', 'L', l);
  checkMatrix('choleskySolve', 'B', b);
  checkSquare('choleskySolve', 'L', l);
  checkSameDtype('choleskySolve', { L: l, B: b });
  if (b.rows !== l.rows) throw new InputError(`choleskySolve: B is ${shapeOf(b)} but L is ${shapeOf(l)}; B needs ${l.rows} rows`);
  checkFinite('choleskySolve', 'B', b);
  if (b.rows === 0 || b.cols === 0) return zeros(b.rows, b.cols, dtypeOf(b));
  checkCholeskyDiagonal(l.data, l.rows);
  if (backend.choleskySolve) return backend.choleskySolve(l, b);
  const x = await choleskySolveInPlace(backend, toFloat64Copy(l), toFloat64Copy(b));
  return castMatrix(x, dtypeOf(b));
}

/**
 * X solving A X = B for a symmetric positive definite A (n x n) and B (n x r), via A = L L^T
 * (never an inverse). New matrix in B's dtype. Errors as choleskyFactor. A backend with a fused
 * solvePositiveDefinite (wasm: L never leaves its memory) gets the call when A and B are non-empty
 * and finite; it gives the same result as choleskySolve(choleskyFactor(A), B), and every other
 * case (and every other backend) takes that two-call path, which raises the errors in its order.
 */
export async function solvePositiveDefinite(backend: Backend, a: Matrix, b: Matrix): Promise<Matrix> {
  checkMatrix('solvePositiveDefinite', 'A', a);
  checkMatrix('solvePositiveDefinite', 'B', b);
  checkSquare('solvePositiveDefinite', 'A', a);
  checkSameDtype('solvePositiveDefinite', { A: a, B: b });
  if (b.rows !== a.rows) throw new InputError(`solvePositiveDefinite: B is ${shapeOf(b)} but A is ${shapeOf(a)}; B needs ${a.rows} rows`);
  if (backend.solvePositiveDefinite && a.rows > 0 && b.cols > 0) {
    checkFinite('choleskyFactor', 'A', a);
    if (isFiniteMatrix(b)) return backend.solvePositiveDefinite(a, b);
  }
  const l = await choleskyFactor(backend, a);
  return choleskySolve(backend, l, b);
}
