import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileSpec } from './compileSpec.js';
import { lossSpec, metricsSpec } from './runMetricSpecs.js';
import { syntheticRun } from './syntheticReportData.js';
import type { StepMetricsLike, VegaLiteSpec } from './types.js';

type Layer = { data: { values: Record<string, unknown>[] }; encoding: Record<string, unknown> };

/** The line layer of every panel of a spec (one for lossSpec, three for metricsSpec). */
function lineLayers(spec: VegaLiteSpec): Layer[] {
  const panels = (spec['hconcat'] as VegaLiteSpec[] | undefined) ?? [spec];
  return panels.map((panel) => (panel['layer'] as Layer[])[0]!);
}

const current = syntheticRun().steps as unknown as StepMetricsLike[];
// the pinned run: other values at every other step, so its rows cannot be mistaken for this run's
const pinned = current.filter((_, i) => i % 2 === 0).map((s) => ({ ...s, train_loss: (s.train_loss ?? 1) * 3, kta: 0.5, alpha_hill: 7 }));

for (const [name, build] of [['lossSpec', lossSpec], ['metricsSpec', metricsSpec]] as const) {
  test(`${name} with a pinned run draws both runs as two series of every metric (dashed pinned), and compiles without warnings`, () => {
    const spec = build(current, null, { label: 'GD lr=2000', steps: pinned });
    assert.deepEqual(compileSpec(spec).warnings, []);
    for (const layer of lineLayers(spec)) {
      const series = new Set(layer.data.values.map((r) => r['series']));
      for (const label of series) {
        const rowsOf = (run: string) => layer.data.values.filter((r) => r['series'] === label && r['run'] === run).map((r) => r['step']);
        assert.ok(rowsOf('this run').length > 0, `${String(label)}: this run's rows`);
        assert.ok(rowsOf('pinned: GD lr=2000').length > 0, `${String(label)}: the pinned run's rows`);
        assert.ok(rowsOf('this run').length > rowsOf('pinned: GD lr=2000').length, 'the pinned run has every other step');
      }
      assert.equal(layer.data.values.filter((r) => r['run'] === undefined).length, 0);
      const dash = layer.encoding['strokeDash'] as { field: string; scale: { domain: string[] } };
      assert.equal(dash.field, 'run');
      assert.deepEqual(dash.scale.domain, ['this run', 'pinned: GD lr=2000']);
    }
    assert.match(JSON.stringify(spec['title']), /dashed: pinned: GD lr=2000/);
  });

  test(`${name} without a pinned run is one run: no run field, no dashes`, () => {
    const spec = build(current, null);
    assert.deepEqual(compileSpec(spec).warnings, []);
    for (const layer of lineLayers(spec)) {
      assert.equal(layer.encoding['strokeDash'], undefined);
      assert.ok(layer.data.values.every((r) => !('run' in r)));
    }
  });
}

test('the pinned rows carry the pinned run\'s values, not this run\'s', () => {
  const spec = lossSpec(current, null, { label: 'x', steps: pinned });
  const rows = lineLayers(spec)[0]!.data.values;
  const pinnedTrain = rows.filter((r) => r['run'] === 'pinned: x' && r['series'] === 'train loss').map((r) => r['value']);
  assert.deepEqual(pinnedTrain, pinned.map((s) => s.train_loss).filter((v) => typeof v === 'number' && Number.isFinite(v)));
});
