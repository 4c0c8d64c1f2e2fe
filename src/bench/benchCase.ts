/**
 * The benchmark table of esdlab's numeric core: which ops, shapes and dtypes `esdlab bench` (and
 * scripts/bench_numpy.py, which mirrors this table) measures. One row per measurement.
 */
import type { DType } from '../linalg/index.js';

/** Benchmarked ops; names follow numpy's where one exists. */
export const benchOps = ['gemm', 'gemm_into', 'syrk', 'eigvalsh', 'eigh', 'svdvals', 'cholesky_solve', 'top_singular_triplet'] as const;
export type BenchOp = (typeof benchOps)[number];

/**
 * One measurement's op, shape and dtype. Shape fields per op:
 * gemm: op(A) m x k times op(B) k x n, `trans` two letters (N/T for A then B), into a new C;
 * gemm_into: the same into one preallocated C reused by every repeat (no allocation timed);
 * syrk: C = A A^T for A n x k (`trans` 'N');
 * eigvalsh, eigh: n x n symmetric; svdvals, top_singular_triplet: m x n;
 * cholesky_solve: n x n positive definite system with k right-hand sides (factor + solve).
 */
export interface BenchCase {
  readonly op: BenchOp;
  readonly trans?: string;
  readonly m?: number;
  readonly k?: number;
  readonly n?: number;
  readonly dtype: DType;
}

/** The shape fields each op needs (a case read from a file is checked against this). */
export const benchShapeFields: Readonly<Record<BenchOp, readonly ('trans' | 'm' | 'k' | 'n')[]>> = {
  gemm: ['trans', 'm', 'k', 'n'],
  gemm_into: ['trans', 'm', 'k', 'n'],
  syrk: ['n', 'k'],
  eigvalsh: ['n'],
  eigh: ['n'],
  svdvals: ['m', 'n'],
  cholesky_solve: ['n', 'k'],
  top_singular_triplet: ['m', 'n'],
};

/** Which cases to run: ops, dtypes and shape overrides; `isQuick` drops the n=4096 eigenvalue case. */
export interface BenchSelection {
  readonly ops?: readonly BenchOp[];
  readonly dtypes?: readonly DType[];
  readonly m?: number;
  readonly k?: number;
  readonly n?: number;
  readonly isQuick?: boolean;
}

/**
 * The default cases (the list): gemm NN/TN/NT 2000x1000 by 1000x1500 in f32 and f64 (and
 * gemm_into, the same into a reused output, which separates the kernel from allocating C);
 * syrk of 2000x1000 in f32 and f64; eigvalsh n=1000 and n=4096; eigh n=1000; svdvals 1500x1000;
 * cholesky_solve n=1500 (one right-hand side); top_singular_triplet of 1500x1000. GEMM and SYRK run
 * in both dtypes by default, the decompositions in f64 (the precision esdlab's spectra use);
 * `dtypes` overrides both. `m`, `k`, `n` override the shape fields each op has.
 */
export function benchCases(selection: BenchSelection = {}): BenchCase[] {
  const { m, k, n } = selection;
  const ops = new Set(selection.ops ?? benchOps);
  const blasDtypes = selection.dtypes ?? (['f32', 'f64'] as const);
  const lapackDtypes = selection.dtypes ?? (['f64'] as const);
  const cases: BenchCase[] = [];
  for (const dtype of blasDtypes) {
    if (ops.has('gemm')) {
      for (const trans of ['NN', 'TN', 'NT']) cases.push({ op: 'gemm', trans, m: m ?? 2000, k: k ?? 1000, n: n ?? 1500, dtype });
    }
    if (ops.has('gemm_into')) {
      for (const trans of ['NN', 'TN', 'NT']) cases.push({ op: 'gemm_into', trans, m: m ?? 2000, k: k ?? 1000, n: n ?? 1500, dtype });
    }
  }
  for (const dtype of blasDtypes) {
    if (ops.has('syrk')) cases.push({ op: 'syrk', trans: 'N', n: n ?? 2000, k: k ?? 1000, dtype });
  }
  for (const dtype of lapackDtypes) {
    if (ops.has('eigvalsh')) {
      const sizes = n !== undefined ? [n] : selection.isQuick ? [1000] : [1000, 4096];
      for (const size of sizes) cases.push({ op: 'eigvalsh', n: size, dtype });
    }
    if (ops.has('eigh')) cases.push({ op: 'eigh', n: n ?? 1000, dtype });
    if (ops.has('svdvals')) cases.push({ op: 'svdvals', m: m ?? 1500, n: n ?? 1000, dtype });
    if (ops.has('cholesky_solve')) cases.push({ op: 'cholesky_solve', n: n ?? 1500, k: k ?? 1, dtype });
    if (ops.has('top_singular_triplet')) cases.push({ op: 'top_singular_triplet', m: m ?? 1500, n: n ?? 1000, dtype });
  }
  return cases;
}

/** A short human label of a case's shape, e.g. '2000x1000 * 1000x1500' for gemm. */
export function benchShapeLabel(c: BenchCase): string {
  switch (c.op) {
    case 'gemm':
    case 'gemm_into':
      return `${c.m}x${c.k} * ${c.k}x${c.n}`;
    case 'syrk':
      return `A A^T, A ${c.n}x${c.k}`;
    case 'cholesky_solve':
      return `n=${c.n}, ${c.k} rhs`;
    case 'eigvalsh':
    case 'eigh':
      return `n=${c.n}`;
    default:
      return `${c.m}x${c.n}`;
  }
}

/**
 * Floating-point operations of one case, for GFLOP/s, or null where the count depends on the
 * algorithm's iterations (eigen, SVD, Lanczos). Counts are the textbook ones: gemm 2mkn, syrk
 * n^2 k (one triangle's worth, n(n+1)k rounded), Cholesky n^3/3 plus 2 n^2 k for the two solves.
 */
export function benchFlops(c: BenchCase): number | null {
  switch (c.op) {
    case 'gemm':
    case 'gemm_into':
      return 2 * c.m! * c.k! * c.n!;
    case 'syrk':
      return c.n! * c.n! * c.k!;
    case 'cholesky_solve':
      return c.n! ** 3 / 3 + 2 * c.n! * c.n! * c.k!;
    default:
      return null;
  }
}
