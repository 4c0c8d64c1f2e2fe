/**
 * Decoding raw little- or big-endian float elements (f16, bf16, f32, f64) into Float32Array or
 * Float64Array, shared by the .npy and safetensors codecs.
 */
import type { DType, FloatArray } from '../linalg/index.js';
import { bfloat16ToFloat32, halfToFloat32 } from './halfPrecision.js';

/** Raw element encodings the codecs decode. */
export type RawFloatType = 'f16' | 'bf16' | 'f32' | 'f64';

/** Bytes per element. */
export function rawFloatSize(type: RawFloatType): number {
  return type === 'f64' ? 8 : type === 'f32' ? 4 : 2;
}

/** True on little-endian hosts (all common ones); typed arrays use the host's byte order. */
export const isHostLittleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The natural output dtype: f64 stays f64, everything else decodes to f32. */
export function naturalDtype(type: RawFloatType): DType {
  return type === 'f64' ? 'f64' : 'f32';
}

/**
 * Decodes `count` elements of `type` from `bytes` (which holds at least count * size bytes) into a
 * float array of dtype `as` (default {@link naturalDtype}). When the bytes are already in that
 * layout (host order, aligned, same type) the result is a **view of `bytes`** (no copy); otherwise
 * it is a new array.
 */
export function decodeFloatElements(
  bytes: Uint8Array,
  type: RawFloatType,
  count: number,
  options: { readonly isLittleEndian?: boolean; readonly as?: DType } = {},
): FloatArray {
  const isLittleEndian = options.isLittleEndian ?? true;
  const target = options.as ?? naturalDtype(type);
  const size = rawFloatSize(type);
  const isNativeOrder = isLittleEndian === isHostLittleEndian;
  const isAligned = bytes.byteOffset % size === 0;
  let source: Uint16Array | Float32Array | Float64Array;
  if (isNativeOrder && isAligned) {
    source =
      type === 'f64'
        ? new Float64Array(bytes.buffer, bytes.byteOffset, count)
        : type === 'f32'
          ? new Float32Array(bytes.buffer, bytes.byteOffset, count)
          : new Uint16Array(bytes.buffer, bytes.byteOffset, count);
  } else {
    // copy into an aligned buffer, swapping bytes when the order differs from the host's
    const copyBytes = bytes.slice(0, count * size);
    if (!isNativeOrder) {
      for (let i = 0; i < copyBytes.length; i += size) copyBytes.subarray(i, i + size).reverse();
    }
    source =
      type === 'f64'
        ? new Float64Array(copyBytes.buffer, 0, count)
        : type === 'f32'
          ? new Float32Array(copyBytes.buffer, 0, count)
          : new Uint16Array(copyBytes.buffer, 0, count);
  }
  if (source instanceof Uint16Array) {
    const f32 = type === 'f16' ? halfToFloat32(source) : bfloat16ToFloat32(source);
    return target === 'f32' ? f32 : Float64Array.from(f32);
  }
  if (target === 'f64') return source instanceof Float64Array ? source : Float64Array.from(source);
  return source instanceof Float32Array ? source : Float32Array.from(source);
}
