import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../errors.js';
import { createJsBackend } from '../linalg/backends/js/index.js';
import { esdEigenvalues } from './esdEigenvalues.js';
import { fitMarchenkoPastur, marchenkoPasturEdgeMargin } from './marchenkoPasturFit.js';
import { MarchenkoPasturTable, marchenkoPasturDensity, marchenkoPasturEdges } from './marchenkoPasturLaw.js';
import { gaussianMatrix, plantLowRank } from './testing/matrices.js';

const backend = createJsBackend();

test('marchenkoPasturDensity integrates to 1 with mean s^2 max(h, d) over the bulk', () => {
  for (const [rows, cols, varianceScale] of [
    [300, 200, 1],
    [100, 400, 2.5],
    [150, 150, 0.5],
  ] as const) {
    const parameters = { rows, cols, varianceScale };
    const [lower, upper] = marchenkoPasturEdges(parameters);
    // Midpoint rule in theta (x = lower + (upper - lower)(1 - cos theta)/2) removes the square-root edges.
    const steps = 20000;
    let mass = 0;
    let mean = 0;
    for (let k = 0; k < steps; k++) {
      const theta = ((k + 0.5) * Math.PI) / steps;
      const x = lower + ((upper - lower) * (1 - Math.cos(theta))) / 2;
      const weight = marchenkoPasturDensity(x, parameters) * ((upper - lower) / 2) * Math.sin(theta) * (Math.PI / steps);
      mass += weight;
      mean += weight * x;
    }
    assert.ok(Math.abs(mass - 1) < 1e-3, `mass ${mass}`);
    assert.ok(Math.abs(mean / (varianceScale * Math.max(rows, cols)) - 1) < 1e-3, `mean ${mean}`);
    assert.equal(marchenkoPasturDensity(upper * 1.01, parameters), 0);
  }
});

test('MarchenkoPasturTable.quantile inverts cdf, and cdf matches the integrated density', () => {
  const table = new MarchenkoPasturTable(0.25);
  for (const p of [0.01, 0.25, 0.5, 0.9, 0.999]) assert.ok(Math.abs(table.cdf(table.quantile(p)) - p) < 1e-6);
  const parameters = { rows: 400, cols: 100, varianceScale: 1 / 400 }; // x = lambda directly
  const x = 1.3;
  let integral = 0;
  const steps = 200000;
  for (let k = 0; k < steps; k++) {
    const t = table.lower + ((k + 0.5) * (x - table.lower)) / steps;
    integral += (marchenkoPasturDensity(t, parameters) * (x - table.lower)) / steps;
  }
  assert.ok(Math.abs(table.cdf(x) - integral) < 1e-5, `cdf ${table.cdf(x)} vs ${integral}`);
  // scipy (quad + brentq): the median of MP(1) on [0, 4] is 0.6527759416, of MP(1/4) 0.9160040707.
  assert.ok(Math.abs(new MarchenkoPasturTable(1).quantile(0.5) - 0.6527759416) < 1e-6);
  assert.ok(Math.abs(new MarchenkoPasturTable(0.25).quantile(0.5) - 0.9160040707) < 1e-6);
});

test('fitMarchenkoPastur on a Gaussian matrix finds no spikes and the edge within 2%', async () => {
  for (const [rows, cols, variance] of [
    [300, 200, 1],
    [120, 240, 4],
    [160, 160, 1],
  ] as const) {
    const eigenvalues = await esdEigenvalues(backend, gaussianMatrix(rows, cols, rows, variance));
    const fit = fitMarchenkoPastur(eigenvalues, rows, cols);
    const trueEdge = variance * (Math.sqrt(rows) + Math.sqrt(cols)) ** 2;
    assert.equal(fit.numSpikes, 0, `${rows}x${cols}: ${eigenvalues.at(-1)} vs threshold ${fit.spikeThreshold}`);
    assert.deepEqual(fit.spikeIndices, []);
    assert.equal(fit.smallestSpike, null);
    assert.ok(Math.abs(fit.bulkMax / trueEdge - 1) < 0.02, `edge ${fit.bulkMax} vs ${trueEdge}`);
    assert.ok(Math.abs(fit.varianceScale / variance - 1) < 0.02);
    assert.ok(fit.ksDistance < 0.05, `ks ${fit.ksDistance}`);
    assert.equal(fit.softRank, fit.bulkMax / eigenvalues.at(-1)!);
  }
});

test('fitMarchenkoPastur counts k planted spikes above the BBP threshold', async () => {
  for (const strengths of [[2.5], [2, 3, 4], [2, 2.5, 3, 3.5, 6]]) {
    const w = plantLowRank(gaussianMatrix(300, 200, 11), strengths, 11);
    const eigenvalues = await esdEigenvalues(backend, w);
    const fit = fitMarchenkoPastur(eigenvalues, 300, 200);
    assert.equal(fit.numSpikes, strengths.length);
    assert.deepEqual(fit.spikeIndices, Array.from({ length: strengths.length }, (_, i) => 200 - strengths.length + i));
    // A rank-k signal shifts bulk eigenvalues by up to k places: s^2 can move by ~k/N here.
    assert.ok(Math.abs(fit.varianceScale - 1) < 0.03, `s^2 ${fit.varianceScale}`);
  }
});

test('marchenkoPasturEdgeMargin is 5 Tracy-Widom scales plus 3/N and shrinks like N^(-2/3)', () => {
  const m = 1499;
  const n = 1000;
  const sum = Math.sqrt(m) + Math.sqrt(n);
  const expected = (5 * sum * (1 / Math.sqrt(m) + 1 / Math.sqrt(n)) ** (1 / 3)) / sum ** 2 + 3 / n;
  assert.ok(Math.abs(marchenkoPasturEdgeMargin(1500, 1000) - expected) < 1e-15);
  assert.ok(marchenkoPasturEdgeMargin(1000, 1500) === marchenkoPasturEdgeMargin(1500, 1000));
  const ratio = marchenkoPasturEdgeMargin(8000, 8000) / marchenkoPasturEdgeMargin(1000, 1000);
  assert.ok(ratio > 0.2 && ratio < 0.3, `ratio ${ratio}`); // 8^(-2/3) = 0.25
});

test('fitMarchenkoPastur rejects a wrong eigenvalue count, an all-zero spectrum and bad shapes', () => {
  assert.throws(() => fitMarchenkoPastur([1, 2, 3], 10, 4), /4 ESD eigenvalues/);
  assert.throws(() => fitMarchenkoPastur([0, 0, 0], 5, 3), /all-zero/);
  assert.throws(() => fitMarchenkoPastur([1, 2], 0, 2), InputError);
  assert.throws(() => fitMarchenkoPastur([1, Number.NaN], 2, 2), InputError);
});
