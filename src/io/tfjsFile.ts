/**
 * Reading TensorFlow.js models (model.json or *-weights_manifest.json plus .bin shards) weight by
 * weight: the manifest (src/formats/tfjsManifest.ts) places each weight in its group's shards,
 * concatenated; a weight is read from the shard or shards that hold its byte range.
 */
import { open, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { InputError } from '../errors.js';
import { decodeTfjsWeight, parseTfjsManifest, printable, type TfjsManifest, type TfjsWeight } from '../formats/index.js';
import type { FloatArray } from '../linalg/index.js';
import { describeFileError, readJsonFile } from './fileErrors.js';
import { readRangeInto } from './readRange.js';
import type { ScratchBuffer } from './scratchBuffer.js';

/** A manifest with each group's shard paths resolved and sized. */
export interface TfjsModel extends TfjsManifest {
  readonly shardFiles: readonly (readonly { readonly path: string; readonly sizeBytes: number }[])[];
}

/** Reads a model.json or weights manifest and checks that every group's shards hold its weights. */
export async function readTfjsModel(path: string): Promise<TfjsModel> {
  const parsed = await readJsonFile(path);
  const manifest = parseTfjsManifest(parsed, path);
  const shardFiles = await Promise.all(
    manifest.groups.map((paths) =>
      Promise.all(
        paths.map(async (p) => {
          const shard = join(dirname(path), p);
          const info = await stat(shard).catch((error: unknown) => {
            throw describeFileError(error, shard);
          });
          return { path: shard, sizeBytes: info.size };
        }),
      ),
    ),
  );
  manifest.groups.forEach((_, g) => {
    const needed = manifest.weights.filter((w) => w.group === g).reduce((end, w) => Math.max(end, w.begin + w.sizeBytes), 0);
    const held = shardFiles[g]!.reduce((n, f) => n + f.sizeBytes, 0);
    if (held < needed) throw new InputError(`${path}: weightsManifest[${g}] needs ${needed} bytes of weights but its shards hold ${held} (truncated shard or lying manifest)`);
  });
  return { ...manifest, shardFiles };
}

/** Reads one weight's bytes across its group's shards and decodes it to f32 (esdlab's layout). */
export async function readTfjsWeight(model: TfjsModel, weight: TfjsWeight, scratch?: ScratchBuffer): Promise<FloatArray> {
  const bytes = new Uint8Array(weight.sizeBytes);
  let shardStart = 0;
  for (const shard of model.shardFiles[weight.group]!) {
    const from = Math.max(weight.begin, shardStart);
    const to = Math.min(weight.begin + weight.sizeBytes, shardStart + shard.sizeBytes);
    if (from < to) {
      const handle = await open(shard.path, 'r').catch((error: unknown) => {
        throw describeFileError(error, shard.path);
      });
      try {
        await readRangeInto(handle, from - shardStart, bytes.subarray(from - weight.begin, to - weight.begin), `${shard.path} (weight '${printable(weight.name)}')`);
      } finally {
        await handle.close();
      }
    }
    shardStart += shard.sizeBytes;
  }
  const count = weight.shape.reduce((a, b) => a * b, 1);
  const out = scratch ? new Float32Array(scratch.bytes(count * 4).buffer, 0, count) : new Float32Array(count);
  return decodeTfjsWeight(weight, bytes, out);
}
