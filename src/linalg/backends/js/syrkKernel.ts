/**
 * The js backend's SYRK: C = alpha * op(A) * op(A)^T + beta * C with both triangles written. Computes
 * the lower triangle block row by block row with the GEMM kernel (about half the flops of a full
 * GEMM), then mirrors it into the upper triangle.
 */
import type { Matrix } from '../../matrix.js';
import { gemmStrided, scaleStrided } from './gemmKernel.js';

const BLOCK = 64;

/** trans false: C (n x n) = alpha * A A^T + beta * C for A n x k; trans true: C = alpha * A^T A + beta * C for A k x n. */
export function syrkKernel(a: Matrix, c: Matrix, trans: boolean, alpha: number, beta: number): void {
  const n = c.rows;
  const k = trans ? a.rows : a.cols;
  const cd = c.data;
  for (let i0 = 0; i0 < n; i0 += BLOCK) {
    const i1 = Math.min(n, i0 + BLOCK);
    const cBlock = { data: cd, offset: i0 * n, stride: n };
    scaleStrided(i1 - i0, i1, beta, cBlock);
    // C[i0:i1, 0:i1] += alpha * op(A)[i0:i1, :] * op(A)[0:i1, :]^T
    const rowsOperand = trans ? { data: a.data, offset: i0, stride: a.cols } : { data: a.data, offset: i0 * a.cols, stride: a.cols };
    const allOperand = { data: a.data, offset: 0, stride: a.cols };
    gemmStrided(i1 - i0, i1, k, alpha, rowsOperand, trans, allOperand, !trans, cBlock);
  }
  // mirror the lower triangle into the upper one, tile by tile to stay in cache
  const tile = 32;
  for (let i0 = 0; i0 < n; i0 += tile) {
    for (let j0 = i0; j0 < n; j0 += tile) {
      const i1 = Math.min(n, i0 + tile);
      const j1 = Math.min(n, j0 + tile);
      for (let i = i0; i < i1; i++) for (let j = Math.max(j0, i + 1); j < j1; j++) cd[i * n + j] = cd[j * n + i]!;
    }
  }
}
