import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileSpec } from './compileSpec.js';
import { esdFitSpec } from './esdFitSpec.js';

/** Eigenvalues with a power-law tail above a bulk: 900 in [1, 2], 100 Pareto(alpha = 2.5) from 3. */
function sample(): Float64Array {
  const values = new Float64Array(1000);
  for (let i = 0; i < 900; i++) values[i] = 1 + i / 900;
  for (let i = 0; i < 100; i++) values[900 + i] = 3 * (1 - i / 100) ** (-1 / 1.5);
  return values.sort();
}

test('esdFitSpec draws the histogram, MP fit, power-law line and the xmin and bulk-edge rules, and compiles without warnings', () => {
  const eigenvalues = sample();
  const spec = esdFitSpec({ step: 5, eigenvalues }, { step: 5, alpha_mle_ks: 2.5, xmin_mle: 3, mp_bulk_max: 2, phase: 'bulk_decay' }, { rows: 1500, cols: 1000 });
  const { warnings } = compileSpec(spec);
  assert.deepEqual(warnings, []);
  const layers = spec['layer'] as { data: { values: Record<string, unknown>[] } }[];
  assert.equal(layers.length, 3);
  const series = new Set(layers[1]!.data.values.map((r) => r['series']));
  assert.ok(series.has('Marchenko-Pastur fit'));
  assert.ok(series.has('power law α = 2.50'));
  assert.deepEqual(layers[2]!.data.values.map((r) => r['marker']), ['xmin (MLE-KS)', 'MP bulk edge']);
  // The power-law line is the Pareto density: at lambda = xmin it is tail fraction * (alpha - 1) / xmin * xmin * ln 10.
  const first = layers[1]!.data.values.find((r) => String(r['series']).startsWith('power law'))!;
  assert.ok(Math.abs((first['density'] as number) - 0.1 * 1.5 * Math.LN10) < 1e-12);
  assert.ok(Math.abs((first['x'] as number) - Math.log10(3)) < 1e-12);
});

test('esdFitSpec without fits (no metrics, no shape) still draws the histogram, and a pinned run adds its outline', () => {
  const spec = esdFitSpec({ step: 0, eigenvalues: sample() }, undefined, undefined, { label: 'GD', probe: { step: 0, eigenvalues: sample().map((v) => v * 2) } });
  assert.deepEqual(compileSpec(spec).warnings, []);
  const layers = spec['layer'] as { data: { values: Record<string, unknown>[] } }[];
  assert.equal(layers.length, 2);
  assert.ok(layers[1]!.data.values.every((r) => r['series'] === 'pinned: GD'));
});
