import type { Backend, EigenProjectionResult, EigenResult, ElementwiseKernels, GemmOptions, GemvOptions, ResidentBlock, SyrkOptions } from '../../backend.js';
import { checkCholeskyDiagonal } from '../../checks.js';
import { dtypeOf, uninitialized, type FloatArray, type Matrix } from '../../matrix.js';
import { choleskyFactorWasm, choleskySolveWasm } from './choleskyWasm.js';
import { kernelIndex, type KernelName, KERNEL_NAMES, type WasmKernels } from './kernels.js';
import { gemmTasks } from './gemmTasks.js';
import { partitionLowerTriangle, partitionRange } from './partition.js';
import { symmetricEigenProjectionWasm, symmetricEigenWasm, type TaskExecutor } from './symmetricEigenWasm.js';
import type { WasmHeap } from './wasmHeap.js';
import type { WorkerPool } from './workerPool.js';

/** Below this many flops a call runs on the main thread (microseconds; a worker round trip costs more). */
const INLINE_FLOPS = 2 ** 22;
/** Tasks per thread, for load balance on a machine whose cores other processes also use. */
const TASKS_PER_THREAD = 3;
/** Row bands of the syrk's mirror (assembly/mirror.ts) start at multiples of its tile. */
const MIRROR_ROWS = 16;
/** What one mirrored entry weighs against INLINE_FLOPS (a strided copy takes several flops' time): pool from n = 725. */
const MIRROR_FLOPS_PER_ENTRY = 8;
/** Alignment of each array in a reserved block, and the slack reserved for it (up to 16 arrays). */
const RESERVE_ALIGN = 64;
const RESERVE_SLACK = 16 * RESERVE_ALIGN;
/** The largest reservation (1 GiB), so that a call's operands still fit beside it in wasm32's 4 GiB. */
const RESERVE_LIMIT = 2 ** 30;

/**
 * The wasm backend: SIMD kernels compiled from AssemblyScript (assembly/), one module instance per
 * worker thread over one shared memory. Each call copies its operands into the shared memory (an
 * O(n^2) copy against O(n^3) work; see WasmHeap), splits the work into tasks (blocks of C) that the
 * workers claim, and copies the result out. Calls are serialized (a call waits for the previous
 * one), because they share the memory arena. Without a pool (the single-thread build) every call
 * runs on the calling thread. symmetricEigen and symmetricEigenProjection (symmetricEigenWasm.ts)
 * and Cholesky (choleskyWasm.ts) run entirely in the wasm memory; SVD uses linalg's TypeScript
 * algorithms over these kernels.
 */
export class WasmBackend implements Backend {
  readonly name = 'wasm';
  private queue: Promise<unknown> = Promise.resolve();
  private isDisposed = false;

  constructor(
    private readonly kernels: WasmKernels,
    private readonly heap: WasmHeap,
    private readonly pool: WorkerPool | null,
    private readonly mainWorkPointer: number,
  ) {}

  /**
   * The fused elementwise kernels (assembly/elementwise.ts), on the calling thread. They are
   * synchronous, so they cannot wait for the call queue: they take arena space above whatever an
   * unfinished asynchronous call holds (heap.mark/release), copy in, compute and copy out before
   * any other JavaScript runs. Arrays in a reserved block (reserve) are used in place, without
   * the copies. Adam runs only on such arrays: copying its four arrays in and three out costs more
   * than the TypeScript loop it would replace (measured 10.7 against 9.3 ms for 1.5M f32 parameters).
   */
  readonly elementwise: ElementwiseKernels = {
    tanhBackwardF32: (z, rows, cols, a, y, scale, acc) =>
      this.synchronously((heap) => {
        const zValues = z.subarray(0, rows * cols);
        const zAddress = heap.output(zValues, 'z', true);
        const aAddress = heap.operand(a.subarray(0, cols), 'a');
        const yAddress = heap.operand(y.subarray(0, rows), 'y');
        const accAddress = acc ? heap.output(acc.subarray(0, cols), 'acc', true) : 0;
        const scratch = heap.allocate(Math.max(cols, 1) * 8, 'row scratch');
        const loss = this.kernels.tanhBackwardF32(zAddress, rows, cols, aAddress, yAddress, scale, accAddress, scratch);
        heap.outputDone(zAddress, zValues);
        if (acc) heap.outputDone(accAddress, acc.subarray(0, cols));
        return loss;
      }),
    tanhScaleF32: (source, out, length, scale) =>
      this.synchronously((heap) => {
        const sourceAddress = heap.operand(source.subarray(0, length), 'source');
        const outValues = out.subarray(0, length);
        const outAddress = heap.output(outValues, 'out', false);
        this.kernels.tanhScaleF32(sourceAddress, outAddress, length, scale);
        heap.outputDone(outAddress, outValues);
      }),
    // in place on resident arrays only: with copies (four in, three out) the TypeScript loop is faster
    adam: (p, grad, m, v, n, lr, c1, c2, wd, b1, b2, eps) => {
      const heap = this.heap;
      if (!(heap.isResident(p) && heap.isResident(grad) && heap.isResident(m) && heap.isResident(v))) return false;
      if (this.isDisposed) throw new Error('the wasm backend was disposed; load a new one');
      const kernel = p instanceof Float32Array ? this.kernels.adamF32 : this.kernels.adamF64;
      kernel(p.byteOffset, grad.byteOffset, m.byteOffset, v.byteOffset, n, lr, c1, c2, wd, b1, b2, eps);
      return true;
    },
  };

  /**
   * A block of the shared memory for arrays that calls use in place (Backend.reserve); null for the
   * single-thread build, whose non-shared memory would detach its views when it grows.
   */
  async reserve(bytes: number): Promise<ResidentBlock | null> {
    // above RESERVE_LIMIT the calls' own operands might no longer fit beside it in 4 GiB: copy instead
    if (!this.heap.canReserve || !Number.isSafeInteger(bytes) || bytes < 0 || bytes > RESERVE_LIMIT) return null;
    const heap = this.heap;
    const { start, clean } = await this.exclusive(async () => heap.reserve(bytes + RESERVE_SLACK, 'the reserved arrays'));
    const end = start + bytes + RESERVE_SLACK;
    let next = start;
    let isReleased = false;
    return {
      allocate: (length, dtype) => {
        if (isReleased) throw new Error('the reserved block was released');
        const size = dtype === 'f32' ? 4 : 8;
        const address = next;
        const stop = address + Math.ceil((length * size) / RESERVE_ALIGN) * RESERVE_ALIGN;
        if (stop > end) throw new Error(`the reserved block is full: ${length} ${dtype} values do not fit`);
        next = stop;
        return heap.residentView(address, length, dtype, clean);
      },
      release: async () => {
        if (isReleased) return;
        isReleased = true;
        await this.exclusive(async () => heap.unreserve(start));
      },
    };
  }

  /** Threads that compute: the pool's workers, or 1 (the calling thread) without a pool. */
  get threads(): number {
    return this.pool?.size ?? 1;
  }

  async gemm(a: Matrix, b: Matrix, c: Matrix, options: GemmOptions): Promise<void> {
    const { transA = false, transB = false, alpha = 1, beta = 0 } = options;
    const m = c.rows;
    const n = c.cols;
    const k = transA ? a.rows : a.cols;
    if (m === 0 || n === 0) return;
    await this.exclusive(async (heap) => {
      const addressA = heap.operand(values(a), 'operand A');
      const addressB = heap.operand(values(b), 'operand B');
      const addressC = heap.output(values(c), 'C', beta !== 0);
      const [rsA, csA] = transA ? [1, a.cols] : [a.cols, 1];
      const [rsB, csB] = transB ? [1, b.cols] : [b.cols, 1];
      const dtype = c.data instanceof Float32Array ? 'f32' : 'f64';
      const operandA = { address: addressA, rowStride: rsA, colStride: csA };
      const operandB = { address: addressB, rowStride: rsB, colStride: csB };
      const tasks = gemmTasks(dtype, m, n, k, alpha, operandA, operandB, beta, addressC, n, this.threads * TASKS_PER_THREAD);
      await this.execute(tasks, 2 * m * n * k);
      heap.outputDone(addressC, values(c));
    });
  }

  /**
   * Computes only the lower triangle (block rows with their diagonal blocks: about half the flops
   * of a gemm) and mirrors it; with beta != 0, C's lower triangle is the one read (as BLAS reads
   * one triangle).
   */
  async syrk(a: Matrix, c: Matrix, options: SyrkOptions): Promise<void> {
    const { trans = false, alpha = 1, beta = 0 } = options;
    const n = c.rows;
    const k = trans ? a.rows : a.cols;
    if (n === 0) return;
    await this.exclusive(async (heap) => {
      const addressA = heap.operand(values(a), 'operand A');
      const addressC = heap.output(values(c), 'C', beta !== 0);
      // op(A) is n x k: A itself (trans false) or A^T (trans true); op(B) = op(A)^T.
      const [rsA, csA] = trans ? [1, a.cols] : [a.cols, 1];
      const [rsB, csB] = [csA, rsA];
      const kernel = kernelIndex(c.data instanceof Float32Array ? 'gemmF32' : 'gemmF64');
      const size = c.data.BYTES_PER_ELEMENT;
      const blocks = partitionLowerTriangle(n, this.threads * TASKS_PER_THREAD);
      const tasks = blocks.map((block) => [
        kernel, block.rowEnd - block.rowStart, block.colEnd, k, alpha,
        addressA + block.rowStart * rsA * size, rsA, csA,
        addressA, rsB, csB,
        beta, addressC + block.rowStart * n * size, n,
      ]);
      await this.execute(tasks, n * n * k);
      // the upper triangle from the lower, in the wasm memory (a copy: the same bits), then one copy out
      const mirror = kernelIndex(c.data instanceof Float32Array ? 'mirrorLowerF32' : 'mirrorLowerF64');
      const bands = partitionRange(n, this.threads * TASKS_PER_THREAD, MIRROR_ROWS);
      await this.execute(bands.map(([r0, r1]) => [mirror, n, addressC, r0, r1]), n * n * MIRROR_FLOPS_PER_ENTRY);
      heap.outputDone(addressC, values(c));
    });
  }

  async gemv(a: Matrix, x: FloatArray, y: FloatArray, options: GemvOptions): Promise<void> {
    const { trans = false, alpha = 1, beta = 0 } = options;
    const m = a.rows;
    const n = a.cols;
    const outLength = trans ? n : m;
    if (outLength === 0) return;
    await this.exclusive(async (heap) => {
      const addressA = heap.operand(values(a), 'operand A');
      const addressX = heap.operand(x.subarray(0, trans ? m : n), 'x');
      const yValues = y.subarray(0, outLength);
      const addressY = heap.output(yValues, 'y', beta !== 0);
      const kernel = kernelIndex(y instanceof Float32Array ? 'gemvF32' : 'gemvF64');
      const size = y.BYTES_PER_ELEMENT;
      const ranges = partitionRange(outLength, this.threads * TASKS_PER_THREAD, 16);
      const tasks = ranges.map(([start, end]) =>
        trans
          ? [kernel, 1, m, end - start, alpha, addressA + start * size, n, addressX, beta, addressY + start * size]
          : [kernel, 0, end - start, n, alpha, addressA + start * n * size, n, addressX, beta, addressY + start * size],
      );
      await this.execute(tasks, 2 * m * n);
      heap.outputDone(addressY, yValues);
    });
  }

  /** Eigenvalues and eigenvectors run entirely in the wasm memory (symmetricEigenWasm.ts). */
  async symmetricEigen(a: Matrix, options: { readonly vectors: boolean }): Promise<EigenResult> {
    return this.exclusive((heap) => symmetricEigenWasm(heap, this.executor, a, options.vectors));
  }

  /** The eigenvalues of symmetricEigen with vectors (the same bits) and Q^T B without Q (symmetricEigenWasm.ts). */
  async symmetricEigenProjection(a: Matrix, b: Matrix): Promise<EigenProjectionResult> {
    return this.exclusive((heap) => symmetricEigenProjectionWasm(heap, this.executor, a, b));
  }

  /** A copied in as f64, factored in place in the wasm memory (choleskyWasm.ts), L copied out in A's dtype. */
  async choleskyFactor(a: Matrix): Promise<Matrix> {
    const n = a.rows;
    return this.exclusive(async (heap) => {
      const address = copyInFloat64(heap, a, 'the matrix (as f64)');
      await choleskyFactorWasm(heap, this.executor, address, n);
      return lowerTriangleOut(heap, address, n, a);
    });
  }

  /** L and B copied in as f64, solved in the wasm memory, X copied out in B's dtype. */
  async choleskySolve(l: Matrix, b: Matrix): Promise<Matrix> {
    return this.exclusive(async (heap) => {
      const addressL = copyInFloat64(heap, l, 'the factor (as f64)');
      const addressX = copyInFloat64(heap, b, 'the right-hand sides (as f64)');
      await choleskySolveWasm(this.executor, addressL, addressX, l.rows, b.cols);
      return matrixOut(heap, addressX, b);
    });
  }

  /**
   * Factor and solve in one call: L stays in the wasm memory. For f32 the factor is rounded to f32
   * in place before the solve, as choleskyFactor's result would be, so the bits are those of
   * choleskySolve(choleskyFactor(a), b).
   */
  async solvePositiveDefinite(a: Matrix, b: Matrix): Promise<Matrix> {
    const n = a.rows;
    return this.exclusive(async (heap) => {
      const addressL = copyInFloat64(heap, a, 'the matrix (as f64)');
      await choleskyFactorWasm(heap, this.executor, addressL, n);
      if (a.data instanceof Float32Array) {
        const factor = new Float64Array(heap.memory.buffer, addressL, n * n);
        for (let i = 0; i < n; i++) {
          for (let j = 0; j <= i; j++) factor[i * n + j] = Math.fround(factor[i * n + j]!);
        }
        checkCholeskyDiagonal(factor, n);
      }
      const addressX = copyInFloat64(heap, b, 'the right-hand sides (as f64)');
      await choleskySolveWasm(this.executor, addressL, addressX, n, b.cols);
      return matrixOut(heap, addressX, b);
    });
  }

  async dispose(): Promise<void> {
    if (this.isDisposed) return;
    this.isDisposed = true;
    await this.queue.catch(() => undefined);
    await this.pool?.dispose();
  }

  /** Runs `body` now, on arena space above any unfinished call's, given back afterwards. */
  private synchronously<T>(body: (heap: WasmHeap) => T): T {
    if (this.isDisposed) throw new Error('the wasm backend was disposed; load a new one');
    const top = this.heap.mark();
    try {
      return body(this.heap);
    } finally {
      this.heap.release(top);
    }
  }

  /** Runs `body` after every earlier call has finished, with the arena freed afterwards. */
  private exclusive<T>(body: (heap: WasmHeap) => Promise<T>): Promise<T> {
    if (this.isDisposed) return Promise.reject(new Error('the wasm backend was disposed; load a new one'));
    const run = this.queue.then(async () => {
      try {
        return await body(this.heap);
      } finally {
        this.heap.reset();
      }
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** How the in-memory drivers (symmetricEigenWasm.ts, choleskyWasm.ts) run kernels. */
  private get executor(): TaskExecutor {
    return {
      threads: this.threads,
      run: (tasks, isInline) => this.execute(tasks, isInline ? 0 : Infinity),
      runTeam: (task, isInline) => this.executeTeam(task, isInline),
    };
  }

  /** A team task on every worker, or inline as a team of one (the main thread) for small problems. */
  private async executeTeam(task: number[], isInline: boolean): Promise<void> {
    if (!isInline && this.pool && this.pool.size > 0) {
      await this.pool.runTeam(task);
      return;
    }
    const [id, ...args] = task;
    const entry = KERNEL_NAMES[id!]!;
    const fn = this.kernels[entry.name as KernelName] as (...parameters: number[]) => void;
    args.push(0, 1);
    if (entry.hasWork) args.push(this.mainWorkPointer);
    fn(...args);
  }

  /** Small work runs on the main thread's instance (blocking for well under a millisecond), the rest on the pool. */
  private async execute(tasks: number[][], flops: number): Promise<void> {
    if (flops >= INLINE_FLOPS && this.pool && this.pool.size > 0) {
      await this.pool.run(tasks);
      return;
    }
    for (const [id, ...args] of tasks) {
      const entry = KERNEL_NAMES[id!]!;
      const fn = this.kernels[entry.name as KernelName] as (...parameters: number[]) => void;
      if (entry.hasWork) args.push(this.mainWorkPointer);
      fn(...args);
    }
  }
}

/** The first rows * cols values of a matrix (a view, no copy). */
function values(m: Matrix): FloatArray {
  return m.data.subarray(0, m.rows * m.cols);
}

/** Copies the first rows * cols values of `m` into a new arena block as f64 (converting f32); returns its address. */
function copyInFloat64(heap: WasmHeap, m: Matrix, what: string): number {
  const length = m.rows * m.cols;
  const address = heap.allocate(length * 8, what);
  new Float64Array(heap.memory.buffer, address, length).set(m.data.subarray(0, length));
  return address;
}

/** The f64 rows x cols matrix at `address` as a new matrix in the dtype of `like` (f32: rounded). */
function matrixOut(heap: WasmHeap, address: number, like: Matrix): Matrix {
  const out = uninitialized(like.rows, like.cols, dtypeOf(like));
  out.data.set(new Float64Array(heap.memory.buffer, address, like.rows * like.cols));
  return out;
}

/** The lower triangle of the f64 n x n matrix at `address`, zeros above the diagonal, in the dtype of `like`. */
function lowerTriangleOut(heap: WasmHeap, address: number, n: number, like: Matrix): Matrix {
  const source = new Float64Array(heap.memory.buffer, address, n * n);
  const out = uninitialized(n, n, dtypeOf(like));
  for (let i = 0; i < n; i++) {
    out.data.set(source.subarray(i * n, i * n + i + 1), i * n);
    out.data.fill(0, i * n + i + 1, (i + 1) * n);
  }
  return out;
}

