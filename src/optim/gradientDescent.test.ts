import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../errors.js';
import { GradientDescent } from './gradientDescent.js';

test('GradientDescent with momentum and weight decay matches the update by hand', () => {
  const mu = 0.9;
  const wd = 0.01;
  const lr = 0.1;
  const gd = new GradientDescent({ momentum: mu, weightDecay: wd });
  const p = Float64Array.of(1, -2);
  const gradients = [Float64Array.of(0.5, 0.25), Float64Array.of(-1, 2), Float64Array.of(0, 0)];
  const expected = [1, -2];
  const buffer = [0, 0];
  gradients.forEach((g, step) => {
    for (let i = 0; i < 2; i++) {
      const full = g[i]! + wd * expected[i]!;
      buffer[i] = step === 0 ? full : mu * buffer[i]! + full;
      expected[i]! -= lr * buffer[i]!;
    }
    gd.step(p, g, lr);
    for (let i = 0; i < 2; i++) assert.ok(Math.abs(p[i]! - expected[i]!) < 1e-15, `step ${step + 1} entry ${i}`);
  });
  assert.equal(gd.stepCount, 3);
});

test('GradientDescent without momentum is W -= lr (G + wd W)', () => {
  const p = Float64Array.of(3);
  new GradientDescent({ momentum: 0, weightDecay: 0.5 }).step(p, Float64Array.of(1), 2);
  assert.equal(p[0], 3 - 2 * (1 + 1.5));
});

test('GradientDescent rejects a gradient of another length', () => {
  assert.throws(() => new GradientDescent({ momentum: 0, weightDecay: 0 }).step(new Float64Array(2), new Float64Array(3), 1), InputError);
});
