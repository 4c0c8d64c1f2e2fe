/**
 * Blocked Householder reduction of a symmetric matrix to tridiagonal form, T = Q^T A Q, as LAPACK's
 * dsytrd/dlatrd (lower) do. Each panel of NB columns is reduced with lazy updates: the panel keeps
 * V (reflector vectors) and W such that the trailing matrix equals A - V W^T - W V^T; per column
 * this costs one backend GEMV over the trailing rows (the only level-2 pass over the big matrix)
 * plus small GEMVs against V and W. After the panel, one backend GEMM applies
 * A22 -= [V W] [W V]^T to the trailing matrix, which is kept compact (contiguous row-major) so the
 * kernels see plain operands. Q = H_0 H_1 ... H_{n-2}, H_j = I - tau_j v_j v_j^T, returned as one
 * compact-WY-ready panel (V, tau) per block when the caller needs eigenvectors.
 */
import type { Backend } from '../backend.js';
import type { Matrix } from '../matrix.js';
import type { ReflectorPanel } from './applyReflectors.js';

/** Panel width; trailing blocks of at most NB_UNBLOCKED columns are reduced in one panel. */
const NB = 32;
const NB_UNBLOCKED = 48;

/** T's diagonal (n) and off-diagonal (n, offDiagonal[i] couples i and i + 1, last entry 0), plus Q's panels. */
export interface TridiagonalForm {
  readonly diagonal: Float64Array;
  readonly offDiagonal: Float64Array;
  readonly panels: ReflectorPanel[];
}

/**
 * Reduces the symmetric n x n f64 matrix `a` (both triangles read; overwritten) to tridiagonal
 * form. `shouldKeepReflectors` keeps Q's panels for back-transforming eigenvectors.
 */
export async function tridiagonalize(backend: Backend, a: Matrix<Float64Array>, shouldKeepReflectors: boolean): Promise<TridiagonalForm> {
  const n = a.rows;
  const diagonal = new Float64Array(n);
  const offDiagonal = new Float64Array(n);
  const panels: ReflectorPanel[] = [];
  let work = a.data.subarray(0, n * n);
  let m = n;
  let off = 0;
  const column = new Float64Array(n);
  const padded = new Float64Array(n);
  const product = new Float64Array(n);
  while (m > 0) {
    const b = m <= NB_UNBLOCKED ? m : NB;
    // vw (m x 2b): row r = [V row r | W row r]; wv: row r = [W row r | V row r], so each pair of
    // updates with V and W is a single GEMV over 2b columns.
    const vw = new Float64Array(m * 2 * b);
    const wv = new Float64Array(m * 2 * b);
    const tau = new Float64Array(b);
    const t = new Float64Array(2 * b);
    const width = 2 * b;
    for (let i = 0; i < b; i++) {
      const len = m - i;
      // column i of the current trailing matrix = row i (symmetry) - (V W^T + W V^T)[i:, i]
      const col = column.subarray(0, len);
      col.set(work.subarray(i * m + i, i * m + m));
      if (i > 0) {
        await backend.gemv({ rows: len, cols: width, data: vw.subarray(i * width, m * width) }, wv.subarray(i * width, (i + 1) * width), col, { alpha: -1, beta: 1 });
      }
      diagonal[off + i] = col[0]!;
      if (len === 1) break;
      // Householder reflector (dlarfg): H x = beta e_1 for x = col[1..len)
      const alpha = col[1]!;
      let scaleNorm = 0;
      for (let r = 2; r < len; r++) scaleNorm = Math.max(scaleNorm, Math.abs(col[r]!));
      if (scaleNorm === 0) {
        offDiagonal[off + i] = alpha;
        vw[(i + 1) * width + i] = 1;
        wv[(i + 1) * width + b + i] = 1;
        continue; // tau = 0: H = I, W column stays zero
      }
      let sum = 0;
      for (let r = 2; r < len; r++) {
        const x = col[r]! / scaleNorm;
        sum += x * x;
      }
      const xNorm = scaleNorm * Math.sqrt(sum);
      const beta = -Math.sign(alpha || 1) * hypot(alpha, xNorm);
      const tauI = (beta - alpha) / beta;
      const inverse = 1 / (alpha - beta);
      offDiagonal[off + i] = beta;
      tau[i] = tauI;
      const vi = padded.subarray(i + 1, m); // v_i on rows i+1..m, zeros before
      padded.fill(0, 0, i + 1);
      vi[0] = 1;
      for (let r = 1; r < len - 1; r++) vi[r] = col[r + 1]! * inverse;
      for (let r = 0; r < len - 1; r++) {
        vw[(i + 1 + r) * width + i] = vi[r]!;
        wv[(i + 1 + r) * width + b + i] = vi[r]!;
      }
      // y = (A - V W^T - W V^T)[i+1:, i+1:] v_i; the A part is one GEMV over whole rows (x padded with zeros)
      const y = product.subarray(0, len - 1);
      await backend.gemv({ rows: len - 1, cols: m, data: work.subarray((i + 1) * m, m * m) }, padded.subarray(0, m), y, { alpha: 1, beta: 0 });
      if (i > 0) {
        // t = [V W]^T v = [V^T v; W^T v]; y -= [W V] t = W V^T v + V W^T v
        await backend.gemv({ rows: len - 1, cols: width, data: vw.subarray((i + 1) * width, m * width) }, vi, t, { trans: true, alpha: 1, beta: 0 });
        await backend.gemv({ rows: len - 1, cols: width, data: wv.subarray((i + 1) * width, m * width) }, t, y, { alpha: -1, beta: 1 });
      }
      let dot = 0;
      for (let r = 0; r < len - 1; r++) {
        y[r] *= tauI;
        dot += y[r]! * vi[r]!;
      }
      const correction = -0.5 * tauI * dot;
      for (let r = 0; r < len - 1; r++) {
        const value = y[r]! + correction * vi[r]!;
        vw[(i + 1 + r) * width + b + i] = value;
        wv[(i + 1 + r) * width + i] = value;
      }
    }
    if (shouldKeepReflectors) {
      const v = new Float64Array(m * b);
      for (let r = 0; r < m; r++) v.set(vw.subarray(r * width, r * width + b), r * b);
      panels.push({ offset: off, vectors: { rows: m, cols: b, data: v }, tau });
    }
    if (b === m) break;
    // trailing update A22 -= [V2 W2] [W2 V2]^T on the compacted trailing matrix
    const rest = m - b;
    for (let r = 0; r < rest; r++) work.copyWithin(r * rest, (b + r) * m + b, (b + r) * m + m);
    work = work.subarray(0, rest * rest);
    await backend.gemm(
      { rows: rest, cols: width, data: vw.subarray(b * width, m * width) },
      { rows: rest, cols: width, data: wv.subarray(b * width, m * width) },
      { rows: rest, cols: rest, data: work },
      { transB: true, alpha: -1, beta: 1 },
    );
    off += b;
    m = rest;
  }
  return { diagonal, offDiagonal, panels };
}

/** sqrt(a^2 + b^2) without overflow or underflow. */
export function hypot(a: number, b: number): number {
  let x = Math.abs(a);
  let y = Math.abs(b);
  if (x < y) {
    const t = x;
    x = y;
    y = t;
  }
  if (x === 0) return 0;
  const r = y / x;
  return x * Math.sqrt(1 + r * r);
}
