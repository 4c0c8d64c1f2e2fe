// Blocked right-looking Cholesky (LAPACK dpotrf, uplo 'L') of an n x n row-major f64 matrix in place,
// as one team kernel, and the two triangular solves with its factor. The operations, and the order
// of every sum, are those of the TypeScript path (src/linalg/algorithms/cholesky.ts) over this
// module's gemm, so both give the same bits: per block of NB columns, the diagonal block and the
// panel below it in dot-product form (l_rj = (a_rj - sum_{p<j} l_rp l_jp) / l_jj, p ascending;
// l_jj = sqrt of the same sum), then the trailing lower triangle -= L21 L21^T as gemm with k = NB
// (one pass of gemm's KC, so each entry is a_ij - (sum_p l_ip l_jp) in p order, as the TS path's SYRK).
// Only the lower triangle is read; entries above the diagonal of the trailing matrix get overwritten
// with partial products (the caller zeroes the upper triangle when it copies L out).
import { gemm, KC } from './gemm';
import { NV } from './microkernel';
import { barrier, barrierStart } from './team';

/** Block width; must equal NB of src/linalg/algorithms/cholesky.ts (the blocking decides the bits). */
// @ts-ignore: decorator
@inline export const NB: i32 = 64;
/** Panel rows solved together: 4 f64x2 vectors, 4 independent sums per step. */
// @ts-ignore: decorator
@inline const TILE_ROWS: i32 = 8;

// @ts-ignore: decorator
@inline
function at(base: usize, index: i32): usize {
  return base + (<usize>index << 3);
}

/**
 * Factors the diagonal block rows/columns [off, off + b) in place (scalar, the TS loop). Returns -1,
 * or the index of the first pivot that is not positive (its value stored at `pivot`).
 */
function factorDiagonalBlock(n: i32, a: usize, off: i32, b: i32, pivot: usize): i32 {
  for (let r = 0; r < b; r++) {
    const lr = at(a, (off + r) * n + off);
    for (let j = 0; j <= r; j++) {
      const lj = at(a, (off + j) * n + off);
      let s = load<f64>(lr + (<usize>j << 3));
      for (let p = 0; p < j; p++) s -= load<f64>(lr + (<usize>p << 3)) * load<f64>(lj + (<usize>p << 3));
      if (j == r) {
        if (!(s > 0)) {
          store<f64>(pivot, s);
          return off + r;
        }
        store<f64>(lr + (<usize>j << 3), Math.sqrt(s));
      } else store<f64>(lr + (<usize>j << 3), s / load<f64>(lj + (<usize>j << 3)));
    }
  }
  return -1;
}

/**
 * Solves rows [row0, row0 + rows) (rows <= TILE_ROWS) of the panel below the diagonal block at
 * `off` in place: l_rj = (a_rj - sum_{p<j} l_rp l_jp) / l_jj for j < b. The rows are transposed
 * into `tile` (b x TILE_ROWS) so that one f64x2 lane holds one row's sum (lanes are the scalar
 * IEEE operations, in the same order).
 */
function solvePanelRows(n: i32, a: usize, off: i32, b: i32, row0: i32, rows: i32, tile: usize): void {
  const stride = <usize>(TILE_ROWS << 3);
  for (let r = 0; r < TILE_ROWS; r++) {
    const source = at(a, (row0 + r) * n + off);
    let t = tile + (<usize>r << 3);
    for (let p = 0; p < b; p++) {
      store<f64>(t, r < rows ? load<f64>(source + (<usize>p << 3)) : 0);
      t += stride;
    }
  }
  for (let j = 0; j < b; j++) {
    const lj = at(a, (off + j) * n + off);
    const tj = tile + <usize>j * stride;
    let s0 = v128.load(tj, 0);
    let s1 = v128.load(tj, 16);
    let s2 = v128.load(tj, 32);
    let s3 = v128.load(tj, 48);
    let tp = tile;
    for (let p = 0; p < j; p++) {
      const l = v128.load_splat<f64>(lj + (<usize>p << 3));
      s0 = f64x2.sub(s0, f64x2.mul(v128.load(tp, 0), l));
      s1 = f64x2.sub(s1, f64x2.mul(v128.load(tp, 16), l));
      s2 = f64x2.sub(s2, f64x2.mul(v128.load(tp, 32), l));
      s3 = f64x2.sub(s3, f64x2.mul(v128.load(tp, 48), l));
      tp += stride;
    }
    const d = v128.load_splat<f64>(lj + (<usize>j << 3));
    v128.store(tj, f64x2.div(s0, d), 0);
    v128.store(tj, f64x2.div(s1, d), 16);
    v128.store(tj, f64x2.div(s2, d), 32);
    v128.store(tj, f64x2.div(s3, d), 48);
  }
  for (let r = 0; r < rows; r++) {
    const target = at(a, (row0 + r) * n + off);
    let t = tile + (<usize>r << 3);
    for (let p = 0; p < b; p++) {
      store<f64>(target + (<usize>p << 3), load<f64>(t));
      t += stride;
    }
  }
}

/**
 * The whole factorization as a team kernel (every worker runs it with its own index): per block,
 * thread 0 factors the diagonal block, all threads solve panel row tiles and then trailing-update
 * row blocks, claimed through atomic counters; three barriers per block. `shared` (32 bytes, zeroed
 * before the call): barrier words (0, 4), the two counters (8, 12), the result (16: 0, or 1 + the
 * index of the first pivot that is not positive) and that pivot's value (f64 at 24). `work` is
 * this thread's gemm scratch (its start also holds the panel tile, never at the same time).
 */
export function choleskyTeam(n: i32, a: usize, shared: usize, index: i32, count: i32, work: usize): void {
  const panelCounter = shared + 8;
  const updateCounter = shared + 12;
  const result = shared + 16;
  const tile = (work + 63) & ~(<usize>63);
  barrierStart();
  for (let off = 0; off < n; off += NB) {
    const b = min(NB, n - off);
    if (index == 0) {
      const failed = factorDiagonalBlock(n, a, off, b, shared + 24);
      if (failed >= 0) atomic.store<i32>(result, failed + 1);
      atomic.store<i32>(panelCounter, 0);
      atomic.store<i32>(updateCounter, 0);
    }
    barrier(shared, count);
    if (atomic.load<i32>(result) != 0) return;
    const rest = n - off - b;
    if (rest == 0) return;
    const first = off + b;
    for (;;) {
      const row0 = first + atomic.add<i32>(panelCounter, 1) * TILE_ROWS;
      if (row0 >= n) break;
      solvePanelRows(n, a, off, b, row0, min(TILE_ROWS, n - row0), tile);
    }
    barrier(shared, count);
    // Lower triangle of A22 -= L21 L21^T: row blocks [r0, r1) of A22 from the bottom (largest first),
    // each over columns [0, r1) (its diagonal part whole; the entries above the diagonal are not read).
    const blocks = 4 * count;
    const h = max(24, (rest + blocks - 1) / blocks);
    const panel = at(a, first * n + off);
    for (;;) {
      const r1 = rest - atomic.add<i32>(updateCounter, 1) * h;
      if (r1 <= 0) break;
      const r0 = max(0, r1 - h);
      gemm<f64>(
        r1 - r0, r1, b, -1,
        panel + (<usize>(r0 * n) << 3), <usize>n, 1,
        panel, 1, <usize>n,
        1, at(a, (first + r0) * n + first), <usize>n, work,
      );
    }
    barrier(shared, count);
  }
}

/** Right-hand-side columns below this take blockColumnUpdate instead of gemm: the width of gemm's f64 tile. */
// @ts-ignore: decorator
@inline const NARROW: i32 = NV * 2;

/**
 * x[i] = -(sum_q A(i, q) y[q]) + x[i] for rows i < m, q < k, A(i, q) at a + (i rsA + q csA) values,
 * y[q] at y + q ldy and x[i] at x + i ldx: one column of gemm(alpha -1, beta 1) with the bits of its
 * edge tiles (each sum from +0 in q order, added into x after every KC values of q), without packing
 * a tile of NARROW columns for one. Four rows at a time, four independent sums.
 */
function blockColumnUpdate(m: i32, k: i32, a: usize, rsA: usize, csA: usize, y: usize, ldy: usize, x: usize, ldx: usize): void {
  const rowStep = rsA << 3;
  const qStep = csA << 3;
  const yStep = ldy << 3;
  for (let pc = 0; pc < k; pc += KC) {
    const kc = min(KC, k - pc);
    const y0 = y + <usize>pc * yStep;
    let i = 0;
    for (; i + 3 < m; i += 4) {
      let a0 = a + <usize>i * rowStep + <usize>pc * qStep;
      let a1 = a0 + rowStep;
      let a2 = a1 + rowStep;
      let a3 = a2 + rowStep;
      let yq = y0;
      let t0: f64 = 0;
      let t1: f64 = 0;
      let t2: f64 = 0;
      let t3: f64 = 0;
      for (let q = 0; q < kc; q++) {
        const v = load<f64>(yq);
        t0 += load<f64>(a0) * v;
        t1 += load<f64>(a1) * v;
        t2 += load<f64>(a2) * v;
        t3 += load<f64>(a3) * v;
        a0 += qStep;
        a1 += qStep;
        a2 += qStep;
        a3 += qStep;
        yq += yStep;
      }
      const xi = x + <usize>i * (ldx << 3);
      store<f64>(xi, -t0 + load<f64>(xi));
      store<f64>(xi + (ldx << 3), -t1 + load<f64>(xi + (ldx << 3)));
      store<f64>(xi + (ldx << 4), -t2 + load<f64>(xi + (ldx << 4)));
      store<f64>(xi + 3 * (ldx << 3), -t3 + load<f64>(xi + 3 * (ldx << 3)));
    }
    for (; i < m; i++) {
      let ai = a + <usize>i * rowStep + <usize>pc * qStep;
      let yq = y0;
      let t: f64 = 0;
      for (let q = 0; q < kc; q++) {
        t += load<f64>(ai) * load<f64>(yq);
        ai += qStep;
        yq += yStep;
      }
      const xi = x + <usize>i * (ldx << 3);
      store<f64>(xi, -t + load<f64>(xi));
    }
  }
}

/** gemm(alpha -1, beta 1) into columns [c0, c1) of X, or blockColumnUpdate per column when they are few (the same bits). */
function subtractProduct(
  m: i32, cols: i32, k: i32, a: usize, rsA: usize, csA: usize, y: usize, x: usize, ldx: usize, work: usize,
): void {
  if (cols >= NARROW) {
    gemm<f64>(m, cols, k, -1, a, rsA, csA, y, ldx, 1, 1, x, ldx, work);
    return;
  }
  for (let c = 0; c < cols; c++) blockColumnUpdate(m, k, a, rsA, csA, y + (<usize>c << 3), ldx, x + (<usize>c << 3), ldx);
}

/**
 * Solves L L^T X = B in place of columns [c0, c1) of X (n x r, row-major, f64) for the lower factor
 * at `l` (n x n): forward L Y = B, then back L^T X = Y, in blocks of NB rows as the TS path
 * (choleskySolveInPlace): each block row first takes the product with the solved rows as one gemm
 * (alpha -1, beta 1; subtractProduct), then substitutes within the block (x_i -= l_ij x_j for l_ij != 0, then
 * x_i *= 1 / l_ii). Columns are independent, so tasks over column ranges give the same bits.
 */
export function choleskySolveTask(n: i32, r: i32, l: usize, x: usize, c0: i32, c1: i32, work: usize): void {
  const cols = c1 - c0;
  if (cols <= 0) return;
  const ldx = <usize>r;
  for (let i0 = 0; i0 < n; i0 += NB) {
    const i1 = min(n, i0 + NB);
    if (i0 > 0) {
      subtractProduct(i1 - i0, cols, i0, at(l, i0 * n), <usize>n, 1, at(x, c0), at(x, i0 * r + c0), ldx, work);
    }
    for (let i = i0; i < i1; i++) {
      const xi = at(x, i * r);
      for (let j = i0; j < i; j++) {
        const lij = load<f64>(at(l, i * n + j));
        if (lij != 0) {
          const xj = at(x, j * r);
          for (let c = c0; c < c1; c++) store<f64>(xi + (<usize>c << 3), load<f64>(xi + (<usize>c << 3)) - lij * load<f64>(xj + (<usize>c << 3)));
        }
      }
      const inv = 1 / load<f64>(at(l, i * n + i));
      for (let c = c0; c < c1; c++) store<f64>(xi + (<usize>c << 3), load<f64>(xi + (<usize>c << 3)) * inv);
    }
  }
  const lastStart = ((n - 1) / NB) * NB;
  for (let i0 = lastStart; i0 >= 0; i0 -= NB) {
    const i1 = min(n, i0 + NB);
    if (i1 < n) {
      // op(A)(i, p) = L[i1 + p][i0 + i]: the block column below, transposed, through strides
      subtractProduct(i1 - i0, cols, n - i1, at(l, i1 * n + i0), 1, <usize>n, at(x, i1 * r + c0), at(x, i0 * r + c0), ldx, work);
    }
    for (let i = i1 - 1; i >= i0; i--) {
      const xi = at(x, i * r);
      for (let j = i + 1; j < i1; j++) {
        const lji = load<f64>(at(l, j * n + i));
        if (lji != 0) {
          const xj = at(x, j * r);
          for (let c = c0; c < c1; c++) store<f64>(xi + (<usize>c << 3), load<f64>(xi + (<usize>c << 3)) - lji * load<f64>(xj + (<usize>c << 3)));
        }
      }
      const inv = 1 / load<f64>(at(l, i * n + i));
      for (let c = c0; c < c1; c++) store<f64>(xi + (<usize>c << 3), load<f64>(xi + (<usize>c << 3)) * inv);
    }
  }
}
