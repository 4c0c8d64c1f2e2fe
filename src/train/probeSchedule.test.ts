import { test } from 'node:test';
import assert from 'node:assert/strict';
import { probeSteps, totalTrainingSteps } from './probeSchedule.js';

test('probeSteps probes step 0, every k-th step and always the last one', () => {
  assert.deepEqual(probeSteps(10, 10), [0, 10]);
  assert.deepEqual(probeSteps(3, 1), [0, 1, 2, 3]);
  assert.deepEqual(probeSteps(10, 4), [0, 4, 8, 10]);
  assert.deepEqual(probeSteps(0, 5), [0]);
});

test('totalTrainingSteps is num_epochs * ceil(n / B)', () => {
  assert.equal(totalTrainingSteps(10, 2000, 2000), 10);
  assert.equal(totalTrainingSteps(3, 10, 4), 9);
  assert.equal(totalTrainingSteps(2, 10, 50), 2);
});
