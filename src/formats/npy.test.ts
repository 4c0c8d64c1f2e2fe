import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeNpy, encodeNpy, fortranToC } from './npy.js';
import { encodeNpyHeader, parseNpyHeader } from './npyHeader.js';
import { float32ToHalfBits, halfToFloat32, float32ToBfloat16, bfloat16ToFloat32 } from './halfPrecision.js';
import { InputError } from '../errors.js';

function ramp(n: number, make: (n: number) => Float32Array | Float64Array): Float32Array | Float64Array {
  const a = make(n);
  for (let i = 0; i < n; i++) a[i] = (i - n / 3) * 0.25;
  return a;
}

test('encodeNpy then decodeNpy round-trips f32 and f64 matrices in C order', () => {
  for (const make of [(n: number) => new Float32Array(n), (n: number) => new Float64Array(n)]) {
    const data = ramp(12, make);
    const back = decodeNpy(encodeNpy(data, [3, 4]));
    assert.deepEqual(back.shape, [3, 4]);
    assert.equal(back.data.constructor, data.constructor);
    assert.deepEqual(Array.from(back.data), Array.from(data));
  }
});

test('encodeNpy with isFortranOrder writes column-major data that decodeNpy transposes back', () => {
  const data = ramp(24, (n) => new Float64Array(n));
  for (const shape of [[4, 6], [2, 3, 4], [24]]) {
    const bytes = encodeNpy(data, shape, { isFortranOrder: true });
    const header = parseNpyHeader(bytes);
    assert.equal(header.isFortranOrder, true);
    if (shape.length === 2) {
      // the stored layout is column-major: the second stored element is (1, 0)
      const stored = new Float64Array(bytes.slice(header.dataOffset).buffer);
      assert.equal(stored[1], data[shape[1]!]);
    }
    assert.deepEqual(Array.from(decodeNpy(bytes).data), Array.from(data));
  }
});

test('decodeNpy reads 1-D, 0-d and empty arrays', () => {
  const one = decodeNpy(encodeNpy(Float64Array.of(1, 2, 3), [3]));
  assert.deepEqual(one.shape, [3]);
  const scalar = decodeNpy(encodeNpy(Float64Array.of(7), []));
  assert.deepEqual(scalar.shape, []);
  assert.equal(scalar.data[0], 7);
  const empty = decodeNpy(encodeNpy(new Float32Array(0), [0, 5]));
  assert.deepEqual(empty.shape, [0, 5]);
  assert.equal(empty.data.length, 0);
});

test('encodeNpy(dtype f2) stores float16 and decodeNpy reads it as f32 or f64', () => {
  const values = Float32Array.of(0, 1, -2, 0.5, 65504, 1e-7, -0.000061035156, 3.140625);
  const bytes = encodeNpy(values, [2, 4], { dtype: 'f2' });
  assert.equal(parseNpyHeader(bytes).dtype, 'f2');
  const back = decodeNpy(bytes);
  assert.ok(back.data instanceof Float32Array);
  const exact = halfToFloat32(Uint16Array.from(values, (v) => float32ToHalfBits(v)));
  assert.deepEqual(Array.from(back.data), Array.from(exact));
  assert.equal(back.data[4], 65504);
  assert.ok(decodeNpy(bytes, { as: 'f64' }).data instanceof Float64Array);
});

test('float32ToHalfBits rounds half to even, overflows to Inf and keeps NaN', () => {
  assert.equal(float32ToHalfBits(1), 0x3c00);
  assert.equal(float32ToHalfBits(1 + 2 ** -11), 0x3c00); // halfway, even stays
  assert.equal(float32ToHalfBits(1 + 3 * 2 ** -11), 0x3c02); // halfway, odd rounds up
  assert.equal(float32ToHalfBits(70000), 0x7c00);
  assert.equal(float32ToHalfBits(-Infinity), 0xfc00);
  assert.ok(Number.isNaN(halfToFloat32(Uint16Array.of(float32ToHalfBits(NaN)))[0]));
  assert.equal(halfToFloat32(Uint16Array.of(0x0001))[0], 2 ** -24); // smallest subnormal
  assert.equal(float32ToHalfBits(2 ** -24), 0x0001);
  assert.equal(float32ToHalfBits(2 ** -25), 0); // halfway to zero: even
});

test('bfloat16ToFloat32 inverts float32ToBfloat16 on values with 8 significant bits', () => {
  const values = Float32Array.of(0, 1, -1.5, 1.5 * 2 ** 127, 2 ** -130, 0.15625);
  assert.deepEqual(Array.from(bfloat16ToFloat32(float32ToBfloat16(values))), Array.from(values));
  assert.equal(bfloat16ToFloat32(float32ToBfloat16([1 + 2 ** -8]))[0], 1); // rounds to even
});

test('decodeNpy reads big-endian files and version 2.0 headers', () => {
  const header = new TextEncoder().encode("{'descr': '>f8', 'fortran_order': False, 'shape': (2,), }");
  const pad = 64 - ((12 + header.length + 1) % 64);
  const text = new Uint8Array(header.length + pad + 1);
  text.set(header);
  text.fill(0x20, header.length);
  text[text.length - 1] = 0x0a;
  const bytes = new Uint8Array(12 + text.length + 16);
  bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 2, 0]);
  new DataView(bytes.buffer).setUint32(8, text.length, true);
  bytes.set(text, 12);
  const view = new DataView(bytes.buffer, 12 + text.length);
  view.setFloat64(0, 1.5, false);
  view.setFloat64(8, -2.25, false);
  assert.deepEqual(Array.from(decodeNpy(bytes).data), [1.5, -2.25]);
});

test('decodeNpy rejects truncated data, bad magic, integer dtypes and malformed headers with InputErrors', () => {
  const good = encodeNpy(Float32Array.of(1, 2, 3, 4), [2, 2]);
  assert.throws(() => decodeNpy(good.subarray(0, good.length - 1)), (e: unknown) => e instanceof InputError && /truncated/.test(e.message));
  assert.throws(() => decodeNpy(good.subarray(0, 5)), /truncated/);
  const badMagic = good.slice();
  badMagic[1] = 0x41;
  assert.throws(() => decodeNpy(badMagic), /not a \.npy file/);
  const intHeader = encodeNpyHeader('f4', [2]);
  const latin1 = (b: Uint8Array) => Array.from(b, (c) => String.fromCharCode(c)).join('');
  const bytesOf = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
  const text = latin1(intHeader).replace('<f4', '<i8');
  assert.throws(() => decodeNpy(bytesOf(text)), (e: unknown) => e instanceof InputError && /'<i8'/.test(e.message));
  const broken = latin1(intHeader).replace("'shape': (2,)", "'shape': (2, x)");
  assert.throws(() => decodeNpy(bytesOf(broken)), /malformed header/);
});

test('fortranToC transposes a 2-D column-major array', () => {
  // column-major [[1,2,3],[4,5,6]] is 1,4,2,5,3,6
  assert.deepEqual(Array.from(fortranToC(Float64Array.of(1, 4, 2, 5, 3, 6), [2, 3])), [1, 2, 3, 4, 5, 6]);
});
