// Register-tiled GEMM micro-kernel: the MR x NR product of a packed A panel (MR values per k step)
// and a packed B panel (NR values per k step), accumulated in v128 registers with mul + add. Baseline
// wasm SIMD has no FMA; relaxed_madd would round differently on different CPUs, so it is not used.
//
// Generic over T in {f32, f64}: a v128 holds 16 / sizeof<T>() values, so the same code is a 2 x 16 f32
// tile or a 2 x 8 f64 tile (MR = 2 rows, NV = 4 vectors per row): 8 accumulators + 4 B vectors + 2
// broadcast A values = 14 v128 values, within the 15 xmm registers V8's x64 code generator allocates.
// That count is the whole design: TurboFan keeps the loads in program order but schedules the pure
// mul/add nodes late, so every value loaded in an iteration is live at once; any tile whose
// accumulators plus one iteration's loads exceed 15 spills accumulators to the stack on every k step.
// The previous kernel (4 x 3 vectors, k unrolled by 4) did exactly that (seen with
// `node --print-wasm-code`: accumulators in [rbp-...] slots). `node scripts/bench-microkernel.mjs`
// builds and times the shapes side by side (one thread, 2000x1000x1500, best of 4 interleaved
// rounds); on 2026-12-02 (AMD EPYC, load ~1.5): 2 x 4 vectors 57-60 GFLOP/s f32 and 28.5 f64; 4 x 2,
// 3 x 2 and 2 x 3 54-55 f32; 4 x 3 unrolled by 4 (the old kernel) 38-40 f32 and 14.7 f64; 4 x 3,
// 6 x 2, 3 x 4, 2 x 6 not unrolled about 31 f32; 2 x 4 unrolled by 2 36 f32. MC (24-480) made no
// difference. Each C element is still summed over k in the same order (one accumulator per element,
// KC blocks in order), so the tile shape changes no bits.

/** Rows of the register tile. */
// @ts-ignore: decorator
@inline export const MR: i32 = 2;
/** v128 vectors per tile row: NR = NV * 16 / sizeof<T>() columns. */
// @ts-ignore: decorator
@inline export const NV: i32 = 4;

/**
 * tile[r * NR + c] = sum over p < kc of packedA[p * MR + r] * packedB[p * NR + c] for r < MR, c < NR.
 * `tile` is a scratch buffer of MR * NR values; the caller adds it into C with alpha and beta.
 */
// @ts-ignore: decorator
@inline
export function microKernel<T>(kc: i32, packedA: usize, packedB: usize, tile: usize): void {
  const size = <usize>sizeof<T>();
  const nr = <usize>(NV * 16);
  let c00 = v128.splat<T>(0); let c01 = v128.splat<T>(0); let c02 = v128.splat<T>(0); let c03 = v128.splat<T>(0);
  let c10 = v128.splat<T>(0); let c11 = v128.splat<T>(0); let c12 = v128.splat<T>(0); let c13 = v128.splat<T>(0);
  let pa = packedA;
  let pb = packedB;
  // not unrolled on purpose: an unrolled body has twice the loads live at once (see above)
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(pb, 0);
    const b1 = v128.load(pb, 16);
    const b2 = v128.load(pb, 32);
    const b3 = v128.load(pb, 48);
    const a0 = v128.load_splat<T>(pa);
    c00 = v128.add<T>(c00, v128.mul<T>(a0, b0));
    c01 = v128.add<T>(c01, v128.mul<T>(a0, b1));
    c02 = v128.add<T>(c02, v128.mul<T>(a0, b2));
    c03 = v128.add<T>(c03, v128.mul<T>(a0, b3));
    const a1 = v128.load_splat<T>(pa + size);
    c10 = v128.add<T>(c10, v128.mul<T>(a1, b0));
    c11 = v128.add<T>(c11, v128.mul<T>(a1, b1));
    c12 = v128.add<T>(c12, v128.mul<T>(a1, b2));
    c13 = v128.add<T>(c13, v128.mul<T>(a1, b3));
    pa += <usize>MR * size;
    pb += nr;
  }
  v128.store(tile, c00, 0);
  v128.store(tile, c01, 16);
  v128.store(tile, c02, 32);
  v128.store(tile, c03, 48);
  v128.store(tile + nr, c10, 0);
  v128.store(tile + nr, c11, 16);
  v128.store(tile + nr, c12, 32);
  v128.store(tile + nr, c13, 48);
}
