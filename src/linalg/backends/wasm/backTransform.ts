import { triangularFactor } from '../../algorithms/applyReflectors.js';
import { gemmTasks } from './gemmTasks.js';
import type { TaskExecutor } from './symmetricEigenWasm.js';
import type { WasmHeap } from './wasmHeap.js';

/** Must match NB and UNBLOCKED in assembly/tridiagonalizeTeam.ts, which decide the panels. */
const NB = 32;
const UNBLOCKED = 64;

/** Addresses (bytes, f64) left by the tridiagonalization and the QL step. */
export interface BackTransformInput {
  readonly n: number;
  /** The reduced matrix: reflector j's vector below the diagonal of column j (v[j + 1] = 1). */
  readonly a: number;
  readonly tau: number;
  /** Z^T (n x n): row j is an eigenvector of the tridiagonal; becomes row j of (Q Z)^T. */
  readonly zt: number;
  readonly isInline: boolean;
}

/**
 * Z := Q Z with Q = H_0 H_1 ... H_{n-2}, panel by panel from the last, each as the compact WY form
 * I - V T V^T (LAPACK dlarft/dlarfb) in three gemm task batches, all on Z^T (so every operand is a
 * strided view and nothing is transposed in memory):
 * W1 = V^T Z_sub, W2 = T W1, Z_sub^T -= W2^T V^T, where Z_sub is rows off.. of Z.
 */
export async function backTransform(heap: WasmHeap, executor: TaskExecutor, input: BackTransformInput): Promise<void> {
  const { n, a, tau, zt, isInline } = input;
  const panels: [number, number][] = [];
  for (let off = 0; off < n; ) {
    const b = n - off <= UNBLOCKED ? n - off : NB;
    panels.push([off, b]);
    off += b;
  }
  const bytes = 8;
  const maxB = Math.min(n, UNBLOCKED);
  const vAddress = heap.allocate(n * maxB * bytes, 'a reflector panel');
  const w1 = heap.allocate(maxB * n * bytes, 'a panel product');
  const w2 = heap.allocate(maxB * n * bytes, 'a panel product');
  const tAddress = heap.allocate(maxB * maxB * bytes, 'a triangular factor');
  const parts = executor.threads * 2;
  for (let p = panels.length - 1; p >= 0; p--) {
    const [off, b] = panels[p]!;
    const m = n - off;
    const memory = heap.memory.buffer;
    const reduced = new Float64Array(memory, a, n * n);
    const v = new Float64Array(memory, vAddress, m * b);
    v.fill(0);
    for (let i = 0; i < b; i++) {
      for (let r = i + 1; r < m; r++) v[r * b + i] = reduced[(off + r) * n + off + i]!;
    }
    const t = triangularFactor({ rows: m, cols: b, data: v }, new Float64Array(memory, tau + off * bytes, b));
    new Float64Array(memory, tAddress, b * b).set(t);
    const vTransposed = { address: vAddress, rowStride: 1, colStride: b };
    await executor.run(gemmTasks('f64', b, n, m, 1, vTransposed, { address: zt + off * bytes, rowStride: 1, colStride: n }, 0, w1, n, parts), isInline);
    await executor.run(gemmTasks('f64', b, n, b, 1, { address: tAddress, rowStride: b, colStride: 1 }, { address: w1, rowStride: n, colStride: 1 }, 0, w2, n, parts), isInline);
    await executor.run(gemmTasks('f64', n, m, b, -1, { address: w2, rowStride: 1, colStride: n }, vTransposed, 1, zt + off * bytes, n, parts), isInline);
  }
}
