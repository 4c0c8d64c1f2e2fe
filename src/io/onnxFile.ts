/**
 * Reading ONNX models: the .onnx file is read whole (a protobuf has no index to seek by, and the
 * format caps a model file at 2 GiB; larger models keep their weights in external data files),
 * its initializers listed, and each external tensor read at its offset in its data file on demand.
 */
import { open, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { InputError } from '../errors.js';
import { decodeOnnxInitializers, decodeOnnxTensor, onnxRawSizeBytes, printable, type OnnxInitializer } from '../formats/index.js';
import type { FloatArray } from '../linalg/index.js';
import { describeFileError } from './fileErrors.js';
import { readRange } from './readRange.js';

/** The initializers of the .onnx file at `path` (external data not yet read). */
export async function readOnnxInitializers(path: string): Promise<OnnxInitializer[]> {
  const bytes = await readFile(path).catch((error: unknown) => {
    throw describeFileError(error, path);
  });
  return decodeOnnxInitializers(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), path);
}

/** Decodes one initializer of the model at `modelPath`, reading its external data file when it has one. */
export async function readOnnxTensor(modelPath: string, tensor: OnnxInitializer): Promise<FloatArray> {
  if (!tensor.external) return decodeOnnxTensor(tensor);
  const file = join(dirname(modelPath), tensor.external.location);
  const handle = await open(file, 'r').catch((error: unknown) => {
    throw describeFileError(error, file);
  });
  try {
    const expected = onnxRawSizeBytes(tensor);
    const length = tensor.external.length ?? expected ?? 0;
    if (expected !== undefined && length !== expected) {
      throw new InputError(`${modelPath}, initializer '${printable(tensor.name)}' has external length ${length} but dims [${tensor.shape.join(', ')}] of ${tensor.dtype} need ${expected}`);
    }
    return decodeOnnxTensor(tensor, await readRange(handle, tensor.external.offset, length, `${file} (initializer '${printable(tensor.name)}')`));
  } finally {
    await handle.close();
  }
}
