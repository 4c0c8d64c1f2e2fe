/**
 * Reading GGUF files (llama.cpp) tensor by tensor: the header from a growing prefix of the file
 * (metadata such as a tokenizer's vocabulary can take megabytes), then each tensor's bytes at its
 * offset, dequantized into f32 (src/formats/gguf.ts). Memory: one tensor's bytes plus its f32 copy.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { InputError } from '../errors.js';
import { dequantizeGguf, GgufNeedsMoreBytes, parseGgufHeader, printable, type GgufHeader, type GgufTensor } from '../formats/index.js';
import type { DType, FloatArray } from '../linalg/index.js';
import { describeFileError } from './fileErrors.js';
import { readRange } from './readRange.js';
import type { ScratchBuffer } from './scratchBuffer.js';

const FIRST_READ_BYTES = 1 << 20;

async function openForReading(path: string): Promise<FileHandle> {
  return open(path, 'r').catch((error: unknown) => {
    throw describeFileError(error, path);
  });
}

/** Reads and validates a GGUF file's header (reading 1 MiB, then doubling until the header fits). */
export async function readGgufHeader(path: string): Promise<GgufHeader> {
  const handle = await openForReading(path);
  try {
    const { size } = await handle.stat();
    for (let length = Math.min(size, FIRST_READ_BYTES); ; length = Math.min(size, length * 2)) {
      try {
        return parseGgufHeader(await readRange(handle, 0, length, path), size, path);
      } catch (error) {
        if (!(error instanceof GgufNeedsMoreBytes) || length === size) throw error;
      }
    }
  } finally {
    await handle.close();
  }
}

/** Reads and dequantizes one tensor listed by {@link readGgufHeader} (f32 unless `as` is 'f64'). */
export async function readGgufTensor(path: string, tensor: GgufTensor, as?: DType, scratch?: ScratchBuffer): Promise<FloatArray> {
  if (tensor.sizeBytes === undefined) throw new InputError(`tensor '${printable(tensor.name)}' has unknown GGUF ${tensor.type}`);
  const handle = await openForReading(path);
  try {
    const bytes = await readRange(handle, tensor.begin, tensor.sizeBytes, `${path} (tensor '${printable(tensor.name)}')`);
    const count = tensor.shape.reduce((a, b) => a * b, 1);
    const width = as === 'f64' ? 8 : 4;
    const memory = scratch ? scratch.bytes(count * width).buffer : new ArrayBuffer(count * width);
    return dequantizeGguf(tensor.type, bytes, as === 'f64' ? new Float64Array(memory, 0, count) : new Float32Array(memory, 0, count));
  } finally {
    await handle.close();
  }
}
