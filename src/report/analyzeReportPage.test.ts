import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeReportPage, layerEsdSpec, layerType } from './analyzeReportPage.js';
import { syntheticAnalyzeReportInput } from './testing/analyzeReportInput.js';

test('analyzeReportPage has the summary, comparison, sparsity and per-layer tables and one ESD figure per layer', () => {
  const page = analyzeReportPage(syntheticAnalyzeReportInput());
  assert.deepEqual(page.tables!.map((t) => t.caption!.split(' ')[0]), ['Model-level', 'Per-layer', 'Allocated', 'Per-layer']);
  assert.deepEqual(Object.keys(page.specs).sort(), ['alpha_depth', 'alpha_histogram', 'compare_alpha', 'esd_0', 'esd_1', 'esd_2', 'phases']);
  const layerTable = page.tables!.at(-1)!;
  assert.deepEqual(layerTable.highlightRows, [1], 'the correlation-trap layer is highlighted');
  const summary = Object.fromEntries(page.tables![0]!.rows.map((r) => [r[0], r[1]]));
  assert.ok(Math.abs((summary['mean α Hill'] as number) - (3.1 + 4.5 + 6.3) / 3) < 1e-12);
  assert.equal(summary['layers with a correlation trap'], 1);
  const compare = page.tables![1]!;
  assert.deepEqual(compare.rows[0]!.slice(1, 4), [3.1, 2.6, 2.6 - 3.1]);
});

test('layerEsdSpec draws the power law as the density of log10 lambda on the tail: f (alpha - 1) ln10 at xmin, slope 1 - alpha', () => {
  const layer = syntheticAnalyzeReportInput().layers[0]!;
  const spec = layerEsdSpec(layer)!;
  const fit = (spec.data as { values: { kind: string; x: number; fit: number }[] }).values.filter((v) => v.kind === 'fit');
  const alpha = 3.4;
  assert.ok(Math.abs(fit[0]!.x - Math.log10(1.2)) < 1e-12);
  assert.ok(Math.abs(fit[0]!.fit - (10 / 32) * (alpha - 1) * Math.LN10) < 1e-12);
  const slope = (Math.log10(fit[1]!.fit) - Math.log10(fit[0]!.fit)) / (fit[1]!.x - fit[0]!.x);
  assert.ok(Math.abs(slope - (1 - alpha)) < 1e-9);
  assert.equal(layerEsdSpec({ record: layer.record }), null);
});

test('layerType reads the usual layer names', () => {
  assert.equal(layerType('model.layers.0.self_attn.q_proj.weight'), 'attention');
  assert.equal(layerType('model.layers.0.mlp.down_proj.weight'), 'mlp / dense');
  assert.equal(layerType('features.0.conv.weight'), 'conv');
  assert.equal(layerType('model.embed_tokens.weight'), 'embedding / head');
  assert.equal(layerType('bn1.running_mean'), 'other');
});
