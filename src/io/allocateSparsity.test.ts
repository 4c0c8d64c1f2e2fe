import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../errors.js';
import { allocateSparsity } from './allocateSparsity.js';

test('allocateSparsity maps alpha linearly onto [1 - eps, 1 + eps] and rescales to the weighted mean target', () => {
  const layers = [
    { name: 'a', alpha: 2, numParameters: 100 },
    { name: 'b', alpha: 3, numParameters: 100 },
    { name: 'c', alpha: 4, numParameters: 200 },
  ];
  const out = allocateSparsity(layers, 0.5, 0.2);
  // raw ratios 0.8, 1.0, 1.2; weighted mean (80 + 100 + 240) / 400 = 1.05
  const expected = [0.8, 1.0, 1.2].map((r) => (r * 0.5) / 1.05);
  out.forEach((o, k) => assert.ok(Math.abs(o.sparsity - expected[k]!) < 1e-15, `${o.name}: ${o.sparsity}`));
  const mean = out.reduce((s, o, k) => s + o.sparsity * layers[k]!.numParameters, 0) / 400;
  assert.ok(Math.abs(mean - 0.5) < 1e-15);
  assert.ok(out[0]!.sparsity < out[1]!.sparsity && out[1]!.sparsity < out[2]!.sparsity, 'heavier tails (smaller alpha) are pruned less');
});

test('allocateSparsity gives every layer the target when all alphas are equal, and rejects impossible targets', () => {
  assert.deepEqual(allocateSparsity([{ name: 'a', alpha: 3, numParameters: 5 }, { name: 'b', alpha: 3, numParameters: 7 }], 0.7).map((o) => o.sparsity), [0.7, 0.7]);
  assert.throws(() => allocateSparsity([{ name: 'a', alpha: 3, numParameters: 5 }], 1.2), InputError);
  assert.throws(() => allocateSparsity([{ name: 'a', alpha: Number.NaN, numParameters: 5 }], 0.5), /no layer has a finite alpha/);
  assert.throws(() => allocateSparsity([{ name: 'a', alpha: 9, numParameters: 1 }, { name: 'b', alpha: 2, numParameters: 1000 }], 0.95, 0.5), /outside \[0, 1\]/);
});
