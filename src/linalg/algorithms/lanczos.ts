/**
 * The largest eigenpairs of a symmetric linear operator by Lanczos with full reorthogonalization
 * (classical Gram-Schmidt applied twice, "twice is enough", as two backend GEMVs per pass against
 * the stored basis). The Krylov space grows until every wanted Ritz pair has residual
 * |beta_j * y_last| <= tolerance * max|Ritz value|, or the space spans everything (dimension n, an
 * exact answer). An exhausted (invariant) Krylov space is continued with a fresh random vector, so
 * the method does not stall; a repeated eigenvalue inside the wanted set may still be found only
 * once, the known limit of single-vector Lanczos. Deterministic for a given generator state.
 */
import type { Backend } from '../backend.js';
import { tridiagonalQl } from './tridiagonalEigen.js';

/** A source of standard normal draws (src/random's Generator fits). */
export interface NormalSource {
  nextNormal(): number;
}

/** y := Op x for vectors of length n (y is overwritten). */
export type LinearOperator = (x: Float64Array, y: Float64Array) => Promise<void>;

/** The k largest Ritz values (descending) and their Ritz vectors as the rows of a k x n array. */
export interface LanczosPairs {
  readonly values: Float64Array;
  readonly vectors: Float64Array;
}

/**
 * The k largest (algebraic) eigenpairs of the symmetric operator `apply` on R^n, 1 <= k <= n.
 * `tolerance` is relative to the largest Ritz value magnitude (default use: 1e-10).
 */
export async function lanczosLargest(backend: Backend, n: number, k: number, apply: LinearOperator, rng: NormalSource, tolerance: number): Promise<LanczosPairs> {
  let capacity = Math.min(n, Math.max(2 * k + 20, 40));
  let basis = new Float64Array(capacity * n);
  const alphas: number[] = [];
  const betas: number[] = [];
  const w = new Float64Array(n);
  const coefficients = new Float64Array(n);
  randomUnitVector(basis.subarray(0, n), rng);
  const checkEvery = Math.max(5, Math.ceil(k / 2));
  let nextCheck = Math.min(n, k + checkEvery);
  let dim = 1;
  let operatorNorm = 0;
  for (;;) {
    const j = dim - 1;
    await apply(basis.subarray(j * n, dim * n), w);
    let alpha = 0;
    for (let pass = 0; pass < 2; pass++) alpha += await orthogonalize(backend, basis, dim, n, w, coefficients);
    let beta = norm(w);
    alphas.push(alpha);
    operatorNorm = Math.max(operatorNorm, Math.abs(alpha), beta);
    if (dim === n) break;
    const isInvariant = beta <= 1e-12 * operatorNorm;
    if (dim >= nextCheck || isInvariant) {
      if (converged(alphas, betas, dim, k, isInvariant ? 0 : beta, tolerance)) break;
      nextCheck = Math.min(n, dim + checkEvery);
    }
    if (dim === capacity) {
      capacity = Math.min(n, capacity * 2);
      const grown = new Float64Array(capacity * n);
      grown.set(basis);
      basis = grown;
    }
    const next = basis.subarray(dim * n, (dim + 1) * n);
    if (isInvariant) {
      // Krylov space exhausted: continue from a fresh random direction orthogonal to the basis.
      beta = 0;
      randomUnitVector(next, rng);
      for (let pass = 0; pass < 2; pass++) await orthogonalize(backend, basis, dim, n, next, coefficients);
      const size = norm(next);
      for (let i = 0; i < n; i++) next[i] = next[i]! / size;
    } else {
      for (let i = 0; i < n; i++) next[i] = w[i]! / beta;
    }
    betas.push(beta);
    dim++;
  }
  // Ritz pairs of T (dim x dim): full eigenvectors, then the top k rows combine the basis.
  const d = Float64Array.from(alphas);
  const e = new Float64Array(dim);
  e.set(betas.slice(0, dim - 1));
  const z = new Float64Array(dim * dim);
  for (let i = 0; i < dim; i++) z[i * dim + i] = 1;
  tridiagonalQl(d, e, dim, z);
  const order = Array.from({ length: dim }, (_, i) => i).sort((x, y) => d[y]! - d[x]!);
  const values = new Float64Array(k);
  const coefficientsTop = new Float64Array(k * dim);
  for (let r = 0; r < k; r++) {
    values[r] = d[order[r]!]!;
    for (let i = 0; i < dim; i++) coefficientsTop[r * dim + i] = z[i * dim + order[r]!]!;
  }
  const vectors = new Float64Array(k * n);
  await backend.gemm({ rows: k, cols: dim, data: coefficientsTop }, { rows: dim, cols: n, data: basis.subarray(0, dim * n) }, { rows: k, cols: n, data: vectors }, { alpha: 1, beta: 0 });
  return { values, vectors };
}

/** One classical Gram-Schmidt pass of w against the first `dim` basis rows; returns the coefficient on the last row. */
async function orthogonalize(backend: Backend, basis: Float64Array, dim: number, n: number, w: Float64Array, coefficients: Float64Array): Promise<number> {
  const q = { rows: dim, cols: n, data: basis.subarray(0, dim * n) };
  const h = coefficients.subarray(0, dim);
  await backend.gemv(q, w, h, { alpha: 1, beta: 0 });
  await backend.gemv(q, h, w, { trans: true, alpha: -1, beta: 1 });
  return h[dim - 1]!;
}

/** True when the top k Ritz pairs of T_dim have residual |beta * y_last| <= tolerance * max|theta|. */
function converged(alphas: number[], betas: number[], dim: number, k: number, beta: number, tolerance: number): boolean {
  if (dim < k) return false;
  const d = Float64Array.from(alphas);
  const e = new Float64Array(dim);
  e.set(betas.slice(0, dim - 1));
  const last = new Float64Array(dim); // e_{dim-1}^T G: entry j = last component of eigenvector j
  last[dim - 1] = 1;
  tridiagonalQl(d, e, dim, last, 1);
  const order = Array.from({ length: dim }, (_, i) => i).sort((x, y) => d[y]! - d[x]!);
  let scale = 0;
  for (let i = 0; i < dim; i++) scale = Math.max(scale, Math.abs(d[i]!));
  for (let r = 0; r < k; r++) if (Math.abs(beta * last[order[r]!]!) > tolerance * scale) return false;
  return true;
}

function randomUnitVector(x: Float64Array, rng: NormalSource): void {
  for (let i = 0; i < x.length; i++) x[i] = rng.nextNormal();
  const size = norm(x);
  for (let i = 0; i < x.length; i++) x[i] = x[i]! / size;
}

function norm(x: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * x[i]!;
  return Math.sqrt(s);
}
