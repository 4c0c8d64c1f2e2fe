import { fromArray, solvePositiveDefinite, type Backend, type Matrix } from '../linalg/index.js';

/** The ridge strength (lambda / h) * n of SPEC section 5 (the original code's scaling). */
export function ridgeRegularization(regLambda: number, hiddenDim: number, numSamples: number): number {
  return (regLambda / hiddenDim) * numSamples;
}

/**
 * The ridge read-out a_hat = (F^T F + r I)^{-1} F^T y, by a Cholesky solve (no inverse is formed).
 * `gram` is F^T F (h x h, f64) and is overwritten with F^T F + r I; `fty` is F^T y (h).
 * Throws NumericalError when the regularized Gram matrix is not positive definite (r = 0 and F
 * rank-deficient).
 */
export async function ridgeReadout(backend: Backend, gram: Matrix, fty: ArrayLike<number>, regularization: number): Promise<Float64Array> {
  const h = gram.rows;
  for (let j = 0; j < h; j++) gram.data[j * h + j]! += regularization;
  const rightHandSide = fromArray(h, 1, Float64Array.from(fty));
  const solution = await solvePositiveDefinite(backend, gram, rightHandSide);
  return Float64Array.from(solution.data.subarray(0, h));
}
