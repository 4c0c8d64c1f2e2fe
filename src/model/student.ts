/**
 * The two-layer student of SPEC section 3, f(x) = (1/sqrt(h)) a^T tanh(W x / sqrt(d)), with its MSE
 * loss L = (1/B) sum_i (f(x_i) - y_i)^2 and the loss's gradient, side by side:
 *   Z = X W^T / sqrt(d), A = tanh(Z), r = A a / sqrt(h) - y,
 *   dL/dW = (2/B) ((r a^T / sqrt(h)) .* (1 - A.^2))^T X / sqrt(d)   (h x d),
 *   dL/da = (2/B) A^T r / sqrt(h)                                    (h).
 * The two products X W^T and D^T X go to the backend's gemm; the elementwise work is one pass per
 * row that stays in cache. Nothing is allocated per step: a workspace holds every buffer.
 */
import { InputError } from '../errors.js';
import { allocate, dtypeOf, gemm, gemmInto, rowsView, type Backend, type DType, type FloatArray, type Matrix } from '../linalg/index.js';
import { tanhFast } from './activation.js';

/** The student's parameters: W (h x d) and a (h), in the training dtype. */
export interface StudentParameters {
  readonly w: Matrix;
  readonly a: FloatArray;
}

/** Buffers for one loss-and-gradient evaluation on batches of at most `maxBatchSize` rows. */
export interface StudentWorkspace {
  readonly maxBatchSize: number;
  /** maxBatchSize x h: pre-activations, then activations, then the backpropagated D. */
  readonly hidden: Matrix;
  /** h x d: dL/dW of the last call. */
  readonly gradW: Matrix;
  /** h: dL/da of the last call (only when asked for). */
  readonly gradA: FloatArray;
  /** h: f64 accumulator for dL/da. */
  readonly gradAAccumulator: Float64Array;
}

/**
 * Allocates the buffers for batches of up to `maxBatchSize` rows, an h x d student, in `dtype`.
 * `allocateLarge` places the two large ones (hidden and gradW; default: plain zero-filled arrays),
 * e.g. in a backend's reserved block (Backend.reserve) so that its calls use them in place.
 */
export function createStudentWorkspace(
  maxBatchSize: number,
  hiddenDim: number,
  inputDim: number,
  dtype: DType,
  allocateLarge: (length: number, dtype: DType) => FloatArray = allocate,
): StudentWorkspace {
  return {
    maxBatchSize,
    hidden: { rows: maxBatchSize, cols: hiddenDim, data: allocateLarge(maxBatchSize * hiddenDim, dtype) },
    gradW: { rows: hiddenDim, cols: inputDim, data: allocateLarge(hiddenDim * inputDim, dtype) },
    gradA: allocate(hiddenDim, dtype),
    gradAAccumulator: new Float64Array(hiddenDim),
  };
}

/**
 * tanh applied in place to `length` entries. The f32 path uses the rational approximation
 * (2.6e-7 absolute error, below f32's resolution near 1); f64 uses Math.tanh.
 */
export function tanhInPlace(data: FloatArray, length: number): void {
  if (data instanceof Float32Array) {
    for (let i = 0; i < length; i++) data[i] = tanhFast(data[i]!);
  } else {
    for (let i = 0; i < length; i++) data[i] = Math.tanh(data[i]!);
  }
}

/**
 * The hidden activations tanh(X W^T / sqrt(d)) of the rows of `x` (m x d) as a new m x h matrix in
 * the dtype of W (x must share it).
 */
export async function studentActivations(backend: Backend, w: Matrix, x: Matrix): Promise<Matrix> {
  const z = await gemm(backend, x, w, { transB: true, alpha: 1 / Math.sqrt(w.cols) });
  tanhInPlace(z.data, z.rows * z.cols);
  return z;
}

/** f(x_i) for every row of `x` (m x d), as a new Float64Array of length m. */
export async function studentPredict(backend: Backend, parameters: StudentParameters, x: Matrix): Promise<Float64Array> {
  const activations = await studentActivations(backend, parameters.w, x);
  const { rows, cols, data } = activations;
  const a = parameters.a;
  const scale = 1 / Math.sqrt(cols);
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let sum = 0;
    const offset = i * cols;
    for (let j = 0; j < cols; j++) sum += data[offset + j]! * a[j]!;
    out[i] = sum * scale;
  }
  return out;
}

/** (1/m) sum_i (prediction_i - y_i)^2, no factor 1/2 (SPEC section 3). */
export function meanSquaredError(predictions: ArrayLike<number>, y: ArrayLike<number>): number {
  if (predictions.length !== y.length) throw new InputError(`predictions have length ${predictions.length}, labels ${y.length}`);
  let sum = 0;
  for (let i = 0; i < y.length; i++) {
    const r = predictions[i]! - y[i]!;
    sum += r * r;
  }
  return sum / y.length;
}

/**
 * The batch loss at the current parameters, and its gradient into `workspace.gradW` (and
 * `workspace.gradA` when `shouldComputeGradA`). `x` (B x d, the dtype of W) and `y` (B) are the
 * batch, B <= workspace.maxBatchSize. Returns the loss (NaN or Inf when the parameters are).
 */
export async function studentLossAndGradient(
  backend: Backend,
  parameters: StudentParameters,
  x: Matrix,
  y: ArrayLike<number>,
  workspace: StudentWorkspace,
  shouldComputeGradA: boolean,
): Promise<number> {
  const { w, a } = parameters;
  const batchSize = x.rows;
  const hiddenDim = w.rows;
  const inputDim = w.cols;
  if (batchSize > workspace.maxBatchSize || y.length !== batchSize || x.cols !== inputDim || dtypeOf(x) !== dtypeOf(w)) {
    throw new InputError(
      `a batch of ${x.rows}x${x.cols} ${dtypeOf(x)} inputs and ${y.length} labels does not fit a ${hiddenDim}x${inputDim} ${dtypeOf(w)} student with batches of at most ${workspace.maxBatchSize}`,
    );
  }
  const hidden = rowsView(workspace.hidden, 0, batchSize);
  await gemmInto(backend, x, w, hidden, { transB: true, alpha: 1 / Math.sqrt(inputDim), beta: 0 });

  const values = hidden.data;
  const inverseSqrtH = 1 / Math.sqrt(hiddenDim);
  const accumulator = workspace.gradAAccumulator;
  if (shouldComputeGradA) accumulator.fill(0);
  const isF32 = values instanceof Float32Array;
  const kernels = backend.elementwise;
  let lossSum = 0;
  if (kernels && values instanceof Float32Array && a instanceof Float32Array && y instanceof Float64Array) {
    // the backend's fused pass: the same operations as the loop below, the same bits
    lossSum = kernels.tanhBackwardF32(values, batchSize, hiddenDim, a, y, inverseSqrtH, shouldComputeGradA ? accumulator : null);
  } else for (let i = 0; i < batchSize; i++) {
    const offset = i * hiddenDim;
    // Pass 1 over row i: activations and the prediction.
    let sum = 0;
    if (isF32) {
      for (let j = 0; j < hiddenDim; j++) {
        const t = tanhFast(values[offset + j]!);
        values[offset + j] = t;
        sum += t * a[j]!;
      }
    } else {
      for (let j = 0; j < hiddenDim; j++) {
        const t = Math.tanh(values[offset + j]!);
        values[offset + j] = t;
        sum += t * a[j]!;
      }
    }
    const r = sum * inverseSqrtH - y[i]!;
    lossSum += r * r;
    // Pass 2 over row i (still in cache): dL/da contributions, then D_ij = r_i a_j (1 - A_ij^2);
    // the constant 2 / (B sqrt(h) sqrt(d)) goes into the gemm's alpha.
    if (shouldComputeGradA) {
      for (let j = 0; j < hiddenDim; j++) {
        const t = values[offset + j]!;
        accumulator[j]! += t * r;
        values[offset + j] = r * a[j]! * (1 - t * t);
      }
    } else {
      for (let j = 0; j < hiddenDim; j++) {
        const t = values[offset + j]!;
        values[offset + j] = r * a[j]! * (1 - t * t);
      }
    }
  }
  await gemmInto(backend, hidden, x, workspace.gradW, {
    transA: true,
    alpha: 2 / (batchSize * Math.sqrt(hiddenDim) * Math.sqrt(inputDim)),
    beta: 0,
  });
  if (shouldComputeGradA) {
    const scale = (2 / batchSize) * inverseSqrtH;
    for (let j = 0; j < hiddenDim; j++) workspace.gradA[j] = accumulator[j]! * scale;
  }
  return lossSum / batchSize;
}
