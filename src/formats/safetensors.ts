/**
 * The safetensors format (huggingface/safetensors): an 8-byte little-endian header length N, a JSON
 * header of N bytes {"name": {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {..}},
 * then the data buffer; offsets are relative to the start of the data (byte 8 + N). Pure: parses
 * and validates bytes, decodes tensors; the file access lives in src/io.
 */
import { InputError } from '../errors.js';
import type { DType, FloatArray } from '../linalg/index.js';
import { decodeFloatElements, type RawFloatType } from './floatElements.js';

/** Bits per element of every dtype the safetensors format defines (sub-byte types included). */
export const SAFETENSORS_DTYPE_BITS: Readonly<Record<string, number>> = {
  BOOL: 8,
  U8: 8,
  I8: 8,
  F8_E5M2: 8,
  F8_E4M3: 8,
  F8_E8M0: 8,
  I16: 16,
  U16: 16,
  F16: 16,
  BF16: 16,
  I32: 32,
  U32: 32,
  F32: 32,
  I64: 64,
  U64: 64,
  F64: 64,
  C64: 64,
  F4: 4,
  F6_E2M3: 6,
  F6_E3M2: 6,
};

/** The float dtypes esdlab decodes, and their raw element types. */
export const DECODABLE_SAFETENSORS_DTYPES: Readonly<Record<string, RawFloatType>> = { F32: 'f32', F64: 'f64', F16: 'f16', BF16: 'bf16' };

/** Largest header accepted (the reference implementation's limit): 100 MB. */
export const MAX_SAFETENSORS_HEADER_BYTES = 100_000_000;

/** One tensor entry of a validated header. */
export interface SafetensorsEntry {
  readonly name: string;
  /** The safetensors dtype name, e.g. 'F32', 'BF16', 'I64'. */
  readonly dtype: string;
  readonly shape: readonly number[];
  /** Absolute byte offsets in the file: [begin, end). */
  readonly begin: number;
  readonly end: number;
}

/** A validated header. */
export interface SafetensorsHeader {
  /** Tensors in the order of their data (ascending offset). */
  readonly entries: readonly SafetensorsEntry[];
  /** The `__metadata__` string map ({} when absent). */
  readonly metadata: Readonly<Record<string, string>>;
  /** Absolute byte offset of the data buffer: 8 + header length. */
  readonly dataStart: number;
}

/**
 * Reads the header length from the first 8 bytes and checks it against the file size. Returns the
 * header length N (the JSON occupies bytes [8, 8 + N)).
 */
export function safetensorsHeaderLength(first8: Uint8Array, fileSizeBytes: number, what = 'the safetensors file'): number {
  if (fileSizeBytes < 8 || first8.length < 8) {
    throw new InputError(`${what} is truncated: it has ${fileSizeBytes} bytes, a safetensors file starts with an 8-byte header length`);
  }
  const n = new DataView(first8.buffer, first8.byteOffset, 8).getBigUint64(0, true);
  if (n > BigInt(MAX_SAFETENSORS_HEADER_BYTES)) {
    throw new InputError(`${what} declares a ${n}-byte header, past the ${MAX_SAFETENSORS_HEADER_BYTES}-byte limit (not a safetensors file, or corrupted)`);
  }
  const length = Number(n);
  if (8 + length > fileSizeBytes) {
    throw new InputError(`${what} declares a ${length}-byte header but the file has only ${fileSizeBytes - 8} bytes after the length (truncated or not a safetensors file)`);
  }
  if (length < 2) throw new InputError(`${what} declares a ${length}-byte header; the smallest valid header is '{}'`);
  return length;
}

/**
 * Parses and validates the JSON header `headerBytes` (the N bytes after the length) of a file of
 * `fileSizeBytes` bytes: dtypes are known, shapes are non-negative integers, each tensor's byte
 * size equals product(shape) * dtype size, offsets lie inside the data, and no two tensors overlap.
 */
export function parseSafetensorsHeader(headerBytes: Uint8Array, fileSizeBytes: number, what = 'the safetensors file'): SafetensorsHeader {
  const dataStart = 8 + headerBytes.length;
  const dataSize = fileSizeBytes - dataStart;
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(headerBytes));
  } catch (error) {
    const reason = printable(error instanceof Error ? error.message : String(error));
    throw new InputError(`${what} has an invalid JSON header (${reason}); the file is corrupted or not safetensors`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new InputError(`${what} has a JSON header that is not an object`);
  }
  let metadata: Record<string, string> = {};
  const entries: SafetensorsEntry[] = [];
  for (const [name, value] of Object.entries(parsed as Record<string, unknown>)) {
    if (name === '__metadata__') {
      metadata = parseMetadata(value, what);
      continue;
    }
    entries.push(parseEntry(name, value, dataStart, dataSize, what));
  }
  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let previous: SafetensorsEntry | undefined; // the last non-empty tensor
  for (const current of entries) {
    if (current.end === current.begin) continue;
    if (previous && current.begin < previous.end) {
      throw new InputError(
        `${what} has overlapping tensors: '${printable(previous.name)}' [${previous.begin - dataStart}, ${previous.end - dataStart}) and '${printable(current.name)}' [${current.begin - dataStart}, ${current.end - dataStart})`,
      );
    }
    previous = current;
  }
  return { entries, metadata, dataStart };
}

function parseMetadata(value: unknown, what: string): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InputError(`${what} has a __metadata__ that is not an object of strings`);
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (typeof v !== 'string') throw new InputError(`${what} has __metadata__ key '${printable(key)}' with a non-string value`);
    out[key] = v;
  }
  return out;
}

function parseEntry(name: string, value: unknown, dataStart: number, dataSize: number, what: string): SafetensorsEntry {
  const where = `${what}, tensor '${printable(name)}'`;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InputError(`${where}: the header entry is not an object`);
  const { dtype, shape, data_offsets: offsets } = value as Record<string, unknown>;
  if (typeof dtype !== 'string' || !(dtype in SAFETENSORS_DTYPE_BITS)) {
    throw new InputError(`${where} has unknown dtype ${JSON.stringify(dtype)}; safetensors dtypes are ${Object.keys(SAFETENSORS_DTYPE_BITS).join(', ')}`);
  }
  if (!Array.isArray(shape) || !shape.every((n) => Number.isSafeInteger(n) && n >= 0)) {
    throw new InputError(`${where} has shape ${JSON.stringify(shape)}; a shape is an array of non-negative integers`);
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((n) => Number.isSafeInteger(n) && n >= 0) || offsets[0] > offsets[1]) {
    throw new InputError(`${where} has data_offsets ${JSON.stringify(offsets)}; expected [begin, end] with 0 <= begin <= end`);
  }
  const [begin, end] = offsets as [number, number];
  let count = 1;
  for (const n of shape as number[]) count *= n;
  const sizeBytes = Math.ceil((count * SAFETENSORS_DTYPE_BITS[dtype]!) / 8);
  if (!Number.isSafeInteger(sizeBytes)) throw new InputError(`${where} has shape ${JSON.stringify(shape)}, too large to address`);
  if (end > dataSize) {
    throw new InputError(`${where} has data_offsets [${begin}, ${end}] outside the ${dataSize}-byte data section (the file is truncated or corrupted)`);
  }
  if (end - begin !== sizeBytes) {
    throw new InputError(`${where} spans ${end - begin} bytes but shape ${JSON.stringify(shape)} of ${dtype} needs ${sizeBytes}`);
  }
  return { name, dtype, shape: shape as number[], begin: dataStart + begin, end: dataStart + end };
}

/** `text` with control characters escaped, so an error message stays on one line. */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The number of elements of a shape. */
export function elementCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * Decodes one tensor's bytes (exactly end - begin of them) into a float array: F32 and F16/BF16 to
 * Float32Array, F64 to Float64Array, unless `as` asks otherwise. Other dtypes throw an InputError
 * naming the dtype and the decodable ones. May return a view of `bytes` when no conversion is needed.
 */
export function decodeSafetensorsTensor(entry: Pick<SafetensorsEntry, 'name' | 'dtype' | 'shape'>, bytes: Uint8Array, as?: DType): FloatArray {
  const raw = DECODABLE_SAFETENSORS_DTYPES[entry.dtype];
  if (!raw) {
    throw new InputError(`tensor '${printable(entry.name)}' has dtype ${entry.dtype}; esdlab analyzes ${Object.keys(DECODABLE_SAFETENSORS_DTYPES).join(', ')}`);
  }
  const count = elementCount(entry.shape);
  return decodeFloatElements(bytes, raw, count, { isLittleEndian: true, as });
}
