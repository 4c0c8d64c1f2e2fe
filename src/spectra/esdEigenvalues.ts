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
 * Which arithmetic the ESD is computed in:
 * - `f64` (the default; the reference every test and the WeightWatcher comparison use): the Gram
 *   matrix is accumulated in f64 (f32 W is widened block by block) and the eigensolver runs in f64;
 * - `f32`: the Gram matrix is formed by an f32 syrk straight on W (an f64 W is narrowed to f32 first,
 *   one more array of half its size) and the eigensolver runs on that f32 Gram: native ssyevd
 *   (LAPACK single precision); wasm and js widen the f32 Gram to f64 and run their f64 solver, so
 *   there only the Gram is f32. About twice as fast on native; each eigenvalue's absolute error is
 *   of order sqrt(N) * 2^-24 * lambda_max (docs/analyze.md has the measured errors of every metric).
 */
export type EsdPrecision = 'f64' | 'f32';

/** Options of {@link esdEigenvalues}. */
export interface EsdOptions {
  /** Default 'f64'. */
  readonly precision?: EsdPrecision;
  /**
   * Ask the backend for a two-stage tridiagonal reduction (native: LAPACK's ?syevd_2stage, about
   * twice as fast as ?syevd for N in the thousands; eigenvalues equal to round-off). Backends
   * without one ignore it. Default false: ?syevd.
   */
  readonly twoStage?: boolean;
}

/**
 * The ESD of W: the eigenvalues of W^T W (unnormalized; lambda_i = sigma_i(W)^2), ascending,
 * N = min(rows, cols) of them, returned as f64 whatever W's dtype; computed in f64 unless
 * `options.precision` is 'f32' (see {@link EsdPrecision}).
 *
 * The Gram matrix is the smaller one (W^T W when cols <= rows, else W W^T, which has the same
 * nonzero eigenvalues). In f64 it is accumulated by syrk over blocks of W converted to f64, so the
 * workspace is the N x N Gram plus one block of max(8 MB, a quarter of the Gram), never an f64 copy
 * of W; in f32 it is one syrk on W itself (N x N f32 workspace). Eigenvalues that round-off makes
 * slightly negative are clipped to 0 (W^T W is positive semidefinite). Throws InputError for an
 * empty matrix or NaN/Inf entries.
 * @param backend the linalg backend that runs syrk and the eigensolver
 * @param weights W, rows x cols (h x d), f32 or f64
 */
export async function esdEigenvalues(backend: Backend, weights: Matrix, options: EsdOptions = {}): Promise<Float64Array> {
  const { rows, cols } = weights;
  if (rows === 0 || cols === 0) throw new InputError(`the weight matrix is ${rows}x${cols}; an ESD needs at least one row and one column`);
  assertFinite(weights, 'the weight matrix');
  const gram = options.precision === 'f32' ? await smallerGramF32(backend, weights) : await smallerGram(backend, weights);
  const values = await symmetricEigenvalues(backend, gram, options.twoStage ? { twoStage: true } : {});
  for (let i = 0; i < values.length; i++) if (values[i]! < 0) values[i] = 0;
  return values;
}

/**
 * W^T W (cols <= rows) or W W^T (rows < cols) in f32, both triangles: one f32 syrk on W (on an f32
 * copy when W is f64). A finite W can still overflow f32 in the Gram (a row or column with squared
 * norm above ~3.4e38): the diagonal, which bounds every entry of a Gram matrix, is checked, and an
 * InputError asks for f64.
 */
export async function smallerGramF32(backend: Backend, weights: Matrix): Promise<Matrix> {
  const { rows, cols, data } = weights;
  const isColumnGram = cols <= rows;
  const size = isColumnGram ? cols : rows;
  const source = data instanceof Float32Array ? data.subarray(0, rows * cols) : Float32Array.from(data.subarray(0, rows * cols));
  const gram = zeros(size, size, 'f32');
  await backend.syrk({ rows, cols, data: source }, gram, { trans: isColumnGram, alpha: 1, beta: 0 });
  for (let i = 0; i < size; i++) {
    const v = gram.data[i * size + i]!;
    if (!Number.isFinite(v)) {
      throw new InputError(`the f32 Gram matrix overflows (||W||^2 of a row or column exceeds the f32 range, entry ${i} is ${v}); analyze this matrix with --precision f64`);
    }
  }
  return gram;
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
