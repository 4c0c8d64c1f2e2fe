import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseExperimentConfig } from './parseExperimentConfig.js';
import { buildRunMetrics } from './runMetrics.js';

test('buildRunMetrics writes NaN and Inf as null and lists their paths in non_finite', () => {
  const { config } = parseExperimentConfig({ n: 10 });
  const metrics = buildRunMetrics({
    config,
    seed: 0,
    backend: 'js',
    status: 'done',
    steps: [
      { step: 0, lr: 1, kta: 0.5, alignment: Number.NaN, phase: 'random-like' },
      { step: 1, lr: 1, kta: Number.POSITIVE_INFINITY, alignment: 0.9, extra: new Float64Array([1, Number.NaN]) },
    ],
    timing: { steps_ms: 12.345, plots_ms: 3, total_ms: 20 },
  });
  assert.deepEqual(metrics.steps, [
    { step: 0, lr: 1, kta: 0.5, alignment: null, phase: 'random-like' },
    { step: 1, lr: 1, kta: null, alignment: 0.9, extra: [1, null] },
  ]);
  assert.deepEqual(metrics.non_finite, ['steps[0].alignment', 'steps[1].kta', 'steps[1].extra[1]']);
  assert.deepEqual(metrics.timing, { steps_ms: 12.3, plots_ms: 3, total_ms: 20 });
  assert.equal(metrics.diverged_at_step, null);
  const text = JSON.stringify(metrics);
  assert.ok(!text.includes('NaN') && !text.includes('Infinity'));
});

test('buildRunMetrics leaves non_finite out when every value is finite', () => {
  const { config } = parseExperimentConfig({});
  const metrics = buildRunMetrics({ config, seed: 3, backend: 'wasm', status: 'done', steps: [{ step: 0, lr: 1 }], timing: {} });
  assert.equal('non_finite' in metrics, false);
  assert.deepEqual(Object.keys(metrics), ['config', 'seed', 'backend', 'status', 'diverged_at_step', 'steps', 'timing']);
});

test('runMetricsOf maps the engine timing onto metrics.json keys (plots_ms only when given) and keeps the steps', async () => {
  const { runMetricsOf } = await import('./runMetrics.js');
  const { config } = parseExperimentConfig({ seed: 4 });
  const result = {
    status: 'diverged' as const,
    divergedAtStep: 3,
    steps: [{ step: 0, lr: 1, kta: 0.25 }] as never[],
    timing: { totalMs: 40, trainStepsMs: 10, evaluationMs: 5, probesMs: 20, numSteps: 3 },
  };
  const lab = runMetricsOf(config, 'wasm', result, { total_ms: 50 });
  assert.deepEqual(lab.timing, { steps_ms: 10, evaluations_ms: 5, probes_ms: 20, training_ms: 40, total_ms: 50 });
  assert.equal(lab.seed, 4);
  assert.equal(lab.backend, 'wasm');
  assert.equal(lab.status, 'diverged');
  assert.equal(lab.diverged_at_step, 3);
  assert.deepEqual(lab.steps, [{ step: 0, lr: 1, kta: 0.25 }]);
  const cli = runMetricsOf(config, 'native', result, { plots_ms: 7, total_ms: 60 });
  assert.deepEqual(Object.keys(cli.timing), ['steps_ms', 'evaluations_ms', 'probes_ms', 'training_ms', 'plots_ms', 'total_ms']);
});
