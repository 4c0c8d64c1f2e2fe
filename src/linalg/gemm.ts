/** Public GEMM ops: C = alpha * op(A) * op(B) + beta * C on any backend. */
import { InputError } from '../errors.js';
import type { Backend, GemmOptions } from './backend.js';
import { checkMatrix, checkSameDtype, shapeOf } from './checks.js';
import { dtypeOf, uninitialized, type Matrix } from './matrix.js';

/**
 * C = alpha * op(A) * op(B) as a new matrix (m x n, A's dtype), op(X) = X or X^T per
 * `transA`/`transB`; `alpha` defaults to 1 (`beta` is ignored: C starts at zero).
 * A and B must share a dtype; op(A) is m x k and op(B) k x n.
 */
export async function gemm(backend: Backend, a: Matrix, b: Matrix, options: GemmOptions = {}): Promise<Matrix> {
  checkOperands('gemm', a, b, options);
  const m = options.transA ? a.cols : a.rows;
  const n = options.transB ? b.rows : b.cols;
  // beta 0: every backend overwrites C without reading it, so it need not be zeroed first
  const c = uninitialized(m, n, dtypeOf(a));
  await dispatch(backend, a, b, c, { ...options, beta: 0 });
  return c;
}

/**
 * C = alpha * op(A) * op(B) + beta * C in place (alpha defaults to 1, beta to 0: with beta 0, C's
 * old contents, NaN included, are ignored as in BLAS). C must be m x n, contiguous, the same dtype,
 * and must not share memory with A or B. Returns C.
 */
export async function gemmInto(backend: Backend, a: Matrix, b: Matrix, c: Matrix, options: GemmOptions = {}): Promise<Matrix> {
  checkOperands('gemmInto', a, b, options);
  checkMatrix('gemmInto', 'C', c);
  checkSameDtype('gemmInto', { A: a, C: c });
  const m = options.transA ? a.cols : a.rows;
  const n = options.transB ? b.rows : b.cols;
  if (c.rows !== m || c.cols !== n) {
    throw new InputError(`gemmInto: op(A) op(B) is ${m}x${n} (A ${shapeOf(a)}${options.transA ? '^T' : ''}, B ${shapeOf(b)}${options.transB ? '^T' : ''}) but C is ${shapeOf(c)}`);
  }
  await dispatch(backend, a, b, c, options);
  return c;
}

function checkOperands(op: string, a: Matrix, b: Matrix, options: GemmOptions): void {
  checkMatrix(op, 'A', a);
  checkMatrix(op, 'B', b);
  checkSameDtype(op, { A: a, B: b });
  const ka = options.transA ? a.rows : a.cols;
  const kb = options.transB ? b.cols : b.rows;
  if (ka !== kb) {
    throw new InputError(
      `${op}: inner dimensions differ, op(A) is ${options.transA ? `${a.cols}x${a.rows} (A^T of ${shapeOf(a)})` : shapeOf(a)} and op(B) is ${options.transB ? `${b.cols}x${b.rows} (B^T of ${shapeOf(b)})` : shapeOf(b)}; op(A).cols must equal op(B).rows`,
    );
  }
  for (const key of ['alpha', 'beta'] as const) {
    const v = options[key];
    if (v !== undefined && !Number.isFinite(v)) throw new InputError(`${op}: ${key} must be a finite number, got ${v}`);
  }
}

async function dispatch(backend: Backend, a: Matrix, b: Matrix, c: Matrix, options: GemmOptions): Promise<void> {
  const alpha = options.alpha ?? 1;
  const beta = options.beta ?? 0;
  const k = options.transA ? a.rows : a.cols;
  if (c.rows === 0 || c.cols === 0) return;
  if (k === 0 || alpha === 0) {
    scaleInPlace(c, beta);
    return;
  }
  await backend.gemm(a, b, c, { transA: options.transA ?? false, transB: options.transB ?? false, alpha, beta });
}

/** C = beta * C; beta 0 overwrites with zeros. */
export function scaleInPlace(c: Matrix, beta: number): void {
  const n = c.rows * c.cols;
  if (beta === 0) c.data.fill(0, 0, n);
  else if (beta !== 1) for (let i = 0; i < n; i++) c.data[i] *= beta;
}
