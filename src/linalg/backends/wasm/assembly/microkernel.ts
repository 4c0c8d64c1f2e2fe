// Register-tiled GEMM micro-kernel: the MR x NR product of a packed A panel (MR values per k step)
// and a packed B panel (NR values per k step), accumulated in v128 registers with mul + add. Baseline
// wasm SIMD has no FMA; relaxed_madd would round differently on different CPUs, so it is not used.
//
// Generic over T in {f32, f64}: a v128 holds 16 / sizeof<T>() values, so the same code is a 4 x 12 f32
// tile or a 4 x 6 f64 tile (MR = 4 rows, NV = 3 vectors per row): 12 accumulators + 3 B vectors + 1
// broadcast A value, within V8's 15 usable xmm registers plus one it can rematerialize. Measured inside
// the full GEMM on this machine (one thread, 1000x1000x1500), 4x3 vectors beat 6x2 (28-30 against
// 25-27 GFLOP/s f32, 14-15 against 11-12 f64) and 4x4, which spills. The k loop is unrolled by 4
// (a block per k step, so V8 sees four independent load groups per iteration and pays the loop's
// compare and branch once): measured 2026-12-02, one thread, 2000x1000x1500, interleaved runs under
// load, best of 5: f32 175-195 ms against 235-257 ms not unrolled, f64 367-389 against 463-528
// (unrolled by 2: in between). The step is written out four times on purpose: AssemblyScript has no
// unroll directive, and an inline function cannot update the caller's twelve accumulators.

/** Rows of the register tile. */
// @ts-ignore: decorator
@inline export const MR: i32 = 4;
/** v128 vectors per tile row: NR = NV * 16 / sizeof<T>() columns. */
// @ts-ignore: decorator
@inline export const NV: i32 = 3;

/**
 * tile[r * NR + c] = sum over p < kc of packedA[p * MR + r] * packedB[p * NR + c] for r < MR, c < NR.
 * `tile` is a scratch buffer of MR * NR values; the caller adds it into C with alpha and beta.
 */
// @ts-ignore: decorator
@inline
export function microKernel<T>(kc: i32, packedA: usize, packedB: usize, tile: usize): void {
  const size = <usize>sizeof<T>();
  const nr = <usize>(NV * 16);
  let c00 = v128.splat<T>(0); let c01 = v128.splat<T>(0); let c02 = v128.splat<T>(0);
  let c10 = v128.splat<T>(0); let c11 = v128.splat<T>(0); let c12 = v128.splat<T>(0);
  let c20 = v128.splat<T>(0); let c21 = v128.splat<T>(0); let c22 = v128.splat<T>(0);
  let c30 = v128.splat<T>(0); let c31 = v128.splat<T>(0); let c32 = v128.splat<T>(0);
  let pa = packedA;
  let pb = packedB;
  let p = 0;
  for (; p + 3 < kc; p += 4) {
    {
    const b0 = v128.load(pb, 0);
    const b1 = v128.load(pb, 16);
    const b2 = v128.load(pb, 32);
    const a0 = v128.load_splat<T>(pa + 0 * size);
    c00 = v128.add<T>(c00, v128.mul<T>(a0, b0));
    c01 = v128.add<T>(c01, v128.mul<T>(a0, b1));
    c02 = v128.add<T>(c02, v128.mul<T>(a0, b2));
    const a1 = v128.load_splat<T>(pa + 1 * size);
    c10 = v128.add<T>(c10, v128.mul<T>(a1, b0));
    c11 = v128.add<T>(c11, v128.mul<T>(a1, b1));
    c12 = v128.add<T>(c12, v128.mul<T>(a1, b2));
    const a2 = v128.load_splat<T>(pa + 2 * size);
    c20 = v128.add<T>(c20, v128.mul<T>(a2, b0));
    c21 = v128.add<T>(c21, v128.mul<T>(a2, b1));
    c22 = v128.add<T>(c22, v128.mul<T>(a2, b2));
    const a3 = v128.load_splat<T>(pa + 3 * size);
    c30 = v128.add<T>(c30, v128.mul<T>(a3, b0));
    c31 = v128.add<T>(c31, v128.mul<T>(a3, b1));
    c32 = v128.add<T>(c32, v128.mul<T>(a3, b2));
    pa += <usize>MR * size;
    pb += nr;
  
    }
    {
    const b0 = v128.load(pb, 0);
    const b1 = v128.load(pb, 16);
    const b2 = v128.load(pb, 32);
    const a0 = v128.load_splat<T>(pa + 0 * size);
    c00 = v128.add<T>(c00, v128.mul<T>(a0, b0));
    c01 = v128.add<T>(c01, v128.mul<T>(a0, b1));
    c02 = v128.add<T>(c02, v128.mul<T>(a0, b2));
    const a1 = v128.load_splat<T>(pa + 1 * size);
    c10 = v128.add<T>(c10, v128.mul<T>(a1, b0));
    c11 = v128.add<T>(c11, v128.mul<T>(a1, b1));
    c12 = v128.add<T>(c12, v128.mul<T>(a1, b2));
    const a2 = v128.load_splat<T>(pa + 2 * size);
    c20 = v128.add<T>(c20, v128.mul<T>(a2, b0));
    c21 = v128.add<T>(c21, v128.mul<T>(a2, b1));
    c22 = v128.add<T>(c22, v128.mul<T>(a2, b2));
    const a3 = v128.load_splat<T>(pa + 3 * size);
    c30 = v128.add<T>(c30, v128.mul<T>(a3, b0));
    c31 = v128.add<T>(c31, v128.mul<T>(a3, b1));
    c32 = v128.add<T>(c32, v128.mul<T>(a3, b2));
    pa += <usize>MR * size;
    pb += nr;
  
    }
    {
    const b0 = v128.load(pb, 0);
    const b1 = v128.load(pb, 16);
    const b2 = v128.load(pb, 32);
    const a0 = v128.load_splat<T>(pa + 0 * size);
    c00 = v128.add<T>(c00, v128.mul<T>(a0, b0));
    c01 = v128.add<T>(c01, v128.mul<T>(a0, b1));
    c02 = v128.add<T>(c02, v128.mul<T>(a0, b2));
    const a1 = v128.load_splat<T>(pa + 1 * size);
    c10 = v128.add<T>(c10, v128.mul<T>(a1, b0));
    c11 = v128.add<T>(c11, v128.mul<T>(a1, b1));
    c12 = v128.add<T>(c12, v128.mul<T>(a1, b2));
    const a2 = v128.load_splat<T>(pa + 2 * size);
    c20 = v128.add<T>(c20, v128.mul<T>(a2, b0));
    c21 = v128.add<T>(c21, v128.mul<T>(a2, b1));
    c22 = v128.add<T>(c22, v128.mul<T>(a2, b2));
    const a3 = v128.load_splat<T>(pa + 3 * size);
    c30 = v128.add<T>(c30, v128.mul<T>(a3, b0));
    c31 = v128.add<T>(c31, v128.mul<T>(a3, b1));
    c32 = v128.add<T>(c32, v128.mul<T>(a3, b2));
    pa += <usize>MR * size;
    pb += nr;
  
    }
    {
    const b0 = v128.load(pb, 0);
    const b1 = v128.load(pb, 16);
    const b2 = v128.load(pb, 32);
    const a0 = v128.load_splat<T>(pa + 0 * size);
    c00 = v128.add<T>(c00, v128.mul<T>(a0, b0));
    c01 = v128.add<T>(c01, v128.mul<T>(a0, b1));
    c02 = v128.add<T>(c02, v128.mul<T>(a0, b2));
    const a1 = v128.load_splat<T>(pa + 1 * size);
    c10 = v128.add<T>(c10, v128.mul<T>(a1, b0));
    c11 = v128.add<T>(c11, v128.mul<T>(a1, b1));
    c12 = v128.add<T>(c12, v128.mul<T>(a1, b2));
    const a2 = v128.load_splat<T>(pa + 2 * size);
    c20 = v128.add<T>(c20, v128.mul<T>(a2, b0));
    c21 = v128.add<T>(c21, v128.mul<T>(a2, b1));
    c22 = v128.add<T>(c22, v128.mul<T>(a2, b2));
    const a3 = v128.load_splat<T>(pa + 3 * size);
    c30 = v128.add<T>(c30, v128.mul<T>(a3, b0));
    c31 = v128.add<T>(c31, v128.mul<T>(a3, b1));
    c32 = v128.add<T>(c32, v128.mul<T>(a3, b2));
    pa += <usize>MR * size;
    pb += nr;
  
    }
  }
  for (; p < kc; p++) {
    const b0 = v128.load(pb, 0);
    const b1 = v128.load(pb, 16);
    const b2 = v128.load(pb, 32);
    const a0 = v128.load_splat<T>(pa + 0 * size);
    c00 = v128.add<T>(c00, v128.mul<T>(a0, b0));
    c01 = v128.add<T>(c01, v128.mul<T>(a0, b1));
    c02 = v128.add<T>(c02, v128.mul<T>(a0, b2));
    const a1 = v128.load_splat<T>(pa + 1 * size);
    c10 = v128.add<T>(c10, v128.mul<T>(a1, b0));
    c11 = v128.add<T>(c11, v128.mul<T>(a1, b1));
    c12 = v128.add<T>(c12, v128.mul<T>(a1, b2));
    const a2 = v128.load_splat<T>(pa + 2 * size);
    c20 = v128.add<T>(c20, v128.mul<T>(a2, b0));
    c21 = v128.add<T>(c21, v128.mul<T>(a2, b1));
    c22 = v128.add<T>(c22, v128.mul<T>(a2, b2));
    const a3 = v128.load_splat<T>(pa + 3 * size);
    c30 = v128.add<T>(c30, v128.mul<T>(a3, b0));
    c31 = v128.add<T>(c31, v128.mul<T>(a3, b1));
    c32 = v128.add<T>(c32, v128.mul<T>(a3, b2));
    pa += <usize>MR * size;
    pb += nr;
    }
  v128.store(tile + 0 * nr, c00, 0);
  v128.store(tile + 0 * nr, c01, 16);
  v128.store(tile + 0 * nr, c02, 32);
  v128.store(tile + 1 * nr, c10, 0);
  v128.store(tile + 1 * nr, c11, 16);
  v128.store(tile + 1 * nr, c12, 32);
  v128.store(tile + 2 * nr, c20, 0);
  v128.store(tile + 2 * nr, c21, 16);
  v128.store(tile + 2 * nr, c22, 32);
  v128.store(tile + 3 * nr, c30, 0);
  v128.store(tile + 3 * nr, c31, 16);
  v128.store(tile + 3 * nr, c32, 32);
}
