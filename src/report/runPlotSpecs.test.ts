import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileSpec } from './compileSpec.js';
import { divergenceStep, runPlotSpecs } from './runPlotSpecs.js';
import { syntheticRun } from './syntheticReportData.js';
import type { TrainResult } from '../train/index.js';
import type { RunReportData, VegaLiteSpec } from './types.js';

// Compile-time contract: the engine's result is a RunReportData as it is (tsc checks this line).
void ((result: TrainResult): RunReportData => result);

/** Every inline data row of a spec, wherever it sits in a composition. */
function dataRowCount(spec: unknown): number {
  if (Array.isArray(spec)) return spec.reduce((a: number, s) => a + dataRowCount(s), 0);
  if (spec === null || typeof spec !== 'object') return 0;
  let count = 0;
  for (const [key, value] of Object.entries(spec)) {
    if (key === 'data' && value && typeof value === 'object' && Array.isArray((value as { values?: unknown }).values)) {
      count += (value as { values: unknown[] }).values.length;
    } else count += dataRowCount(value);
  }
  return count;
}

/** How many numbers in a spec are NaN or infinite. */
function nonFiniteNumbers(spec: unknown): number {
  if (typeof spec === 'number') return Number.isFinite(spec) ? 0 : 1;
  if (spec === null || typeof spec !== 'object') return 0;
  return Object.values(spec).reduce((a: number, v) => a + nonFiniteNumbers(v), 0);
}

function assertCompilesCleanly(specs: Record<string, VegaLiteSpec>): void {
  for (const [name, spec] of Object.entries(specs)) {
    const { vegaSpec, warnings } = compileSpec(spec);
    assert.deepEqual(warnings, [], `${name} compiles without warnings`);
    assert.ok(vegaSpec, name);
    assert.doesNotThrow(() => JSON.stringify(spec), name);
  }
}

test('runPlotSpecs(run) gives every figure of a run, each a valid Vega-Lite spec', () => {
  const specs = runPlotSpecs(syntheticRun());
  assert.deepEqual(Object.keys(specs), [
    'loss',
    'metrics',
    'alignment_profile',
    'esd_initial_final',
    'esd_per_probe',
    'esd_linear',
    'singular_values',
    'weights',
  ]);
  assertCompilesCleanly(specs);
});

test('runPlotSpecs(run with overlaps) adds the overlap heat maps and the update singular values', () => {
  const specs = runPlotSpecs(syntheticRun({ hasOverlaps: true }));
  assert.ok(specs['overlaps']);
  assert.ok(specs['update_singular_values']);
  assertCompilesCleanly(specs);
});

test('runPlotSpecs(diverged run) says so in the titles and draws a rule at the divergence step', () => {
  const data = syntheticRun({ divergeAtStep: 7 });
  assert.equal(divergenceStep(data), 7);
  const specs = runPlotSpecs(data);
  assertCompilesCleanly(specs);
  for (const name of ['loss', 'metrics', 'esd_initial_final', 'weights']) {
    assert.match(JSON.stringify(specs[name]!['title']), /DIVERGED at step 7/, name);
  }
  const loss = JSON.stringify(specs['loss']);
  assert.match(loss, /"type":"rule"/);
  assert.match(loss, /diverged \(step 7\)/);
  // NaN never reaches a spec (JSON would turn it into null silently).
  assert.equal(nonFiniteNumbers(specs), 0);
});

test('runPlotSpecs bins in TypeScript: a 300 x 200 run hands Vega a few thousand rows, not 60,000 weights', () => {
  const specs = runPlotSpecs(syntheticRun({ rows: 300, cols: 200 }));
  const rows = dataRowCount(specs);
  assert.ok(rows < 3000, `${rows} rows`);
  assert.ok(dataRowCount(specs['weights']) <= 160);
});

test('runPlotSpecs accepts a run with no probes and no weights (only the metric figures)', () => {
  const specs = runPlotSpecs({ steps: [{ step: 0, train_loss: 1, test_loss: Number.NaN }], probes: [] });
  assert.deepEqual(Object.keys(specs), ['loss', 'metrics']);
  assertCompilesCleanly(specs);
});

test('runPlotSpecs says how many eigenvalues the log-scale ESDs leave out (zeros of a wide W, NaN)', () => {
  const data = syntheticRun();
  const probe = data.probes[0]!;
  data.probes[0] = { ...probe, eigenvalues: Float64Array.from([0, Number.NaN, ...Array.from(probe.eigenvalues)]) };
  const specs = runPlotSpecs(data);
  assertCompilesCleanly(specs);
  assert.match(JSON.stringify(specs['esd_per_probe']!['title']), /2 zero, negative or non-finite eigenvalue\(s\) left out/);
});
