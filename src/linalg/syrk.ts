/** Public SYRK op: the Gram matrix A A^T or A^T A. */
import type { Backend } from './backend.js';
import { checkMatrix } from './checks.js';
import { scaleInPlace } from './gemm.js';
import { dtypeOf, uninitialized, type Matrix } from './matrix.js';
import { InputError } from '../errors.js';

/**
 * The symmetric matrix C = alpha * A A^T (trans false, C is rows x rows) or alpha * A^T A
 * (trans true, C is cols x cols), new, in A's dtype, with both triangles written. alpha defaults to 1.
 */
export async function syrk(backend: Backend, a: Matrix, options: { readonly trans?: boolean; readonly alpha?: number } = {}): Promise<Matrix> {
  checkMatrix('syrk', 'A', a);
  const n = (options.trans ?? false) ? a.cols : a.rows;
  return syrkOp('syrk', backend, a, uninitialized(n, n, dtypeOf(a)), options); // beta 0: fully overwritten
}

/**
 * syrk into an existing C (n x n, contiguous, A's dtype; its old contents are ignored), e.g. one in
 * a backend's reserved block (Backend.reserve). Returns C.
 */
export async function syrkInto(backend: Backend, a: Matrix, c: Matrix, options: { readonly trans?: boolean; readonly alpha?: number } = {}): Promise<Matrix> {
  checkMatrix('syrkInto', 'A', a);
  checkMatrix('syrkInto', 'C', c);
  return syrkOp('syrkInto', backend, a, c, options);
}

async function syrkOp(op: string, backend: Backend, a: Matrix, c: Matrix, options: { readonly trans?: boolean; readonly alpha?: number }): Promise<Matrix> {
  const trans = options.trans ?? false;
  const alpha = options.alpha ?? 1;
  if (!Number.isFinite(alpha)) throw new InputError(`${op}: alpha must be a finite number, got ${alpha}`);
  const n = trans ? a.cols : a.rows;
  const k = trans ? a.rows : a.cols;
  if (c.rows !== n || c.cols !== n || dtypeOf(c) !== dtypeOf(a)) {
    throw new InputError(`${op}: C must be ${n}x${n} ${dtypeOf(a)} for A ${a.rows}x${a.cols}${trans ? '^T' : ''}, got ${c.rows}x${c.cols} ${dtypeOf(c)}`);
  }
  if (n === 0) return c;
  if (k === 0 || alpha === 0) {
    scaleInPlace(c, 0);
    return c;
  }
  await backend.syrk(a, c, { trans, alpha, beta: 0 });
  return c;
}
