/**
 * The native backend: esdlab's Backend over the OpenBLAS/LAPACKE addon (binding.ts), injected at
 * construction so that nothing here imports the addon itself.
 *
 * Copies: the BLAS kernels (gemm, syrk, gemv) work on the caller's arrays directly. LAPACK
 * overwrites its input, so choleskyFactor and symmetricEigen with vectors copy A once here (the
 * copy becomes L or the eigenvectors), choleskySolve copies B into the result X; for eigenvalues
 * only and for the SVD the addon copies A once into its own scratch buffer (for the SVD transposed
 * where that gives LAPACK the faster, tall orientation; see native/README.md). Single-precision eigen/singular values are widened to Float64Array (n
 * values, negligible).
 *
 * Concurrency: calls run one at a time, in call order, through a promise queue. The addon also
 * holds a mutex around OpenBLAS (Debian's pthreads build is not safe when two threads enter it),
 * but queueing here keeps the calls waiting in JavaScript instead of parking libuv pool threads
 * that file I/O and other addons need.
 */
import { InputError, NumericalError } from '../../../errors.js';
import type { Backend, EigenResult, GemmOptions, GemvOptions, SvdResult, SyrkOptions } from '../../backend.js';
import type { FloatArray, Matrix } from '../../matrix.js';
import type { NativeBinding } from './binding.js';

function emptyLike(data: FloatArray, length: number): FloatArray {
  return data instanceof Float32Array ? new Float32Array(length) : new Float64Array(length);
}

/** A copy of the first `length` elements, in the same dtype (LAPACK's scratch input). */
function scratchCopy(data: FloatArray, length: number): FloatArray {
  return data.slice(0, length);
}

function toFloat64(values: FloatArray): Float64Array {
  return values instanceof Float64Array ? values : Float64Array.from(values);
}

/** The addon's info when it could not allocate a scratch buffer (KERNEL_OUT_OF_MEMORY in kernels.h). */
const outOfMemory = -100000;

/** Throws for a LAPACK argument error; callers handle info > 0 (numerical failure) themselves. */
function checkArguments(info: number, op: string): void {
  if (info === outOfMemory) throw new RangeError(`${op}: the native addon could not allocate its scratch buffer`);
  if (info < 0) {
    throw new InputError(`${op}: LAPACK rejected argument ${-info}; the matrix most likely holds NaN or Inf`);
  }
}

/**
 * Creates the native backend over a loaded binding.
 * @param binding the addon (from loadNativeBinding)
 * @param threads OpenBLAS threads used by every call of this backend
 * @param about what logs say it computes with (the BLAS library and kernel), and a warning when that is slow
 */
export function createNativeBackend(binding: NativeBinding, threads: number, about: { readonly details?: string; readonly warning?: string } = {}): Backend {
  let tail: Promise<unknown> = Promise.resolve();
  let isDisposed = false;

  /** Runs `task` after every earlier call has settled. */
  function enqueue<T>(task: () => Promise<T>): Promise<T> {
    if (isDisposed) return Promise.reject(new InputError('the native backend was disposed; load a new one'));
    const run = tail.then(task, task);
    tail = run.catch(() => undefined);
    return run;
  }

  const elementwise = {
    tanhBackwardF32: binding.tanhBackwardF32.bind(binding),
    tanhScaleF32: binding.tanhScaleF32.bind(binding),
    adam: (...args: Parameters<NativeBinding['adam']>): boolean => {
      binding.adam(...args);
      return true;
    },
  };

  return {
    name: 'native',
    threads,
    ...about,
    elementwise,

    gemm(a: Matrix, b: Matrix, c: Matrix, options: GemmOptions): Promise<void> {
      const transA = options.transA ?? false;
      const transB = options.transB ?? false;
      const m = transA ? a.cols : a.rows;
      const k = transA ? a.rows : a.cols;
      const n = transB ? b.rows : b.cols;
      return enqueue(async () => {
        await binding.gemm(transA, transB, m, n, k, options.alpha ?? 1, a.data, b.data, options.beta ?? 0, c.data, threads);
      });
    },

    syrk(a: Matrix, c: Matrix, options: SyrkOptions): Promise<void> {
      const trans = options.trans ?? false;
      const n = trans ? a.cols : a.rows;
      const k = trans ? a.rows : a.cols;
      return enqueue(async () => {
        await binding.syrk(trans, n, k, options.alpha ?? 1, a.data, options.beta ?? 0, c.data, threads);
      });
    },

    gemv(a: Matrix, x: FloatArray, y: FloatArray, options: GemvOptions): Promise<void> {
      return enqueue(async () => {
        await binding.gemv(options.trans ?? false, a.rows, a.cols, options.alpha ?? 1, a.data, x, options.beta ?? 0, y, threads);
      });
    },

    choleskyFactor(a: Matrix): Promise<Matrix> {
      const n = a.rows;
      return enqueue(async () => {
        const l = scratchCopy(a.data, n * n);
        const info = await binding.potrf(n, l, threads);
        checkArguments(info, 'choleskyFactor');
        if (info > 0) {
          throw new NumericalError(
            `choleskyFactor: the ${n}x${n} matrix is not positive definite (pivot ${info - 1}, the leading minor of order ${info}, is not positive); add a ridge (a multiple of the identity) or check the matrix`,
          );
        }
        return { rows: n, cols: n, data: l };
      });
    },

    choleskySolve(l: Matrix, b: Matrix): Promise<Matrix> {
      return enqueue(async () => {
        const x = scratchCopy(b.data, b.rows * b.cols);
        await binding.potrs(l.rows, b.cols, l.data, x, threads);
        return { rows: b.rows, cols: b.cols, data: x };
      });
    },

    symmetricEigen(a: Matrix, options: { readonly vectors: boolean; readonly twoStage?: boolean }): Promise<EigenResult> {
      const n = a.rows;
      return enqueue(async () => {
        // With vectors LAPACK overwrites the copy with them; for values only the addon copies A itself.
        const work = options.vectors ? scratchCopy(a.data, n * n) : a.data;
        const values = emptyLike(a.data, n);
        const info = await binding.syevd(n, work, values, options.vectors, threads, !options.vectors && options.twoStage === true);
        checkArguments(info, 'symmetricEigen');
        if (info > 0) {
          throw new NumericalError(`symmetricEigen: LAPACK syevd did not converge on the ${n}x${n} matrix (info ${info}); check it for huge or tiny entries, or try the wasm backend`);
        }
        const result: EigenResult = { values: toFloat64(values) };
        return options.vectors ? { ...result, vectors: { rows: n, cols: n, data: work } } : result;
      });
    },

    singularValueDecomposition(a: Matrix, options: { readonly vectors: boolean }): Promise<SvdResult> {
      const { rows: m, cols: n } = a;
      const k = Math.min(m, n);
      return enqueue(async () => {
        const values = emptyLike(a.data, k);
        const u = options.vectors ? emptyLike(a.data, m * k) : null;
        const vt = options.vectors ? emptyLike(a.data, k * n) : null;
        const info = await binding.gesdd(m, n, a.data, values, u, vt, threads);
        checkArguments(info, 'singularValueDecomposition');
        if (info > 0) {
          throw new NumericalError(`singularValueDecomposition: LAPACK gesdd did not converge on the ${m}x${n} matrix (info ${info}); check it for huge or tiny entries, or try the wasm backend`);
        }
        const result: SvdResult = { values: toFloat64(values) };
        return u && vt ? { ...result, u: { rows: m, cols: k, data: u }, vt: { rows: k, cols: n, data: vt } } : result;
      });
    },

    async dispose(): Promise<void> {
      isDisposed = true;
      await tail;
    },
  };
}
