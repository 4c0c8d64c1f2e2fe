import type { DType, FloatArray, Matrix } from './matrix.js';

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
 * Eigenvalues of a symmetric n x n matrix A = Q diag(values) Q^T and the projections P = Q^T B of
 * a block B (n x r) onto its eigenvectors, without forming Q. `values` ascending, always f64;
 * `projections` is n x r in B's dtype, row j = q_j^T B for values[j] (the sign of each row is
 * that of the eigenvector, arbitrary; within a repeated eigenvalue only the block's norm is fixed).
 */
export interface EigenProjectionResult {
  readonly values: Float64Array;
  readonly projections: Matrix;
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
 * Fused elementwise kernels a backend may provide (TensorFlow.js style: registered per backend,
 * optional). Each is the exact counterpart of a TypeScript loop that stays the reference and the
 * fallback: same operations in the same order in double precision, stored in the arrays' dtype,
 * so that a backend with them gives the same bits as one without (tested per backend in
 * src/model/student.test.ts, src/optim/adam.test.ts and src/train/evaluate.test.ts). They are
 * synchronous (a few milliseconds on arrays the caller owns), and must not be called on arrays
 * an unfinished asynchronous call of the same backend still uses.
 */
export interface ElementwiseKernels {
  /**
   * The training step's pass on z = X W^T / sqrt(d) (rows x cols, f32), in place: per row i,
   * t_ij = tanhFast(z_ij) (src/model/activation.ts; stored back rounded to f32),
   * r_i = (sum_j t_ij a_j, over the unrounded t in j order) * scale - y_i,
   * z_ij = r_i a_j (1 - t_ij^2) with the stored t, and acc_j += t_ij r_i when acc is given.
   * Returns sum_i r_i^2, summed in row order.
   */
  tanhBackwardF32(z: Float32Array, rows: number, cols: number, a: Float32Array, y: Float64Array, scale: number, acc: Float64Array | null): number;
  /** out_i = tanhFast(source_i) * scale for i < length. */
  tanhScaleF32(source: Float32Array, out: Float64Array, length: number, scale: number): void;
  /**
   * Adam's update in place over n entries (src/optim/adam.ts): g = grad + wd p;
   * m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g g; p -= lr (m / c1) / (sqrt(v / c2) + eps).
   * All four arrays share p's dtype. Returns false when it declined and the caller must run its
   * loop: wasm runs it only on arrays in its own memory (Backend.reserve), because copying four
   * arrays in and three out costs more than the loop.
   */
  adam?(p: FloatArray, grad: FloatArray, m: FloatArray, v: FloatArray, n: number, lr: number, c1: number, c2: number,
    wd: number, b1: number, b2: number, eps: number): boolean;
}

/**
 * Memory reserved in a backend's own address space (Backend.reserve): arrays allocated from it are
 * operands the backend reads and writes in place, without the copies in and out that a call on
 * other arrays makes. The arrays are valid until `release`; anything that outlives the reservation
 * must be copied out first.
 */
export interface ResidentBlock {
  /** A zero-filled array of `length` values of `dtype` in the block; throws when the block is full. */
  allocate(length: number, dtype: DType): FloatArray;
  /** Gives the block back after every call in flight has finished; its arrays must not be used afterwards. */
  release(): Promise<void>;
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
   * X solving A X = B (new matrix in B's dtype) for a positive definite A, fused: the same result
   * and errors as choleskySolve(choleskyFactor(a), b) on this backend, without handing L back and
   * forth. linalg calls it only for non-empty, finite A and B.
   */
  solvePositiveDefinite?(a: Matrix, b: Matrix): Promise<Matrix>;
  /**
   * `twoStage` (eigenvalues only) asks for a two-stage tridiagonal reduction (LAPACK's
   * ?syevd_2stage) where the backend has one (native); a backend without one ignores it.
   */
  symmetricEigen?(a: Matrix, options: { readonly vectors: boolean; readonly twoStage?: boolean }): Promise<EigenResult>;
  /**
   * Eigenvalues and Q^T B (EigenProjectionResult) at about the cost of the eigenvalues alone:
   * the tridiagonalization's reflectors and the QL rotations applied to B instead of forming Q.
   * Without it linalg runs symmetricEigen and the product (src/linalg/eigen.ts).
   */
  symmetricEigenProjection?(a: Matrix, b: Matrix): Promise<EigenProjectionResult>;
  singularValueDecomposition?(a: Matrix, options: { readonly vectors: boolean }): Promise<SvdResult>;
  /** Fused elementwise kernels; without them callers run their TypeScript loops (the same bits). */
  readonly elementwise?: ElementwiseKernels;
  /**
   * Reserves `bytes` (plus alignment per array) of the backend's own memory for arrays used across
   * many calls (the training's inputs, weights, workspace and moments), or resolves to null where the
   * backend has no such memory or cannot keep views of it valid (native and js compute on the
   * caller's arrays already; wasm without shared memory). The same bits either way: only the copies go.
   */
  reserve?(bytes: number): Promise<ResidentBlock | null>;
  /** Releases threads and memory; the backend is unusable afterwards. */
  dispose?(): Promise<void>;
}
