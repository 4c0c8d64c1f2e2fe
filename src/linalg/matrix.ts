import { InputError } from '../errors.js';

/** Element type of a matrix: 32-bit or 64-bit IEEE floats. */
export type DType = 'f32' | 'f64';
export type FloatArray = Float32Array | Float64Array;

/**
 * A dense row-major matrix: element (i, j) is `data[i * cols + j]`. `data` may be a view into a
 * larger buffer (a subarray); it holds at least rows * cols elements. No function in linalg copies
 * `data` unless its documentation says so.
 */
export interface Matrix<A extends FloatArray = FloatArray> {
  readonly rows: number;
  readonly cols: number;
  readonly data: A;
}

export type Matrix32 = Matrix<Float32Array>;
export type Matrix64 = Matrix<Float64Array>;

/** The dtype of a float array. */
export function dtypeOfArray(data: FloatArray): DType {
  return data instanceof Float32Array ? 'f32' : 'f64';
}

/** The dtype of a matrix. */
export function dtypeOf(m: Matrix): DType {
  return dtypeOfArray(m.data);
}

/** A new zero-filled float array of the given dtype. */
export function allocate(length: number, dtype: DType): FloatArray {
  return dtype === 'f32' ? new Float32Array(length) : new Float64Array(length);
}

/** Makes an array whose contents are unspecified; see setUninitializedAllocator. */
export type UninitializedAllocator = (length: number, dtype: DType) => FloatArray;

let uninitializedAllocator: UninitializedAllocator = allocate;

/**
 * Registers the allocator of `uninitialized` outputs. Node's entry (src/linalg/node.ts) registers
 * one over Buffer.allocUnsafeSlow, which skips zero-filling: for a 2000x1500 GEMM output that is
 * about a tenth of the call. The default (browser) is the zero-filling `allocate`.
 */
export function setUninitializedAllocator(allocator: UninitializedAllocator): void {
  uninitializedAllocator = allocator;
}

/**
 * A new rows x cols matrix whose contents are unspecified (not zeroed where the platform allows it):
 * only for outputs that the caller overwrites completely, such as a GEMM result with beta = 0.
 */
export function uninitialized(rows: number, cols: number, dtype: DType): Matrix {
  checkShape(rows, cols);
  return { rows, cols, data: uninitializedAllocator(rows * cols, dtype) };
}

/** A new zero-filled rows x cols matrix. */
export function zeros(rows: number, cols: number, dtype: 'f32'): Matrix32;
export function zeros(rows: number, cols: number, dtype?: 'f64'): Matrix64;
export function zeros(rows: number, cols: number, dtype?: DType): Matrix;
export function zeros(rows: number, cols: number, dtype: DType = 'f64'): Matrix {
  checkShape(rows, cols);
  return { rows, cols, data: allocate(rows * cols, dtype) };
}

/** Wraps an existing array as a rows x cols matrix (no copy). */
export function fromArray<A extends FloatArray>(rows: number, cols: number, data: A): Matrix<A> {
  checkShape(rows, cols);
  if (data.length < rows * cols) {
    throw new InputError(`a ${rows}x${cols} matrix needs ${rows * cols} elements, the array has ${data.length}`);
  }
  return { rows, cols, data };
}

/** Builds a matrix from nested arrays (copy), for tests and small inputs. */
export function fromRows(rowsArray: readonly (readonly number[])[], dtype: DType = 'f64'): Matrix {
  const rows = rowsArray.length;
  const cols = rows === 0 ? 0 : rowsArray[0]!.length;
  const m = zeros(rows, cols, dtype);
  for (let i = 0; i < rows; i++) {
    const row = rowsArray[i]!;
    if (row.length !== cols) throw new InputError(`row ${i} has ${row.length} entries, row 0 has ${cols}`);
    for (let j = 0; j < cols; j++) m.data[i * cols + j] = row[j]!;
  }
  return m;
}

/** The identity matrix of size n. */
export function identity(n: number, dtype: DType = 'f64'): Matrix {
  const m = zeros(n, n, dtype);
  for (let i = 0; i < n; i++) m.data[i * n + i] = 1;
  return m;
}

/** A view of rows [start, end) (no copy). */
export function rowsView<A extends FloatArray>(m: Matrix<A>, start: number, end: number): Matrix<A> {
  if (start < 0 || end > m.rows || start > end) throw new InputError(`rows [${start}, ${end}) are outside a matrix of ${m.rows} rows`);
  return { rows: end - start, cols: m.cols, data: m.data.subarray(start * m.cols, end * m.cols) as A };
}

/** A copy of the matrix, optionally converted to another dtype. */
export function copy(m: Matrix, dtype: DType = dtypeOf(m)): Matrix {
  const out = zeros(m.rows, m.cols, dtype);
  out.data.set(m.data.subarray(0, m.rows * m.cols));
  return out;
}

/** The transpose, as a new matrix (copy). Blocked to stay cache-friendly on large matrices. */
export function transpose<A extends FloatArray>(m: Matrix<A>): Matrix<A> {
  const { rows, cols, data } = m;
  const out = (data instanceof Float32Array ? new Float32Array(rows * cols) : new Float64Array(rows * cols)) as A;
  const block = 32;
  for (let i0 = 0; i0 < rows; i0 += block) {
    const i1 = Math.min(i0 + block, rows);
    for (let j0 = 0; j0 < cols; j0 += block) {
      const j1 = Math.min(j0 + block, cols);
      for (let i = i0; i < i1; i++) for (let j = j0; j < j1; j++) out[j * rows + i] = data[i * cols + j]!;
    }
  }
  return { rows: cols, cols: rows, data: out };
}

/** Element (i, j). */
export function get(m: Matrix, i: number, j: number): number {
  return m.data[i * m.cols + j]!;
}

/** Throws an InputError naming `what` when the matrix holds NaN or Inf. */
export function assertFinite(m: Matrix, what: string): void {
  const n = m.rows * m.cols;
  const d = m.data;
  for (let i = 0; i < n; i++) {
    const v = d[i]!;
    if (v - v !== 0) {
      const r = Math.floor(i / m.cols);
      throw new InputError(`${what} holds ${v} at (${r}, ${i - r * m.cols}); NaN and Inf are not allowed`);
    }
  }
}

/** Frobenius norm. */
export function frobeniusNorm(m: Matrix): number {
  let s = 0;
  const n = m.rows * m.cols;
  for (let i = 0; i < n; i++) s += m.data[i]! * m.data[i]!;
  return Math.sqrt(s);
}

function checkShape(rows: number, cols: number): void {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) {
    throw new InputError(`matrix shape must be two non-negative integers, got ${rows}x${cols}`);
  }
}
