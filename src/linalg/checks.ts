/**
 * Argument checks shared by the public linalg ops: every op validates its operands here before a
 * backend sees them, so backends and algorithms may assume well-formed, finite, same-dtype input.
 */
import { InputError } from '../errors.js';
import { dtypeOf, dtypeOfArray, type DType, type FloatArray, type Matrix } from './matrix.js';

/** "3x7" for error messages. */
export function shapeOf(m: Matrix): string {
  return `${m.rows}x${m.cols}`;
}

/** Throws an InputError naming `op` and `name` unless `m` is a well-formed Matrix over Float32Array/Float64Array. */
export function checkMatrix(op: string, name: string, m: Matrix): void {
  if (m === null || typeof m !== 'object') throw new InputError(`${op}: ${name} must be a Matrix {rows, cols, data}, got ${String(m)}`);
  const { rows, cols, data } = m;
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) {
    throw new InputError(`${op}: ${name} has shape ${rows}x${cols}; rows and cols must be non-negative integers`);
  }
  if (!(data instanceof Float32Array) && !(data instanceof Float64Array)) {
    throw new InputError(`${op}: ${name} data must be a Float32Array or Float64Array`);
  }
  if (data.length < rows * cols) {
    throw new InputError(`${op}: ${name} is ${rows}x${cols} but its data holds only ${data.length} of ${rows * cols} elements`);
  }
}

/** Throws an InputError unless every matrix shares the dtype of the first. */
export function checkSameDtype(op: string, named: Record<string, Matrix | FloatArray>): DType {
  let first: { name: string; dtype: DType } | undefined;
  for (const [name, value] of Object.entries(named)) {
    const dtype = ArrayBuffer.isView(value) ? dtypeOfArray(value as FloatArray) : dtypeOf(value as Matrix);
    if (!first) first = { name, dtype };
    else if (dtype !== first.dtype) {
      throw new InputError(`${op}: ${name} is ${dtype} but ${first.name} is ${first.dtype}; all operands must share one dtype (convert with copy(m, dtype))`);
    }
  }
  return first?.dtype ?? 'f64';
}

/** Throws an InputError unless `m` is square. */
export function checkSquare(op: string, name: string, m: Matrix): void {
  if (m.rows !== m.cols) throw new InputError(`${op}: ${name} must be square, got ${shapeOf(m)}`);
}

/** Throws an InputError unless `x` is a Float32Array/Float64Array of the given length. */
export function checkVector(op: string, name: string, x: FloatArray, length: number): void {
  if (!(x instanceof Float32Array) && !(x instanceof Float64Array)) {
    throw new InputError(`${op}: ${name} must be a Float32Array or Float64Array`);
  }
  if (x.length !== length) throw new InputError(`${op}: ${name} has length ${x.length}, expected ${length}`);
}

/** Throws an InputError naming `op` when `m` holds NaN or Inf. */
export function checkFinite(op: string, name: string, m: Matrix): void {
  const { rows, cols, data } = m;
  const n = rows * cols;
  for (let i = 0; i < n; i++) {
    const v = data[i]!;
    if (v - v !== 0) {
      const r = Math.floor(i / cols);
      throw new InputError(`${op}: ${name} (${shapeOf(m)}) holds ${v} at (${r}, ${i - r * cols}); NaN and Inf are not allowed, check the input for overflow or missing values`);
    }
  }
}

/** Whether `m` holds only finite values (no NaN or Inf). */
export function isFiniteMatrix(m: Matrix): boolean {
  const n = m.rows * m.cols;
  const data = m.data;
  for (let i = 0; i < n; i++) {
    const v = data[i]!;
    if (v - v !== 0) return false;
  }
  return true;
}

/**
 * Throws an InputError unless the n x n lower factor `l` (row-major values) has a positive, finite
 * diagonal, as choleskyFactor returns it.
 */
export function checkCholeskyDiagonal(l: ArrayLike<number>, n: number): void {
  for (let i = 0; i < n; i++) {
    const d = l[i * n + i]!;
    if (!(d > 0) || !Number.isFinite(d)) {
      throw new InputError(`choleskySolve: L has diagonal entry ${d} at (${i}, ${i}); pass the factor returned by choleskyFactor`);
    }
  }
}

/** Throws an InputError unless k is an integer in [0, max]. */
export function checkCount(op: string, name: string, k: number, max: number): void {
  if (!Number.isInteger(k) || k < 0 || k > max) throw new InputError(`${op}: ${name} must be an integer in [0, ${max}], got ${k}`);
}

/** A contiguous f64 copy of `m` (always a copy: algorithms overwrite their working matrix). */
export function toFloat64Copy(m: Matrix): Matrix<Float64Array> {
  const data = new Float64Array(m.rows * m.cols);
  data.set(m.data.subarray(0, m.rows * m.cols));
  return { rows: m.rows, cols: m.cols, data };
}

/** `m` (f64) in the requested dtype: the same object for f64, a rounded copy for f32. */
export function castMatrix(m: Matrix<Float64Array>, dtype: DType): Matrix {
  if (dtype === 'f64') return m;
  return { rows: m.rows, cols: m.cols, data: Float32Array.from(m.data.subarray(0, m.rows * m.cols)) };
}
