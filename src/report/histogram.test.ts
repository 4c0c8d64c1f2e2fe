import { test } from 'node:test';
import assert from 'node:assert/strict';
import { histogram, histogramRows, summarizeSample, valueRange } from './histogram.js';

test('histogram(values) puts every finite value in a bin: counts sum to the number of values', () => {
  const values = Float64Array.from({ length: 1000 }, (_, i) => Math.sin(i) * 3);
  const h = histogram(values, { bins: 17 });
  assert.equal(h.counts.length, 17);
  assert.equal(h.edges.length, 18);
  assert.equal(h.counts.reduce((a, b) => a + b, 0), 1000);
  assert.equal(h.total, 1000);
  assert.equal(h.dropped, 0);
});

test('histogram(values) spans [min, max] with equal widths, and the maximum lands in the last bin', () => {
  const h = histogram([0, 1, 2, 3, 4], { bins: 4 });
  assert.deepEqual(Array.from(h.edges), [0, 1, 2, 3, 4]);
  assert.deepEqual(Array.from(h.counts), [1, 1, 1, 2]);
});

test('histogram(values).density integrates to 1 over the binned coordinate', () => {
  const values = Array.from({ length: 500 }, (_, i) => (i * 7919) % 1000);
  const h = histogram(values, { bins: 23 });
  const width = h.edges[1]! - h.edges[0]!;
  const integral = h.density.reduce((a, b) => a + b * width, 0);
  assert.ok(Math.abs(integral - 1) < 1e-12, `integral ${integral}`);
});

test('histogram(values, {log: true}) bins log10 of the positive values and drops the others', () => {
  const h = histogram([1, 10, 100, 1000, 0, -5], { bins: 3, log: true });
  assert.equal(h.isLog10, true);
  assert.deepEqual(Array.from(h.edges), [0, 1, 2, 3]);
  assert.deepEqual(Array.from(h.counts), [1, 1, 2]);
  assert.equal(h.dropped, 2);
});

test('histogram(values) skips NaN and infinities and counts them as dropped', () => {
  const h = histogram([1, Number.NaN, 2, Number.POSITIVE_INFINITY, 3, Number.NEGATIVE_INFINITY], { bins: 2 });
  assert.equal(h.total, 3);
  assert.equal(h.dropped, 3);
  assert.deepEqual(Array.from(h.edges), [1, 2, 3]);
});

test('histogram(values, {range}) uses the given edges and drops values outside', () => {
  const h = histogram([-1, 0.5, 1.5, 2.5, 9], { bins: 3, range: [0, 3] });
  assert.deepEqual(Array.from(h.counts), [1, 1, 1]);
  assert.equal(h.dropped, 2);
});

test('histogram([]) is empty with zero density over [0, 1]; one repeated value gets a unit-wide range', () => {
  const empty = histogram([], { bins: 4 });
  assert.equal(empty.total, 0);
  assert.deepEqual(Array.from(empty.density), [0, 0, 0, 0]);
  assert.deepEqual([empty.edges[0], empty.edges[4]], [0, 1]);
  const single = histogram([5, 5, 5], { bins: 2 });
  assert.deepEqual(Array.from(single.edges), [4.5, 5, 5.5]);
  assert.equal(single.total, 3);
  const onlyNaN = histogram([Number.NaN], { bins: 2 });
  assert.equal(onlyNaN.dropped, 1);
});

test('histogram rejects a non-positive or fractional bin count and an empty range', () => {
  assert.throws(() => histogram([1, 2], { bins: 0 }), /bins/);
  assert.throws(() => histogram([1, 2], { bins: 2.5 }), /bins/);
  assert.throws(() => histogram([1, 2], { range: [1, 1] }), /range/);
});

test('valueRange(samples) covers all samples, so their histograms share bins', () => {
  assert.deepEqual(valueRange([[1, 2], Float64Array.of(-3, 10, Number.NaN)]), [-3, 10]);
  assert.deepEqual(valueRange([[0.1, 100], [1000]], { log: true }), [-1, 3]);
});

test('histogramRows(h) leaves out empty bins unless asked to keep them', () => {
  const h = histogram([0, 0, 3], { bins: 3 });
  assert.equal(histogramRows(h).length, 2);
  const all = histogramRows(h, true);
  assert.equal(all.length, 3);
  assert.equal(all[1]!.count, 0);
  assert.equal(all[0]!.binCenter, 0.5);
});

test('histogram bins 1.5 million weights into the requested bins', () => {
  const values = new Float32Array(1_500_000);
  for (let i = 0; i < values.length; i++) values[i] = ((i * 2654435761) % 1000) / 1000 - 0.5;
  const h = histogram(values, { bins: 80 });
  assert.equal(h.counts.length, 80);
  assert.equal(h.total, 1_500_000);
});

test('summarizeSample(values) gives range, mean and population std of the finite values, counting the rest', () => {
  const s = summarizeSample([1, 2, 3, 4, Number.NaN, Number.POSITIVE_INFINITY]);
  assert.deepEqual([s.low, s.high, s.count, s.nonFinite, s.mean], [1, 4, 4, 2, 2.5]);
  assert.ok(Math.abs(s.std - Math.sqrt(1.25)) < 1e-12);
  const empty = summarizeSample([]);
  assert.equal(empty.count, 0);
  assert.ok(Number.isNaN(empty.mean));
});
