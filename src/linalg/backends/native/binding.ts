/**
 * The whole surface of esdlab's native addon (native/src/addon.c), and its loader. The addon is a
 * thin Node-API layer over the system's OpenBLAS (CBLAS) and LAPACKE. Every kernel:
 * - works on the caller's typed arrays in place (no copy), row-major, leading dimension = columns;
 *   all arrays of one call share a dtype (Float32Array or Float64Array), and each holds at least
 *   the elements its shape needs (views into larger buffers are fine);
 * - runs on a libuv worker thread and returns a Promise, so the event loop stays free; the addon
 *   keeps the operands alive until the promise settles, and callers must not touch (or transfer)
 *   them before then;
 * - resolves to LAPACK's `info`: 0 on success, > 0 a numerical failure (meaning per routine),
 *   < 0 the 1-based position of an invalid LAPACKE argument (in practice: NaN in the matrix);
 * - takes `threads`, the OpenBLAS thread count for that call (0 leaves it unchanged).
 * Calls are serialized inside the addon (a mutex around OpenBLAS); see nativeBackend.ts for the
 * JavaScript-side queue that keeps libuv's pool free for other work.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { BackendUnavailableError } from '../../../errors.js';
import { chooseBlasCore, type BlasCoreChoice } from './blasCore.js';

type FloatArray = Float32Array | Float64Array;

/** What the addon exports. Shapes are in elements; `m x n` means m rows, n columns, row-major. */
export interface NativeBinding {
  /** C (m x n) = alpha op(A) op(B) + beta C; op(A) is m x k (A stored k x m when transA), op(B) k x n. */
  gemm(transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number, a: FloatArray,
    b: FloatArray, beta: number, c: FloatArray, threads: number): Promise<number>;
  /** C (n x n) = alpha A A^T + beta C (A n x k) or, with trans, alpha A^T A + beta C (A k x n); both triangles written. */
  syrk(trans: boolean, n: number, k: number, alpha: number, a: FloatArray, beta: number, c: FloatArray,
    threads: number): Promise<number>;
  /** y = alpha op(A) x + beta y, A stored m x n. */
  gemv(trans: boolean, m: number, n: number, alpha: number, a: FloatArray, x: FloatArray, beta: number,
    y: FloatArray, threads: number): Promise<number>;
  /** Overwrites symmetric `a` (n x n) by its lower Cholesky factor; info = k > 0: the leading minor of order k is not positive definite. */
  potrf(n: number, a: FloatArray, threads: number): Promise<number>;
  /** Overwrites `b` (n x nrhs) by X solving L L^T X = B, L lower (n x n) from potrf. */
  potrs(n: number, nrhs: number, l: FloatArray, b: FloatArray, threads: number): Promise<number>;
  /**
   * Eigenvalues of symmetric `a` (n x n, lower triangle read) into `w` (n, ascending, a's dtype);
   * with `vectors`, `a` is overwritten by the eigenvectors (eigenvector j in column j), else only
   * read (the addon copies it into its own scratch buffer). `twoStage` (values only; throws with
   * vectors) uses LAPACK's ?syevd_2stage, whose dense-to-band-to-tridiagonal reduction runs mostly
   * in level-3 BLAS.
   * info > 0: the divide-and-conquer iteration did not converge.
   */
  syevd(n: number, a: FloatArray, w: FloatArray, vectors: boolean, threads: number, twoStage: boolean): Promise<number>;
  /**
   * Singular values of `a` (m x n, only read: the addon copies it into its own scratch buffer)
   * into `s` (min(m, n), descending); with `u` (m x k) and `vt` (k x n), k = min(m, n), the thin
   * singular vectors too (pass null for values only). info > 0: the bidiagonal divide and conquer
   * did not converge; -100000: the scratch buffer could not be allocated.
   */
  gesdd(m: number, n: number, a: FloatArray, s: FloatArray, u: FloatArray | null, vt: FloatArray | null,
    threads: number): Promise<number>;
  /** The fused elementwise kernels (native/src/elementwise.h; the contract is ElementwiseKernels in src/linalg/backend.ts). Synchronous. */
  tanhBackwardF32(z: Float32Array, rows: number, cols: number, a: Float32Array, y: Float64Array, scale: number, acc: Float64Array | null): number;
  tanhScaleF32(source: Float32Array, out: Float64Array, length: number, scale: number): void;
  adam(p: FloatArray, grad: FloatArray, m: FloatArray, v: FloatArray, n: number, lr: number, c1: number, c2: number,
    wd: number, b1: number, b2: number, eps: number): void;
  /** OpenBLAS's build string (version, target), the core it runs on, and the cores it sees. */
  blasInfo(): { readonly config: string; readonly core: string; readonly maxThreads: number };
}

/** Where `npm run build:native` puts the addon (native/build is ignored by git). */
export const nativeAddonPath = fileURLToPath(new URL('../../../../native/build/Release/esdlab_native.node', import.meta.url));

const howToEnable = 'apt-get install libopenblas-dev liblapacke-dev && npm run build:native';

let coreChoice: BlasCoreChoice | null = null;

/** The OPENBLAS_CORETYPE decision taken before the addon first loaded (null before that). */
export function blasCoreChoice(): BlasCoreChoice | null {
  return coreChoice;
}

/**
 * Loads the addon, first choosing OpenBLAS's kernel from the CPU's features when
 * OPENBLAS_CORETYPE is unset (blasCore.ts; OpenBLAS reads it when the library loads). Throws BackendUnavailableError saying what failed (not built, or a shared
 * library missing at run time) and how to enable it.
 */
export function loadNativeBinding(path: string = nativeAddonPath): NativeBinding {
  if (!existsSync(path)) {
    throw new BackendUnavailableError(`the native addon is not built (${path} is missing); to enable it run: ${howToEnable}`);
  }
  coreChoice ??= chooseBlasCore();
  try {
    return createRequire(import.meta.url)(path) as NativeBinding;
  } catch (error) {
    const detail = error instanceof Error ? error.message.split('\n')[0] : String(error);
    const isLibraryMissing = /lib(openblas|lapacke|lapack|blas|gfortran)/.test(detail ?? '');
    const what = isLibraryMissing ? 'cannot find OpenBLAS/LAPACKE at run time' : 'failed to load';
    throw new BackendUnavailableError(`the native addon ${what} (${detail}); to enable it run: ${howToEnable}`);
  }
}
