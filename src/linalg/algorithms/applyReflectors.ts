/**
 * Applying a panel of Householder reflectors in compact WY form (LAPACK dlarft + dlarfb): the
 * product H_0 ... H_{b-1} = I - V T V^T is applied to a row block with three backend GEMMs, so
 * back-transformations (eigenvectors, singular vectors) run at level 3.
 */
import type { Backend } from '../backend.js';
import type { Matrix } from '../matrix.js';

/** The reflectors of one panel: H_{offset+i} = I - tau[i] v_i v_i^T acting on rows offset.. of the target. */
export interface ReflectorPanel {
  /** First row of the target the panel acts on. */
  readonly offset: number;
  /** rows x width, column i holds v_i (zero above its leading 1). */
  readonly vectors: Matrix<Float64Array>;
  readonly tau: Float64Array;
}

/**
 * Z[offset:, :] := (I - V T V^T) Z[offset:, :] = H_offset ... H_{offset+b-1} Z[offset:, :], with T the
 * upper triangular factor of the compact WY form (LAPACK dlarft, forward columnwise).
 */
export async function applyPanel(backend: Backend, panel: ReflectorPanel, z: Matrix<Float64Array>): Promise<void> {
  const { offset, vectors: v, tau } = panel;
  const m = v.rows;
  const b = v.cols;
  const cols = z.cols;
  const t = triangularFactor(v, tau);
  const zSub = { rows: m, cols, data: z.data.subarray(offset * cols, (offset + m) * cols) };
  const vtz = { rows: b, cols, data: new Float64Array(b * cols) };
  await backend.gemm(v, zSub, vtz, { transA: true, alpha: 1, beta: 0 });
  const tvtz = { rows: b, cols, data: new Float64Array(b * cols) };
  await backend.gemm({ rows: b, cols: b, data: t }, vtz, tvtz, { alpha: 1, beta: 0 });
  await backend.gemm(v, tvtz, zSub, { alpha: -1, beta: 1 });
}

/**
 * T (b x b upper) with H_0 ... H_{b-1} = I - V T V^T: T[i][i] = tau_i, T[0:i, i] = -tau_i T[0:i, 0:i] V[:, 0:i]^T v_i
 * (LAPACK's larft, forward, columnwise); V is m x b. Shared with the wasm back-transformation.
 */
export function triangularFactor(v: Matrix<Float64Array>, tau: Float64Array): Float64Array {
  const m = v.rows;
  const b = v.cols;
  const vd = v.data;
  const gram = new Float64Array(b * b); // V^T V
  for (let r = 0; r < m; r++) {
    const o = r * b;
    for (let i = 0; i < b; i++) {
      const x = vd[o + i]!;
      if (x !== 0) for (let j = i + 1; j < b; j++) gram[i * b + j] += x * vd[o + j]!;
    }
  }
  const t = new Float64Array(b * b);
  for (let i = 0; i < b; i++) {
    const taui = tau[i]!;
    t[i * b + i] = taui;
    for (let j = 0; j < i; j++) {
      let s = 0;
      for (let l = j; l < i; l++) s += t[j * b + l]! * gram[l * b + i]!;
      t[j * b + i] = -taui * s;
    }
  }
  return t;
}
