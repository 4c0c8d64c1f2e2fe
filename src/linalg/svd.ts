/** Public singular value ops: all singular values, or the thin SVD. */
import type { Backend } from './backend.js';
import { castMatrix, checkFinite, checkMatrix } from './checks.js';
import { applyPanel } from './algorithms/applyReflectors.js';
import { bidiagonalQr } from './algorithms/bidiagonalQr.js';
import { bidiagonalize } from './algorithms/bidiagonalize.js';
import { dtypeOf, transpose, zeros, type Matrix } from './matrix.js';

/** Thin SVD A = u diag(values) vt: values descending (f64), u m x k, vt k x n (input dtype), k = min(m, n). */
export interface SvdFactors {
  readonly values: Float64Array;
  readonly u: Matrix;
  readonly vt: Matrix;
}

/**
 * The min(m, n) singular values of A (m x n), descending, as f64. Uses the backend's own SVD when
 * it has one, else blocked Householder bidiagonalization + Golub-Kahan implicit QR in f64 (f32 input is
 * computed in f64; a wide A is handled through its transpose). Absolute error about eps * ||A||_2
 * (so rank-deficient input gives near-zero values, not sqrt of rounding noise). Throws InputError
 * for non-finite input.
 */
export async function singularValues(backend: Backend, a: Matrix): Promise<Float64Array> {
  checkMatrix('singularValues', 'A', a);
  checkFinite('singularValues', 'A', a);
  if (Math.min(a.rows, a.cols) === 0) return new Float64Array(0);
  if (backend.singularValueDecomposition) return (await backend.singularValueDecomposition(a, { vectors: false })).values;
  const { m, n, tall, scale } = scaledTallCopy(a);
  const { diagonal, superDiagonal } = await bidiagonalize(backend, tall);
  bidiagonalQr(diagonal, superDiagonal, n);
  for (let i = 0; i < n; i++) diagonal[i] = diagonal[i]! / scale;
  return diagonal;
}

/**
 * The thin SVD of A (m x n): A = u diag(values) vt with values descending (f64), u (m x k) and vt
 * (k x n) with orthonormal columns / rows, in A's dtype, k = min(m, n). Signs of singular vector
 * pairs are arbitrary. Without a backend SVD: blocked bidiagonalization, Golub-Kahan QR with the
 * rotations accumulated into k x k factors (TypeScript, O(k^3)), then blocked back-transformation
 * with the backend's GEMM. Errors as singularValues.
 */
export async function svd(backend: Backend, a: Matrix): Promise<SvdFactors> {
  checkMatrix('svd', 'A', a);
  checkFinite('svd', 'A', a);
  const { rows: m, cols: n } = a;
  const k = Math.min(m, n);
  const dtype = dtypeOf(a);
  if (k === 0) return { values: new Float64Array(0), u: zeros(m, 0, dtype), vt: zeros(0, n, dtype) };
  if (backend.singularValueDecomposition) {
    const result = await backend.singularValueDecomposition(a, { vectors: true });
    return { values: result.values, u: result.u!, vt: result.vt! };
  }
  const { m: long, n: short, tall, scale } = scaledTallCopy(a);
  const form = await bidiagonalize(backend, tall, true);
  // B = Ub S Vb^T by implicit QR with rotations accumulated into Ub, Vb (short x short, from I)
  const ub = identityData(short);
  const right = { rows: short, cols: short, data: identityData(short) };
  const values = form.diagonal;
  bidiagonalQr(values, form.superDiagonal, short, ub, short, right.data, short);
  for (let i = 0; i < short; i++) values[i] = values[i]! / scale;
  // back-transform: U = Q [Ub; 0] (long x short), V = P Vb (short x short)
  const left = zeros(long, short) as Matrix<Float64Array>;
  left.data.set(ub);
  for (let p = form.leftPanels.length - 1; p >= 0; p--) await applyPanel(backend, form.leftPanels[p]!, left);
  for (let p = form.rightPanels.length - 1; p >= 0; p--) await applyPanel(backend, form.rightPanels[p]!, right);
  // tall: A = U S V^T; wide: A^T = U S V^T, so A = V S U^T
  const u = m >= n ? left : right;
  const vt = m >= n ? transpose(right) : transpose(left);
  return { values, u: castMatrix(u, dtype), vt: castMatrix(vt, dtype) };
}

function identityData(n: number): Float64Array {
  const data = new Float64Array(n * n);
  for (let i = 0; i < n; i++) data[i * n + i] = 1;
  return data;
}

/** A / max|A| as a contiguous f64 copy of the tall one of A and A^T (m x n, m >= n); `scale` is the factor applied. */
function scaledTallCopy(a: Matrix): { m: number; n: number; tall: Matrix<Float64Array>; scale: number } {
  const { rows, cols } = a;
  let maxAbs = 0;
  for (let i = 0; i < rows * cols; i++) maxAbs = Math.max(maxAbs, Math.abs(a.data[i]!));
  const scale = maxAbs === 0 ? 1 : 1 / maxAbs;
  const m = Math.max(rows, cols);
  const n = Math.min(rows, cols);
  const data = new Float64Array(m * n);
  if (rows >= cols) {
    for (let i = 0; i < m * n; i++) data[i] = a.data[i]! * scale;
  } else {
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) data[j * rows + i] = a.data[i * cols + j]! * scale;
  }
  return { m, n, tall: { rows: m, cols: n, data }, scale };
}
