/** The js backend's GEMV: y = alpha * op(A) x + beta * y on a row-major A, four rows per pass. */
import type { FloatArray, Matrix } from '../../matrix.js';

/** trans false: y (rows) = alpha A x + beta y; trans true: y (cols) = alpha A^T x + beta y. */
export function gemvKernel(a: Matrix, x: FloatArray, y: FloatArray, trans: boolean, alpha: number, beta: number): void {
  const { rows, cols, data } = a;
  const outLength = trans ? cols : rows;
  if (beta === 0) y.fill(0, 0, outLength);
  else if (beta !== 1) for (let i = 0; i < outLength; i++) y[i] *= beta;
  if (alpha === 0) return;
  if (!trans) {
    let i = 0;
    for (; i + 4 <= rows; i += 4) {
      const o0 = i * cols, o1 = o0 + cols, o2 = o1 + cols, o3 = o2 + cols;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let j = 0; j < cols; j++) {
        const xj = x[j]!;
        s0 += data[o0 + j]! * xj;
        s1 += data[o1 + j]! * xj;
        s2 += data[o2 + j]! * xj;
        s3 += data[o3 + j]! * xj;
      }
      y[i] += alpha * s0;
      y[i + 1] += alpha * s1;
      y[i + 2] += alpha * s2;
      y[i + 3] += alpha * s3;
    }
    for (; i < rows; i++) {
      const o = i * cols;
      let s = 0;
      for (let j = 0; j < cols; j++) s += data[o + j]! * x[j]!;
      y[i] += alpha * s;
    }
    return;
  }
  let i = 0;
  for (; i + 4 <= rows; i += 4) {
    const o0 = i * cols, o1 = o0 + cols, o2 = o1 + cols, o3 = o2 + cols;
    const x0 = alpha * x[i]!, x1 = alpha * x[i + 1]!, x2 = alpha * x[i + 2]!, x3 = alpha * x[i + 3]!;
    for (let j = 0; j < cols; j++) y[j] += x0 * data[o0 + j]! + x1 * data[o1 + j]! + x2 * data[o2 + j]! + x3 * data[o3 + j]!;
  }
  for (; i < rows; i++) {
    const o = i * cols;
    const xi = alpha * x[i]!;
    for (let j = 0; j < cols; j++) y[j] += xi * data[o + j]!;
  }
}
