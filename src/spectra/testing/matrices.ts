/** Seeded test matrices, one per ESD phase (small sizes, f64, row-major). */
import { fromArray } from '../../linalg/index.js';
import type { Matrix } from '../../linalg/index.js';
import { stream } from '../../random/index.js';

/** rows x cols of i.i.d. N(0, variance) entries. */
export function gaussianMatrix(rows: number, cols: number, seed: number, variance = 1): Matrix {
  const data = new Float64Array(rows * cols);
  stream(seed, 'gaussian').fillNormal(data);
  if (variance !== 1) for (let i = 0; i < data.length; i++) data[i]! *= Math.sqrt(variance);
  return fromArray(rows, cols, data);
}

/**
 * Adds sum_s theta_s u_s v_s^T (u, v random unit vectors) with theta_s = strength * (rows cols)^(1/4):
 * for N(0,1) noise the BBP threshold is strength 1, and the spike's eigenvalue is
 * (theta^2 + rows)(theta^2 + cols) / theta^2.
 */
export function plantLowRank(matrix: Matrix, strengths: readonly number[], seed: number): Matrix {
  const { rows, cols, data } = matrix;
  const rng = stream(seed, 'plant');
  const threshold = Math.pow(rows * cols, 0.25);
  for (const strength of strengths) {
    const u = new Float64Array(rows);
    const v = new Float64Array(cols);
    rng.fillNormal(u);
    rng.fillNormal(v);
    const scale = (strength * threshold) / (Math.hypot(...u) * Math.hypot(...v));
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) data[i * cols + j]! += scale * u[i]! * v[j]!;
  }
  return matrix;
}

/** Gaussian with column j scaled by exp(-rate j / cols): a bulk that decays smoothly instead of MP. */
export function decayingBulkMatrix(rows: number, cols: number, seed: number, rate = 2): Matrix {
  const m = gaussianMatrix(rows, cols, seed);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) m.data[i * cols + j]! *= Math.exp((-rate * j) / cols);
  return m;
}

/** Symmetric Pareto entries, P(|x| > t) = t^-tailIndex for t >= 1 (infinite variance for tailIndex < 2). */
export function paretoEntriesMatrix(rows: number, cols: number, seed: number, tailIndex = 1.5): Matrix {
  const rng = stream(seed, 'pareto-entries');
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = (rng.nextDouble() < 0.5 ? -1 : 1) * (1 - rng.nextDouble()) ** (-1 / tailIndex);
  return fromArray(rows, cols, data);
}

/** A B with A rows x rank and B rank x cols Gaussian: rank `rank`, so min(rows, cols) - rank zero eigenvalues. */
export function lowRankMatrix(rows: number, cols: number, rank: number, seed: number): Matrix {
  const a = gaussianMatrix(rows, rank, seed).data;
  const b = gaussianMatrix(rank, cols, seed + 1).data;
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let t = 0; t < rank; t++) {
      const ait = a[i * rank + t]!;
      for (let j = 0; j < cols; j++) data[i * cols + j]! += ait * b[t * cols + j]!;
    }
  }
  return fromArray(rows, cols, data);
}

/** Gaussian with the given fraction of its columns set to zero (dead units): exact zero eigenvalues. */
export function deadColumnsMatrix(rows: number, cols: number, seed: number, deadFraction: number): Matrix {
  const m = gaussianMatrix(rows, cols, seed);
  const dead = Math.round(deadFraction * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < dead; j++) m.data[i * cols + j] = 0;
  return m;
}
