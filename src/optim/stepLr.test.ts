import { test } from 'node:test';
import assert from 'node:assert/strict';
import { learningRateAt } from './stepLr.js';

test('learningRateAt follows StepLR: the k-th step uses lr * gamma^floor((k-1)/step_size)', () => {
  const schedule = { kind: 'StepLR' as const, stepSize: 2, gamma: 0.5 };
  const rates = [1, 2, 3, 4, 5, 6, 7].map((k) => learningRateAt(4, schedule, k));
  assert.deepEqual(rates, [4, 4, 2, 2, 1, 1, 0.5]);
  const everyStep = { kind: 'StepLR' as const, stepSize: 1, gamma: 0.6 };
  const main = [1, 2, 3].map((k) => learningRateAt(1, everyStep, k));
  assert.deepEqual(main, [1, 0.6, 0.36]);
});

test('learningRateAt without a schedule is constant', () => {
  assert.equal(learningRateAt(0.3, null, 1000), 0.3);
});
