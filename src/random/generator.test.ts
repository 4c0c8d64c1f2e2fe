import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Generator, SplitMix64, deterministicLog } from './generator.js';
import { stream } from './streams.js';

test('SplitMix64 from seed 0 reproduces the reference outputs', () => {
  const mixer = new SplitMix64(0, 0);
  const hex = () => mixer.next64().map((w) => w.toString(16).padStart(8, '0')).join('');
  assert.equal(hex(), 'e220a8397b1dcdaf');
  assert.equal(hex(), '6e789e6aa1b965f4');
  assert.equal(hex(), '06c45d188009454f');
});

test('xoshiro128** from state {1,2,3,4} reproduces its hand-computed first outputs', () => {
  const g = Generator.fromState(1, 2, 3, 4);
  assert.equal(g.nextUint32(), 11520); // rotl(2*5, 7) * 9
  assert.equal(g.nextUint32(), 0); // s1 becomes 2 ^ 2 = 0
});

test('the same seed gives the same bits; different seeds differ', () => {
  const a = new Generator(0, 42).fillNormal(new Float64Array(1000));
  const b = new Generator(0, 42).fillNormal(new Float64Array(1000));
  const c = new Generator(0, 43).fillNormal(new Float64Array(1000));
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
});

test('nextDouble lies in [0, 1) and nextInt(n) in [0, n)', () => {
  const g = new Generator(1, 2);
  for (let i = 0; i < 10000; i++) {
    const u = g.nextDouble();
    assert.ok(u >= 0 && u < 1);
    const k = g.nextInt(7);
    assert.ok(Number.isInteger(k) && k >= 0 && k < 7);
  }
});

test('nextNormal has mean 0, variance 1 and normal tail mass within sampling error', () => {
  const g = new Generator(0, 7);
  const n = 200000;
  let sum = 0;
  let sumSquares = 0;
  let beyond2 = 0;
  for (let i = 0; i < n; i++) {
    const z = g.nextNormal();
    sum += z;
    sumSquares += z * z;
    if (Math.abs(z) > 2) beyond2++;
  }
  const mean = sum / n;
  const variance = sumSquares / n - mean * mean;
  assert.ok(Math.abs(mean) < 5 / Math.sqrt(n), `mean ${mean}`);
  assert.ok(Math.abs(variance - 1) < 5 * Math.sqrt(2 / n), `variance ${variance}`);
  const p = 0.0455002638963584; // P(|Z| > 2)
  assert.ok(Math.abs(beyond2 / n - p) < 5 * Math.sqrt((p * (1 - p)) / n), `tail ${beyond2 / n}`);
});

test('deterministicLog agrees with Math.log to 2 ulp over many magnitudes', () => {
  const g = new Generator(3, 3);
  for (let i = 0; i < 20000; i++) {
    const x = Math.pow(10, 40 * g.nextDouble() - 20);
    const expected = Math.log(x);
    assert.ok(Math.abs(deterministicLog(x) - expected) <= 4.5e-16 * Math.max(1, Math.abs(expected)), `x=${x}`);
  }
  assert.equal(deterministicLog(1), 0);
  assert.ok(Number.isNaN(deterministicLog(-1)));
  assert.equal(deterministicLog(0), -Infinity);
});

test('named streams are independent and reproducible', () => {
  const data = stream(0, 'data').fillNormal(new Float64Array(16));
  const init = stream(0, 'init').fillNormal(new Float64Array(16));
  assert.notDeepEqual(data, init);
  assert.deepEqual(stream(0, 'data').fillNormal(new Float64Array(16)), data);
  assert.notDeepEqual(stream(0, 'data', 1).fillNormal(new Float64Array(16)), data);
  assert.notDeepEqual(stream(1, 'data').fillNormal(new Float64Array(16)), data);
});

test('permutation returns each index once', () => {
  const p = new Generator(0, 1).permutation(1000);
  assert.deepEqual([...p].sort((a, b) => a - b), Array.from({ length: 1000 }, (_, i) => i));
});

test('fillNormal gives exactly mean + std * nextNormal() per entry, spare and state included', () => {
  for (const [lengths, mean, std] of [[[0, 1, 2, 7, 1000, 1, 3], 0, 1], [[5, 4, 1, 0, 9], -0.25, 3.5]] as const) {
    const fast = new Generator(11, 99);
    const reference = new Generator(11, 99);
    for (const length of lengths) {
      for (const Type of [Float64Array, Float32Array]) {
        const a = fast.fillNormal(new Type(length), mean, std);
        const b = new Type(length);
        for (let i = 0; i < length; i++) b[i] = mean + std * reference.nextNormal();
        assert.deepEqual(Array.from(a), Array.from(b), `length ${length}`);
        assert.deepEqual(fast.snapshot(), reference.snapshot());
      }
    }
    assert.equal(fast.nextUint32(), reference.nextUint32());
  }
});
