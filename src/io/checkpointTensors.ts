/**
 * Listing the tensors of a checkpoint without loading them: a .npy file, a .safetensors file, a
 * torch.save file (.pt, .pth, .bin, .ckpt), a folder of shards (a *.safetensors.index.json or
 * pytorch_model.bin.index.json in it, else every *.safetensors, else every torch file, else every
 * *.npy), or a shard index whose weight_map names the shards. Each tensor loads on demand.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { InputError } from '../errors.js';
import { DECODABLE_SAFETENSORS_DTYPES, type NpyDtype } from '../formats/index.js';
import { fromArray, type DType, type FloatArray, type Matrix } from '../linalg/index.js';
import { describeFileError } from './fileErrors.js';
import { readNpyFile, readNpyHeader } from './npyFile.js';
import { readSafetensorsHeader, readSafetensorsTensor } from './safetensorsFile.js';
import type { ScratchBuffer } from './scratchBuffer.js';
import { DECODABLE_TORCH_DTYPES, readTorchFile, readTorchTensor } from './torchFile.js';

/** One tensor of a checkpoint, not yet loaded. */
export interface CheckpointTensor {
  /** The tensor's name (a .npy file's name without the extension). */
  readonly name: string;
  readonly shape: readonly number[];
  /** Storage dtype in safetensors spelling: 'F32', 'F64', 'F16', 'BF16', 'I64', ... */
  readonly dtype: string;
  /** True when the dtype is one esdlab decodes (F32, F64, F16, BF16). */
  readonly isDecodable: boolean;
  /** Why the tensor is not a weight to analyze even though it decodes (optimizer state), if so. */
  readonly skipReason?: string;
  /** The file holding it. */
  readonly file: string;
  /** Bytes of data in the file. */
  readonly sizeBytes: number;
  /** Bytes of the decoded array (8 per element for F64, else 4): what `load()` allocates or needs in `scratch`. */
  readonly decodedSizeBytes: number;
  /**
   * Reads the elements (row-major, C order), F64 as Float64Array and the rest as Float32Array unless
   * `as`. With `scratch`, the result may live in that reusable buffer (valid until its next use).
   */
  loadArray(as?: DType, scratch?: ScratchBuffer): Promise<FloatArray>;
  /**
   * Reads the tensor as a matrix: rank 2 as is; rank > 2 as (shape[0], product of the rest), the
   * row-major reshape (no copy); rank 1 as 1 x n; rank 0 as 1 x 1.
   */
  load(as?: DType, scratch?: ScratchBuffer): Promise<Matrix>;
}

const NPY_DTYPE_NAMES: Record<NpyDtype, string> = { f2: 'F16', f4: 'F32', f8: 'F64' };

/** The (rows, cols) a tensor of `shape` is analyzed as: see {@link CheckpointTensor.load}. */
export function matrixShapeOf(shape: readonly number[]): [number, number] {
  if (shape.length === 0) return [1, 1];
  if (shape.length === 1) return [1, shape[0]!];
  return [shape[0]!, shape.slice(1).reduce((a, b) => a * b, 1)];
}

function tensor(fields: Omit<CheckpointTensor, 'load' | 'decodedSizeBytes'>): CheckpointTensor {
  const count = fields.shape.reduce((a, b) => a * b, 1);
  return {
    ...fields,
    decodedSizeBytes: count * (fields.dtype === 'F64' ? 8 : 4),
    async load(as?: DType, scratch?: ScratchBuffer): Promise<Matrix> {
      const [rows, cols] = matrixShapeOf(fields.shape);
      return fromArray(rows, cols, await fields.loadArray(as, scratch));
    },
  };
}

async function* npyTensors(path: string): AsyncGenerator<CheckpointTensor> {
  const header = await readNpyHeader(path);
  yield tensor({
    name: basename(path).replace(/\.npy$/i, ''),
    shape: header.shape,
    dtype: NPY_DTYPE_NAMES[header.dtype],
    isDecodable: true,
    file: path,
    sizeBytes: header.dataSizeBytes,
    loadArray: async (as?: DType, scratch?: ScratchBuffer) => (await readNpyFile(path, { as, scratch })).data,
  });
}

async function* safetensorsTensors(path: string, onlyNames?: ReadonlySet<string>): AsyncGenerator<CheckpointTensor> {
  const file = await readSafetensorsHeader(path);
  for (const entry of file.entries) {
    if (onlyNames && !onlyNames.has(entry.name)) continue;
    yield tensor({
      name: entry.name,
      shape: entry.shape,
      dtype: entry.dtype,
      isDecodable: entry.dtype in DECODABLE_SAFETENSORS_DTYPES,
      file: path,
      sizeBytes: entry.end - entry.begin,
      loadArray: (as?: DType, scratch?: ScratchBuffer) => readSafetensorsTensor(path, entry, as, { scratch }),
    });
  }
}

/** File names read as torch.save checkpoints. */
const TORCH_FILE = /\.(pt|pth|bin|ckpt)$/i;
/** Shard indexes: safetensors' and transformers' pytorch_model.bin.index.json. */
const SHARD_INDEX = /\.(safetensors|bin)\.index\.json$/i;

async function* torchTensors(path: string, onlyNames?: ReadonlySet<string>): AsyncGenerator<CheckpointTensor> {
  for (const entry of await readTorchFile(path)) {
    if (onlyNames && !onlyNames.has(entry.name)) continue;
    const { storage, shape } = entry.tensor;
    yield tensor({
      name: entry.name,
      shape,
      dtype: storage.dtype,
      isDecodable: storage.dtype in DECODABLE_TORCH_DTYPES,
      ...(entry.isOptimizerState ? { skipReason: 'optimizer state (moments, not weights)' } : {}),
      file: path,
      sizeBytes: shape.reduce((a, b) => a * b, 1) * storage.itemBytes,
      loadArray: (as?: DType, scratch?: ScratchBuffer) => readTorchTensor(path, entry, as, scratch),
    });
  }
}

/** Parses a *.safetensors.index.json: the shard files (in first-mention order) and which tensors each holds. */
async function readShardIndex(path: string): Promise<Map<string, Set<string>>> {
  const text = await readFile(path, 'utf8').catch((error: unknown) => {
    throw describeFileError(error, path);
  });
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new InputError(`${path} is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const weightMap = (parsed as { weight_map?: unknown } | null)?.weight_map;
  if (typeof weightMap !== 'object' || weightMap === null || Array.isArray(weightMap)) {
    throw new InputError(`${path} has no "weight_map" object mapping tensor names to shard files`);
  }
  const shards = new Map<string, Set<string>>();
  for (const [name, shard] of Object.entries(weightMap as Record<string, unknown>)) {
    if (typeof shard !== 'string' || shard.includes('..') || shard.startsWith('/')) {
      throw new InputError(`${path} maps '${name}' to ${JSON.stringify(shard)}; expected a shard file name next to the index`);
    }
    const shardPath = join(dirname(path), shard);
    if (!shards.has(shardPath)) shards.set(shardPath, new Set());
    shards.get(shardPath)!.add(name);
  }
  return shards;
}

async function* indexTensors(path: string): AsyncGenerator<CheckpointTensor> {
  const shards = await readShardIndex(path);
  for (const [shardPath, names] of [...shards].sort(([a], [b]) => a.localeCompare(b))) {
    const found = new Set<string>();
    const shardTensors: CheckpointTensor[] = [];
    const shardStream = TORCH_FILE.test(shardPath) ? torchTensors(shardPath, names) : safetensorsTensors(shardPath, names);
    for await (const t of shardStream) {
      found.add(t.name);
      shardTensors.push(t);
    }
    const missing = [...names].filter((n) => !found.has(n));
    if (missing.length > 0) {
      throw new InputError(`${path} lists '${missing[0]}' in ${basename(shardPath)}, but that shard has no such tensor${missing.length > 1 ? ` (${missing.length} missing)` : ''}`);
    }
    yield* shardTensors;
  }
}

async function* folderTensors(path: string): AsyncGenerator<CheckpointTensor> {
  const names = (await readdir(path)).sort();
  const indexes = names.filter((n) => SHARD_INDEX.test(n));
  if (indexes.length > 1) throw new InputError(`${path} holds several shard indexes (${indexes.join(', ')}); pass the one to analyze`);
  if (indexes.length === 1) {
    yield* indexTensors(join(path, indexes[0]!));
    return;
  }
  const shards = names.filter((n) => n.endsWith('.safetensors'));
  const torchFiles = names.filter((n) => TORCH_FILE.test(n));
  const arrays = names.filter((n) => n.endsWith('.npy'));
  if (shards.length === 0 && torchFiles.length === 0 && arrays.length === 0) {
    throw new InputError(`${path} holds no .safetensors, torch (.pt, .pth, .bin), shard index or .npy file`);
  }
  for (const shard of shards) yield* safetensorsTensors(join(path, shard));
  if (shards.length === 0) for (const file of torchFiles) yield* torchTensors(join(path, file));
  if (shards.length === 0 && torchFiles.length === 0) for (const array of arrays) yield* npyTensors(join(path, array));
}

/**
 * The tensors of a checkpoint at `path`, headers only: nothing is loaded until a tensor's `load()`.
 * Tensors of one safetensors file come in the order of their data (sequential reads); shards in
 * file-name order. Throws an InputError for a missing path, an unknown extension, or a bad header.
 */
export async function* listCheckpointTensors(path: string): AsyncGenerator<CheckpointTensor> {
  const info = await stat(path).catch((error: unknown) => {
    throw describeFileError(error, path);
  });
  if (info.isDirectory()) yield* folderTensors(path);
  else if (SHARD_INDEX.test(path)) yield* indexTensors(path);
  else if (path.endsWith('.safetensors')) yield* safetensorsTensors(path);
  else if (TORCH_FILE.test(path)) yield* torchTensors(path);
  else if (path.endsWith('.npy')) yield* npyTensors(path);
  else throw new InputError(`${path} is neither .npy, .safetensors, a torch file (.pt, .pth, .bin, .ckpt), a shard index nor a folder of them`);
}
