/**
 * Reading safetensors files without loading them whole: the header first (8 bytes, then the JSON),
 * then any one tensor at its byte offset into a buffer of exactly its size. Memory stays bounded
 * by the largest tensor read, whatever the file's size.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { InputError } from '../errors.js';
import {
  bfloat16ToFloat32,
  decodeSafetensorsTensor,
  elementCount,
  halfToFloat32,
  isHostLittleEndian,
  parseSafetensorsHeader,
  safetensorsHeaderLength,
  type SafetensorsEntry,
  type SafetensorsHeader,
} from '../formats/index.js';
import type { DType, FloatArray } from '../linalg/index.js';
import { describeFileError } from './fileErrors.js';
import { readRange, readRangeInto } from './readRange.js';
import type { ScratchBuffer } from './scratchBuffer.js';

/** F16/BF16 tensors are read and widened this many bytes at a time (16 MiB). */
const HALF_CHUNK_BYTES = 1 << 24;

/** A safetensors file's validated header plus its path and size. */
export interface SafetensorsFile extends SafetensorsHeader {
  readonly path: string;
  readonly fileSizeBytes: number;
}

async function openForReading(path: string): Promise<FileHandle> {
  return open(path, 'r').catch((error: unknown) => {
    throw describeFileError(error, path);
  });
}

/** Reads and validates the header of a safetensors file (reads 8 + header-length bytes only). */
export async function readSafetensorsHeader(path: string): Promise<SafetensorsFile> {
  const handle = await openForReading(path);
  try {
    const { size } = await handle.stat();
    if (size < 8) throw new InputError(`${path} is truncated: it has ${size} bytes, a safetensors file starts with an 8-byte header length`);
    const headerLength = safetensorsHeaderLength(await readRange(handle, 0, 8, path), size, path);
    const headerBytes = await readRange(handle, 8, headerLength, path);
    return { ...parseSafetensorsHeader(headerBytes, size, path), path, fileSizeBytes: size };
  } finally {
    await handle.close();
  }
}

/**
 * Reads one tensor of a file whose header was read with {@link readSafetensorsHeader}: exactly its
 * bytes, at its offset, then decodes them (F32/F16/BF16 to Float32Array, F64 to Float64Array, or
 * `as`). F32 and F64 data are read straight into the result (no second copy); F16 and BF16 are read
 * in 16 MiB chunks and widened into the f32 result, so the peak is the result plus one chunk.
 */
export async function readSafetensorsTensor(
  path: string,
  entry: SafetensorsEntry,
  as?: DType,
  options: {
    readonly halfChunkBytes?: number;
    /** Read into this reusable buffer instead of new memory (F32 and F64 kept as is, F16/BF16 widened to f32). */
    readonly scratch?: ScratchBuffer;
  } = {},
): Promise<FloatArray> {
  const handle = await openForReading(path);
  const what = `${path} (tensor '${entry.name}')`;
  try {
    if ((entry.dtype === 'F16' || entry.dtype === 'BF16') && (as ?? 'f32') === 'f32' && isHostLittleEndian) {
      const count = elementCount(entry.shape);
      const out = options.scratch ? new Float32Array(options.scratch.bytes(count * 4).buffer, 0, count) : new Float32Array(count);
      return await readHalfTensor(handle, entry, what, options.halfChunkBytes ?? HALF_CHUNK_BYTES, out);
    }
    const size = entry.end - entry.begin;
    const isViewable = (entry.dtype === 'F32' && (as ?? 'f32') === 'f32') || (entry.dtype === 'F64' && (as ?? 'f64') === 'f64');
    const bytes =
      options.scratch && isViewable && isHostLittleEndian
        ? await readRangeInto(handle, entry.begin, options.scratch.bytes(size), what)
        : await readRange(handle, entry.begin, size, what);
    return decodeSafetensorsTensor(entry, bytes, as);
  } finally {
    await handle.close();
  }
}

async function readHalfTensor(handle: FileHandle, entry: SafetensorsEntry, what: string, chunkBytes: number, out: Float32Array): Promise<Float32Array> {
  const count = out.length;
  const widen = entry.dtype === 'F16' ? halfToFloat32 : bfloat16ToFloat32;
  const chunk = new Uint8Array(Math.max(2, Math.min(chunkBytes - (chunkBytes % 2), count * 2)));
  for (let first = 0; first < count; first += chunk.length / 2) {
    const n = Math.min(chunk.length / 2, count - first);
    const bytes = await readRangeInto(handle, entry.begin + first * 2, chunk.subarray(0, n * 2), what);
    widen(new Uint16Array(bytes.buffer, 0, n), out.subarray(first, first + n));
  }
  return out;
}
