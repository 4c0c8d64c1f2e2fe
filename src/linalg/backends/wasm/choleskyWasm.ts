import { notPositiveDefiniteError } from '../../algorithms/cholesky.js';
import { kernelIndex } from './kernels.js';
import { partitionRange } from './partition.js';
import type { TaskExecutor } from './symmetricEigenWasm.js';
import type { WasmHeap } from './wasmHeap.js';

/** Below this many flops a factorization or solve runs on the main thread (a team of one): well under a millisecond. */
const INLINE_FLOPS = 2 ** 22;
/** Right-hand-side columns per solve task are a multiple of this (the f64 gemm tile is 8 columns wide: assembly/microkernel.ts). */
const COLUMN_GRAIN = 8;

/**
 * Factors the n x n f64 matrix at `address` in the wasm memory in place into its lower Cholesky
 * factor (lower triangle; the upper holds leftovers), as one team task on every worker
 * (assembly/cholesky.ts: blocked right-looking, the same bits as src/linalg/algorithms/cholesky.ts
 * over this backend's kernels). Throws the TypeScript path's NumericalError, naming the first pivot
 * that is not positive.
 */
export async function choleskyFactorWasm(heap: WasmHeap, executor: TaskExecutor, address: number, n: number): Promise<void> {
  const shared = heap.allocate(64, 'barrier and result words');
  new Int32Array(heap.memory.buffer, shared, 16).fill(0);
  const isInline = n ** 3 / 3 < INLINE_FLOPS;
  await executor.runTeam([kernelIndex('choleskyTeam'), n, address, shared], isInline);
  const failed = new Int32Array(heap.memory.buffer, shared + 16, 1)[0]!;
  if (failed !== 0) throw notPositiveDefiniteError(failed - 1, n, new Float64Array(heap.memory.buffer, shared + 24, 1)[0]!);
}

/**
 * Solves L L^T X = B in place of the n x r f64 matrix at `x` for the lower factor at `l` (n x n f64,
 * upper triangle not read), with tasks over ranges of columns (independent; r = 1 is one task).
 */
export async function choleskySolveWasm(executor: TaskExecutor, l: number, x: number, n: number, r: number): Promise<void> {
  const ranges = partitionRange(r, executor.threads * 2, COLUMN_GRAIN);
  const tasks = ranges.map(([c0, c1]) => [kernelIndex('choleskySolveTask'), n, r, l, x, c0, c1]);
  await executor.run(tasks, 2 * n * n * r < INLINE_FLOPS);
}
