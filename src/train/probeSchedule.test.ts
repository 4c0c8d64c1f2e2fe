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

test('the log schedule has step 0, the last step and about 30 probes per decade once steps are distinct', () => {
  const steps = probeSteps(10000, 10, 'log');
  assert.equal(steps[0], 0);
  assert.equal(steps[steps.length - 1], 10000);
  for (let i = 1; i < steps.length; i++) assert.ok(steps[i]! > steps[i - 1]!, 'strictly ascending');
  const inDecade = (low: number, high: number) => steps.filter((s) => s > low && s <= high).length;
  assert.equal(inDecade(1000, 10000), 30);
  assert.equal(inDecade(100, 1000), 30);
  assert.ok(inDecade(1, 10) === 9, 'steps 2..10 are all probed');
  assert.deepEqual(probeSteps(7, 1, 'log'), [0, 1, 2, 3, 4, 5, 6, 7]);
  assert.deepEqual(probeSteps(0, 1, 'log'), [0]);
  // the last step is added when it is not on the grid
  assert.deepEqual(probeSteps(1001, 1, 'log').slice(-2), [1000, 1001]);
});
