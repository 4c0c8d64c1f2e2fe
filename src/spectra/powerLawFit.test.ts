import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../errors.js';
import { stream } from '../random/index.js';
import { fitPowerLaw } from './powerLawFit.js';
import { paretoSamples } from './testing/samples.js';

/** SPEC's alpha_i and D_i by the direct formulas (no prefix sums, Math.pow). */
function directFit(values: number[], i: number): { alpha: number; distance: number } {
  const numTail = values.length - i;
  let sumLogs = 0;
  for (let j = i; j < values.length; j++) sumLogs += Math.log(values[j]!);
  const alpha = 1 + numTail / (sumLogs - numTail * Math.log(values[i]!));
  let distance = 0;
  for (let k = 0; k < numTail; k++) {
    distance = Math.max(distance, Math.abs(1 - Math.pow(values[i + k]! / values[i]!, 1 - alpha) - k / numTail));
  }
  return { alpha, distance };
}

test('fitPowerLaw(hill) matches the SPEC formulas at i = floor(N/2) on a tiny array', () => {
  const values = [1, 2, 3, 5, 8, 13, 21];
  const fit = fitPowerLaw(Float64Array.from(values), 'hill');
  const expected = directFit(values, 3);
  assert.equal(fit.xminIndex, 3);
  assert.equal(fit.xmin, 5);
  assert.equal(fit.numTail, 4);
  assert.ok(Math.abs(fit.alpha - expected.alpha) < 1e-12);
  assert.ok(Math.abs(fit.ksDistance - expected.distance) < 1e-12);
  assert.equal(fit.spectralNorm, 21);
  assert.equal(fit.frobeniusSquared, 53);
  assert.ok(Math.abs(fit.stableRank - 53 / 21) < 1e-15);
  assert.ok(Math.abs(fit.alphaHat - expected.alpha * Math.log10(21)) < 1e-12);
});

test('fitPowerLaw(mle_ks) keeps the candidate with the smallest direct-formula D, first on ties', () => {
  const rng = stream(3, 'tiny');
  for (let trial = 0; trial < 20; trial++) {
    const values = Array.from({ length: 5 + trial * 3 }, () => Math.exp(3 * rng.nextDouble())).sort((a, b) => a - b);
    let bestIndex = -1;
    let bestDistance = 1;
    for (let i = 0; i <= values.length - 2; i++) {
      const { alpha, distance } = directFit(values, i);
      const d = alpha > 1 ? distance : 1;
      if (d < bestDistance) [bestIndex, bestDistance] = [i, d];
    }
    const fit = fitPowerLaw(Float64Array.from(values), 'mle_ks');
    assert.equal(fit.xminIndex, bestIndex);
    assert.ok(Math.abs(fit.ksDistance - bestDistance) < 1e-12);
    assert.ok(Math.abs(fit.alpha - directFit(values, bestIndex).alpha) < 1e-12);
  }
});

test('fitPowerLaw(hill) and fitPowerLaw(mle_ks) recover alpha of Pareto samples within 3 standard errors', () => {
  for (const [alpha, seed] of [
    [2.5, 1],
    [4, 2],
    [1.8, 3],
  ] as const) {
    const samples = paretoSamples(3000, alpha, 2, seed);
    for (const method of ['hill', 'mle_ks'] as const) {
      const fit = fitPowerLaw(samples, method);
      const standardError = (fit.alpha - 1) / Math.sqrt(fit.numTail);
      assert.ok(Math.abs(fit.alpha - alpha) < 3 * standardError, `${method} alpha ${fit.alpha} vs ${alpha} (se ${standardError})`);
    }
  }
});

test('fitPowerLaw(mle_ks) finds xmin on a uniform body plus Pareto tail', () => {
  const rng = stream(7, 'body');
  const body = Array.from({ length: 1500 }, () => 0.2 + 0.8 * rng.nextDouble());
  const tail = Array.from(paretoSamples(1500, 3, 1, 7, 'tail'));
  const values = Float64Array.from([...body, ...tail]).sort();
  const fit = fitPowerLaw(values, 'mle_ks');
  assert.ok(fit.xmin > 0.9 && fit.xmin < 1.3, `xmin ${fit.xmin}`);
  const standardError = (fit.alpha - 1) / Math.sqrt(fit.numTail);
  assert.ok(Math.abs(fit.alpha - 3) < 3 * standardError, `alpha ${fit.alpha}`);
  // The Hill fit at the median sits inside the tail here too.
  assert.ok(fitPowerLaw(values, 'hill').xmin >= 0.99);
});

test('fitPowerLaw(xmin_peak) picks xmin inside [0.95p, 1.5p] around the log-histogram peak', () => {
  const samples = paretoSamples(2000, 2.5, 1, 11);
  const logs = Array.from(samples, Math.log10);
  const low = logs[0]!;
  const width = (logs[logs.length - 1]! - low) / 100;
  const counts = new Array(100).fill(0);
  for (const l of logs) counts[Math.min(99, Math.floor((l - low) / width))]++;
  const peak = 10 ** (low + counts.indexOf(Math.max(...counts)) * width);
  const fit = fitPowerLaw(samples, 'xmin_peak');
  assert.ok(fit.xmin >= 0.95 * peak && fit.xmin <= 1.5 * peak, `xmin ${fit.xmin}, peak ${peak}`);
  let bestDistance = 1;
  for (let i = 0; i < samples.length - 1; i++) {
    if (samples[i]! < 0.95 * peak || samples[i]! > 1.5 * peak) continue;
    bestDistance = Math.min(bestDistance, directFit(Array.from(samples), i).distance);
  }
  assert.ok(Math.abs(fit.ksDistance - bestDistance) < 1e-12);
});

test('fitPowerLaw drops numerically-zero eigenvalues and reports xminIndex in the caller array', () => {
  const values = [-1e-15, 0, 1e-14, 1, 2, 3, 5, 8, 13, 21];
  const fit = fitPowerLaw(Float64Array.from(values), 'hill');
  const expected = fitPowerLaw(Float64Array.from([1, 2, 3, 5, 8, 13, 21]), 'hill');
  assert.equal(fit.numZeroEigenvalues, 3);
  assert.equal(fit.xminIndex, expected.xminIndex + 3);
  assert.equal(fit.alpha, expected.alpha);
});

test('fitPowerLaw rejects empty, single, all-zero, identical, NaN, unsorted and negative input with InputError', () => {
  const cases: [number[], RegExp][] = [
    [[], /empty/],
    [[3], /at least 2 positive/],
    [[0, 0, 0, 5], /at least 2 positive/],
    [[0, 0, 0], /at least 2 positive/],
    [[4, 4, 4, 4], /are equal/],
    [[1, Number.NaN, 3], /NaN/],
    [[1, Infinity], /Infinity/],
    [[3, 2, 1], /not ascending/],
    [[-1, 2, 3], /negative/],
  ];
  for (const [values, message] of cases) {
    for (const method of ['hill', 'mle_ks', 'xmin_peak'] as const) {
      assert.throws(() => fitPowerLaw(Float64Array.from(values), method), (e: unknown) => e instanceof InputError && message.test(e.message));
    }
  }
});

test('fitPowerLaw(mle_ks) skips zero-spread tails and still fits the rest', () => {
  const fit = fitPowerLaw(Float64Array.from([1, 1.5, 2.5, 4, 7, 7, 7]), 'mle_ks');
  assert.ok(fit.xminIndex < 4 && fit.alpha > 1 && Number.isFinite(fit.alpha));
});
