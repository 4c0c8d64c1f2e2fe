import { InputError } from '../errors.js';
import { assertFinite, symmetricEigenvalues, zeros } from '../linalg/index.js';
import type { Backend, Matrix } from '../linalg/index.js';

/** f32 input is converted to f64 at least this many elements at a time (8 MB blocks). */
const MIN_BLOCK_ELEMENTS = 1 << 20;

/**
 * The conversion block: a quarter of the N x N Gram (which has to exist anyway), at least 8 MB.
 * Large blocks matter: each syrk call re-reads and re-writes the whole Gram, so 256-row blocks of
 * a 4096-wide W cost 2.7x a single f64 syrk, while quarter-Gram blocks cost ~1.1x.
 */
function defaultBlockElements(rows: number, cols: number): number {
  const n = Math.min(rows, cols);
  return Math.max(MIN_BLOCK_ELEMENTS, Math.floor((n * n) / 4));
}

/**
 * The ESD of W: the eigenvalues of W^T W (unnormalized; lambda_i = sigma_i(W)^2), ascending,
 * N = min(rows, cols) of them, computed in f64 whatever W's dtype.
 *
 * The Gram matrix is the smaller one (W^T W when cols <= rows, else W W^T, which has the same
 * nonzero eigenvalues), accumulated by syrk over blocks of W converted to f64, so the workspace is
 * the N x N Gram plus one block of max(8 MB, a quarter of the Gram), never an f64 copy of W. Eigenvalues that round-off makes
 * slightly negative are clipped to 0 (W^T W is positive semidefinite). Throws InputError for an
 * empty matrix or NaN/Inf entries.
 * @param backend the linalg backend that runs syrk and the eigensolver
 * @param weights W, rows x cols (h x d), f32 or f64
 */
export async function esdEigenvalues(backend: Backend, weights: Matrix): Promise<Float64Array> {
  const { rows, cols } = weights;
  if (rows === 0 || cols === 0) throw new InputError(`the weight matrix is ${rows}x${cols}; an ESD needs at least one row and one column`);
  assertFinite(weights, 'the weight matrix');
  const gram = await smallerGram(backend, weights);
  const values = await symmetricEigenvalues(backend, gram);
  for (let i = 0; i < values.length; i++) if (values[i]! < 0) values[i] = 0;
  return values;
}

/**
 * W^T W (cols <= rows) or W W^T (rows < cols), f64, both triangles. `blockElements` (default
 * max(2^20, N^2 / 4)) bounds the f64 conversion block of an f32 W.
 */
export async function smallerGram(
  backend: Backend,
  weights: Matrix,
  blockElements = defaultBlockElements(weights.rows, weights.cols),
): Promise<Matrix> {
  const { rows, cols, data } = weights;
  const isColumnGram = cols <= rows;
  const size = isColumnGram ? cols : rows;
  const gram = zeros(size, size, 'f64');
  if (data instanceof Float64Array) {
    // Already f64: one call on W itself (a view, no copy).
    await backend.syrk({ rows, cols, data: data.subarray(0, rows * cols) }, gram, { trans: isColumnGram, alpha: 1, beta: 0 });
    return gram;
  }
  if (isColumnGram) {
    // W^T W = sum over row blocks B of B^T B.
    const blockRows = Math.max(1, Math.min(rows, Math.floor(blockElements / cols)));
    const block = new Float64Array(blockRows * cols);
    for (let start = 0; start < rows; start += blockRows) {
      const count = Math.min(blockRows, rows - start);
      const view = block.subarray(0, count * cols);
      view.set(data.subarray(start * cols, (start + count) * cols));
      await backend.syrk({ rows: count, cols, data: view }, gram, { trans: true, alpha: 1, beta: start === 0 ? 0 : 1 });
    }
  } else {
    // W W^T = sum over column blocks B of B B^T.
    const blockCols = Math.max(1, Math.min(cols, Math.floor(blockElements / rows)));
    const block = new Float64Array(rows * blockCols);
    for (let start = 0; start < cols; start += blockCols) {
      const count = Math.min(blockCols, cols - start);
      for (let r = 0; r < rows; r++) {
        const source = r * cols + start;
        for (let c = 0; c < count; c++) block[r * count + c] = data[source + c]!;
      }
      await backend.syrk({ rows, cols: count, data: block.subarray(0, rows * count) }, gram, {
        trans: false,
        alpha: 1,
        beta: start === 0 ? 0 : 1,
      });
    }
  }
  return gram;
}
