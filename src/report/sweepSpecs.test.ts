import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileSpec } from './compileSpec.js';
import { sweepLayout } from './sweepAggregate.js';
import { sweepPlotSpecs } from './sweepSpecs.js';
import { syntheticBulkLossesSweep, syntheticBulkLrSweep } from './syntheticReportData.js';

test('sweepPlotSpecs(bulk_lr) plots final metrics against log10(lr) with the diverged cells marked', () => {
  const data = syntheticBulkLrSweep();
  assert.deepEqual(sweepLayout(data), { kind: 'bulk_lr', varyingParam: 'lr' });
  const specs = sweepPlotSpecs(data);
  assert.deepEqual(Object.keys(specs), ['final_metrics', 'final_esd', 'status']);
  for (const [name, spec] of Object.entries(specs)) assert.deepEqual(compileSpec(spec).warnings, [], name);
  const text = JSON.stringify(specs['final_metrics']);
  for (const title of ['final train loss', 'final test loss', 'final KTA', 'final sim(W, β*)', 'final α Hill', 'final α MLE-KS']) {
    assert.ok(text.includes(title), title);
  }
  assert.match(text, /"status":"diverged"/);
  assert.match(text, /2\/2 diverged at lr = 3000/);
  assert.match(text, /"series":"GD"/);
  assert.match(text, /"series":"Adam"/);
  // The cell where every repeat diverged is named in the final ESD figure rather than left out silently.
  assert.match(JSON.stringify(specs['final_esd']), /Adam lr = 3000: diverged/);
});

test('sweepPlotSpecs(bulk_losses) plots train and test loss per value of the varying parameter', () => {
  const data = syntheticBulkLossesSweep();
  assert.deepEqual(sweepLayout(data), { kind: 'bulk_losses', varyingParam: 'n' });
  const specs = sweepPlotSpecs(data);
  assert.deepEqual(Object.keys(specs), ['losses', 'final_esd', 'status']);
  for (const [name, spec] of Object.entries(specs)) assert.deepEqual(compileSpec(spec).warnings, [], name);
  const text = JSON.stringify(specs['losses']);
  for (const label of ['n = 500', 'n = 2000', 'n = 8000']) assert.ok(text.includes(label), label);
  assert.match(text, /"status":"diverged"/);
  assert.match(text, /"status":"failed"/);
});

test('sweepLayout infers the varying parameter from the runs, matching a dotted config key on its last part', () => {
  const run = (gamma: number, repeat: number) => ({ params: { optimizer: 'adam', gamma }, repeat, status: 'done', steps: [] });
  const layout = sweepLayout({ config: { varying_param: 'lr_scheduler_kwargs.gamma' }, runs: [run(0.2, 0), run(0.4, 0)] });
  assert.deepEqual(layout, { kind: 'bulk_losses', varyingParam: 'gamma' });
});

test('sweepPlotSpecs of a sweep without runs still compiles', () => {
  const specs = sweepPlotSpecs({ runs: [], kind: 'bulk_lr' });
  for (const [name, spec] of Object.entries(specs)) assert.doesNotThrow(() => compileSpec(spec), name);
});
