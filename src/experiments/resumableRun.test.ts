import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../errors.js';
import { loadBackend } from '../linalg/node.js';
import type { TrainEvent } from '../train/index.js';
import { parseExperimentConfig } from './parseExperimentConfig.js';
import { createResumableRun } from './resumableRun.js';
import { runExperiment } from './runExperiment.js';
import { requireScalarConfig } from './scalarConfig.js';

const { backend } = await loadBackend('js');

for (const optimizer of ['adam', 'sgd'] as const) {
  test(`a run stopped twice (${optimizer}, mini-batch, overlaps) and continued ends bit for bit as the uninterrupted one`, async () => {
    // 4 batches an epoch, 5 epochs: the stops fall mid-epoch, between probes
    const config = requireScalarConfig(
      parseExperimentConfig({ n: 40, n_test: 10, d: 12, h: 16, batch_size: 10, num_epochs: 5, probe_freq_steps: 3, plot_overlaps: true, optimizer, lr: optimizer === 'adam' ? 0.05 : 0.5, momentum: optimizer === 'sgd' ? 0.5 : 0, weight_decay: 0.01, seed: 5 }).config,
    );
    const full = await runExperiment(backend, config);
    const run = createResumableRun(backend, config);
    assert.equal(run.stoppedAtStep, null);
    const stopAt = new Set([5, 13]);
    const starts: number[] = [];
    const probed: number[] = [];
    const onEvent = (event: TrainEvent) => {
      if (event.type === 'start') starts.push(event.firstStep);
      if (event.type === 'probe') probed.push(event.step);
      if (event.type === 'step' && stopAt.has(event.step)) run.stop();
    };
    assert.deepEqual(await run.continue(onEvent), { status: 'stopped', step: 5 });
    assert.equal(run.stoppedAtStep, 5);
    assert.deepEqual(await run.continue(onEvent), { status: 'stopped', step: 13 });
    const outcome = await run.continue(onEvent);
    assert.equal(outcome.status, 'finished');
    if (outcome.status !== 'finished') return;
    assert.deepEqual(starts, [0, 5, 13]);
    assert.deepEqual(probed, full.steps.map((s) => s.step), 'every probe once, none repeated after a resume');
    assert.deepEqual(outcome.result.steps, full.steps);
    assert.deepEqual(outcome.result.probes, full.probes);
    assert.deepEqual(outcome.result.finalW.data, full.finalW.data);
    assert.deepEqual(outcome.result.finalA, full.finalA);
    assert.equal(run.isFinished, true);
    assert.equal(run.stoppedAtStep, null);
    assert.ok(run.activeMs > 0);
    await assert.rejects(run.continue(), InputError);
  });
}

test('stop(afterStep) pauses after exactly that step, also when scheduled before continue(); one already passed stops at once', async () => {
  const config = requireScalarConfig(parseExperimentConfig({ n: 30, n_test: 5, d: 6, h: 8, batch_size: 10, num_epochs: 4, probe_freq_steps: 4, seed: 2 }).config);
  const run = createResumableRun(backend, config);
  run.stop(4);
  assert.deepEqual(await run.continue(), { status: 'stopped', step: 4 });
  run.stop(9);
  assert.deepEqual(await run.continue(), { status: 'stopped', step: 9 });
  run.stop(3); // already past: stops before the next step
  assert.deepEqual(await run.continue(), { status: 'stopped', step: 9 });
  const outcome = await run.continue();
  assert.equal(outcome.status, 'finished');
  if (outcome.status === 'finished') assert.deepEqual(outcome.result.steps, (await runExperiment(backend, config)).steps);
});

test('stop() before any step pauses after the step-0 probe; continue() does not probe step 0 again', async () => {
  const config = requireScalarConfig(parseExperimentConfig({ n: 20, n_test: 5, d: 6, h: 8, num_epochs: 3, probe_freq_steps: 1, seed: 1 }).config);
  const run = createResumableRun(backend, config);
  const first = run.continue((event) => {
    if (event.type === 'probe' && event.step === 0) run.stop();
  });
  assert.equal(run.isRunning, true);
  await assert.rejects(run.continue(), InputError, 'one continue() at a time');
  assert.deepEqual(await first, { status: 'stopped', step: 0 });
  const probed: number[] = [];
  const outcome = await run.continue((event) => void (event.type === 'probe' && probed.push(event.step)));
  assert.deepEqual(probed, [1, 2, 3]);
  assert.equal(outcome.status, 'finished');
  if (outcome.status === 'finished') assert.deepEqual(outcome.result.steps, (await runExperiment(backend, config)).steps);
});
