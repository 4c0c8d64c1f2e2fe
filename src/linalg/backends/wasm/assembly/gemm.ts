// Blocked GEMM (GotoBLAS/BLIS loop order) over packed panels: C = alpha * op(A) * op(B) + beta * C.
//
// Operands are addressed by strides, which covers every transpose case with one code path:
// op(A)(i, p) = a[i * rsA + p * csA] and op(B)(p, j) = b[p * rsB + j * csB] (element strides), so
// A row-major untransposed is (rsA, csA) = (lda, 1) and transposed is (1, lda). C is row-major with
// leading dimension ldc. Packing copies a KC x NC slab of op(B) into NR-wide column panels and an
// MC x KC block of op(A) into MR-tall row panels, zero-padded to whole tiles, so the micro-kernel
// always runs full tiles and only the final store clips to the matrix edge.
import { MR, NV, microKernel } from './microkernel';

/** Depth of a packed block (values of k per pass; cholesky.ts's narrow products pass the same way). */
// @ts-ignore: decorator
@inline export const KC: i32 = 256;
/** Rows of op(A) per packed block (a multiple of MR); MC x KC (48 KiB f32) stays near L1; measured best of 24-144. */
// @ts-ignore: decorator
@inline const MC: i32 = 48;
/** Columns of op(B) per packed slab (a multiple of both tile widths, 16 and 8). */
// @ts-ignore: decorator
@inline const NC: i32 = 2048;

/** Bytes of scratch one thread needs for gemm on values of `size` bytes (packed A, packed B, tile). */
export function gemmWorkBytes(size: i32): i32 {
  return (MC * KC + KC * NC + MR * 16 * NV) * size + 64;
}

// @ts-ignore: decorator
@inline function nrOf<T>(): i32 {
  return NV * (16 / sizeof<T>());
}

/** Packs op(A)[0:mc, 0:kc] (at `src`) into MR-row panels: panel q holds kc steps of MR values. */
function packA<T>(mc: i32, kc: i32, src: usize, rsA: usize, csA: usize, dst: usize): void {
  const size = <usize>sizeof<T>();
  for (let ir = 0; ir < mc; ir += MR) {
    const rows = min(MR, mc - ir);
    const panel = dst + <usize>(ir * kc) * size;
    if (rows < MR) memory.fill(panel, 0, <usize>(MR * kc) * size);
    for (let r = 0; r < rows; r++) {
      let from = src + <usize>(ir + r) * rsA * size;
      let to = panel + <usize>r * size;
      for (let p = 0; p < kc; p++) {
        store<T>(to, load<T>(from));
        from += csA * size;
        to += <usize>MR * size;
      }
    }
  }
}

/** Packs op(B)[0:kc, 0:nc] (at `src`) into NR-column panels: panel q holds kc steps of NR values. */
function packB<T>(kc: i32, nc: i32, src: usize, rsB: usize, csB: usize, dst: usize): void {
  const size = <usize>sizeof<T>();
  const nr = nrOf<T>();
  for (let jr = 0; jr < nc; jr += nr) {
    const cols = min(nr, nc - jr);
    const panel = dst + <usize>(jr * kc) * size;
    if (cols == nr && csB == 1) {
      let from = src + <usize>jr * size;
      let to = panel;
      for (let p = 0; p < kc; p++) {
        for (let v = 0; v < NV; v++) v128.store(to + <usize>(v * 16), v128.load(from + <usize>(v * 16)));
        from += rsB * size;
        to += <usize>nr * size;
      }
      continue;
    }
    if (cols < nr) memory.fill(panel, 0, <usize>(nr * kc) * size);
    for (let c = 0; c < cols; c++) {
      let from = src + <usize>(jr + c) * csB * size;
      let to = panel + <usize>c * size;
      for (let p = 0; p < kc; p++) {
        store<T>(to, load<T>(from));
        from += rsB * size;
        to += <usize>nr * size;
      }
    }
  }
}

/** C[0:rows, 0:cols] = alpha * tile + beta * C (C not read when isBetaZero). */
// @ts-ignore: decorator
@inline
function storeTile<T>(tile: usize, c: usize, ldc: usize, rows: i32, cols: i32, alpha: T, beta: T, isBetaZero: bool): void {
  const size = <usize>sizeof<T>();
  const nr = nrOf<T>();
  if (rows == MR && cols == nr) {
    const va = v128.splat<T>(alpha);
    const vb = v128.splat<T>(beta);
    for (let r = 0; r < MR; r++) {
      const t = tile + <usize>(r * nr) * size;
      const d = c + <usize>r * ldc * size;
      for (let v = 0; v < NV; v++) {
        const offset = <usize>(v * 16);
        let x = v128.mul<T>(va, v128.load(t + offset));
        if (!isBetaZero) x = v128.add<T>(x, v128.mul<T>(vb, v128.load(d + offset)));
        v128.store(d + offset, x);
      }
    }
    return;
  }
  for (let r = 0; r < rows; r++) {
    const t = tile + <usize>(r * nr) * size;
    const d = c + <usize>r * ldc * size;
    for (let j = 0; j < cols; j++) {
      const at = d + <usize>j * size;
      let x: T = alpha * load<T>(t + <usize>j * size);
      if (!isBetaZero) x += beta * load<T>(at);
      store<T>(at, x);
    }
  }
}

/** C = beta * C for an m x n block (C = 0 when beta is 0, so NaN in C does not survive). */
export function scaleBlock<T>(m: i32, n: i32, beta: T, c: usize, ldc: usize): void {
  const size = <usize>sizeof<T>();
  for (let i = 0; i < m; i++) {
    const row = c + <usize>i * ldc * size;
    if (beta == 0) {
      memory.fill(row, 0, <usize>n * size);
      continue;
    }
    for (let j = 0; j < n; j++) {
      const at = row + <usize>j * size;
      store<T>(at, beta * load<T>(at));
    }
  }
}

/**
 * C[m x n] = alpha * op(A)[m x k] * op(B)[k x n] + beta * C on one thread, BLAS semantics (C is not
 * read when beta is 0). `work` is gemmWorkBytes(sizeof<T>()) bytes of scratch owned by this thread.
 */
export function gemm<T>(
  m: i32, n: i32, k: i32, alpha: T,
  a: usize, rsA: usize, csA: usize,
  b: usize, rsB: usize, csB: usize,
  beta: T, c: usize, ldc: usize, work: usize,
): void {
  if (m <= 0 || n <= 0) return;
  if (k <= 0 || alpha == 0) {
    if (beta != 1) scaleBlock<T>(m, n, beta, c, ldc);
    return;
  }
  const size = <usize>sizeof<T>();
  const nr = nrOf<T>();
  const packedA = (work + 63) & ~(<usize>63);
  const packedB = packedA + <usize>(MC * KC) * size;
  const tile = packedB + <usize>(KC * NC) * size;
  for (let jc = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      packB<T>(kc, nc, b + (<usize>pc * rsB + <usize>jc * csB) * size, rsB, csB, packedB);
      const passBeta: T = pc == 0 ? beta : <T>1;
      const isBetaZero = pc == 0 && beta == 0;
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic);
        packA<T>(mc, kc, a + (<usize>ic * rsA + <usize>pc * csA) * size, rsA, csA, packedA);
        for (let jr = 0; jr < nc; jr += nr) {
          const cols = min(nr, nc - jr);
          const panelB = packedB + <usize>(jr * kc) * size;
          for (let ir = 0; ir < mc; ir += MR) {
            microKernel<T>(kc, packedA + <usize>(ir * kc) * size, panelB, tile);
            const at = c + (<usize>(ic + ir) * ldc + <usize>(jc + jr)) * size;
            storeTile<T>(tile, at, ldc, min(MR, mc - ir), cols, alpha, passBeta, isBetaZero);
          }
        }
      }
    }
  }
}
