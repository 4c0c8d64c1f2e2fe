import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../errors.js';
import { createJsBackend } from '../linalg/backends/js/index.js';
import { copy } from '../linalg/index.js';
import { stream } from '../random/index.js';
import { randomizedEsd } from './randomizedEsd.js';
import { scaleMetrics } from './scaleMetrics.js';
import { gaussianMatrix } from './testing/matrices.js';

const backend = createJsBackend();

test('scaleMetrics computes WeightWatcher log norms on a tiny spectrum by hand', () => {
  const metrics = scaleMetrics([0, 1, 4, 16], 2);
  assert.ok(Math.abs(metrics.log10FrobeniusNorm - 0.5 * Math.log10(21)) < 1e-15);
  // WeightWatcher's log_norm is log10 ||W||_F^2: twice log10 ||W||_F
  assert.ok(Math.abs(metrics.logNorm - Math.log10(21)) < 1e-15);
  assert.equal(metrics.logNorm, 2 * metrics.log10FrobeniusNorm);
  assert.ok(Math.abs(metrics.log10SpectralNorm - Math.log10(16)) < 1e-15);
  assert.ok(Math.abs(metrics.alphaWeighted - 2 * Math.log10(16)) < 1e-15);
  assert.ok(Math.abs(metrics.logAlphaNorm - Math.log10(1 + 16 + 256)) < 1e-14);
});

test('scaleMetrics does not overflow on large eigenvalues and large alpha', () => {
  const metrics = scaleMetrics([1e200, 2e200], 5);
  assert.ok(Math.abs(metrics.logAlphaNorm - (1000 + Math.log10(1 + 32))) < 1e-9);
  assert.throws(() => scaleMetrics([1, Number.NaN], 2), InputError);
});

test('randomizedEsd of a Gaussian matrix has no correlation trap and is seeded', async () => {
  const w = gaussianMatrix(120, 80, 3);
  const before = Float64Array.from(w.data);
  const first = await randomizedEsd(backend, w, stream(4, 'shuffle'));
  const second = await randomizedEsd(backend, w, stream(4, 'shuffle'));
  assert.deepEqual(Array.from(w.data), Array.from(before)); // W untouched
  assert.deepEqual(first.eigenvalues, second.eigenvalues);
  assert.equal(first.eigenvalues.length, 80);
  assert.equal(first.hasCorrelationTrap, false);
  assert.ok(first.maxOverEdge! < 1.1);
});

test('randomizedEsd flags a correlation trap when a few huge entries dominate W', async () => {
  const w = copy(gaussianMatrix(120, 80, 5), 'f32');
  w.data[17] = 200;
  w.data[5000] = -150;
  const result = await randomizedEsd(backend, w, stream(6, 'shuffle'));
  assert.equal(result.hasCorrelationTrap, true);
  assert.ok(result.numSpikes >= 2);
});
