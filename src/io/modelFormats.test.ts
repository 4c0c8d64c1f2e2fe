import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import protobuf from 'protobufjs';
import { InputError } from '../errors.js';
import { float32ToBfloat16, float32ToHalf, ONNX_SCHEMA } from '../formats/index.js';
import { encodeGguf, encodeQ8_0 } from '../formats/testing/ggufWriter.js';
import { stream } from '../random/index.js';
import { requireTool } from '../testing/oracle.js';
import { listCheckpointTensors, type CheckpointTensor } from './checkpointTensors.js';
import { fuzzCheckpointFile } from './testing/fuzzCheckpoint.js';

async function collect(path: string): Promise<CheckpointTensor[]> {
  const out: CheckpointTensor[] = [];
  for await (const t of listCheckpointTensors(path)) out.push(t);
  return out;
}

async function withTempDir(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'esdlab-formats-'));
  try {
    await body(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const ramp = (n: number) => Array.from({ length: n }, (_, k) => ((k % 7) - 3) / 4);
const f32Bytes = (values: number[]) => new Uint8Array(Float32Array.from(values).buffer);
const expectInputError = (promise: Promise<unknown>, pattern: RegExp) =>
  assert.rejects(promise, (e: unknown) => e instanceof InputError && pattern.test(e.message) && !e.message.includes('\n'));

function ggufFixture(): Uint8Array {
  const q = Array.from({ length: 64 }, (_, k) => (k % 11) - 5);
  return encodeGguf(
    [
      { name: 'blk.0.attn_q.weight', shape: [3, 4], type: 'F32', data: f32Bytes(ramp(12)) },
      { name: 'blk.0.ffn_up.weight', shape: [4, 3], type: 'F16', data: new Uint8Array(float32ToHalf(ramp(12)).buffer) },
      { name: 'blk.0.ffn_down.weight', shape: [2, 2], type: 'BF16', data: new Uint8Array(float32ToBfloat16([1, -2, 0.5, 3]).buffer) },
      { name: 'blk.0.attn_k.weight', shape: [2, 32], type: 'Q8_0', data: encodeQ8_0(q, [0x3800, 0x3400]) }, // d = 0.5, 0.25
      { name: 'blk.0.attn_v.weight', shape: [1, 256], type: 'Q4_K', data: new Uint8Array(144) },
      { name: 'positions', shape: [4], type: 'I32', data: new Uint8Array(16) },
    ],
    { 'general.architecture': 'llama' },
  );
}

test('GGUF: F32, F16, BF16 and Q8_0 tensors dequantize (row-major shape = reversed ggml dims); other quantizations are skipped with the reason', async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, 'model.gguf');
    await writeFile(path, ggufFixture());
    const tensors = await collect(path);
    assert.deepEqual(tensors.map((t) => [t.name, t.dtype, t.shape.join('x'), t.skipReason === undefined]), [
      ['blk.0.attn_q.weight', 'F32', '3x4', true],
      ['blk.0.ffn_up.weight', 'F16', '4x3', true],
      ['blk.0.ffn_down.weight', 'BF16', '2x2', true],
      ['blk.0.attn_k.weight', 'Q8_0', '2x32', true],
      ['blk.0.attn_v.weight', 'Q4_K', '1x256', false],
      ['positions', 'I32', '4', false],
    ]);
    assert.deepEqual(Array.from((await tensors[0]!.load()).data), ramp(12));
    assert.deepEqual(Array.from((await tensors[1]!.load()).data), ramp(12));
    assert.deepEqual(Array.from((await tensors[2]!.load()).data), [1, -2, 0.5, 3]);
    const q8 = await tensors[3]!.load();
    assert.deepEqual([q8.rows, q8.cols], [2, 32]);
    assert.deepEqual(Array.from(q8.data), Array.from({ length: 64 }, (_, k) => ((k % 11) - 5) * (k < 32 ? 0.5 : 0.25)));
    assert.match(tensors[4]!.skipReason!, /Q4_K is a quantization esdlab does not dequantize/);
  });
});

test('bad GGUF files fail with one-line InputErrors: magic, version, truncation, lying offsets; seeded fuzz', async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, 'm.gguf');
    const good = ggufFixture();
    const write = async (bytes: Uint8Array) => (await writeFile(path, bytes), collect(path));
    await expectInputError(write(new TextEncoder().encode('GGML this is something else entirely')), /does not start with the GGUF magic/);
    const v4 = good.slice();
    v4[4] = 4;
    await expectInputError(write(v4), /GGUF version 4; esdlab reads versions 2 and 3/);
    await expectInputError(write(good.subarray(0, good.length - 100)), /past the end of the .*-byte file \(truncated or lying header\)/);
    await expectInputError(write(good.subarray(0, 40)), /truncated/);
    await fuzzCheckpointFile(path, good, stream(5, 'gguf-fuzz', 0), 200, (bytes, rng) => {
      if (rng.nextInt(3) === 0) return bytes.slice(0, rng.nextInt(bytes.length));
      for (let k = 0; k < 3; k++) bytes[rng.nextInt(420)] = rng.nextInt(256);
      return bytes;
    });
  });
});

/** A TF.js model: group 0 (two shards, float32 dense kernel split across them, a conv filter), group 1 (quantized, int32). */
async function writeTfjsModel(dir: string): Promise<void> {
  const dense = f32Bytes(ramp(12));
  const conv = f32Bytes(Array.from({ length: 60 }, (_, k) => k)); // [kh=2, kw=2, in=3, out=5]
  const group0 = new Uint8Array([...dense, ...conv]);
  await writeFile(join(dir, 'group1-shard1of2.bin'), group0.subarray(0, 20)); // splits the dense kernel
  await writeFile(join(dir, 'group1-shard2of2.bin'), group0.subarray(20));
  const u8 = new Uint8Array([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  const u16 = new Uint8Array(new Uint16Array([0, 100, 200, 300, 400, 500]).buffer);
  const f16 = new Uint8Array(float32ToHalf([0.5, -0.25, 2, 4]).buffer);
  await writeFile(join(dir, 'group2-shard1of1.bin'), new Uint8Array([...u8, ...u16, ...f16, ...new Uint8Array(16)]));
  const manifest = [
    {
      paths: ['group1-shard1of2.bin', 'group1-shard2of2.bin'],
      weights: [
        { name: 'dense/kernel', shape: [4, 3], dtype: 'float32' },
        { name: 'conv/kernel', shape: [2, 2, 3, 5], dtype: 'float32' },
      ],
    },
    {
      paths: ['group2-shard1of1.bin'],
      weights: [
        { name: 'q8', shape: [3, 4], dtype: 'float32', quantization: { dtype: 'uint8', scale: 0.5, min: -1, original_dtype: 'float32' } },
        { name: 'q16', shape: [2, 3], dtype: 'float32', quantization: { dtype: 'uint16', scale: 0.01, min: 2 } },
        { name: 'half', shape: [2, 2], dtype: 'float32', quantization: { dtype: 'float16' } },
        { name: 'ids', shape: [2, 2], dtype: 'int32' },
      ],
    },
  ];
  await writeFile(join(dir, 'model.json'), JSON.stringify({ format: 'layers-model', modelTopology: {}, weightsManifest: manifest }));
}

test('TensorFlow.js: weights span shards, uint8/uint16 dequantize as q * scale + min, float16 widens, conv filters [kh,kw,in,out] become (out, in, kh, kw)', async () => {
  await withTempDir(async (dir) => {
    await writeTfjsModel(dir);
    for (const path of [join(dir, 'model.json'), dir]) {
      const tensors = await collect(path);
      assert.deepEqual(tensors.map((t) => [t.name, t.shape.join('x'), t.skipReason === undefined]), [
        ['dense/kernel', '4x3', true],
        ['conv/kernel', '5x3x2x2', true],
        ['q8', '3x4', true],
        ['q16', '2x3', true],
        ['half', '2x2', true],
        ['ids', '2x2', false],
      ]);
      assert.deepEqual(Array.from((await tensors[0]!.load()).data), ramp(12));
      const conv = await tensors[1]!.loadArray();
      // out[o, c, i, j] = stored[i, j, c, o] = ((i * 2 + j) * 3 + c) * 5 + o
      for (const [o, c, i, j] of [[0, 0, 0, 0], [4, 2, 1, 1], [1, 2, 0, 1], [3, 0, 1, 0]] as const) {
        assert.equal(conv[((o * 3 + c) * 2 + i) * 2 + j], ((i * 2 + j) * 3 + c) * 5 + o);
      }
      assert.deepEqual(Array.from((await tensors[2]!.load()).data), Array.from({ length: 12 }, (_, q) => q * 0.5 - 1));
      assert.deepEqual(Array.from((await tensors[3]!.load()).data), [0, 100, 200, 300, 400, 500].map((q) => Math.fround(Math.fround(q * 0.01) + 2)));
      assert.deepEqual(Array.from((await tensors[4]!.load()).data), [0.5, -0.25, 2, 4]);
    }
  });
});

test('bad TensorFlow.js models fail with one-line InputErrors: missing or short shards, unknown dtypes; seeded fuzz', async () => {
  await withTempDir(async (dir) => {
    await writeTfjsModel(dir);
    const path = join(dir, 'model.json');
    const good = new Uint8Array(await readFile(path));
    await writeFile(join(dir, 'group2-shard1of1.bin'), new Uint8Array(10));
    await expectInputError(collect(path), /weightsManifest\[1\] needs 48 bytes of weights but its shards hold 10/);
    await rm(join(dir, 'group2-shard1of1.bin'));
    await expectInputError(collect(path), /group2-shard1of1\.bin does not exist/);
    await writeTfjsModel(dir);
    await writeFile(path, JSON.stringify({ weightsManifest: [{ paths: [], weights: [{ name: 'w', shape: [2], dtype: 'string' }] }] }));
    await expectInputError(collect(path), /dtype "string"/);
    await fuzzCheckpointFile(path, good, stream(6, 'tfjs-fuzz', 0), 150, (bytes, rng) => {
      if (rng.nextInt(2) === 0) return bytes.slice(0, rng.nextInt(bytes.length));
      for (let k = 0; k < 2; k++) bytes[rng.nextInt(bytes.length)] = 0x20 + rng.nextInt(90);
      return bytes;
    });
  });
});

const onnxTypes = protobuf.Root.fromJSON(ONNX_SCHEMA as unknown as protobuf.INamespace);

function encodeOnnx(initializers: Record<string, unknown>[]): Uint8Array {
  const model = onnxTypes.lookupType('onnx.ModelProto');
  return model.encode(model.fromObject({ irVersion: 8, graph: { name: 'g', initializer: initializers } })).finish();
}

test('ONNX: initializers from raw_data (a torch.onnx export), typed fields and external data files', async () => {
  const tensors = await collect('src/io/fixtures/onnx/tiny.onnx');
  assert.deepEqual(tensors.map((t) => [t.name, t.dtype, t.shape.join('x')]), [
    ['0.weight', 'FLOAT', '3x4'],
    ['0.bias', 'FLOAT', '3'],
    ['2.weight', 'FLOAT', '2x3'],
    ['2.bias', 'FLOAT', '2'],
  ]);
  assert.deepEqual(Array.from((await tensors[0]!.load()).data), Array.from({ length: 12 }, (_, k) => k / 4 - 1));
  await withTempDir(async (dir) => {
    await writeFile(join(dir, 'weights.data'), new Uint8Array([...new Uint8Array(8), ...f32Bytes(ramp(6))]));
    const path = join(dir, 'm.onnx');
    await writeFile(
      path,
      encodeOnnx([
        { name: 'typed', dims: [2, 3], dataType: 1, floatData: ramp(6) },
        { name: 'half', dims: [2, 2], dataType: 10, int32Data: Array.from(float32ToHalf([1, 2, -0.5, 8])) },
        { name: 'double', dims: [2, 2], dataType: 11, doubleData: [1, 2, 3, 4.5] },
        { name: 'ext', dims: [3, 2], dataType: 1, dataLocation: 1, externalData: [{ key: 'location', value: 'weights.data' }, { key: 'offset', value: '8' }, { key: 'length', value: '24' }] },
        { name: 'shape', dims: [2], dataType: 7, int64Data: [3, 4] },
      ]),
    );
    const got = await collect(path);
    assert.deepEqual(Array.from((await got[0]!.load()).data), ramp(6).map(Math.fround));
    assert.deepEqual(Array.from((await got[1]!.load()).data), [1, 2, -0.5, 8]);
    assert.ok((await got[2]!.load()).data instanceof Float64Array);
    assert.deepEqual(Array.from((await got[3]!.load()).data), ramp(6));
    assert.match(got[4]!.skipReason!, /INT64 is not analyzed/);
  });
});

test('torch.onnx writes the committed ONNX fixture byte for byte when torch is here', async (t) => {
  const hasTorch = spawnSync('/usr/bin/python3', ['-c', 'import torch.onnx'], { encoding: 'utf8' }).status === 0;
  if (!requireTool(t, hasTorch, 'python3 with torch (Debian python3-torch)')) return;
  await withTempDir(async (dir) => {
    const r = spawnSync('/usr/bin/python3', ['scripts/onnx-fixture.py', join(dir, 'tiny.onnx')], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const fresh = await collect(join(dir, 'tiny.onnx'));
    assert.deepEqual(Array.from((await fresh[0]!.load()).data), Array.from({ length: 12 }, (_, k) => k / 4 - 1));
  });
});

test('bad ONNX files fail with one-line InputErrors: not protobuf, lying lengths, missing external files; seeded fuzz', async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, 'm.onnx');
    await writeFile(path, new TextEncoder().encode('\u00ff\u00ff\u00ff\u00ff not a protobuf'));
    await expectInputError(collect(path), /not a valid ONNX protobuf|has no graph/);
    await writeFile(path, encodeOnnx([{ name: 'w', dims: [2, 2], dataType: 1, rawData: new Uint8Array(12) }]));
    await expectInputError((await collect(path))[0]!.load(), /has 12 bytes of data but dims \[2, 2\] of FLOAT need 16/);
    await writeFile(path, encodeOnnx([{ name: 'w', dims: [2, 2], dataType: 1, dataLocation: 1, externalData: [{ key: 'location', value: 'gone.bin' }] }]));
    await expectInputError((await collect(path))[0]!.load(), /gone\.bin does not exist/);
    const good = new Uint8Array(await readFile('src/io/fixtures/onnx/tiny.onnx'));
    await fuzzCheckpointFile(path, good, stream(8, 'onnx-fuzz', 0), 200, (bytes, rng) => {
      if (rng.nextInt(2) === 0) return bytes.slice(0, rng.nextInt(bytes.length));
      for (let k = 0; k < 3; k++) bytes[rng.nextInt(bytes.length)] = rng.nextInt(256);
      return bytes;
    });
  });
});
