/**
 * Generalization at a probe (SPEC section 5): the ridge read-out on the probe split when the last
 * layer is fixed, the student's own test MSE otherwise.
 */
import { NumericalError } from '../errors.js';
import { allocate, dtypeOf, gemmInto, gemv, syrkInto, type Backend, type DType, type FloatArray, type Matrix, type Matrix64 } from '../linalg/index.js';
import { meanSquaredError, tanhFast } from '../model/index.js';
import type { ReadoutFeaturesName } from './options.js';
import { kernelTargetAlignmentFromGram } from './kernelTargetAlignment.js';
import { ridgeReadout, ridgeRegularization } from './ridgeReadout.js';

/**
 * The factor X W^T is scaled by inside tanh: 1/d for 'reference' (the original code's double
 * division, see docs/training.md), 1/sqrt(d) for 'paper' (the paper's formula).
 */
export function readoutInputScale(features: ReadoutFeaturesName, inputDim: number): number {
  return features === 'reference' ? 1 / inputDim : 1 / Math.sqrt(inputDim);
}

/**
 * The read-out features F = tanh(s X W^T) / sqrt(h) (m x h, f64), s = `inputScale`
 * (readoutInputScale). The product runs in the dtype of W and `x` (the model's own precision);
 * the scale and everything after are f64. For f32 W, tanh is tanhFast (absolute error <= 2.6e-7,
 * below the f32 rounding of the product itself, at a third of Math.tanh's cost); for f64 W it is
 * Math.tanh.
 */
export async function readoutFeatures(backend: Backend, w: Matrix, x: Matrix, inputScale: number, place: Place = allocate): Promise<Matrix64> {
  const z = await gemmInto(backend, x, w, { rows: x.rows, cols: w.rows, data: place(x.rows * w.rows, dtypeOf(w)) }, { transB: true, alpha: inputScale });
  const length = z.rows * z.cols;
  const scale = 1 / Math.sqrt(w.rows);
  const out = place(length, 'f64') as Float64Array;
  const source = z.data;
  if (source instanceof Float32Array && backend.elementwise) {
    backend.elementwise.tanhScaleF32(source, out, length, scale);
  } else if (source instanceof Float32Array) {
    for (let i = 0; i < length; i++) out[i] = tanhFast(source[i]!) * scale;
  } else {
    for (let i = 0; i < length; i++) out[i] = Math.tanh(source[i]!) * scale;
  }
  return { rows: z.rows, cols: z.cols, data: out };
}

/** Losses (and KTA) of the ridge read-out at one probe. */
export interface RidgeEvaluation {
  trainLoss: number;
  testLoss: number;
  /** NaN unless asked for. */
  kta: number;
}

/**
 * Fits a_hat on the probe split, features F = readoutFeatures(W, X, inputScale), (F^T F + (lambda/h) n I) a_hat = F^T y_p and returns its MSE on the
 * probe split (the "train loss") and on the test split. The KTA of the probe features comes from
 * the same Gram matrix and F^T y at no extra cost. A failed solve gives NaN losses (not a throw),
 * so that one degenerate probe does not end a sweep.
 */
export async function evaluateRidgeReadout(...args: EvaluationArguments): Promise<RidgeEvaluation> {
  const [backend, w, split] = args;
  // the large temporaries (features, Gram matrix) in the backend's own memory where it has some
  // (wasm): its calls then read and write them in place, without copies; the same bits
  const h = w.rows;
  const zBytes = dtypeOf(w) === 'f32' ? 4 : 8;
  const bytes = (split.xProbe.rows + split.xTest.rows) * h * (zBytes + 8) + h * h * 8;
  const block = (await backend.reserve?.(bytes)) ?? null;
  try {
    return await evaluateIn(...args, block ? (length, dtype) => block.allocate(length, dtype) : allocate);
  } finally {
    await block?.release();
  }
}

/** evaluateRidgeReadout's parameters: backend, W, the probe and test splits, lambda, whether to compute the KTA, the input scale. */
type EvaluationArguments = [
  backend: Backend,
  w: Matrix,
  split: { xProbe: Matrix; yProbe: Float64Array; xTest: Matrix; yTest: Float64Array },
  regLambda: number,
  shouldComputeKta: boolean,
  inputScale: number,
];

/** Where an evaluation's temporaries live: plain arrays, or a reserved block's. */
type Place = (length: number, dtype: DType) => FloatArray;

async function evaluateIn(...[backend, w, split, regLambda, shouldComputeKta, inputScale, place]: [...EvaluationArguments, Place]): Promise<RidgeEvaluation> {
  const features = await readoutFeatures(backend, w, split.xProbe, inputScale, place);
  const gram = await syrkInto(backend, features, { rows: w.rows, cols: w.rows, data: place(w.rows * w.rows, 'f64') }, { trans: true });
  const fty = await gemv(backend, features, split.yProbe, { trans: true });
  const kta = shouldComputeKta ? kernelTargetAlignmentFromGram(gram, fty, split.yProbe) : Number.NaN;
  let readout: Float64Array;
  try {
    readout = await ridgeReadout(backend, gram, fty, ridgeRegularization(regLambda, w.rows, split.xProbe.rows));
  } catch (error) {
    if (error instanceof NumericalError) {
      return { trainLoss: Number.NaN, testLoss: Number.NaN, kta };
    }
    throw error;
  }
  const trainPredictions = await gemv(backend, features, readout);
  const testFeatures = await readoutFeatures(backend, w, split.xTest, inputScale, place);
  const testPredictions = await gemv(backend, testFeatures, readout);
  return {
    trainLoss: meanSquaredError(trainPredictions, split.yProbe),
    testLoss: meanSquaredError(testPredictions, split.yTest),
    kta,
  };
}
