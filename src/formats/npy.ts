/**
 * NumPy .npy encoding and decoding of float arrays (float16, float32, float64; C or Fortran order;
 * any rank). Decoded data is always returned in C (row-major) order: a Fortran-order file is
 * transposed on read, so a matrix saved from numpy as np.asfortranarray(W) reads as W.
 */
import { InputError } from '../errors.js';
import type { DType, FloatArray } from '../linalg/index.js';
import { decodeFloatElements } from './floatElements.js';
import { float32ToHalf } from './halfPrecision.js';
import { encodeNpyHeader, parseNpyHeader, type NpyDtype, type NpyHeader } from './npyHeader.js';

/** A decoded array: C-order data and its shape. */
export interface NpyArray {
  /** Row-major elements; f16 and f32 files decode to Float32Array, f64 to Float64Array (unless `as` says otherwise). */
  readonly data: FloatArray;
  readonly shape: readonly number[];
  /** The element type stored in the file. */
  readonly fileDtype: NpyDtype;
}

/** Options of the decoders. */
export interface NpyDecodeOptions {
  /** Convert to this dtype; default f64 for float64 files and f32 otherwise. */
  readonly as?: DType;
  /** Names the source in error messages, e.g. the file path. */
  readonly what?: string;
}

const RAW_TYPE = { f2: 'f16', f4: 'f32', f8: 'f64' } as const;

/**
 * Decodes the elements that follow a parsed header. `dataBytes` starts at the first element. The
 * result may share memory with `dataBytes` (C order, host byte order, aligned, no conversion).
 */
export function decodeNpyData(header: NpyHeader, dataBytes: Uint8Array, options: NpyDecodeOptions = {}): NpyArray {
  const what = options.what ?? 'the input';
  if (dataBytes.length < header.dataSizeBytes) {
    throw new InputError(
      `${what} is truncated: shape (${header.shape.join(', ')}) needs ${header.dataSizeBytes} bytes of data, it has ${dataBytes.length}`,
    );
  }
  const count = header.shape.reduce((a, b) => a * b, 1);
  let data = decodeFloatElements(dataBytes, RAW_TYPE[header.dtype], count, { isLittleEndian: header.isLittleEndian, as: options.as });
  if (header.isFortranOrder && header.shape.length > 1) data = fortranToC(data, header.shape);
  return { data, shape: header.shape, fileDtype: header.dtype };
}

/** Decodes a whole .npy file held in memory. */
export function decodeNpy(bytes: Uint8Array, options: NpyDecodeOptions = {}): NpyArray {
  const header = parseNpyHeader(bytes, options.what);
  return decodeNpyData(header, bytes.subarray(header.dataOffset), options);
}

/**
 * Reorders column-major elements of an array of `shape` into row-major order (a new array).
 * Element (i0, ..., ik) sits at i0 + s0 * (i1 + s1 * (...)) in Fortran order.
 */
export function fortranToC<A extends FloatArray>(data: A, shape: readonly number[]): A {
  const out = new (data.constructor as { new (n: number): A })(data.length);
  const rank = shape.length;
  // C strides
  const strides = new Array<number>(rank).fill(1);
  for (let k = rank - 2; k >= 0; k--) strides[k] = strides[k + 1]! * shape[k + 1]!;
  const index = new Array<number>(rank).fill(0);
  let cOffset = 0;
  for (let f = 0; f < data.length; f++) {
    out[cOffset] = data[f]!;
    // advance the Fortran counter: the first axis varies fastest
    for (let k = 0; k < rank; k++) {
      index[k]!++;
      cOffset += strides[k]!;
      if (index[k]! < shape[k]!) break;
      cOffset -= strides[k]! * shape[k]!;
      index[k] = 0;
    }
  }
  return out;
}

/** Options of {@link encodeNpy}. */
export interface NpyEncodeOptions {
  /** Element type to store; default from the array ('f4' for Float32Array, 'f8' for Float64Array). */
  readonly dtype?: NpyDtype;
  /** Store column-major with fortran_order True (the input is still given in C order). */
  readonly isFortranOrder?: boolean;
}

/** Encodes C-order `data` of `shape` as a little-endian .npy file (version 1.0, or 2.0 for huge headers). */
export function encodeNpy(data: FloatArray, shape: readonly number[], options: NpyEncodeOptions = {}): Uint8Array {
  const count = shape.reduce((a, b) => a * b, 1);
  if (shape.some((n) => !Number.isInteger(n) || n < 0)) throw new InputError(`an .npy shape must hold non-negative integers, got (${shape.join(', ')})`);
  if (data.length !== count) throw new InputError(`shape (${shape.join(', ')}) holds ${count} elements, the data has ${data.length}`);
  const dtype = options.dtype ?? (data instanceof Float32Array ? 'f4' : 'f8');
  const elements = options.isFortranOrder && shape.length > 1 ? cToFortran(data, shape) : data;
  const header = encodeNpyHeader(dtype, shape, options.isFortranOrder ?? false);
  let body: Uint8Array;
  if (dtype === 'f2') body = new Uint8Array(float32ToHalf(elements).buffer);
  else if (dtype === 'f4') body = bytesLittleEndian(elements instanceof Float32Array ? elements : Float32Array.from(elements));
  else body = bytesLittleEndian(elements instanceof Float64Array ? elements : Float64Array.from(elements));
  const out = new Uint8Array(header.length + body.length);
  out.set(header, 0);
  out.set(body, header.length);
  return out;
}

function cToFortran<A extends FloatArray>(data: A, shape: readonly number[]): A {
  // the C-order array of shape S read in Fortran order equals the reversed-shape array read in C order, transposed
  const out = new (data.constructor as { new (n: number): A })(data.length);
  const rank = shape.length;
  const fStrides = new Array<number>(rank).fill(1);
  for (let k = 1; k < rank; k++) fStrides[k] = fStrides[k - 1]! * shape[k - 1]!;
  const index = new Array<number>(rank).fill(0);
  let fOffset = 0;
  for (let c = 0; c < data.length; c++) {
    out[fOffset] = data[c]!;
    for (let k = rank - 1; k >= 0; k--) {
      index[k]!++;
      fOffset += fStrides[k]!;
      if (index[k]! < shape[k]!) break;
      fOffset -= fStrides[k]! * shape[k]!;
      index[k] = 0;
    }
  }
  return out;
}

function bytesLittleEndian(data: Float32Array | Float64Array): Uint8Array {
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
    const size = data.BYTES_PER_ELEMENT;
    for (let i = 0; i < bytes.length; i += size) bytes.subarray(i, i + size).reverse();
  }
  return bytes;
}
