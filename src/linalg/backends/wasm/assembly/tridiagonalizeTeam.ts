// The whole blocked Householder tridiagonalization (lower triangle, f64) as one team kernel: every
// worker runs tridiagonalizeTeam with its own index, thread 0 does the O(n b) per-column steps
// (columnStart, addPartials, columnFinish in tridiagonalize.ts) and all threads share the two
// O(n^2) parts: the product y = A22 v (row bands of equal area, symvLowerRows) and each panel's
// trailing update of A22's lower triangle (gemm row blocks claimed through an atomic counter).
// Threads meet at barriers (team.ts) twice per column, so no column waits on the main thread.
import { gemm } from './gemm';
import { barrier, barrierStart } from './team';
import { addPartials, columnFinish, columnStart, symvLowerRows } from './tridiagonalize';

/** Panel width; a trailing matrix of at most UNBLOCKED rows is reduced as one panel. */
// @ts-ignore: decorator
@inline export const NB: i32 = 32;
// @ts-ignore: decorator
@inline export const UNBLOCKED: i32 = 64;

/**
 * Reduces the n x n matrix at `a` (lower triangle) to tridiagonal form d, e with reflector scales
 * tau; reflector vectors end below the diagonal of A. Workspaces: vw, wv (n x 2 UNBLOCKED each),
 * v, y, column (n each), t (2 UNBLOCKED), partials (count vectors of n, `stride` bytes apart),
 * shared (20 bytes, zeroed before the call: barrier words, two flags, a counter). `work` is this
 * thread's gemm scratch.
 */
export function tridiagonalizeTeam(
  n: i32, a: usize, vw: usize, wv: usize, d: usize, e: usize, tau: usize,
  v: usize, y: usize, column: usize, t: usize, partials: usize, stride: usize, shared: usize,
  index: i32, count: i32, work: usize,
): void {
  // Two flag slots by column parity: thread 0 may write column i + 1's flag before the others have
  // read column i's (after a skipped column), but never column i + 2's (that needs another barrier).
  const flags = shared + 8;
  const counter = shared + 16;
  let off = 0;
  let m = n;
  barrierStart();
  while (m > 0) {
    const b = m <= UNBLOCKED ? m : NB;
    const width = 2 * b;
    barrier(shared, count);
    if (index == 0) {
      memory.fill(vw, 0, <usize>(m * width) << 3);
      memory.fill(wv, 0, <usize>(m * width) << 3);
      atomic.store<i32>(counter, 0);
    }
    barrier(shared, count);
    for (let i = 0; i < b; i++) {
      const flag = flags + (<usize>(i & 1) << 2);
      if (index == 0) atomic.store<i32>(flag, columnStart(n, off, m, b, i, a, vw, wv, d, e, tau, v, column));
      barrier(shared, count);
      if (atomic.load<i32>(flag) == 0) continue;
      const g = off + i;
      const l = m - i - 1;
      const start = a + (<usize>((g + 1) * n + (g + 1)) << 3);
      // Row band of equal area: rows [l sqrt(index / count), l sqrt((index + 1) / count)).
      const r0 = <i32>Math.round(<f64>l * Math.sqrt(<f64>index / <f64>count));
      const r1 = index == count - 1 ? l : <i32>Math.round(<f64>l * Math.sqrt(<f64>(index + 1) / <f64>count));
      symvLowerRows(r0, r1, l, start, n, v, y, partials + <usize>index * stride);
      barrier(shared, count);
      if (index == 0) {
        addPartials(l, y, partials, count, stride);
        columnFinish(off, m, b, i, vw, wv, tau, v, y, t);
      }
    }
    barrier(shared, count);
    if (b == m) break;
    // Lower triangle of A22 -= [V W] [W V]^T: row blocks of height h from the bottom (largest first),
    // block [r0, r1) updating columns [0, r1).
    const rest = m - b;
    const blocks = 4 * count;
    const h = max(12, (rest + blocks - 1) / blocks);
    const c = a + (<usize>((off + b) * n + (off + b)) << 3);
    for (;;) {
      const q = atomic.add<i32>(counter, 1);
      const r1 = rest - q * h;
      if (r1 <= 0) break;
      const r0 = max(0, r1 - h);
      gemm<f64>(
        r1 - r0, r1, width, -1,
        vw + (<usize>((b + r0) * width) << 3), <usize>width, 1,
        wv + (<usize>(b * width) << 3), 1, <usize>width,
        1, c + (<usize>(r0 * n) << 3), <usize>n, work,
      );
    }
    off += b;
    m = rest;
  }
}
