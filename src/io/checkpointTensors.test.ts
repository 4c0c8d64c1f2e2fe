import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile, readFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import { encodeSafetensors } from '../formats/index.js';
import { listCheckpointTensors, type CheckpointTensor } from './checkpointTensors.js';
import { writeNpyFile } from './npyFile.js';
import { fuzzCheckpointFile } from './testing/fuzzCheckpoint.js';

async function withTempDir(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'esdlab-ckpt-'));
  try {
    await body(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function collect(path: string): Promise<CheckpointTensor[]> {
  const out: CheckpointTensor[] = [];
  for await (const t of listCheckpointTensors(path)) out.push(t);
  return out;
}

const ramp = (n: number) => Array.from({ length: n }, (_, i) => (i % 7) - 3);

test('listCheckpointTensors lists a safetensors file in data order and loads each tensor on demand', async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, 'model.safetensors');
    await writeFile(
      path,
      encodeSafetensors([
        { name: 'b.weight', dtype: 'BF16', shape: [2, 3], data: ramp(6) },
        { name: 'a.weight', dtype: 'F32', shape: [3, 2], data: ramp(6) },
        { name: 'a.bias', dtype: 'F64', shape: [2], data: [1, 2] },
        { name: 'conv', dtype: 'F16', shape: [2, 1, 2, 2], data: ramp(8) },
        { name: 'ids', dtype: 'I64', shape: [1, 2], data: new Uint8Array(16) },
      ]),
    );
    const tensors = await collect(path);
    assert.deepEqual(
      tensors.map((t) => [t.name, t.dtype, t.isDecodable]),
      [
        ['b.weight', 'BF16', true],
        ['a.weight', 'F32', true],
        ['a.bias', 'F64', true],
        ['conv', 'F16', true],
        ['ids', 'I64', false],
      ],
    );
    const b = await tensors[0]!.load();
    assert.deepEqual([b.rows, b.cols], [2, 3]);
    assert.deepEqual(Array.from(b.data), ramp(6));
    const conv = await tensors[3]!.load();
    assert.deepEqual([conv.rows, conv.cols], [2, 4]); // (out, in * kh * kw)
    assert.ok((await tensors[2]!.load()).data instanceof Float64Array);
    await assert.rejects(tensors[4]!.load(), (e: unknown) => e instanceof InputError && /I64/.test(e.message));
  });
});

test('listCheckpointTensors follows a shard index and a folder of shards', async () => {
  await withTempDir(async (dir) => {
    await writeFile(join(dir, 'model-00001-of-00002.safetensors'), encodeSafetensors([{ name: 'l0', dtype: 'F32', shape: [2, 2], data: [1, 2, 3, 4] }]));
    await writeFile(join(dir, 'model-00002-of-00002.safetensors'), encodeSafetensors([{ name: 'l1', dtype: 'F16', shape: [2, 2], data: [5, 6, 7, 8] }]));
    const index = { metadata: { total_size: 24 }, weight_map: { l1: 'model-00002-of-00002.safetensors', l0: 'model-00001-of-00002.safetensors' } };
    await writeFile(join(dir, 'model.safetensors.index.json'), JSON.stringify(index));
    for (const path of [join(dir, 'model.safetensors.index.json'), dir]) {
      const tensors = await collect(path);
      assert.deepEqual(tensors.map((t) => t.name), ['l0', 'l1']);
      assert.deepEqual(Array.from((await tensors[1]!.load()).data), [5, 6, 7, 8]);
    }
    await writeFile(join(dir, 'model.safetensors.index.json'), JSON.stringify({ weight_map: { l0: 'model-00001-of-00002.safetensors', l9: 'model-00001-of-00002.safetensors' } }));
    await assert.rejects(collect(dir), (e: unknown) => e instanceof InputError && /lists 'l9'/.test(e.message));
    await writeFile(join(dir, 'model.safetensors.index.json'), JSON.stringify({ weight_map: { l0: 'gone.safetensors' } }));
    await assert.rejects(collect(dir), (e: unknown) => e instanceof InputError && /gone\.safetensors does not exist/.test(e.message));
    await writeFile(join(dir, 'model.safetensors.index.json'), '{"weight_map": ');
    await assert.rejects(collect(dir), (e: unknown) => e instanceof InputError && /not valid JSON/.test(e.message));
  });
});

test('listCheckpointTensors reads .npy files and folders of them', async () => {
  await withTempDir(async (dir) => {
    await mkdir(join(dir, 'arrays'));
    await writeNpyFile(join(dir, 'arrays', 'w1.npy'), Float32Array.from(ramp(6)), [2, 3]);
    await writeNpyFile(join(dir, 'arrays', 'w2.npy'), Float64Array.from(ramp(6)), [3, 2], { isFortranOrder: true });
    const tensors = await collect(join(dir, 'arrays'));
    assert.deepEqual(tensors.map((t) => [t.name, t.dtype, t.shape]), [
      ['w1', 'F32', [2, 3]],
      ['w2', 'F64', [3, 2]],
    ]);
    assert.deepEqual(Array.from((await tensors[1]!.load()).data), ramp(6));
  });
});

test('listCheckpointTensors rejects missing paths, unknown extensions and bad headers with one-line InputErrors', async () => {
  await withTempDir(async (dir) => {
    const expectInputError = async (path: string, pattern: RegExp) =>
      assert.rejects(collect(path), (e: unknown) => e instanceof InputError && pattern.test(e.message) && !e.message.includes('\n'));
    await expectInputError(join(dir, 'nope.safetensors'), /does not exist/);
    await writeFile(join(dir, 'x.txt'), 'x');
    await expectInputError(join(dir, 'x.txt'), /neither \.npy, \.safetensors/);
    await mkdir(join(dir, 'empty'));
    await expectInputError(join(dir, 'empty'), /holds no \.safetensors/);
    const good = encodeSafetensors([{ name: 'w', dtype: 'F32', shape: [4, 4], data: ramp(16) }]);
    await writeFile(join(dir, 'trunc.safetensors'), good.subarray(0, good.length - 5));
    await expectInputError(join(dir, 'trunc.safetensors'), /outside the 59-byte data section|truncated/);
    await writeFile(join(dir, 'tiny.safetensors'), good.subarray(0, 4));
    await expectInputError(join(dir, 'tiny.safetensors'), /truncated: it has 4 bytes/);
    await writeFile(join(dir, 'cut-header.safetensors'), good.subarray(0, 20));
    await expectInputError(join(dir, 'cut-header.safetensors'), /header but the file has only 12 bytes/);
  });
});

test('a tensor whose bytes vanish after the header was read fails to load with an InputError', async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, 'm.safetensors');
    const good = encodeSafetensors([{ name: 'w', dtype: 'F32', shape: [4, 4], data: ramp(16) }]);
    await writeFile(path, good);
    const [tensor] = await collect(path);
    await writeFile(path, (await readFile(path)).subarray(0, good.length - 8));
    await assert.rejects(tensor!.load(), (e: unknown) => e instanceof InputError && /truncated/.test(e.message));
  });
});

test('reading mutated and truncated safetensors files from disk throws only InputErrors (seeded fuzz)', async () => {
  const { stream } = await import('../random/index.js');
  await withTempDir(async (dir) => {
    const good = encodeSafetensors([
      { name: 'a', dtype: 'F32', shape: [3, 4], data: ramp(12) },
      { name: 'b', dtype: 'BF16', shape: [4, 3], data: ramp(12) },
      { name: 'c', dtype: 'F64', shape: [2], data: [1, 2] },
    ]);
    const headerLength = Number(new DataView(good.buffer).getBigUint64(0, true));
    await fuzzCheckpointFile(join(dir, 'm.safetensors'), good, stream(7, 'checkpoint-fuzz', 0), 150, (bytes, rng) => {
      if (rng.nextInt(2) === 0) return bytes.slice(0, rng.nextInt(bytes.length));
      for (let k = 0; k < 3; k++) bytes[rng.nextInt(8 + headerLength)] = rng.nextInt(256);
      return bytes;
    });
  });
});

test('readSafetensorsTensor widens F16 and BF16 tensors chunk by chunk to the same values as a whole read', async () => {
  const { readSafetensorsHeader, readSafetensorsTensor } = await import('./safetensorsFile.js');
  await withTempDir(async (dir) => {
    const path = join(dir, 'half.safetensors');
    const values = Array.from({ length: 20 }, (_, i) => (i - 9) / 8);
    await writeFile(
      path,
      encodeSafetensors([
        { name: 'h', dtype: 'F16', shape: [4, 5], data: values },
        { name: 'b', dtype: 'BF16', shape: [4, 5], data: values },
      ]),
    );
    const file = await readSafetensorsHeader(path);
    for (const entry of file.entries) {
      for (const halfChunkBytes of [6, 7, 40, 1 << 20]) {
        const data = await readSafetensorsTensor(path, entry, undefined, { halfChunkBytes });
        assert.ok(data instanceof Float32Array);
        assert.deepEqual(Array.from(data), values, `${entry.dtype} chunk ${halfChunkBytes}`);
      }
      assert.deepEqual(Array.from(await readSafetensorsTensor(path, entry, 'f64')), values);
    }
  });
});
