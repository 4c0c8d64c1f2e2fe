/**
 * Writing safetensors bytes: the header for a list of tensors (for streaming writers that then
 * append each tensor's data in order), and a whole file in memory (for tests and small exports).
 */
import { InputError } from '../errors.js';
import type { FloatArray } from '../linalg/index.js';
import { float32ToBfloat16, float32ToHalf } from './halfPrecision.js';
import { SAFETENSORS_DTYPE_BITS, elementCount } from './safetensors.js';

/** A tensor to write: its name, safetensors dtype and shape. */
export interface SafetensorsTensorSpec {
  readonly name: string;
  readonly dtype: string;
  readonly shape: readonly number[];
}

/**
 * The bytes that start a safetensors file holding `tensors` in the given order: the 8-byte length
 * plus the JSON header, space-padded so the data starts 8-aligned. The data of tensor k must follow
 * at `offsets[k]` (relative to the end of these bytes), in order, with no gaps.
 */
export function encodeSafetensorsHeader(
  tensors: readonly SafetensorsTensorSpec[],
  metadata?: Readonly<Record<string, string>>,
): { readonly headerBytes: Uint8Array; readonly offsets: readonly (readonly [number, number])[] } {
  const header: Record<string, unknown> = {};
  if (metadata) header.__metadata__ = metadata;
  const offsets: [number, number][] = [];
  let position = 0;
  for (const t of tensors) {
    const bits = SAFETENSORS_DTYPE_BITS[t.dtype];
    if (bits === undefined) throw new InputError(`cannot write dtype ${t.dtype}; safetensors dtypes are ${Object.keys(SAFETENSORS_DTYPE_BITS).join(', ')}`);
    if (t.name in header) throw new InputError(`tensor name '${t.name}' appears twice`);
    const size = Math.ceil((elementCount(t.shape) * bits) / 8);
    offsets.push([position, position + size]);
    header[t.name] = { dtype: t.dtype, shape: t.shape, data_offsets: [position, position + size] };
    position += size;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (json.length % 8)) % 8);
  const jsonBytes = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + jsonBytes.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(jsonBytes.length), true);
  out.set(jsonBytes, 8);
  return { headerBytes: out, offsets };
}

/** The little-endian bytes of `values` stored as a float dtype (F32, F64, F16 or BF16). */
export function encodeFloatTensorData(values: FloatArray | readonly number[], dtype: string): Uint8Array {
  switch (dtype) {
    case 'F32':
      return new Uint8Array(Float32Array.from(values).buffer);
    case 'F64':
      return new Uint8Array(Float64Array.from(values).buffer);
    case 'F16':
      return new Uint8Array(float32ToHalf(values).buffer);
    case 'BF16':
      return new Uint8Array(float32ToBfloat16(values).buffer);
    default:
      throw new InputError(`cannot encode float data as ${dtype}; use F32, F64, F16 or BF16`);
  }
}

/** A tensor with its data: float values (encoded to `dtype`) or raw little-endian bytes. */
export interface SafetensorsTensorData extends SafetensorsTensorSpec {
  readonly data: FloatArray | readonly number[] | Uint8Array;
}

/** A whole safetensors file in memory (assumes a little-endian host, as every common one is). */
export function encodeSafetensors(tensors: readonly SafetensorsTensorData[], metadata?: Readonly<Record<string, string>>): Uint8Array {
  const { headerBytes, offsets } = encodeSafetensorsHeader(tensors, metadata);
  const total = offsets.length === 0 ? 0 : offsets[offsets.length - 1]![1];
  const out = new Uint8Array(headerBytes.length + total);
  out.set(headerBytes, 0);
  tensors.forEach((t, k) => {
    const bytes = t.data instanceof Uint8Array ? t.data : encodeFloatTensorData(t.data, t.dtype);
    const [begin, end] = offsets[k]!;
    if (bytes.length !== end - begin) throw new InputError(`tensor '${t.name}' has ${bytes.length} bytes of data, its shape and dtype need ${end - begin}`);
    out.set(bytes, headerBytes.length + begin);
  });
  return out;
}
