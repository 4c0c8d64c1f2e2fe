import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import { stream } from '../random/index.js';
import { requireTool } from '../testing/oracle.js';
import { fuzzCheckpointFile } from './testing/fuzzCheckpoint.js';
import { listCheckpointTensors, type CheckpointTensor } from './checkpointTensors.js';
import { gatherStrided, isRowMajorContiguous, readTorchFile } from './torchFile.js';

const FIXTURES = 'src/io/fixtures/torch';

async function collect(path: string): Promise<CheckpointTensor[]> {
  const out: CheckpointTensor[] = [];
  for await (const t of listCheckpointTensors(path)) out.push(t);
  return out;
}

async function withTempDir(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'esdlab-torch-'));
  try {
    await body(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** ((k mod 7) - 3) / 4 over a rows x cols row-major matrix: the fixtures' ramp (scripts/torch-fixtures.py). */
const ramp = (rows: number, cols: number) => Array.from({ length: rows * cols }, (_, k) => ((k % 7) - 3) / 4);
const transpose = (values: number[], rows: number, cols: number) => Array.from({ length: rows * cols }, (_, k) => values[(k % rows) * cols + Math.floor(k / rows)]!);

/** Checks a folder written by scripts/torch-fixtures.py against closed forms and torch's own values.json. */
async function checkFixtures(dir: string): Promise<void> {
  const tensors = await collect(join(dir, 'state_dict.pt'));
  const byName = new Map(tensors.map((t) => [t.name, t]));
  assert.deepEqual(
    tensors.map((t) => [t.name, t.dtype, t.shape.join('x'), t.isDecodable]),
    [
      ['f32', 'F32', '3x4', true],
      ['f64', 'F64', '3x4', true],
      ['f16', 'F16', '3x4', true],
      ['bf16', 'BF16', '3x4', true],
      ['transposed', 'F32', '3x4', true],
      ['offset', 'F32', '3x4', true],
      ['sliced', 'F32', '3x4', true],
      ['conv', 'F32', '2x3x2x2', true],
      ['bias', 'F32', '3', true],
      ['ids', 'I64', '2x3', false],
    ],
  );
  const expected: Record<string, number[]> = {
    f32: ramp(3, 4),
    f64: ramp(3, 4),
    f16: ramp(3, 4),
    bf16: ramp(3, 4),
    transposed: transpose(ramp(4, 3), 4, 3),
    offset: Array.from({ length: 12 }, (_, k) => 6 + k),
    sliced: ramp(3, 8).filter((_, k) => k % 2 === 0),
    conv: ramp(2, 12),
  };
  const oracle = JSON.parse(await readFile(join(dir, 'values.json'), 'utf8')) as Record<string, number[]>;
  for (const [name, values] of Object.entries(expected)) {
    const matrix = await byName.get(name)!.load();
    assert.deepEqual(Array.from(matrix.data), values, name);
    assert.deepEqual(Array.from(matrix.data), oracle[name], `${name} vs torch`);
  }
  assert.ok((await byName.get('f64')!.load()).data instanceof Float64Array);
  assert.deepEqual([(await byName.get('conv')!.load()).cols], [12]);
  await assert.rejects(byName.get('ids')!.load(), (e: unknown) => e instanceof InputError && /I64/.test(e.message));

  const nested = await collect(join(dir, 'nested.pth'));
  const model = nested.filter((t) => !t.skipReason).map((t) => t.name);
  assert.deepEqual(model, ['model.weight', 'model.bias']);
  assert.ok(nested.some((t) => t.name === 'optimizer.state.0.exp_avg' && /optimizer state/.test(t.skipReason ?? '')));
  assert.deepEqual(Array.from((await nested[0]!.load()).data), oracle['model.weight']);

  for (const path of [join(dir, 'sharded'), join(dir, 'sharded', 'pytorch_model.bin.index.json')]) {
    const shards = await collect(path);
    assert.deepEqual(shards.map((t) => [t.name, t.dtype]), [['a.weight', 'F32'], ['b.weight', 'F16']]);
    assert.deepEqual(Array.from((await shards[1]!.load()).data), ramp(4, 3));
  }
  await assert.rejects(collect(join(dir, 'legacy.pt')), (e: unknown) => e instanceof InputError && /legacy torch\.save file.*re-save it with torch >= 1\.6/.test(e.message));
}

test('torch.save fixtures (committed) decode to their closed-form values: dtypes, views, nesting, shards', async () => {
  await checkFixtures(FIXTURES);
});

test('torch.save files written now by torch decode to the values torch reports', async (t) => {
  const hasTorch = spawnSync('/usr/bin/python3', ['-c', 'import torch'], { encoding: 'utf8' }).status === 0;
  if (!requireTool(t, hasTorch, 'python3 with torch (Debian python3-torch)')) return;
  await withTempDir(async (dir) => {
    const r = spawnSync('/usr/bin/python3', ['scripts/torch-fixtures.py', dir], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    await checkFixtures(dir);
  });
});

/** A torch-like zip around a hand-written data.pkl (stored entries, no storages). */
async function zipWithPickle(pickle: Uint8Array): Promise<Uint8Array> {
  return storedZip([{ name: 'archive/data.pkl', data: pickle }]);
}

/** A minimal zip of stored entries (what torch writes, without its alignment padding). */
function storedZip(files: readonly { name: string; data: Uint8Array }[]): Uint8Array {
  const chunks: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  const encoder = new TextEncoder();
  for (const file of files) {
    const name = encoder.encode(file.name);
    const local = new Uint8Array(30 + name.length);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, 0x04034b50, true);
    lv.setUint32(18, file.data.length, true);
    lv.setUint32(22, file.data.length, true);
    lv.setUint16(26, name.length, true);
    local.set(name, 30);
    const entry = new Uint8Array(46 + name.length);
    const cv = new DataView(entry.buffer);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint32(20, file.data.length, true);
    cv.setUint32(24, file.data.length, true);
    cv.setUint16(28, name.length, true);
    cv.setUint32(42, offset, true);
    entry.set(name, 46);
    chunks.push(local, file.data);
    central.push(entry);
    offset += local.length + file.data.length;
  }
  const directorySize = central.reduce((n, c) => n + c.length, 0);
  const end = new Uint8Array(22);
  const ev = new DataView(end.buffer);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, files.length, true);
  ev.setUint16(10, files.length, true);
  ev.setUint32(12, directorySize, true);
  ev.setUint32(16, offset, true);
  const out = new Uint8Array(offset + directorySize + 22);
  let at = 0;
  for (const c of [...chunks, ...central, end]) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

test('a pickle that calls os.system is refused, naming the global, and nothing runs', async () => {
  await withTempDir(async (dir) => {
    const marker = join(dir, 'pwned');
    // PROTO 2, GLOBAL 'os system', SHORT_BINUNICODE 'touch <marker>', TUPLE1, REDUCE, STOP
    const command = new TextEncoder().encode(`touch ${marker}`);
    const pickle = new Uint8Array([0x80, 0x02, 0x63, ...new TextEncoder().encode('os\nsystem\n'), 0x8c, command.length, ...command, 0x85, 0x52, 0x2e]);
    for (const [name, bytes] of [
      ['evil.pt', await zipWithPickle(pickle)],
      ['eval.pt', await zipWithPickle(new Uint8Array([0x80, 0x02, 0x63, ...new TextEncoder().encode('builtins\neval\n'), 0x29, 0x52, 0x2e]))],
      ['popen.pt', await zipWithPickle(new Uint8Array([0x80, 0x04, 0x8c, 10, ...new TextEncoder().encode('subprocess'), 0x8c, 5, ...new TextEncoder().encode('Popen'), 0x93, 0x29, 0x52, 0x2e]))],
    ] as const) {
      await writeFile(join(dir, name), bytes);
      const global = name === 'evil.pt' ? 'os.system' : name === 'eval.pt' ? 'builtins.eval' : 'subprocess.Popen';
      await assert.rejects(collect(join(dir, name)), (e: unknown) => e instanceof InputError && e.message.includes(`'${global}'`) && /refuses/.test(e.message) && !e.message.includes('\n'));
    }
    await assert.rejects(readFile(marker), /ENOENT/);
  });
});

test('bad torch files fail with one-line InputErrors: not zip, truncated, lying storage sizes, bad opcodes', async () => {
  await withTempDir(async (dir) => {
    const good = new Uint8Array(await readFile(join(FIXTURES, 'state_dict.pt')));
    const expectInputError = async (bytes: Uint8Array, pattern: RegExp) => {
      await writeFile(join(dir, 'm.pt'), bytes);
      await assert.rejects(collect(join(dir, 'm.pt')), (e: unknown) => e instanceof InputError && pattern.test(e.message) && !e.message.includes('\n'));
    };
    await expectInputError(new TextEncoder().encode('hello world, not a checkpoint'), /not a torch\.save zip file/);
    await expectInputError(good.subarray(0, good.length - 30), /end-of-central-directory|corrupted|truncated/);
    await expectInputError(good.subarray(0, 10), /truncated/);
    await expectInputError(await zipWithPickle(new Uint8Array([0x80, 0x02, 0x7d])), /ends inside an opcode/);
    await expectInputError(await zipWithPickle(new Uint8Array([0x80, 0x02, 0x69, 0x2e])), /opcode 0x69 is not one torch\.save writes/);
    // a storage record that claims more elements than its zip entry holds
    assert.equal((await readTorchFile(join(FIXTURES, 'state_dict.pt')))[0]!.tensor.storage.numElements, 12);
    const lying = storedZip([
      { name: 'a/data.pkl', data: storagePickle(13) },
      { name: 'a/data/0', data: new Uint8Array(48) },
    ]);
    await expectInputError(lying, /declares 13 elements of 4 bytes, but its zip entry holds 48 bytes/);
    const outOfRange = storedZip([
      { name: 'a/data.pkl', data: storagePickle(12, [4, 4]) },
      { name: 'a/data/0', data: new Uint8Array(48) },
    ]);
    await expectInputError(outOfRange, /reaches element 15 of storage '0', which holds 12/);
  });
});

/** data.pkl of {'w': _rebuild_tensor_v2(storage('0', FloatStorage, numel), 0, shape, contiguous strides, False, OrderedDict())}. */
function storagePickle(numElements: number, shape: [number, number] = [3, 4]): Uint8Array {
  const text = (s: string) => [0x8c, s.length, ...new TextEncoder().encode(s)];
  const global = (m: string, n: string) => [0x63, ...new TextEncoder().encode(`${m}\n${n}\n`)];
  return new Uint8Array([
    0x80, 0x02, 0x7d, ...text('w'),
    ...global('torch._utils', '_rebuild_tensor_v2'), 0x28,
    0x28, ...text('storage'), ...global('torch', 'FloatStorage'), ...text('0'), ...text('cpu'), 0x4a, ...new Uint8Array(new Int32Array([numElements]).buffer), 0x74, 0x51,
    0x4b, 0, 0x4b, shape[0], 0x4b, shape[1], 0x86, 0x4b, shape[1], 0x4b, 1, 0x86, 0x89,
    ...global('collections', 'OrderedDict'), 0x29, 0x52, 0x74, 0x52,
    0x73, 0x2e,
  ]);
}

test('gatherStrided copies a strided view into row-major order; isRowMajorContiguous ignores size-1 strides', () => {
  const span = Float32Array.from({ length: 12 }, (_, k) => k);
  // the transpose of a 3x4 row-major matrix: shape (4, 3), strides (1, 4)
  assert.deepEqual(Array.from(gatherStrided(span, { shape: [4, 3], strides: [1, 4] }, new Float32Array(12))), transpose(Array.from(span), 3, 4));
  assert.equal(isRowMajorContiguous({ shape: [4, 3], strides: [1, 4] }), false);
  assert.equal(isRowMajorContiguous({ shape: [3, 4], strides: [4, 1] }), true);
  assert.equal(isRowMajorContiguous({ shape: [1, 4], strides: [99, 1] }), true);
  assert.deepEqual(Array.from(gatherStrided(span, { shape: [2, 2, 2], strides: [6, 1, 3] }, new Float32Array(8))), [0, 3, 1, 4, 6, 9, 7, 10]);
});

test('reading mutated and truncated torch files throws only InputErrors (seeded fuzz)', async () => {
  await withTempDir(async (dir) => {
    const good = new Uint8Array(await readFile(join(FIXTURES, 'state_dict.pt')));
    await fuzzCheckpointFile(join(dir, 'm.pt'), good, stream(11, 'torch-fuzz', 0), 200, (bytes, rng) => {
      const kind = rng.nextInt(3);
      if (kind === 0) return bytes.slice(0, rng.nextInt(bytes.length));
      if (kind === 1) for (let k = 0; k < 4; k++) bytes[rng.nextInt(1200)] = rng.nextInt(256); // the pickle
      else for (let k = 0; k < 4; k++) bytes[bytes.length - 1 - rng.nextInt(800)] = rng.nextInt(256); // the directory
      return bytes;
    });
  });
});
