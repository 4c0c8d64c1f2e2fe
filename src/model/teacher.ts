/**
 * The single-index teacher of SPEC section 2: a unit direction beta* in R^d and labels
 * y = softplus(X beta*) + rho_e * eps.
 */
import { InputError } from '../errors.js';
import type { Matrix } from '../linalg/index.js';
import type { Generator } from '../random/index.js';

/**
 * softplus(z) = log(1 + e^z), computed without overflow for large z and without losing the tiny
 * values for very negative z: z + log1p(e^-z) for z > 0, log1p(e^z) otherwise.
 */
export function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}

/**
 * The teacher direction: d draws of N(0, 1) from `rng`, scaled to unit Euclidean norm
 * (SPEC section 2). Consumes exactly d normals.
 */
export function drawTeacherDirection(inputDim: number, rng: Generator): Float64Array {
  if (!Number.isInteger(inputDim) || inputDim < 1) throw new InputError(`the input dimension d must be a positive integer, got ${inputDim}`);
  const beta = rng.fillNormal(new Float64Array(inputDim));
  let sumSquares = 0;
  for (let i = 0; i < inputDim; i++) sumSquares += beta[i]! * beta[i]!;
  const scale = 1 / Math.sqrt(sumSquares);
  for (let i = 0; i < inputDim; i++) beta[i]! *= scale;
  return beta;
}

/**
 * Labels y_i = softplus(<x_i, beta>) + noiseStd * noise_i for the rows x_i of `x` (n x d, any
 * dtype); `noise` holds n standard normal draws. Returns a new Float64Array of length n.
 */
export function teacherLabels(x: Matrix, beta: Float64Array, noise: Float64Array, noiseStd: number): Float64Array {
  const { rows, cols, data } = x;
  if (beta.length !== cols) throw new InputError(`the teacher direction has length ${beta.length}, the inputs have d = ${cols} columns`);
  if (noise.length !== rows) throw new InputError(`the label noise has length ${noise.length}, expected one draw per row (${rows})`);
  const y = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let dot = 0;
    const offset = i * cols;
    for (let j = 0; j < cols; j++) dot += data[offset + j]! * beta[j]!;
    y[i] = softplus(dot) + noiseStd * noise[i]!;
  }
  return y;
}
