import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadBackend, type Backend } from '../linalg/node.js';
import { requireTool } from '../testing/oracle.js';
import { parseExperimentConfig } from './parseExperimentConfig.js';
import { requireScalarConfig } from './scalarConfig.js';
import { runExperiment } from './runExperiment.js';
import { buildRunMetrics } from './runMetrics.js';

const config = requireScalarConfig(
  parseExperimentConfig({ n: 120, n_test: 30, h: 48, d: 32, num_epochs: 4, probe_freq_steps: 2, plot_overlaps: true, seed: 3 }).config,
);

/** metrics.json of one run, timing aside. */
async function metricsJson(backend: Backend): Promise<string> {
  const result = await runExperiment(backend, config);
  const document = buildRunMetrics({ config, seed: config.seed, backend: backend.name, status: result.status, divergedAtStep: result.divergedAtStep, steps: result.steps, timing: {} });
  return JSON.stringify(document);
}

const runs = new Map<string, string>();

for (const name of ['js', 'wasm', 'native']) {
  test(`runExperiment twice with the same config and seed gives an identical metrics.json on the ${name} backend`, async (t) => {
    let backend: Backend | null = null;
    try {
      backend = (await loadBackend(name, { threads: 2 })).backend;
    } catch {
      backend = null;
    }
    if (!requireTool(t, backend !== null, `the ${name} backend`)) return;
    try {
      const first = await metricsJson(backend!);
      assert.equal(await metricsJson(backend!), first);
      runs.set(name, first);
    } finally {
      await backend!.dispose?.();
    }
  });
}

test('runExperiment agrees across backends within 1e-4 relative (f32 training: the backends sum GEMMs in different orders)', () => {
  const reference = runs.get('js');
  if (!reference) return;
  const referenceSteps = JSON.parse(reference).steps as Record<string, unknown>[];
  for (const [name, text] of runs) {
    const steps = JSON.parse(text).steps as Record<string, unknown>[];
    assert.equal(steps.length, referenceSteps.length, name);
    for (let i = 0; i < steps.length; i++) {
      for (const key of ['train_loss', 'test_loss', 'kta', 'alignment', 'spectral_norm', 'frobenius_sq'] as const) {
        const x = steps[i]![key] as number;
        const y = referenceSteps[i]![key] as number;
        assert.ok(Math.abs(x - y) <= 1e-4 * Math.max(1, Math.abs(y)), `${name} step ${steps[i]!.step} ${key}: ${x} vs js ${y}`);
      }
    }
  }
});
