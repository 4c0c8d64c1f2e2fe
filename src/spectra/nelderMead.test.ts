import { test } from 'node:test';
import assert from 'node:assert/strict';
import { minimizeNelderMead } from './nelderMead.js';

test('minimizeNelderMead finds the Rosenbrock minimum at (1, 1)', () => {
  const rosenbrock = (p: Float64Array): number => 100 * (p[1]! - p[0]! ** 2) ** 2 + (1 - p[0]!) ** 2;
  const result = minimizeNelderMead(rosenbrock, [-1.2, 1], [0.5, 0.5], { maxIterations: 5000, tolerance: 1e-16 });
  assert.ok(result.hasConverged);
  assert.ok(Math.abs(result.point[0]! - 1) < 1e-4 && Math.abs(result.point[1]! - 1) < 1e-4, `at ${result.point}`);
});

test('minimizeNelderMead treats Infinity and NaN as out of range', () => {
  const bounded = (p: Float64Array): number => {
    const x = p[0]!;
    if (x < 0) return Number.NaN;
    if (x > 2.5) return Infinity;
    return (x - 2) ** 2;
  };
  const result = minimizeNelderMead(bounded, [0.5], [4]); // the first step lands out of range
  assert.ok(Math.abs(result.point[0]! - 2) < 1e-5);
});
