/**
 * The typed surface of the compiled AssemblyScript module (assembly/index.ts): every export takes
 * byte addresses into the one shared WebAssembly.Memory, element strides and sizes, and allocates
 * nothing. Pool workers call these by position in KERNEL_NAMES, so tasks can be written into shared
 * memory as plain numbers.
 */
export interface WasmKernels {
  gemmWorkBytes(size: number): number;
  gemmF32(m: number, n: number, k: number, alpha: number, a: number, rsA: number, csA: number, b: number, rsB: number, csB: number, beta: number, c: number, ldc: number, work: number): void;
  gemmF64(m: number, n: number, k: number, alpha: number, a: number, rsA: number, csA: number, b: number, rsB: number, csB: number, beta: number, c: number, ldc: number, work: number): void;
  gemvF32(isTransposed: number, m: number, n: number, alpha: number, a: number, lda: number, x: number, beta: number, y: number): void;
  gemvF64(isTransposed: number, m: number, n: number, alpha: number, a: number, lda: number, x: number, beta: number, y: number): void;
  /** The whole tridiagonalization as a team kernel (assembly/tridiagonalizeTeam.ts). */
  tridiagonalizeTeam(n: number, a: number, vw: number, wv: number, d: number, e: number, tau: number, v: number, y: number, column: number, t: number, partials: number, stride: number, shared: number, index: number, count: number, work: number): void;
  /** QL recording rotations until the buffer is full (assembly/tridiagonalQlVectors.ts); sweeps recorded at state + 12. */
  tridiagonalQlRecordTask(n: number, d: number, e: number, rotations: number, sweeps: number, capacity: number, state: number): void;
  /** Applies recorded QL sweeps to columns [k0, k1) of Z^T. */
  applySweepsTask(n: number, zt: number, rotations: number, sweeps: number, sweepCount: number, k0: number, k1: number): void;
  /** The fused elementwise kernels (assembly/elementwise.ts; contract: ElementwiseKernels in src/linalg/backend.ts), main thread only. */
  tanhBackwardF32(z: number, rows: number, cols: number, a: number, y: number, scale: number, acc: number, t: number): number;
  tanhScaleF32(source: number, out: number, length: number, scale: number): void;
  /** Adam's update in place (ElementwiseKernels.adam) on arrays at p, grad, m, v; main thread only. */
  adamF32(p: number, grad: number, m: number, v: number, n: number, lr: number, c1: number, c2: number, wd: number, b1: number, b2: number, eps: number): void;
  adamF64(p: number, grad: number, m: number, v: number, n: number, lr: number, c1: number, c2: number, wd: number, b1: number, b2: number, eps: number): void;
  /** Implicit QL on a tridiagonal (d, e overwritten); writes 0 or 1 + the failed index as an i32 at `status`. */
  tridiagonalQlTask(n: number, d: number, e: number, status: number): void;
  /** c[i][j] = c[j][i] for rows [r0, r1) and j > i of the n x n matrix at c (assembly/mirror.ts). */
  mirrorLowerF32(n: number, c: number, r0: number, r1: number): void;
  mirrorLowerF64(n: number, c: number, r0: number, r1: number): void;
  /** The blocked Cholesky factorization in place as a team kernel (assembly/cholesky.ts); result words at shared + 16. */
  choleskyTeam(n: number, a: number, shared: number, index: number, count: number, work: number): void;
  /** Solves L L^T X = B in place for columns [c0, c1) of X (n x r). */
  choleskySolveTask(n: number, r: number, l: number, x: number, c0: number, c1: number, work: number): void;
}

/**
 * Kernels a pool task may name, by index. `hasWork`: the worker appends the address of its own
 * scratch region as the last argument.
 */
export const KERNEL_NAMES = [
  { name: 'gemmF32', hasWork: true },
  { name: 'gemmF64', hasWork: true },
  { name: 'gemvF32', hasWork: false },
  { name: 'gemvF64', hasWork: false },
  { name: 'tridiagonalQlTask', hasWork: false },
  { name: 'tridiagonalizeTeam', hasWork: true },
  { name: 'tridiagonalQlRecordTask', hasWork: false },
  { name: 'applySweepsTask', hasWork: false },
  { name: 'choleskyTeam', hasWork: true },
  { name: 'choleskySolveTask', hasWork: true },
  { name: 'mirrorLowerF32', hasWork: false },
  { name: 'mirrorLowerF64', hasWork: false },
] as const;

/** A kernel name a pool task may run. */
export type KernelName = (typeof KERNEL_NAMES)[number]['name'];

/** Index of a kernel in KERNEL_NAMES. */
export function kernelIndex(name: KernelName): number {
  return KERNEL_NAMES.findIndex((k) => k.name === name);
}
