import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Adam, ADAM_BETA1, ADAM_BETA2, ADAM_EPSILON } from './adam.js';

test('Adam: the first step is lr * sign(G) up to eps', () => {
  const gradient = Float64Array.of(3, -0.002, 1e-5, -40);
  const parameter = Float64Array.of(1, 2, 3, 4);
  new Adam({ momentum: 0, weightDecay: 0 }).step(parameter, gradient, 0.5);
  const expected = [1 - 0.5, 2 + 0.5, 3 - 0.5, 4 + 0.5];
  for (let i = 0; i < 4; i++) {
    const g = gradient[i]!;
    assert.ok(Math.abs(parameter[i]! - expected[i]!) <= (0.5 * ADAM_EPSILON) / Math.abs(g) + 1e-15, `entry ${i}`);
  }
});

test('Adam: two steps follow the bias-corrected moments by hand, with L2 weight decay in the gradient', () => {
  const wd = 0.1;
  const lr = 0.01;
  const adam = new Adam({ momentum: 0.9, weightDecay: wd });
  const p = Float64Array.of(2);
  let m = 0;
  let v = 0;
  let expected = 2;
  for (const [t, g] of [[1, 0.5], [2, -0.3]] as const) {
    const gradient = g + wd * expected;
    m = ADAM_BETA1 * m + (1 - ADAM_BETA1) * gradient;
    v = ADAM_BETA2 * v + (1 - ADAM_BETA2) * gradient * gradient;
    expected -= (lr * (m / (1 - ADAM_BETA1 ** t))) / (Math.sqrt(v / (1 - ADAM_BETA2 ** t)) + ADAM_EPSILON);
    adam.step(p, Float64Array.of(g), lr);
    assert.ok(Math.abs(p[0]! - expected) < 1e-15);
  }
  assert.equal(adam.stepCount, 2);
});

test('Adam keeps its moments in the parameter dtype (f32 training)', () => {
  const p = Float32Array.of(1, 1);
  new Adam({ momentum: 0, weightDecay: 0 }).step(p, Float32Array.of(1, -1), 0.25);
  assert.deepEqual([...p], [0.75, 1.25]);
});
