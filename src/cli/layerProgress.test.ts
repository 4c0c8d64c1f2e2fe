import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDuration, layerCost, LayerProgressTracker } from './layerProgress.js';

test('layerCost weighs a layer by its Gram and eigensolver work: LLaMA shapes, and W vs W^T', () => {
  assert.equal(layerCost(4096, 11008), layerCost(11008, 4096));
  const ratio = layerCost(11008, 4096) / layerCost(4096, 4096);
  assert.ok(ratio > 1.4 && ratio < 1.8, `ratio ${ratio}`);
  assert.ok(layerCost(64, 64) < 1e-4 * layerCost(4096, 4096));
});

test('LayerProgressTracker: the ETA comes from the cost done, not the count of layers', () => {
  let clock = 0;
  const layers = [
    { name: 'small', shape: [64, 64] as const },
    { name: 'big.a', shape: [2048, 2048] as const },
    { name: 'big.b', shape: [2048, 2048] as const },
  ];
  const tracker = new LayerProgressTracker(layers, () => clock);
  assert.equal(tracker.etaSeconds(), null);
  tracker.start(0);
  clock = 1000;
  tracker.finish(0);
  tracker.start(1);
  tracker.start(2);
  assert.equal(tracker.runningText(), 'big.a, big.b (2 running)');
  // by count, 1 of 3 layers in 1 s would give 2 s left; by cost the two big layers are far more
  const eta = tracker.etaSeconds()!;
  assert.ok(eta > 1000, `eta ${eta}`);
  clock = 21_000;
  tracker.finish(1);
  assert.equal(tracker.done, 2);
  assert.equal(tracker.runningText(), 'big.b');
  // one big layer (of two equal ones) done after 21 s: about 21 s left
  assert.ok(Math.abs(tracker.etaSeconds()! - 21) < 0.1, `eta ${tracker.etaSeconds()}`);
  tracker.finish(2);
  assert.equal(tracker.etaSeconds(), 0);
  assert.equal(tracker.workFraction, 1);
});

test('formatDuration', () => {
  assert.equal(formatDuration(null), '?');
  assert.equal(formatDuration(44.6), '45s');
  assert.equal(formatDuration(725), '12m 05s');
  assert.equal(formatDuration(9060), '2h 31m');
});
