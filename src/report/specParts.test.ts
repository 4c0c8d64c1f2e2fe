import { test } from 'node:test';
import assert from 'node:assert/strict';
import { logDensityFloor } from './specParts.js';

test('logDensityFloor rounds half the lowest positive density down to a power of ten, so log-axis bars stand on the axis', () => {
  assert.equal(logDensityFloor([0.5, 0.0152, 0, null, 2]), 1e-3);
  assert.equal(logDensityFloor([0.04, 0.3]), 1e-2);
  assert.equal(logDensityFloor([0.3], 3), 0.1);
  assert.equal(logDensityFloor([0, null, undefined]), 1e-6);
});
