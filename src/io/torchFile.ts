/**
 * Reading `torch.save` files (the zip format of torch >= 1.6) without loading them whole: the zip
 * directory from the end of the file, then `<archive>/data.pkl` through the restricted unpickler
 * (src/formats/torchPickle.ts: data only, never code), then each tensor on demand from its storage
 * entry `<archive>/data/<key>` at its byte offset. A view (offset, strides: a transposed weight)
 * reads the span of its storage it covers and gathers its elements in row-major order, so memory
 * stays bounded by one tensor's storage span plus the result.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { InputError } from '../errors.js';
import {
  decodeFloatElements,
  isZipMagic,
  lastElementIndex,
  locateZipDirectory,
  parseZip64End,
  parseZipDirectory,
  printable,
  torchTensorsOf,
  unpickleTorch,
  ZIP_TAIL_BYTES,
  zipEntryDataOffset,
  type RawFloatType,
  type TorchNamedTensor,
  type TorchTensorRecord,
  type ZipEntry,
} from '../formats/index.js';
import type { DType, FloatArray } from '../linalg/index.js';
import { describeFileError } from './fileErrors.js';
import { readRange, readRangeInto } from './readRange.js';
import type { ScratchBuffer } from './scratchBuffer.js';

/** The torch dtypes esdlab decodes, as raw element types. */
export const DECODABLE_TORCH_DTYPES: Readonly<Record<string, RawFloatType>> = { F32: 'f32', F64: 'f64', F16: 'f16', BF16: 'bf16' };

/** A tensor of a torch file, located: where its storage's bytes start in the file. */
export interface TorchFileTensor extends TorchNamedTensor {
  readonly storageDataOffset: number;
  readonly isLittleEndian: boolean;
}

/** Past this, data.pkl is not a state dict's (a state dict's pickle is kilobytes to a few MiB). */
const MAX_PICKLE_BYTES = 1 << 30;

async function openForReading(path: string): Promise<FileHandle> {
  return open(path, 'r').catch((error: unknown) => {
    throw describeFileError(error, path);
  });
}

function notZipMessage(path: string, first: Uint8Array): string {
  if (first[0] === 0x80) {
    return `${path} is a legacy torch.save file (torch < 1.6, or _use_new_zipfile_serialization=False); re-save it with torch >= 1.6: torch.save(torch.load(path), path)`;
  }
  return `${path} is not a torch.save zip file (it does not start with a zip header); esdlab reads the zip format of torch >= 1.6`;
}

/** The offset of a zip entry's data (read from its local header). */
async function entryDataOffset(handle: FileHandle, entry: ZipEntry, path: string): Promise<number> {
  return zipEntryDataOffset(await readRange(handle, entry.localHeaderOffset, 30, path), entry, path);
}

/**
 * Lists the tensors of a torch.save file: reads the zip directory and data.pkl only. Throws an
 * InputError for a legacy or non-zip file, a refused global, a missing or short storage entry, or
 * a compressed entry.
 */
export async function readTorchFile(path: string): Promise<TorchFileTensor[]> {
  const handle = await openForReading(path);
  try {
    const { size } = await handle.stat();
    if (size < 22) throw new InputError(`${path} is truncated: it has ${size} bytes, less than a zip file's end record`);
    const first = await readRange(handle, 0, 4, path);
    if (!isZipMagic(first)) throw new InputError(notZipMessage(path, first));
    const tailLength = Math.min(size, ZIP_TAIL_BYTES);
    let location = locateZipDirectory(await readRange(handle, size - tailLength, tailLength, path), size, path);
    if (location.zip64EndOffset !== undefined) location = parseZip64End(await readRange(handle, location.zip64EndOffset, 56, path), location, path);
    const entries = parseZipDirectory(await readRange(handle, location.offset, location.sizeBytes, path), location, path);
    const byName = new Map(entries.map((e) => [e.name, e]));
    const pickleEntry = entries.find((e) => /(^|\/)data\.pkl$/.test(e.name));
    if (!pickleEntry) throw new InputError(`${path} is a zip file without a data.pkl entry; it was not written by torch.save`);
    const prefix = pickleEntry.name.slice(0, -'data.pkl'.length);
    const stored = (entry: ZipEntry) => {
      if (entry.method !== 0) throw new InputError(`${path} has zip entry '${printable(entry.name)}' compressed (method ${entry.method}); torch.save stores entries uncompressed, re-save it with torch.save`);
      return entry;
    };
    if (pickleEntry.sizeBytes > MAX_PICKLE_BYTES) throw new InputError(`${path} has a ${pickleEntry.sizeBytes}-byte data.pkl, past the ${MAX_PICKLE_BYTES}-byte limit`);
    const pickleOffset = await entryDataOffset(handle, stored(pickleEntry), path);
    const pickleBytes = await readRange(handle, pickleOffset, pickleEntry.sizeBytes, `${path} (data.pkl)`);
    const orderEntry = byName.get(`${prefix}byteorder`);
    let isLittleEndian = true;
    if (orderEntry) {
      const order = new TextDecoder().decode(await readRange(handle, await entryDataOffset(handle, stored(orderEntry), path), Math.min(orderEntry.sizeBytes, 8), path)).trim();
      if (order !== 'little' && order !== 'big') throw new InputError(`${path} has byteorder '${printable(order)}'; expected 'little' or 'big'`);
      isLittleEndian = order === 'little';
    }
    const named = torchTensorsOf(unpickleTorch(pickleBytes, path), path);
    const offsets = new Map<string, number>();
    const out: TorchFileTensor[] = [];
    for (const tensor of named) {
      const { key, numElements, itemBytes } = tensor.tensor.storage;
      let offset = offsets.get(key);
      if (offset === undefined) {
        const entry = byName.get(`${prefix}data/${key}`);
        if (!entry) throw new InputError(`${path}: tensor '${printable(tensor.name)}' uses storage '${printable(key)}', but the zip has no entry ${prefix}data/${printable(key)}`);
        if (stored(entry).sizeBytes !== numElements * itemBytes) {
          throw new InputError(`${path}: storage '${printable(key)}' of tensor '${printable(tensor.name)}' declares ${numElements} elements of ${itemBytes} bytes, but its zip entry holds ${entry.sizeBytes} bytes`);
        }
        offset = await entryDataOffset(handle, entry, path);
        if (offset + entry.sizeBytes > size) throw new InputError(`${path} is truncated: storage '${printable(key)}' needs bytes up to ${offset + entry.sizeBytes}, the file ends at ${size}`);
        offsets.set(key, offset);
      }
      out.push({ ...tensor, storageDataOffset: offset, isLittleEndian });
    }
    return out;
  } finally {
    await handle.close();
  }
}

/** True when the view covers its span in row-major order (size-1 dimensions' strides do not matter). */
export function isRowMajorContiguous(tensor: Pick<TorchTensorRecord, 'shape' | 'strides'>): boolean {
  let expected = 1;
  for (let k = tensor.shape.length - 1; k >= 0; k--) {
    if (tensor.shape[k] === 1) continue;
    if (tensor.strides[k] !== expected) return false;
    expected *= tensor.shape[k]!;
  }
  return true;
}

/** Copies a strided view of `span` (which starts at the view's offset) into row-major `out`. */
export function gatherStrided(span: FloatArray, tensor: Pick<TorchTensorRecord, 'shape' | 'strides'>, out: FloatArray): FloatArray {
  const rank = tensor.shape.length;
  if (out.length === 0) return out;
  if (rank === 0) {
    out[0] = span[0]!;
    return out;
  }
  const index = new Array<number>(rank).fill(0);
  const innerSize = tensor.shape[rank - 1]!;
  const innerStride = tensor.strides[rank - 1]!;
  let base = 0;
  for (let written = 0; written < out.length; written += innerSize) {
    for (let j = 0; j < innerSize; j++) out[written + j] = span[base + j * innerStride]!;
    // advance the outer multi-index (odometer), keeping `base` = sum index[k] * strides[k]
    for (let k = rank - 2; k >= 0; k--) {
      index[k]!++;
      base += tensor.strides[k]!;
      if (index[k]! < tensor.shape[k]!) break;
      base -= index[k]! * tensor.strides[k]!;
      index[k] = 0;
    }
  }
  return out;
}

/**
 * Reads one tensor listed by {@link readTorchFile}: the bytes of the storage span it covers, decoded
 * (F32/F16/BF16 to Float32Array, F64 to Float64Array, or `as`) and gathered into row-major order.
 */
export async function readTorchTensor(path: string, tensor: TorchFileTensor, as?: DType, scratch?: ScratchBuffer): Promise<FloatArray> {
  const { storage, shape } = tensor.tensor;
  const raw = DECODABLE_TORCH_DTYPES[storage.dtype];
  if (!raw) throw new InputError(`tensor '${printable(tensor.name)}' has dtype ${storage.dtype}; esdlab analyzes ${Object.keys(DECODABLE_TORCH_DTYPES).join(', ')}`);
  const count = shape.reduce((a, b) => a * b, 1);
  const spanCount = count === 0 ? 0 : lastElementIndex(tensor.tensor) - tensor.tensor.offset + 1;
  const what = `${path} (tensor '${printable(tensor.name)}')`;
  const handle = await openForReading(path);
  try {
    const position = tensor.storageDataOffset + tensor.tensor.offset * storage.itemBytes;
    const target = as ?? (raw === 'f64' ? 'f64' : 'f32');
    const isContiguous = isRowMajorContiguous(tensor.tensor);
    const canReadInPlace = isContiguous && scratch !== undefined && raw === target && tensor.isLittleEndian;
    const bytes = canReadInPlace
      ? await readRangeInto(handle, position, scratch.bytes(spanCount * storage.itemBytes), what)
      : await readRange(handle, position, spanCount * storage.itemBytes, what);
    const span = decodeFloatElements(bytes, raw, spanCount, { isLittleEndian: tensor.isLittleEndian, as: target });
    if (isContiguous) return span;
    const out = scratch
      ? target === 'f64'
        ? new Float64Array(scratch.bytes(count * 8).buffer, 0, count)
        : new Float32Array(scratch.bytes(count * 4).buffer, 0, count)
      : target === 'f64'
        ? new Float64Array(count)
        : new Float32Array(count);
    return gatherStrided(span, tensor.tensor, out);
  } finally {
    await handle.close();
  }
}
