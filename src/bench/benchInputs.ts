/**
 * Operands for one benchmark case and the call that is timed, through esdlab's public linalg ops
 * (the same path every backend's users take, checks included). Data come from the seeded `bench`
 * stream: standard normal entries; symmetric inputs are (X + X^T)/2; the positive definite system
 * is X X^T / n + I.
 */
import {
  gemm,
  gemmInto,
  singularValues,
  solvePositiveDefinite,
  symmetricEigen,
  symmetricEigenvalues,
  syrk,
  topSingularTriplets,
  type Backend,
  type DType,
  type Matrix,
  zeros,
} from '../linalg/index.js';
import { stream } from '../random/index.js';
import type { BenchCase } from './benchCase.js';

function normalMatrix(rows: number, cols: number, dtype: DType, index: number): Matrix {
  const data = dtype === 'f32' ? new Float32Array(rows * cols) : new Float64Array(rows * cols);
  stream(20251129, 'bench', index).fillNormal(data);
  return { rows, cols, data };
}

function symmetricMatrix(n: number, dtype: DType): Matrix {
  const x = normalMatrix(n, n, dtype, 0);
  const d = x.data;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const v = (d[i * n + j]! + d[j * n + i]!) / 2;
      d[i * n + j] = v;
      d[j * n + i] = v;
    }
  }
  return x;
}

/**
 * Prepares a case's operands (untimed) and returns the timed call. The positive definite matrix
 * is built with the backend's own syrk.
 */
export async function prepareBenchCall(backend: Backend, c: BenchCase): Promise<() => Promise<unknown>> {
  switch (c.op) {
    case 'gemm':
    case 'gemm_into': {
      const isTransA = c.trans![0] === 'T';
      const isTransB = c.trans![1] === 'T';
      const a = isTransA ? normalMatrix(c.k!, c.m!, c.dtype, 1) : normalMatrix(c.m!, c.k!, c.dtype, 1);
      const b = isTransB ? normalMatrix(c.n!, c.k!, c.dtype, 2) : normalMatrix(c.k!, c.n!, c.dtype, 2);
      const options = { transA: isTransA, transB: isTransB };
      if (c.op === 'gemm') return () => gemm(backend, a, b, options);
      const out = zeros(c.m!, c.n!, c.dtype);
      return () => gemmInto(backend, a, b, out, options);
    }
    case 'syrk': {
      const a = normalMatrix(c.n!, c.k!, c.dtype, 1);
      return () => syrk(backend, a, { trans: false });
    }
    case 'eigvalsh': {
      const a = symmetricMatrix(c.n!, c.dtype);
      return () => symmetricEigenvalues(backend, a);
    }
    case 'eigh': {
      const a = symmetricMatrix(c.n!, c.dtype);
      return () => symmetricEigen(backend, a);
    }
    case 'svdvals': {
      const a = normalMatrix(c.m!, c.n!, c.dtype, 1);
      return () => singularValues(backend, a);
    }
    case 'cholesky_solve': {
      const n = c.n!;
      const a = await syrk(backend, normalMatrix(n, n, c.dtype, 1), { trans: false, alpha: 1 / n });
      for (let i = 0; i < n; i++) a.data[i * n + i]! += 1;
      const b = normalMatrix(n, c.k!, c.dtype, 2);
      return () => solvePositiveDefinite(backend, a, b);
    }
    case 'top_singular_triplet': {
      const a = normalMatrix(c.m!, c.n!, c.dtype, 1);
      return () => topSingularTriplets(backend, a, 1);
    }
  }
}
