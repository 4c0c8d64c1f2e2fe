/** Public GEMV op: matrix-vector products. */
import { InputError } from '../errors.js';
import type { Backend } from './backend.js';
import { checkMatrix, checkSameDtype, checkVector, shapeOf } from './checks.js';
import { allocate, dtypeOf, type FloatArray, type Matrix } from './matrix.js';

/**
 * y = alpha * op(A) x as a new vector in A's dtype: op(A) = A (x has A.cols entries, y A.rows) or,
 * with trans, A^T (x has A.rows entries, y A.cols). x must share A's dtype. alpha defaults to 1.
 */
export async function gemv(backend: Backend, a: Matrix, x: FloatArray, options: { readonly trans?: boolean; readonly alpha?: number } = {}): Promise<FloatArray> {
  checkMatrix('gemv', 'A', a);
  const trans = options.trans ?? false;
  const alpha = options.alpha ?? 1;
  if (!Number.isFinite(alpha)) throw new InputError(`gemv: alpha must be a finite number, got ${alpha}`);
  const inLength = trans ? a.rows : a.cols;
  if (!(x instanceof Float32Array) && !(x instanceof Float64Array)) throw new InputError('gemv: x must be a Float32Array or Float64Array');
  if (x.length !== inLength) {
    throw new InputError(`gemv: x has length ${x.length} but op(A) is ${trans ? `${a.cols}x${a.rows} (A^T of ${shapeOf(a)})` : shapeOf(a)}, so x needs ${inLength}`);
  }
  checkVector('gemv', 'x', x, inLength);
  checkSameDtype('gemv', { A: a, x });
  const y = allocate(trans ? a.cols : a.rows, dtypeOf(a));
  if (y.length === 0 || inLength === 0 || alpha === 0) return y;
  await backend.gemv(a, x, y, { trans, alpha, beta: 0 });
  return y;
}
