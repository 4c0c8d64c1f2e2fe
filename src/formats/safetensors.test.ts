import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../errors.js';
import { stream } from '../random/index.js';
import { decodeSafetensorsTensor, parseSafetensorsHeader, safetensorsHeaderLength } from './safetensors.js';
import { encodeSafetensors, encodeSafetensorsHeader } from './safetensorsWriter.js';

/** Parses a whole in-memory file the way src/io does it from disk: length, header, then entries. */
function parseWhole(bytes: Uint8Array) {
  const length = safetensorsHeaderLength(bytes.subarray(0, 8), bytes.length);
  return parseSafetensorsHeader(bytes.subarray(8, 8 + length), bytes.length);
}

/** A header with arbitrary JSON text, followed by `dataBytes` zero bytes. */
function withHeader(json: string, dataBytes: number): Uint8Array {
  const text = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + text.length + dataBytes);
  new DataView(out.buffer).setBigUint64(0, BigInt(text.length), true);
  out.set(text, 8);
  return out;
}

const values = [1.5, -2, 0.25, 3, 0, -0.5];

test('encodeSafetensors writes F32, F64, F16 and BF16 tensors that parse and decode back', () => {
  const bytes = encodeSafetensors(
    [
      { name: 'a', dtype: 'F32', shape: [2, 3], data: values },
      { name: 'b', dtype: 'F64', shape: [3, 2], data: values },
      { name: 'c', dtype: 'F16', shape: [6], data: values },
      { name: 'd', dtype: 'BF16', shape: [1, 2, 3], data: values },
    ],
    { format: 'pt' },
  );
  const header = parseWhole(bytes);
  assert.deepEqual(header.metadata, { format: 'pt' });
  assert.equal(header.dataStart % 8, 0);
  assert.deepEqual(
    header.entries.map((e) => e.name),
    ['a', 'b', 'c', 'd'],
  );
  for (const entry of header.entries) {
    const decoded = decodeSafetensorsTensor(entry, bytes.subarray(entry.begin, entry.end));
    assert.deepEqual(Array.from(decoded), values, entry.dtype);
    assert.equal(decoded instanceof Float64Array, entry.dtype === 'F64');
  }
});

test('decodeSafetensorsTensor rejects integer dtypes naming the dtype and the decodable ones', () => {
  assert.throws(
    () => decodeSafetensorsTensor({ name: 'ids', dtype: 'I64', shape: [2] }, new Uint8Array(16)),
    (e: unknown) => e instanceof InputError && /I64/.test(e.message) && /F32, F64, F16, BF16/.test(e.message),
  );
});

test('parseSafetensorsHeader names each kind of bad header', () => {
  const cases: [string, Uint8Array, RegExp][] = [
    ['short file', new Uint8Array(5), /truncated: it has 5 bytes/],
    ['header past the end', (() => {
      const b = new Uint8Array(16);
      new DataView(b.buffer).setBigUint64(0, 100n, true);
      return b;
    })(), /declares a 100-byte header but the file has only 8 bytes/],
    ['invalid JSON', withHeader('{"a": {', 0), /invalid JSON header/],
    ['not an object', withHeader('[1, 2]', 0), /not an object/],
    ['unknown dtype', withHeader('{"a":{"dtype":"F99","shape":[1],"data_offsets":[0,4]}}', 4), /unknown dtype "F99"/],
    ['bad shape', withHeader('{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}', 4), /shape \[-1\]/],
    ['offsets outside', withHeader('{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}', 4), /outside the 4-byte data section/],
    ['size mismatch', withHeader('{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}', 8), /spans 4 bytes but shape \[2\] of F32 needs 8/],
    [
      'overlap',
      withHeader('{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}', 12),
      /overlapping tensors: 'a' \[0, 8\) and 'b' \[4, 12\)/,
    ],
    ['bad metadata', withHeader('{"__metadata__":{"x":1}}', 0), /__metadata__ key 'x'/],
    ['reversed offsets', withHeader('{"a":{"dtype":"F32","shape":[0],"data_offsets":[4,0]}}', 4), /data_offsets \[4,0\]/],
  ];
  for (const [what, bytes, pattern] of cases) {
    assert.throws(() => parseWhole(bytes), (e: unknown) => e instanceof InputError && pattern.test(e.message), what);
  }
});

test('parseSafetensorsHeader accepts zero-size tensors and trailing header spaces', () => {
  const header = parseWhole(withHeader('{"e":{"dtype":"F32","shape":[0,3],"data_offsets":[0,0]}}    ', 0));
  assert.equal(header.entries[0]!.end - header.entries[0]!.begin, 0);
});

test('parsing mutated and truncated safetensors files throws only InputErrors (seeded fuzz)', () => {
  const good = encodeSafetensors([
    { name: 'layer.0.weight', dtype: 'F32', shape: [3, 4], data: new Float32Array(12).fill(1) },
    { name: 'layer.0.bias', dtype: 'BF16', shape: [4], data: [1, 2, 3, 4] },
    { name: 'layer.1.weight', dtype: 'F16', shape: [4, 2], data: new Float32Array(8).fill(-1) },
  ]);
  const headerLength = Number(new DataView(good.buffer).getBigUint64(0, true));
  const rng = stream(2024, 'safetensors-fuzz', 0);
  let rejected = 0;
  for (let trial = 0; trial < 2000; trial++) {
    let bytes: Uint8Array = good.slice();
    const kind = rng.nextInt(4);
    if (kind === 0) {
      bytes = bytes.slice(0, rng.nextInt(bytes.length)); // truncation
    } else if (kind === 1) {
      const flips = 1 + rng.nextInt(4); // random bytes inside the header (length included)
      for (let k = 0; k < flips; k++) bytes[rng.nextInt(8 + headerLength)] = rng.nextInt(256);
    } else if (kind === 2) {
      // digits of the JSON replaced by other digits: shapes and offsets change but stay numbers
      for (let k = 8; k < 8 + headerLength; k++) if (bytes[k]! >= 0x30 && bytes[k]! <= 0x39 && rng.nextDouble() < 0.05) bytes[k] = 0x30 + rng.nextInt(10);
    } else {
      const json = new TextDecoder().decode(bytes.subarray(8, 8 + headerLength));
      const dtypes = ['F32', 'F64', 'F16', 'BF16', 'I64', 'U8', 'BOOL', 'F8_E4M3', 'Q4', ''];
      const mutated = json.replace(/"(F32|BF16|F16)"/, () => `"${dtypes[rng.nextInt(dtypes.length)]}"`);
      bytes = withHeader(mutated, good.length - 8 - headerLength);
      bytes.set(good.subarray(8 + headerLength), 8 + new TextEncoder().encode(mutated).length);
    }
    try {
      const header = parseWhole(bytes);
      for (const entry of header.entries) {
        try {
          decodeSafetensorsTensor(entry, bytes.subarray(entry.begin, entry.end));
        } catch (error) {
          if (!(error instanceof InputError)) throw error;
        }
        assert.ok(entry.end <= bytes.length && entry.begin >= header.dataStart);
      }
    } catch (error) {
      if (!(error instanceof InputError)) throw new Error(`trial ${trial} (kind ${kind}) threw a non-InputError: ${String(error)}`);
      assert.ok(error.message.length > 0 && !error.message.includes('\n'), error.message);
      rejected++;
    }
  }
  assert.ok(rejected > 500, `only ${rejected} of 2000 mutations were rejected`);
});

test('encodeSafetensorsHeader gives contiguous offsets in the given order', () => {
  const { headerBytes, offsets } = encodeSafetensorsHeader([
    { name: 'x', dtype: 'F32', shape: [2, 2] },
    { name: 'y', dtype: 'BF16', shape: [3] },
  ]);
  assert.deepEqual(offsets, [
    [0, 16],
    [16, 22],
  ]);
  assert.equal(headerBytes.length % 8, 0);
});
