/**
 * Warm-up of the wasm kernels, so that the first real call runs optimized code.
 *
 * V8 (Node, Chrome) compiles wasm functions with its baseline compiler Liftoff first and recompiles
 * a function with TurboFan only once it has run enough; a call that is already running stays in
 * Liftoff code to its end (wasm has no on-stack replacement). One GEMM of a training step is a
 * single long call per worker, so without a warm-up the first paper-size call of each kernel runs
 * several times slower. `node scripts/bench-warmup.mjs` times it in fresh processes (one thread,
 * 2000x1000x1500); 2026-12-02 05:24 UTC, load 0.5: the first gemmF32 took 530-1708 ms against
 * 136-193 ms for the second, the first gemmF64 1032-3418 ms against 254-369 ms; after the warm-up
 * (48-66 ms for all kernels on one thread, split between the workers in the backend) the first
 * calls took 176-193 and 368-383 ms.
 *
 * `warmUpKernels` calls each kernel export on small operands (N = 80, above the 64-column blocking
 * threshold of the tridiagonalization so its blocked path runs too) a fixed number of times, in a
 * region of its own. The number of calls decides only how soon V8 optimizes, never a result:
 * optimized and baseline code compute the same bits. Workers run it after reporting ready, each its
 * share of the kernels, so it overlaps with what the main thread does first (drawing the data).
 *
 * The function must stay self-contained (no imports, no outer variables): the worker program
 * embeds its source text (Function.prototype.toString), and the single-thread build calls it directly.
 */

/** Bytes of the region one warmUpKernels call works in. */
export const WARM_UP_BYTES = 1 << 20;

/** The kernel exports warmUpKernels calls (those of assembly/index.ts). */
type KernelExports = Record<string, (...args: number[]) => number | void>;

/**
 * Runs the share `share` of `shares` of the warm-up jobs (job j when j % shares == share) on
 * `exports`, in `region` (WARM_UP_BYTES) of `memory`; `work` is the calling thread's gemm scratch.
 */
export function warmUpKernels(exports: KernelExports, memory: WebAssembly.Memory, region: number, work: number, share: number, shares: number): void {
  const n = 80;
  const calls = 20;
  let top = region;
  const take = (bytes: number) => {
    const at = top;
    top += Math.ceil(bytes / 64) * 64;
    return at;
  };
  const f64 = (at: number, length: number) => new Float64Array(memory.buffer, at, length);
  const a = take(n * n * 8);
  const b = take(n * n * 8);
  const c = take(n * n * 8);
  const vw = take(n * 2 * 64 * 8);
  const wv = take(n * 2 * 64 * 8);
  const d = take(n * 8);
  const e = take(n * 8);
  const tau = take(n * 8);
  const v = take(n * 8);
  const y = take(n * 8);
  const column = take(n * 8);
  const t = take(2 * 64 * 8);
  const stride = Math.ceil((n * 8) / 64) * 64;
  const partials = take(stride);
  const shared = take(64);
  const capacity = 64 * n;
  const rotations = take(capacity * 16);
  const sweeps = take(capacity * 12);
  const state = take(64);
  const fill = (at: number, length: number, seed: number) => {
    const values = f64(at, length);
    for (let i = 0; i < length; i++) values[i] = Math.sin(seed + i * 0.7);
  };
  // inputs that the kernels overwrite, computed once and copied in before each call
  const matrix = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) matrix[i * n + j] = 1 / (1 + Math.abs(i - j)) + (i === j ? i : 0);
  const diagonal = Float64Array.from({ length: n }, (_, i) => Math.sin(1 + i * 0.7));
  const offDiagonal = Float64Array.from({ length: n }, (_, i) => Math.sin(2 + i * 0.7));
  const activations = Float32Array.from({ length: n * 64 }, (_, i) => Math.sin(i * 0.7));
  /** A symmetric matrix with distinct eigenvalues in `a`. */
  const symmetric = () => f64(a, n * n).set(matrix);
  const tridiagonal = () => {
    f64(d, n).set(diagonal);
    f64(e, n).set(offDiagonal);
  };
  const repeat = (job: () => void) => {
    for (let r = 0; r < calls; r++) job();
  };
  /** Finite, normal f32 values at `a` and `b` (f64 bits read as f32 could be NaN or subnormal, which is slow). */
  const fill32 = () => {
    for (const [at, seed] of [[a, 0], [b, 3]] as const) {
      const values = new Float32Array(memory.buffer, at, n * n);
      for (let i = 0; i < values.length; i++) values[i] = Math.sin(seed + i * 0.7);
    }
  };
  const jobs: (() => void)[] = [
    () => {
      fill32();
      repeat(() => exports.gemmF32!(n, 48, 64, 1, a, 64, 1, b, 48, 1, 0, c, 48, work));
    },
    () => {
      fill(a, n * n, 0);
      fill(b, n * n, 3);
      repeat(() => exports.gemmF64!(n, 48, 64, 1, a, 64, 1, b, 48, 1, 0, c, 48, work));
    },
    () => repeat(() => {
      symmetric();
      new Int32Array(memory.buffer, shared, 16).fill(0);
      exports.tridiagonalizeTeam!(n, a, vw, wv, d, e, tau, v, y, column, t, partials, stride, shared, 0, 1, work);
    }),
    () => repeat(() => {
      tridiagonal();
      exports.tridiagonalQlTask!(n, d, e, state);
    }),
    () => repeat(() => {
      tridiagonal();
      new Int32Array(memory.buffer, state, 16).fill(0);
      const zt = f64(c, n * n);
      zt.fill(0);
      for (let i = 0; i < n; i++) zt[i * n + i] = 1;
      const words = new Int32Array(memory.buffer, state, 4);
      while (words[2] === 0) {
        exports.tridiagonalQlRecordTask!(n, d, e, rotations, sweeps, capacity, state);
        if (words[3]! > 0) exports.applySweepsTask!(n, c, rotations, sweeps, words[3]!, 0, n);
      }
    }),
    () => {
      fill32();
      repeat(() => {
        exports.gemvF32!(0, n, 64, 1, a, 64, b, 0, c);
        exports.gemvF32!(1, n, 64, 1, a, 64, b, 0, c);
      });
      fill(a, n * n, 0);
      fill(b, n * n, 3);
      repeat(() => {
        exports.gemvF64!(0, n, 64, 1, a, 64, b, 0, c);
        exports.gemvF64!(1, n, 64, 1, a, 64, b, 0, c);
      });
    },
    () => repeat(() => {
      // the symmetric matrix plus n I (positive definite) factored in place, solved for 1 and 9 columns (both
      // of the solve's paths), and the syrk's mirror on whatever c holds (a copy)
      symmetric();
      const values = f64(a, n * n);
      for (let i = 0; i < n; i++) values[i * n + i] += n;
      new Int32Array(memory.buffer, shared, 16).fill(0);
      exports.choleskyTeam!(n, a, shared, 0, 1, work);
      fill(b, n * 9, 4);
      exports.choleskySolveTask!(n, 1, a, b, 0, 1, work);
      exports.choleskySolveTask!(n, 9, a, b, 0, 9, work);
      exports.mirrorLowerF64!(n, c, 0, n);
      exports.mirrorLowerF32!(n, c, 0, n);
    }),
    () => {
      // z (f32, n x 64 at a; tanhBackwardF32 overwrites it), the second layer (f32, at b), y (f64, at c), acc (f64, at d), scratch (t)
      fill32();
      fill(c, n, 5);
      repeat(() => {
        new Float32Array(memory.buffer, a, n * 64).set(activations);
        exports.tanhBackwardF32!(a, n, 64, b, c, 0.5, d, t);
        exports.tanhScaleF32!(b, v, n, 0.5);
      });
    },
    () => {
      // Adam on n x 64 f32 parameters (a), gradients (b), moments at c (zeroed), then n x 32 f64 ones
      fill32();
      const length = n * 64;
      new Float32Array(memory.buffer, c, 2 * length).fill(0);
      repeat(() => exports.adamF32!(a, b, c, c + length * 4, length, 1e-3, 0.1, 0.001, 0, 0.9, 0.999, 1e-8));
      fill(a, n * n, 0);
      fill(b, n * n, 3);
      f64(c, length).fill(0);
      repeat(() => exports.adamF64!(a, b, c, c + (length / 2) * 8, length / 2, 1e-3, 0.1, 0.001, 0, 0.9, 0.999, 1e-8));
    },
  ];
  for (let j = share; j < jobs.length; j += shares) jobs[j]!();
}
