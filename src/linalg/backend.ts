import type { FloatArray, Matrix } from './matrix.js';

/** C = alpha * op(A) * op(B) + beta * C, op(X) = X or X^T. */
export interface GemmOptions {
  readonly transA?: boolean;
  readonly transB?: boolean;
  readonly alpha?: number;
  readonly beta?: number;
}

/**
 * Symmetric rank-k update, BLAS convention: trans false gives C = alpha * A * A^T + beta * C,
 * trans true gives C = alpha * A^T * A + beta * C. Both triangles of C are written.
 */
export interface SyrkOptions {
  readonly trans?: boolean;
  readonly alpha?: number;
  readonly beta?: number;
}

/** y = alpha * op(A) * x + beta * y. */
export interface GemvOptions {
  readonly trans?: boolean;
  readonly alpha?: number;
  readonly beta?: number;
}

/**
 * Eigen-decomposition of a symmetric matrix. `values` ascending, always f64. `vectors` (only when
 * asked) is n x n in the input's dtype with eigenvector j in column j (numpy's eigh convention):
 * A * vectors[:, j] = values[j] * vectors[:, j].
 */
export interface EigenResult {
  readonly values: Float64Array;
  readonly vectors?: Matrix;
}

/**
 * Thin singular value decomposition of an m x n matrix, k = min(m, n): A = U diag(values) Vt.
 * `values` descending (numpy's convention), always f64. `u` (m x k) and `vt` (k x n) only when
 * asked, in the input's dtype.
 */
export interface SvdResult {
  readonly values: Float64Array;
  readonly u?: Matrix;
  readonly vt?: Matrix;
}

/**
 * One implementation of the numeric core. Every backend provides the three BLAS kernels; the
 * LAPACK-level methods are optional, and where a backend lacks one, linalg runs its TypeScript
 * algorithm (src/linalg/algorithms) over the backend's kernels. Methods are async so that a backend
 * may run them on other threads without blocking the event loop. All operands of one call share
 * a dtype; the public ops (gemm.ts, eigen.ts, ...) check shapes and dtypes before a backend sees
 * them, so backends may assume valid input.
 */
export interface Backend {
  /** 'native', 'wasm' or 'js'. */
  readonly name: string;
  /** Worker threads the backend computes on. */
  readonly threads: number;
  /** What it computes with, for logs (native: the BLAS library and its kernel), where there is more to say than the name. */
  readonly details?: string;
  /** One line for the user when the backend runs far below the machine's speed (native: a generic BLAS kernel on an AVX2 CPU). */
  readonly warning?: string;
  gemm(a: Matrix, b: Matrix, c: Matrix, options: GemmOptions): Promise<void>;
  syrk(a: Matrix, c: Matrix, options: SyrkOptions): Promise<void>;
  gemv(a: Matrix, x: FloatArray, y: FloatArray, options: GemvOptions): Promise<void>;
  /** Lower Cholesky factor L (new matrix), A = L L^T; throws NumericalError when A is not positive definite. */
  choleskyFactor?(a: Matrix): Promise<Matrix>;
  /** Solves L L^T X = B for X (new matrix), L from choleskyFactor. */
  choleskySolve?(l: Matrix, b: Matrix): Promise<Matrix>;
  /**
   * `twoStage` (eigenvalues only) asks for a two-stage tridiagonal reduction (LAPACK's
   * ?syevd_2stage) where the backend has one (native); a backend without one ignores it.
   */
  symmetricEigen?(a: Matrix, options: { readonly vectors: boolean; readonly twoStage?: boolean }): Promise<EigenResult>;
  singularValueDecomposition?(a: Matrix, options: { readonly vectors: boolean }): Promise<SvdResult>;
  /** Releases threads and memory; the backend is unusable afterwards. */
  dispose?(): Promise<void>;
}
