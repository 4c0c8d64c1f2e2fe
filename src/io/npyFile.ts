/**
 * Reading and writing .npy files. The reader parses the header first and then reads the data
 * straight into its final array when the layout allows (little-endian, C order), so a file costs
 * its own size in memory and no more.
 */
import { open, writeFile } from 'node:fs/promises';
import { InputError } from '../errors.js';
// the npy modules themselves, not the formats barrel: it loads protobufjs (ONNX) and every other
// checkpoint format, ~50 ms at the start of every `esdlab run` that only writes .npy spectra
import { decodeNpyData, encodeNpy, type NpyArray, type NpyDecodeOptions, type NpyEncodeOptions } from '../formats/npy.js';
import { npyHeaderSizeBytes, parseNpyHeader, type NpyHeader } from '../formats/npyHeader.js';
import type { FloatArray } from '../linalg/index.js';
import { describeFileError } from './fileErrors.js';
import { readRange, readRangeInto } from './readRange.js';
import type { ScratchBuffer } from './scratchBuffer.js';

/** Reads only the header of a .npy file: dtype, shape, order, where the data starts. */
export async function readNpyHeader(path: string): Promise<NpyHeader> {
  const handle = await open(path, 'r').catch((error: unknown) => {
    throw describeFileError(error, path);
  });
  try {
    return await readHeaderFromHandle(handle, path);
  } finally {
    await handle.close();
  }
}

async function readHeaderFromHandle(handle: Awaited<ReturnType<typeof open>>, path: string): Promise<NpyHeader> {
  const { size } = await handle.stat();
  const preamble = await readRange(handle, 0, Math.min(12, size), path);
  const headerSize = npyHeaderSizeBytes(preamble, path);
  if (headerSize > size) throw new InputError(`${path} is truncated: its .npy header declares ${headerSize} bytes, the file has ${size}`);
  const header = parseNpyHeader(await readRange(handle, 0, headerSize, path), path);
  if (header.dataOffset + header.dataSizeBytes > size) {
    throw new InputError(
      `${path} is truncated: shape (${header.shape.join(', ')}) needs ${header.dataSizeBytes} bytes of data, the file has ${size - header.dataOffset}`,
    );
  }
  return header;
}

/**
 * Reads a .npy file of float16, float32 or float64 values, any rank, C or Fortran order (a
 * Fortran-order file is transposed on read, so the result is always row-major).
 */
export async function readNpyFile(
  path: string,
  options: Omit<NpyDecodeOptions, 'what'> & {
    /** Read the data into this reusable buffer (used as is for C-order, little-endian data of the result's dtype). */
    readonly scratch?: ScratchBuffer;
  } = {},
): Promise<NpyArray> {
  const handle = await open(path, 'r').catch((error: unknown) => {
    throw describeFileError(error, path);
  });
  try {
    const header = await readHeaderFromHandle(handle, path);
    const bytes = options.scratch
      ? await readRangeInto(handle, header.dataOffset, options.scratch.bytes(header.dataSizeBytes), path)
      : await readRange(handle, header.dataOffset, header.dataSizeBytes, path);
    return decodeNpyData(header, bytes, { as: options.as, what: path });
  } finally {
    await handle.close();
  }
}

/** Writes C-order `data` of `shape` as a .npy file (float32 or float64 from the array, or `options.dtype`). */
export async function writeNpyFile(path: string, data: FloatArray, shape: readonly number[], options: NpyEncodeOptions = {}): Promise<void> {
  await writeFile(path, encodeNpy(data, shape, options)).catch((error: unknown) => {
    throw describeFileError(error, path);
  });
}
