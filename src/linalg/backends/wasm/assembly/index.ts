// Entry of the esdlab wasm kernels (compiled by scripts/build-wasm.mjs). Every export takes byte
// addresses into the shared memory, element strides and sizes; none allocates, so one module
// instance per thread can run over a single shared WebAssembly.Memory. Memory layout, work
// buffers and threading are the TypeScript side's business (src/linalg/backends/wasm/).
import { gemm, gemmWorkBytes } from './gemm';
import { gemv } from './gemv';
import { mirrorLower } from './mirror';
import { tridiagonalQl } from './tridiagonalQl';
import { tridiagonalQlRecord } from './tridiagonalQlVectors';

export { gemmWorkBytes };

export function gemmF32(m: i32, n: i32, k: i32, alpha: f64, a: usize, rsA: usize, csA: usize, b: usize, rsB: usize, csB: usize, beta: f64, c: usize, ldc: usize, work: usize): void {
  gemm<f32>(m, n, k, <f32>alpha, a, rsA, csA, b, rsB, csB, <f32>beta, c, ldc, work);
}

export function gemmF64(m: i32, n: i32, k: i32, alpha: f64, a: usize, rsA: usize, csA: usize, b: usize, rsB: usize, csB: usize, beta: f64, c: usize, ldc: usize, work: usize): void {
  gemm<f64>(m, n, k, alpha, a, rsA, csA, b, rsB, csB, beta, c, ldc, work);
}

export function gemvF32(isTransposed: bool, m: i32, n: i32, alpha: f64, a: usize, lda: usize, x: usize, beta: f64, y: usize): void {
  gemv<f32>(isTransposed, m, n, <f32>alpha, a, lda, x, <f32>beta, y);
}

export function gemvF64(isTransposed: bool, m: i32, n: i32, alpha: f64, a: usize, lda: usize, x: usize, beta: f64, y: usize): void {
  gemv<f64>(isTransposed, m, n, alpha, a, lda, x, beta, y);
}

/** c[i][j] = c[j][i] for rows i in [r0, r1), j > i (assembly/mirror.ts): completes the syrk's lower triangle. */
export function mirrorLowerF32(n: i32, c: usize, r0: i32, r1: i32): void {
  mirrorLower<f32>(n, c, r0, r1);
}

export function mirrorLowerF64(n: i32, c: usize, r0: i32, r1: i32): void {
  mirrorLower<f64>(n, c, r0, r1);
}

/** tridiagonalQl for a worker task: writes its result (0, or 1 + the index that failed) as an i32 at `status`. */
export function tridiagonalQlTask(n: i32, d: usize, e: usize, status: usize): void {
  store<i32>(status, tridiagonalQl(n, d, e));
}

export { tridiagonalizeTeam } from './tridiagonalizeTeam';
export { applySweepsTask } from './tridiagonalQlVectors';

/** tridiagonalQlRecord for a pool task: stores the number of sweeps recorded as an i32 at state + 12. */
export function tridiagonalQlRecordTask(n: i32, d: usize, e: usize, rotations: usize, sweeps: usize, capacity: i32, state: usize): void {
  store<i32>(state, tridiagonalQlRecord(n, d, e, rotations, sweeps, capacity, state), 12);
}

export { adamF32, adamF64, tanhBackwardF32, tanhScaleF32 } from './elementwise';
export { choleskyTeam, choleskySolveTask } from './cholesky';
