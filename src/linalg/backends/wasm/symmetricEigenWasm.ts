import { NumericalError } from '../../../errors.js';
import type { EigenResult } from '../../backend.js';
import { allocate, dtypeOf, type Matrix } from '../../matrix.js';
import { backTransform } from './backTransform.js';
import { kernelIndex } from './kernels.js';
import { partitionRange } from './partition.js';
import type { WasmHeap } from './wasmHeap.js';

/** Panel width limit of assembly/tridiagonalizeTeam.ts (its UNBLOCKED): vw and wv hold up to 2 x 64 columns. */
const MAX_PANEL = 64;
/** Below this size every step runs on the main thread as a team of one (well under a millisecond). */
const INLINE_SIZE = 64;
/** QL rotations recorded between two applications to the eigenvectors, per row of the matrix. */
const ROTATIONS_PER_ROW = 64;

/** How the driver runs kernels: a batch of tasks, or one team task (every worker, with its index). */
export interface TaskExecutor {
  /** Threads a team task runs on, and the parts gemm work is split into. */
  readonly threads: number;
  run(tasks: number[][], isInline: boolean): Promise<void>;
  runTeam(task: number[], isInline: boolean): Promise<void>;
}

/**
 * Eigenvalues (ascending, f64) and, when asked, eigenvectors (columns, A's dtype) of the symmetric
 * matrix `a` (lower triangle read), computed in the wasm memory. A is copied in once as f64 and its
 * lower triangle scaled to unit max-norm. One team task (assembly/tridiagonalizeTeam.ts) reduces it
 * to tridiagonal form on all workers, blocked as LAPACK's dsytrd (level-2 products in row bands,
 * trailing updates as gemm). Values only: implicit QL (assembly/tridiagonalQl.ts) as one task.
 * Vectors: QL as one task that records its rotations, applied to Z^T by tasks on all workers
 * whenever the record is full (assembly/tridiagonalQlVectors.ts), then the Householder
 * back-transformation as gemm tasks (backTransform.ts). The main thread only awaits and does
 * O(n^2) copies (the scaling, the sorted copy-out).
 */
export async function symmetricEigenWasm(heap: WasmHeap, executor: TaskExecutor, a: Matrix, shouldComputeVectors: boolean): Promise<EigenResult> {
  const n = a.rows;
  const bytes = 8;
  const isInline = n < INLINE_SIZE;
  const count = isInline ? 1 : executor.threads;
  const addressA = heap.allocate(n * n * bytes, 'the matrix (as f64)');
  const matrix = new Float64Array(heap.memory.buffer, addressA, n * n);
  matrix.set(a.data.subarray(0, n * n));
  const scale = scaleLower(matrix, n);
  const panelBytes = n * 2 * MAX_PANEL * bytes;
  const vw = heap.allocate(panelBytes, 'panel workspace');
  const wv = heap.allocate(panelBytes, 'panel workspace');
  const d = heap.allocate(n * bytes, 'the diagonal');
  const e = heap.allocate(n * bytes, 'the off-diagonal');
  const tau = heap.allocate(n * bytes, 'reflector scales');
  const v = heap.allocate(n * bytes, 'a reflector');
  const y = heap.allocate(n * bytes, 'a product');
  const column = heap.allocate(n * bytes, 'a column');
  const t = heap.allocate(2 * MAX_PANEL * bytes, 'a small product');
  const stride = Math.ceil((n * bytes) / 64) * 64;
  const partials = heap.allocate(count * stride, 'partial products');
  const shared = heap.allocate(64, 'barrier words');
  const status = heap.allocate(64, 'a status word');
  new Int32Array(heap.memory.buffer, shared, 16).fill(0);
  await executor.runTeam([kernelIndex('tridiagonalizeTeam'), n, addressA, vw, wv, d, e, tau, v, y, column, t, partials, stride, shared], isInline);

  let zt = 0;
  if (shouldComputeVectors) {
    const capacity = Math.max(n, ROTATIONS_PER_ROW * n);
    zt = heap.allocate(n * n * bytes, 'the eigenvectors');
    const rotations = heap.allocate(capacity * 16, 'QL rotations');
    const sweeps = heap.allocate(capacity * 12, 'QL sweeps');
    const identity = new Float64Array(heap.memory.buffer, zt, n * n);
    identity.fill(0);
    for (let i = 0; i < n; i++) identity[i * n + i] = 1;
    const state = heap.allocate(64, 'QL state');
    const stateWords = () => new Int32Array(heap.memory.buffer, state, 4);
    stateWords().fill(0);
    new Float64Array(heap.memory.buffer, state + 16, 1)[0] = 0;
    const columns = partitionRange(n, count * 2, 8);
    // QL records rotations until its buffer is full, the workers apply them to Z^T, QL resumes
    while (stateWords()[2] === 0) {
      await executor.run([[kernelIndex('tridiagonalQlRecordTask'), n, d, e, rotations, sweeps, capacity, state]], isInline);
      const sweepCount = stateWords()[3]!;
      if (sweepCount > 0) {
        await executor.run(columns.map(([k0, k1]) => [kernelIndex('applySweepsTask'), n, zt, rotations, sweeps, sweepCount, k0, k1]), isInline);
      }
    }
    const result = stateWords()[2]!;
    if (result >= 2) throw qlError(result - 2, n);
  } else {
    await executor.run([[kernelIndex('tridiagonalQlTask'), n, d, e, status]], isInline);
    const failed = new Int32Array(heap.memory.buffer, status, 1)[0]!;
    if (failed !== 0) throw qlError(failed - 1, n);
  }
  const unsorted = new Float64Array(heap.memory.buffer, d, n).slice();
  const order = Array.from({ length: n }, (_, j) => j).sort((x, z) => unsorted[x]! - unsorted[z]!);
  const values = Float64Array.from(order, (j) => unsorted[j]! / scale);
  if (!shouldComputeVectors) return { values };

  await backTransform(heap, executor, { n, a: addressA, tau, zt, isInline });
  // vectors[k][j] = Zt[order[j]][k]: column j is the eigenvector of values[j]
  const source = new Float64Array(heap.memory.buffer, zt, n * n);
  const out = allocate(n * n, dtypeOf(a));
  for (let j = 0; j < n; j++) {
    const row = order[j]! * n;
    for (let k = 0; k < n; k++) out[k * n + j] = source[row + k]!;
  }
  return { values, vectors: { rows: n, cols: n, data: out } };
}

function qlError(index: number, n: number): NumericalError {
  return new NumericalError(`symmetricEigen: the tridiagonal QL iteration did not converge for eigenvalue ${index} of ${n}; check the input for extreme scaling`);
}

/** Scales the lower triangle to unit max-norm (the upper one is never read); returns the scale applied. */
function scaleLower(matrix: Float64Array, n: number): number {
  let maxAbs = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) maxAbs = Math.max(maxAbs, Math.abs(matrix[i * n + j]!));
  }
  const scale = maxAbs === 0 ? 1 : 1 / maxAbs;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) matrix[i * n + j] = matrix[i * n + j]! * scale;
  }
  return scale;
}
