import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromRows } from '../linalg/index.js';
import { stream } from '../random/index.js';
import { drawTeacherDirection, softplus, teacherLabels } from './teacher.js';

test('softplus is log(1 + e^z), stable for large |z|', () => {
  for (const z of [-5, -1, 0, 0.5, 3, 10]) assert.ok(Math.abs(softplus(z) - Math.log(1 + Math.exp(z))) < 1e-14);
  assert.equal(softplus(1000), 1000);
  assert.ok(softplus(-800) >= 0 && softplus(-800) < 1e-300);
  assert.ok(Math.abs(softplus(-40) - Math.exp(-40)) < 1e-30);
  assert.equal(softplus(0), Math.LN2);
});

test('drawTeacherDirection has unit norm and is reproducible', () => {
  const beta = drawTeacherDirection(50, stream(0, 'teacher'));
  let norm = 0;
  for (const b of beta) norm += b * b;
  assert.ok(Math.abs(norm - 1) < 1e-14);
  assert.deepEqual(drawTeacherDirection(50, stream(0, 'teacher')), beta);
});

test('teacherLabels are softplus(x.beta) + std * noise', () => {
  const x = fromRows([[1, 2], [-1, 0.5]]);
  const beta = Float64Array.of(0.6, 0.8);
  const y = teacherLabels(x, beta, Float64Array.of(1, -2), 0.3);
  assert.ok(Math.abs(y[0]! - (softplus(2.2) + 0.3)) < 1e-15);
  assert.ok(Math.abs(y[1]! - (softplus(-0.2) - 0.6)) < 1e-15);
});
