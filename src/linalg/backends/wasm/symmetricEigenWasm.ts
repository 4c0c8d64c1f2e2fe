import { NumericalError } from '../../../errors.js';
import type { EigenProjectionResult, EigenResult } from '../../backend.js';
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
  const reduced = await tridiagonalize(heap, executor, a);
  if (!shouldComputeVectors) {
    const status = heap.allocate(64, 'a status word');
    await executor.run([[kernelIndex('tridiagonalQlTask'), n, reduced.d, reduced.e, status]], reduced.isInline);
    const failed = new Int32Array(heap.memory.buffer, status, 1)[0]!;
    if (failed !== 0) throw qlError(failed - 1, n);
    return { values: sortedValues(heap, reduced).values };
  }
  const zt = heap.allocate(n * n * 8, 'the eigenvectors');
  const identity = new Float64Array(heap.memory.buffer, zt, n * n);
  identity.fill(0);
  for (let i = 0; i < n; i++) identity[i * n + i] = 1;
  const columns = partitionRange(n, reduced.count * 2, 8);
  await recordedQl(heap, executor, reduced, async (rotations, sweeps, sweepCount) => {
    await executor.run(columns.map(([k0, k1]) => [kernelIndex('applySweepsTask'), n, zt, rotations, sweeps, sweepCount, k0, k1]), reduced.isInline);
  });
  const { values, order } = sortedValues(heap, reduced);

  await backTransform(heap, executor, { n, a: reduced.a, tau: reduced.tau, zt, isInline: reduced.isInline });
  // vectors[k][j] = Zt[order[j]][k]: column j is the eigenvector of values[j]
  const source = new Float64Array(heap.memory.buffer, zt, n * n);
  const out = allocate(n * n, dtypeOf(a));
  for (let j = 0; j < n; j++) {
    const row = order[j]! * n;
    for (let k = 0; k < n; k++) out[k * n + j] = source[row + k]!;
  }
  return { values, vectors: { rows: n, cols: n, data: out } };
}

/**
 * Eigenvalues (ascending, f64) of the symmetric matrix `a` and P = Q^T B (n x r, B's dtype; row j
 * for values[j]) without Q: the tridiagonalization and the recording QL exactly as in
 * symmetricEigenWasm with vectors (so the values are the same bits), then, with A = Q T Q^T,
 * Q = H_0 H_1 ... H_{n-2} and T = Z diag Z^T, Q^T B = Z^T (H_{n-2} ... H_0 B): the reflectors are
 * applied to an f64 copy C of B in order, then every recorded QL sweep, as to Z^T (Z^T C is what
 * the rotations make of C when they combine its rows as they combine Z^T's). Both on the main
 * thread, O(n^2 r) against the O(n^3) of Z^T and the back-transformation.
 */
export async function symmetricEigenProjectionWasm(heap: WasmHeap, executor: TaskExecutor, a: Matrix, b: Matrix): Promise<EigenProjectionResult> {
  const n = a.rows;
  const r = b.cols;
  const reduced = await tridiagonalize(heap, executor, a);
  const c = Float64Array.from(b.data.subarray(0, n * r));
  applyReflectors(heap, reduced, c, r);
  await recordedQl(heap, executor, reduced, async (rotations, sweeps, sweepCount) => {
    const memory = heap.memory.buffer;
    applySweeps(new Float64Array(memory, rotations, 2 * reduced.capacity), new Int32Array(memory, sweeps, 3 * sweepCount), sweepCount, c, r);
  });
  const { values, order } = sortedValues(heap, reduced);
  const out = allocate(n * r, dtypeOf(b));
  for (let j = 0; j < n; j++) {
    const row = order[j]! * r;
    for (let k = 0; k < r; k++) out[j * r + k] = c[row + k]!;
  }
  return { values, projections: { rows: n, cols: r, data: out } };
}

/** Addresses (bytes, f64) and sizes the tridiagonalization leaves for the QL step and after. */
interface Reduced {
  readonly n: number;
  /** The reduced matrix: reflector j's vector below the diagonal of column j (rows j+1.., the first entry 1). */
  readonly a: number;
  readonly d: number;
  readonly e: number;
  readonly tau: number;
  /** The factor A was scaled by (scaleLower). */
  readonly scale: number;
  readonly isInline: boolean;
  /** Threads the steps run on (1 inline). */
  readonly count: number;
  /** QL rotations the record holds (recordedQl). */
  readonly capacity: number;
}

/** Copies A in as f64, scales its lower triangle and reduces it to tridiagonal form (one team task). */
async function tridiagonalize(heap: WasmHeap, executor: TaskExecutor, a: Matrix): Promise<Reduced> {
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
  new Int32Array(heap.memory.buffer, shared, 16).fill(0);
  await executor.runTeam([kernelIndex('tridiagonalizeTeam'), n, addressA, vw, wv, d, e, tau, v, y, column, t, partials, stride, shared], isInline);
  return { n, a: addressA, d, e, tau, scale, isInline, count, capacity: Math.max(n, ROTATIONS_PER_ROW * n) };
}

/**
 * QL on d, e recording its rotations (assembly/tridiagonalQlVectors.ts): one task runs until the
 * record is full, `apply` consumes it (rotations: (cos, sin) pairs; sweeps: (top, last, first pair)
 * i32 triples), and QL resumes, until every value has converged. d ends holding the unsorted values.
 */
async function recordedQl(
  heap: WasmHeap,
  executor: TaskExecutor,
  reduced: Reduced,
  apply: (rotations: number, sweeps: number, sweepCount: number) => Promise<void>,
): Promise<void> {
  const { n, d, e, capacity, isInline } = reduced;
  const rotations = heap.allocate(capacity * 16, 'QL rotations');
  const sweeps = heap.allocate(capacity * 12, 'QL sweeps');
  const state = heap.allocate(64, 'QL state');
  const stateWords = () => new Int32Array(heap.memory.buffer, state, 4);
  stateWords().fill(0);
  new Float64Array(heap.memory.buffer, state + 16, 1)[0] = 0;
  while (stateWords()[2] === 0) {
    await executor.run([[kernelIndex('tridiagonalQlRecordTask'), n, d, e, rotations, sweeps, capacity, state]], isInline);
    const sweepCount = stateWords()[3]!;
    if (sweepCount > 0) await apply(rotations, sweeps, sweepCount);
  }
  const result = stateWords()[2]!;
  if (result >= 2) throw qlError(result - 2, n);
}

/** The values QL left in d, ascending and unscaled, and order[j] = the index in d of values[j]. */
function sortedValues(heap: WasmHeap, reduced: Reduced): { values: Float64Array; order: number[] } {
  const { n, d, scale } = reduced;
  const unsorted = new Float64Array(heap.memory.buffer, d, n).slice();
  const order = Array.from({ length: n }, (_, j) => j).sort((x, z) => unsorted[x]! - unsorted[z]!);
  return { values: Float64Array.from(order, (j) => unsorted[j]! / scale), order };
}

/**
 * C := H_{n-2} ... H_1 H_0 C (= Q^T C) for C (n x r, row-major), H_j = I - tau_j v v^T with v on
 * rows j+1 .. n-1, read from column j of the reduced matrix (its first entry, on the subdiagonal,
 * stored as 1). The scaling of A changes no reflector's meaning: Q is that of the scaled matrix,
 * whose eigenvectors are A's.
 */
function applyReflectors(heap: WasmHeap, reduced: Reduced, c: Float64Array, r: number): void {
  const { n } = reduced;
  const memory = heap.memory.buffer;
  const matrix = new Float64Array(memory, reduced.a, n * n);
  const tau = new Float64Array(memory, reduced.tau, n);
  const v = new Float64Array(n);
  const w = new Float64Array(r);
  for (let j = 0; j + 1 < n; j++) {
    const t = tau[j]!;
    if (t === 0) continue;
    for (let i = j + 1; i < n; i++) v[i] = matrix[i * n + j]!;
    if (r === 1) {
      let dot = 0;
      for (let i = j + 1; i < n; i++) dot += v[i]! * c[i]!;
      const f = t * dot;
      for (let i = j + 1; i < n; i++) c[i] = c[i]! - f * v[i]!;
      continue;
    }
    w.fill(0);
    for (let i = j + 1; i < n; i++) {
      const vi = v[i]!;
      for (let k = 0; k < r; k++) w[k] = w[k]! + vi * c[i * r + k]!;
    }
    for (let k = 0; k < r; k++) w[k] = t * w[k]!;
    for (let i = j + 1; i < n; i++) {
      const vi = v[i]!;
      for (let k = 0; k < r; k++) c[i * r + k] = c[i * r + k]! - vi * w[k]!;
    }
  }
}

/**
 * The recorded QL sweeps, in order, applied to the rows of C (n x r) as applySweeps in
 * assembly/tridiagonalQlVectors.ts applies them to the rows of Z^T: sweep (top, last, first pair)
 * carries row top down to row last, rotation i (pair first + top - 1 - i) setting
 * row i+1 = s row i + c f and f = c row i - s f.
 */
function applySweeps(rotations: Float64Array, sweeps: Int32Array, sweepCount: number, c: Float64Array, r: number): void {
  const f = new Float64Array(r);
  for (let q = 0; q < sweepCount; q++) {
    const top = sweeps[3 * q]!;
    const last = sweeps[3 * q + 1]!;
    let pair = 2 * sweeps[3 * q + 2]!;
    if (r === 1) {
      let g = c[top]!;
      for (let i = top - 1; i >= last; i--) {
        const cos = rotations[pair]!;
        const sin = rotations[pair + 1]!;
        pair += 2;
        const z = c[i]!;
        c[i + 1] = sin * z + cos * g;
        g = cos * z - sin * g;
      }
      c[last] = g;
      continue;
    }
    for (let k = 0; k < r; k++) f[k] = c[top * r + k]!;
    for (let i = top - 1; i >= last; i--) {
      const cos = rotations[pair]!;
      const sin = rotations[pair + 1]!;
      pair += 2;
      for (let k = 0; k < r; k++) {
        const z = c[i * r + k]!;
        c[(i + 1) * r + k] = sin * z + cos * f[k]!;
        f[k] = cos * z - sin * f[k]!;
      }
    }
    for (let k = 0; k < r; k++) c[last * r + k] = f[k]!;
  }
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
