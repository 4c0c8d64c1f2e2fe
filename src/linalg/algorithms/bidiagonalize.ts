/**
 * Blocked Householder reduction of a tall matrix to upper bidiagonal form, B = Q^T A P, as LAPACK's
 * dgebrd/dlabrd do. A panel of NB columns is reduced with lazy updates: buffers UX = [U X] (M x 2nb)
 * and YV = [Y V^T] (N x 2nb) hold the panel's reflectors and update vectors such that the current
 * matrix is A - UX YV^T. Per column this costs two backend GEMVs over the trailing rows (A^T u and
 * A v, the level-2 half) plus small GEMVs against UX and YV; after the panel one backend GEMM
 * applies A22 -= UX2 YV2^T to the trailing matrix, kept compact (contiguous row-major) so the
 * kernels see plain operands. A = Q B P^T with Q = H_0 H_1 ... (left reflectors, on rows) and
 * P = G_0 G_1 ... (right reflectors, on columns), returned per panel when asked.
 */
import type { Backend } from '../backend.js';
import type { Matrix } from '../matrix.js';
import type { ReflectorPanel } from './applyReflectors.js';
import { hypot } from './tridiagonalize.js';

const NB = 32;
const NB_UNBLOCKED = 48;

/** The diagonal (n) and superdiagonal (n, entry k couples k and k + 1, last entry 0) of B, plus Q's and P's panels. */
export interface Bidiagonal {
  readonly diagonal: Float64Array;
  readonly superDiagonal: Float64Array;
  /** Q's panels: offset = first row, vectors (m - offset) x width. */
  readonly leftPanels: ReflectorPanel[];
  /** P's panels: offset = first column, vectors (n - offset) x width. */
  readonly rightPanels: ReflectorPanel[];
}

/** Reduces the m x n f64 matrix `a` (m >= n; overwritten) to upper bidiagonal form. */
export async function bidiagonalize(backend: Backend, a: Matrix<Float64Array>, shouldKeepReflectors = false): Promise<Bidiagonal> {
  const { rows, cols } = a;
  const diagonal = new Float64Array(cols);
  const superDiagonal = new Float64Array(cols);
  let work = a.data.subarray(0, rows * cols);
  let m = rows;
  let n = cols;
  let off = 0;
  const column = new Float64Array(m);
  const rowBuffer = new Float64Array(n);
  const longProduct = new Float64Array(Math.max(m, n));
  const padded = new Float64Array(n);
  const leftPanels: ReflectorPanel[] = [];
  const rightPanels: ReflectorPanel[] = [];
  while (n > 0) {
    const b = n <= NB_UNBLOCKED ? n : NB;
    const width = 2 * b;
    const ux = new Float64Array(m * width);
    const yv = new Float64Array(n * width);
    const s = new Float64Array(width);
    const tauLeft = new Float64Array(b);
    const tauRight = new Float64Array(b);
    for (let i = 0; i < b; i++) {
      // column i of the current matrix, rows i..m
      const len = m - i;
      const col = column.subarray(0, len);
      for (let r = 0; r < len; r++) col[r] = work[(i + r) * n + i]!;
      if (i > 0) await backend.gemv({ rows: len, cols: width, data: ux.subarray(i * width, m * width) }, yv.subarray(i * width, (i + 1) * width), col, { alpha: -1, beta: 1 });
      const left = reflector(col, len);
      diagonal[off + i] = left.beta;
      tauLeft[i] = left.tau;
      for (let r = 0; r < len; r++) ux[(i + r) * width + i] = r === 0 ? 1 : col[r]!;
      if (i === n - 1) break;
      const u = col; // u[0] = 1 now
      u[0] = 1;
      const rest = n - i - 1;
      // Y(i+1:n, i) = tauq * (A(i:m, i+1:n)^T u - YV(i+1:n, :) UX(i:m, :)^T u)
      const yFull = longProduct.subarray(0, n);
      if (left.tau !== 0) {
        await backend.gemv({ rows: len, cols: n, data: work.subarray(i * n, m * n) }, u, yFull, { trans: true, alpha: 1, beta: 0 });
        await backend.gemv({ rows: len, cols: width, data: ux.subarray(i * width, m * width) }, u, s, { trans: true, alpha: 1, beta: 0 });
        const y = yFull.subarray(i + 1, n);
        await backend.gemv({ rows: rest, cols: width, data: yv.subarray((i + 1) * width, n * width) }, s, y, { alpha: -1, beta: 1 });
        for (let c = 0; c < rest; c++) yv[(i + 1 + c) * width + i] = left.tau * y[c]!;
      }
      // row i of the current matrix, columns i+1..n: A(i, i+1:n) - YV(i+1:n, :) UX(i, :)^T
      const row = rowBuffer.subarray(0, rest);
      row.set(work.subarray(i * n + i + 1, i * n + n));
      await backend.gemv({ rows: rest, cols: width, data: yv.subarray((i + 1) * width, n * width) }, ux.subarray(i * width, (i + 1) * width), row, { alpha: -1, beta: 1 });
      const right = reflector(row, rest);
      superDiagonal[off + i] = right.beta;
      tauRight[i] = right.tau;
      row[0] = 1;
      for (let c = 0; c < rest; c++) yv[(i + 1 + c) * width + b + i] = row[c]!;
      if (right.tau === 0 || i + 1 >= m) continue;
      // X(i+1:m, i) = taup * (A(i+1:m, i+1:n) v - UX(i+1:m, :) YV(i+1:n, :)^T v)
      padded.fill(0, 0, i + 1);
      padded.set(row, i + 1);
      const below = m - i - 1;
      const x = longProduct.subarray(0, below);
      await backend.gemv({ rows: below, cols: n, data: work.subarray((i + 1) * n, m * n) }, padded.subarray(0, n), x, { alpha: 1, beta: 0 });
      await backend.gemv({ rows: rest, cols: width, data: yv.subarray((i + 1) * width, n * width) }, row, s, { trans: true, alpha: 1, beta: 0 });
      await backend.gemv({ rows: below, cols: width, data: ux.subarray((i + 1) * width, m * width) }, s, x, { alpha: -1, beta: 1 });
      for (let r = 0; r < below; r++) ux[(i + 1 + r) * width + b + i] = right.tau * x[r]!;
    }
    if (shouldKeepReflectors) {
      const u = new Float64Array(m * b);
      for (let r = 0; r < m; r++) u.set(ux.subarray(r * width, r * width + b), r * b);
      leftPanels.push({ offset: off, vectors: { rows: m, cols: b, data: u }, tau: tauLeft });
      const v = new Float64Array(n * b);
      for (let c = 0; c < n; c++) v.set(yv.subarray(c * width + b, c * width + width), c * b);
      rightPanels.push({ offset: off, vectors: { rows: n, cols: b, data: v }, tau: tauRight });
    }
    if (b === n) break;
    // trailing update A22 -= UX2 YV2^T on the compacted trailing matrix
    const restRows = m - b;
    const restCols = n - b;
    for (let r = 0; r < restRows; r++) work.copyWithin(r * restCols, (b + r) * n + b, (b + r) * n + n);
    work = work.subarray(0, restRows * restCols);
    await backend.gemm(
      { rows: restRows, cols: width, data: ux.subarray(b * width, m * width) },
      { rows: restCols, cols: width, data: yv.subarray(b * width, n * width) },
      { rows: restRows, cols: restCols, data: work },
      { transB: true, alpha: -1, beta: 1 },
    );
    off += b;
    m = restRows;
    n = restCols;
  }
  return { diagonal, superDiagonal, leftPanels, rightPanels };
}

/**
 * Householder reflector (LAPACK dlarfg) for x = vector[0..len): H x = beta e_1 with
 * H = I - tau v v^T, v[0] = 1. Overwrites vector[1..len) with v[1..len) (vector[0] is left as is).
 */
function reflector(vector: Float64Array, len: number): { beta: number; tau: number } {
  const alpha = vector[0]!;
  let scale = 0;
  for (let r = 1; r < len; r++) scale = Math.max(scale, Math.abs(vector[r]!));
  if (scale === 0) return { beta: alpha, tau: 0 };
  let sum = 0;
  for (let r = 1; r < len; r++) {
    const x = vector[r]! / scale;
    sum += x * x;
  }
  const beta = -Math.sign(alpha || 1) * hypot(alpha, scale * Math.sqrt(sum));
  const inverse = 1 / (alpha - beta);
  for (let r = 1; r < len; r++) vector[r] = vector[r]! * inverse;
  return { beta, tau: (beta - alpha) / beta };
}
