import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tanhDerivativeFromOutput, tanhFast } from './activation.js';

test('tanhFast is within 3e-7 of Math.tanh everywhere and exactly odd', () => {
  for (let x = -20; x <= 20; x += 1e-3) {
    assert.ok(Math.abs(tanhFast(x) - Math.tanh(x)) < 3e-7, `x=${x}`);
    assert.equal(tanhFast(-x), -tanhFast(x));
  }
  for (let x = 1e-30; x < 1; x *= 1.5) assert.ok(Math.abs(tanhFast(x) / Math.tanh(x) - 1) < 3e-7, `x=${x}`);
  assert.equal(tanhFast(0), 0);
  assert.ok(Number.isNaN(tanhFast(Number.NaN)));
  assert.ok(Math.abs(tanhFast(Infinity) - 1) < 3e-7);
});

test('tanhDerivativeFromOutput is 1 - t^2', () => {
  const t = Math.tanh(0.7);
  const numeric = (Math.tanh(0.7 + 1e-6) - Math.tanh(0.7 - 1e-6)) / 2e-6;
  assert.ok(Math.abs(tanhDerivativeFromOutput(t) - numeric) < 1e-9);
});
