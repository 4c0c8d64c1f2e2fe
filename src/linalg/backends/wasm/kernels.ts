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
  /** Tridiagonalization, step 1 for panel column i (assembly/tridiagonalize.ts); 1 when y = A22 v is needed. */
  columnStart(n: number, off: number, m: number, b: number, i: number, a: number, vw: number, wv: number, d: number, e: number, tau: number, v: number, column: number): number;
  /** Tridiagonalization, step 2 for panel column i, after y = A22 v. */
  columnFinish(off: number, m: number, b: number, i: number, vw: number, wv: number, tau: number, v: number, y: number, t: number): void;
  /** Rows [r0, r1) of y = S v, S symmetric l x l (lower triangle), mirrored terms into `partial`. */
  symvLowerRows(r0: number, r1: number, l: number, s: number, lda: number, v: number, y: number, partial: number): void;
  /** y[0:l] += count partial vectors `stride` bytes apart. */
  addPartials(l: number, y: number, partials: number, count: number, stride: number): void;
  /** The whole tridiagonalization as a team kernel (assembly/tridiagonalizeTeam.ts). */
  tridiagonalizeTeam(n: number, a: number, vw: number, wv: number, d: number, e: number, tau: number, v: number, y: number, column: number, t: number, partials: number, stride: number, shared: number, index: number, count: number, work: number): void;
  /** QL with eigenvectors as a team kernel (assembly/tridiagonalQlVectors.ts). */
  tridiagonalQlVectorsTeam(n: number, d: number, e: number, zt: number, rotations: number, sweeps: number, capacity: number, shared: number, status: number, index: number, count: number): void;
  /** Implicit QL on a tridiagonal (d, e overwritten); writes 0 or 1 + the failed index as an i32 at `status`. */
  tridiagonalQlTask(n: number, d: number, e: number, status: number): void;
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
  { name: 'symvLowerRows', hasWork: false },
  { name: 'tridiagonalizeTeam', hasWork: true },
  { name: 'tridiagonalQlVectorsTeam', hasWork: false },
] as const;

/** A kernel name a pool task may run. */
export type KernelName = (typeof KERNEL_NAMES)[number]['name'];

/** Index of a kernel in KERNEL_NAMES. */
export function kernelIndex(name: KernelName): number {
  return KERNEL_NAMES.findIndex((k) => k.name === name);
}
