/**
 * The GGUF format of llama.cpp (ggml/docs/gguf.md, versions 2 and 3): a little-endian header
 * ('GGUF', version, tensor count, metadata count), the metadata key-value pairs, the tensor infos
 * (name, dims with ne[0] the fastest-varying, ggml type, offset), then the data section aligned to
 * `general.alignment` (default 32). F32, F16, BF16, F64 and Q8_0 tensors are dequantized; other
 * quantizations are listed with the reason they are skipped. Pure: parses bytes, no file access.
 */
import { InputError } from '../errors.js';
import { bfloat16ToFloat32, halfToFloat32 } from './halfPrecision.js';
import { printable } from './safetensors.js';

/** ggml types by id: name, elements per block and bytes per block (ggml.c's type traits). */
export const GGML_TYPES: Readonly<Record<number, { readonly name: string; readonly blockSize: number; readonly blockBytes: number }>> = {
  0: { name: 'F32', blockSize: 1, blockBytes: 4 },
  1: { name: 'F16', blockSize: 1, blockBytes: 2 },
  2: { name: 'Q4_0', blockSize: 32, blockBytes: 18 },
  3: { name: 'Q4_1', blockSize: 32, blockBytes: 20 },
  6: { name: 'Q5_0', blockSize: 32, blockBytes: 22 },
  7: { name: 'Q5_1', blockSize: 32, blockBytes: 24 },
  8: { name: 'Q8_0', blockSize: 32, blockBytes: 34 },
  9: { name: 'Q8_1', blockSize: 32, blockBytes: 36 },
  10: { name: 'Q2_K', blockSize: 256, blockBytes: 84 },
  11: { name: 'Q3_K', blockSize: 256, blockBytes: 110 },
  12: { name: 'Q4_K', blockSize: 256, blockBytes: 144 },
  13: { name: 'Q5_K', blockSize: 256, blockBytes: 176 },
  14: { name: 'Q6_K', blockSize: 256, blockBytes: 210 },
  15: { name: 'Q8_K', blockSize: 256, blockBytes: 292 },
  24: { name: 'I8', blockSize: 1, blockBytes: 1 },
  25: { name: 'I16', blockSize: 1, blockBytes: 2 },
  26: { name: 'I32', blockSize: 1, blockBytes: 4 },
  27: { name: 'I64', blockSize: 1, blockBytes: 8 },
  28: { name: 'F64', blockSize: 1, blockBytes: 8 },
  30: { name: 'BF16', blockSize: 1, blockBytes: 2 },
};

/** The ggml types esdlab dequantizes. */
export const DEQUANTIZED_GGML_TYPES: readonly string[] = ['F32', 'F16', 'BF16', 'F64', 'Q8_0'];

/** One tensor of a GGUF file. */
export interface GgufTensor {
  readonly name: string;
  /** Row-major shape: the reversed ggml dims (ne[0], the contiguous one, last). */
  readonly shape: readonly number[];
  /** The ggml type name ('Q4_K', ...; 'type N' for an id esdlab does not know). */
  readonly type: string;
  /** Absolute byte offsets of the data in the file (end undefined for an unknown type). */
  readonly begin: number;
  readonly sizeBytes?: number;
}

/** A parsed header. */
export interface GgufHeader {
  readonly version: number;
  readonly metadata: ReadonlyMap<string, unknown>;
  readonly tensors: readonly GgufTensor[];
  readonly dataStart: number;
}

/** Thrown when `bytes` ends before the header does but the file has more: read more and retry. */
export class GgufNeedsMoreBytes extends Error {}

const GGUF_MAGIC = 0x46554747; // 'GGUF' read as a little-endian u32
const MAX_COUNT = 1 << 24;

/**
 * Parses the header of a GGUF file of `fileSizeBytes` from its first bytes `bytes`. Throws
 * {@link GgufNeedsMoreBytes} when the header runs past `bytes` (a longer prefix is needed), and
 * InputErrors for a wrong magic or version, impossible counts, tensors outside the file.
 */
export function parseGgufHeader(bytes: Uint8Array, fileSizeBytes: number, what: string): GgufHeader {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const decoder = new TextDecoder('utf-8', { fatal: false });
  let at = 0;
  const need = (n: number) => {
    if (at + n <= bytes.length) return;
    if (bytes.length < fileSizeBytes) throw new GgufNeedsMoreBytes();
    throw new InputError(`${what} is truncated: its GGUF header needs bytes past ${bytes.length}, where the file ends`);
  };
  const u32 = () => (need(4), (at += 4), view.getUint32(at - 4, true));
  const u64 = () => {
    need(8);
    const n = view.getBigUint64(at, true);
    at += 8;
    if (n > BigInt(Number.MAX_SAFE_INTEGER)) throw new InputError(`${what} has a GGUF count or offset of ${n}, too large (corrupted header)`);
    return Number(n);
  };
  const string = () => {
    const length = u64();
    if (length > fileSizeBytes) throw new InputError(`${what} has a GGUF string of ${length} bytes, longer than the file (corrupted header)`);
    need(length);
    at += length;
    return decoder.decode(bytes.subarray(at - length, at));
  };
  const scalarSizes: Record<number, number> = { 0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8 };
  const value = (type: number, depth = 0): unknown => {
    if (type === 8) return string();
    if (type === 9) {
      const itemType = u32();
      const count = u64();
      if (depth > 4 || count > fileSizeBytes) throw new InputError(`${what} has a GGUF metadata array of ${count} items (corrupted header)`);
      if (itemType in scalarSizes) {
        need(count * scalarSizes[itemType]!);
        at += count * scalarSizes[itemType]!; // numeric arrays (token scores) are skipped, not kept
        return `[${count} values]`;
      }
      const items: unknown[] = [];
      for (let k = 0; k < count; k++) items.push(value(itemType, depth + 1));
      return items;
    }
    const size = scalarSizes[type];
    if (size === undefined) throw new InputError(`${what} has GGUF metadata value type ${type}; known types are 0-12`);
    need(size);
    at += size;
    switch (type) {
      case 0: return view.getUint8(at - 1);
      case 1: return view.getInt8(at - 1);
      case 2: return view.getUint16(at - 2, true);
      case 3: return view.getInt16(at - 2, true);
      case 4: return view.getUint32(at - 4, true);
      case 5: return view.getInt32(at - 4, true);
      case 6: return view.getFloat32(at - 4, true);
      case 7: return view.getUint8(at - 1) !== 0;
      case 12: return view.getFloat64(at - 8, true);
      default: return Number(type === 10 ? view.getBigUint64(at - 8, true) : view.getBigInt64(at - 8, true));
    }
  };
  if (fileSizeBytes < 24) throw new InputError(`${what} is truncated: it has ${fileSizeBytes} bytes, a GGUF header has at least 24`);
  if (u32() !== GGUF_MAGIC) throw new InputError(`${what} does not start with the GGUF magic 'GGUF'; it is not a GGUF file`);
  const version = u32();
  if (version !== 2 && version !== 3) throw new InputError(`${what} is GGUF version ${version}; esdlab reads versions 2 and 3`);
  const numTensors = u64();
  const numMetadata = u64();
  if (numTensors > MAX_COUNT || numMetadata > MAX_COUNT) throw new InputError(`${what} declares ${numTensors} tensors and ${numMetadata} metadata entries (corrupted header)`);
  const metadata = new Map<string, unknown>();
  for (let k = 0; k < numMetadata; k++) {
    const key = string();
    metadata.set(key, value(u32()));
  }
  const infos: { name: string; shape: number[]; typeId: number; offset: number }[] = [];
  for (let k = 0; k < numTensors; k++) {
    const name = string();
    const numDims = u32();
    if (numDims > 8) throw new InputError(`${what}, tensor '${printable(name)}' has ${numDims} dimensions; GGUF allows at most 4`);
    const dims = Array.from({ length: numDims }, () => u64());
    infos.push({ name, shape: dims.reverse(), typeId: u32(), offset: u64() });
  }
  const alignment = metadata.get('general.alignment') ?? 32;
  if (typeof alignment !== 'number' || !Number.isInteger(alignment) || alignment < 1) throw new InputError(`${what} has general.alignment ${String(alignment)}; expected a positive integer`);
  const dataStart = Math.ceil(at / alignment) * alignment;
  const tensors = infos.map(({ name, shape, typeId, offset }): GgufTensor => {
    const info = GGML_TYPES[typeId];
    const begin = dataStart + offset;
    if (!info) return { name, shape, type: `type ${typeId}`, begin };
    const count = shape.reduce((a, b) => a * b, 1);
    if (count % info.blockSize !== 0) throw new InputError(`${what}, tensor '${printable(name)}' has ${count} elements, not a multiple of ${info.name}'s block of ${info.blockSize}`);
    const sizeBytes = (count / info.blockSize) * info.blockBytes;
    if (begin + sizeBytes > fileSizeBytes) {
      throw new InputError(`${what}, tensor '${printable(name)}' (${info.name}, shape [${shape.join(', ')}]) needs bytes [${begin}, ${begin + sizeBytes}), past the end of the ${fileSizeBytes}-byte file (truncated or lying header)`);
    }
    return { name, shape, type: info.name, begin, sizeBytes };
  });
  return { version, metadata, tensors, dataStart };
}

/** Why a tensor of this ggml type is not analyzed, or null when esdlab dequantizes it. */
export function ggufSkipReason(type: string): string | null {
  if (DEQUANTIZED_GGML_TYPES.includes(type)) return null;
  if (/^I\d+$/.test(type)) return `GGUF type ${type} is an integer tensor, not weights`;
  return `GGUF type ${type} is a quantization esdlab does not dequantize (it dequantizes ${DEQUANTIZED_GGML_TYPES.join(', ')}); its ESD would be that of the quantized weights`;
}

/**
 * Dequantizes `count` elements of a GGUF tensor's bytes into `out` (F32, F16, BF16, F64 exactly;
 * Q8_0 as d * q per 32-element block, d the block's f16 scale, q its int8 values).
 */
export function dequantizeGguf(type: string, bytes: Uint8Array, out: Float32Array | Float64Array): Float32Array | Float64Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = out.length;
  switch (type) {
    case 'F32':
      for (let k = 0; k < count; k++) out[k] = view.getFloat32(4 * k, true);
      return out;
    case 'F64':
      for (let k = 0; k < count; k++) out[k] = view.getFloat64(8 * k, true);
      return out;
    case 'F16':
    case 'BF16': {
      const halves = new Uint16Array(count);
      for (let k = 0; k < count; k++) halves[k] = view.getUint16(2 * k, true);
      const wide = type === 'F16' ? halfToFloat32(halves) : bfloat16ToFloat32(halves);
      out.set(wide);
      return out;
    }
    case 'Q8_0': {
      const scale = new Uint16Array(1);
      for (let block = 0; block * 32 < count; block++) {
        scale[0] = view.getUint16(block * 34, true);
        const d = halfToFloat32(scale)[0]!;
        for (let j = 0; j < 32 && block * 32 + j < count; j++) out[block * 32 + j] = d * view.getInt8(block * 34 + 2 + j);
      }
      return out;
    }
    default:
      throw new InputError(ggufSkipReason(type) ?? `GGUF type ${type} cannot be decoded`);
  }
}
