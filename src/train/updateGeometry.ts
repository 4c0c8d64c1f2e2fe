/**
 * The update geometry of SPEC section 6 (the original's plot_all_steps_W_M_alignment): how the
 * update M = W_t - W_prev between two probes lines up with the singular vectors of W_prev and W_t.
 */
import { copy, gemm, singularValues, topSingularTriplets, type Backend, type Matrix, type Matrix64 } from '../linalg/index.js';
import { stream } from '../random/index.js';
import type { UpdateOverlaps } from './result.js';

/**
 * Singular values of M = current - previous (all of them) and the squared overlaps of the leading
 * `blockSize` singular vectors: (U_prev^T U_M).^2, (V_prev^T V_M).^2 and the same with W_t.
 * Inputs are h x d in any dtype; everything is computed in f64. The top singular triplets come
 * from Lanczos with a fixed start (reproducible).
 */
export async function updateGeometry(backend: Backend, previous: Matrix, current: Matrix, blockSize: number): Promise<UpdateOverlaps> {
  const previous64 = copy(previous, 'f64') as Matrix64;
  const current64 = copy(current, 'f64') as Matrix64;
  const update: Matrix64 = copy(current, 'f64') as Matrix64;
  for (let i = 0; i < update.data.length; i++) update.data[i]! -= previous64.data[i]!;
  const k = Math.max(1, Math.min(blockSize, previous.rows, previous.cols));
  const rng = () => stream(0, 'update-geometry');
  const updateTriplets = await topSingularTriplets(backend, update, k, { rng: rng() });
  const previousTriplets = await topSingularTriplets(backend, previous64, k, { rng: rng() });
  const currentTriplets = await topSingularTriplets(backend, current64, k, { rng: rng() });
  const squaredProduct = async (a: Matrix, b: Matrix): Promise<Matrix> => {
    const product = await gemm(backend, a, b, { transA: true });
    for (let i = 0; i < product.data.length; i++) product.data[i] = product.data[i]! * product.data[i]!;
    return product;
  };
  return {
    updateSingularValues: await singularValues(backend, update),
    leftOverlap: await squaredProduct(previousTriplets.u, updateTriplets.u),
    rightOverlap: await squaredProduct(previousTriplets.v, updateTriplets.v),
    leftOverlapNext: await squaredProduct(currentTriplets.u, updateTriplets.u),
    rightOverlapNext: await squaredProduct(currentTriplets.v, updateTriplets.v),
    blockSize: k,
  };
}
