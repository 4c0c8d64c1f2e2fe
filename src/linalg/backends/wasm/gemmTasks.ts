import { kernelIndex } from './kernels.js';
import { partitionProduct } from './partition.js';

/** One strided operand in the wasm memory: op(X)(i, p) = X[address + (i * rowStride + p * colStride) * size]. */
export interface StridedOperand {
  readonly address: number;
  readonly rowStride: number;
  readonly colStride: number;
}

/**
 * Pool tasks for C[m x n] = alpha op(A)[m x k] op(B)[k x n] + beta C (row-major C at `c` with
 * leading dimension ldc), split into about `parts` blocks of C along its longer side.
 */
export function gemmTasks(
  dtype: 'f32' | 'f64', m: number, n: number, k: number, alpha: number,
  a: StridedOperand, b: StridedOperand, beta: number, c: number, ldc: number, parts: number,
): number[][] {
  const kernel = kernelIndex(dtype === 'f32' ? 'gemmF32' : 'gemmF64');
  const size = dtype === 'f32' ? 4 : 8;
  return partitionProduct(m, n, parts).map((block) => [
    kernel, block.rowEnd - block.rowStart, block.colEnd - block.colStart, k, alpha,
    a.address + block.rowStart * a.rowStride * size, a.rowStride, a.colStride,
    b.address + block.colStart * b.colStride * size, b.rowStride, b.colStride,
    beta, c + (block.rowStart * ldc + block.colStart) * size, ldc,
  ]);
}
