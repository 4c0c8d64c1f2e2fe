import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runPlotSpecs } from './runPlotSpecs.js';
import { readoutSentence, runReportPage } from './runReportPage.js';
import { syntheticRun } from './syntheticReportData.js';

test('lightweight: true drops the per-step weight plots and keeps every other figure', () => {
  const data = syntheticRun();
  const full = Object.keys(runPlotSpecs({ ...data, config: { ...data.config, lightweight: false } }));
  const light = Object.keys(runPlotSpecs({ ...data, config: { ...data.config, lightweight: true } }));
  assert.ok(full.includes('singular_values') && full.includes('weights'), full.join(', '));
  assert.deepEqual(light, full.filter((name) => name !== 'singular_values' && name !== 'weights'));
});

test('the run page says next to the loss plot which read-out features the losses use', () => {
  const data = syntheticRun();
  for (const [value, pattern] of [['reference', /tanh\(XWᵀ\/d\)\/√h.*readout_features: reference/], ['paper', /tanh\(XWᵀ\/√d\)\/√h.*readout_features: paper/]] as const) {
    const config = { ...data.config, readout_features: value };
    const page = runReportPage({ ...data, config }, runPlotSpecs({ ...data, config }));
    const training = page.sections.find((s) => s.heading === 'Training')!;
    assert.ok(training.figures.some((f) => f.name === 'loss'));
    assert.match(training.text!, pattern);
    assert.equal(training.text, readoutSentence(config));
  }
});
