import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stream } from '../random/index.js';
import { normalizeFrobeniusInPlace } from './weightNormalization.js';

test('normalizeFrobeniusInPlace rescales W to norm sqrt(h d) and keeps its direction', () => {
  const h = 30;
  const d = 20;
  const w = stream(0, 'w').fillNormal(new Float64Array(h * d), 0, 3);
  const before = Float64Array.from(w);
  const oldNorm = normalizeFrobeniusInPlace(w, Math.sqrt(h * d));
  let sumSquares = 0;
  for (const v of w) sumSquares += v * v;
  assert.ok(Math.abs(Math.sqrt(sumSquares) - Math.sqrt(h * d)) < 1e-10);
  for (let i = 0; i < w.length; i++) assert.ok(Math.abs(w[i]! * (oldNorm / Math.sqrt(h * d)) - before[i]!) < 1e-12);
});

test('normalizeFrobeniusInPlace leaves a zero matrix alone', () => {
  const w = new Float32Array(4);
  assert.equal(normalizeFrobeniusInPlace(w, 2), 0);
  assert.deepEqual([...w], [0, 0, 0, 0]);
});
