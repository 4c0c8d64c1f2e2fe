import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../errors.js';
import { parseExperimentConfig } from './parseExperimentConfig.js';
import { isScalarConfig, listValuedKeys, requireScalarConfig, withSweepValue } from './scalarConfig.js';
import { probedSteps, toTrainOptions, totalSteps } from './toTrainOptions.js';

test('toTrainOptions maps every original key to its camelCase TrainOptions field', () => {
  const { config } = parseExperimentConfig({
    n: 64, batch_size: 16, n_test: 8, h: 12, d: 10, label_noise_std: 0.5, optimizer: 'sgd', momentum: 0.9,
    weight_decay: 0.001, lr: 100, lr_scheduler_cls: 'StepLR', lr_scheduler_kwargs: { step_size: 2, gamma: 0.5 },
    reg_lambda: 0.1, enable_weight_normalization: true, num_epochs: 3, probe_freq_steps: 4, probe_weights: false,
    probe_features: false, plot_overlaps: true, fix_last_layer: false, precision: 'f64', probe_schedule: 'log',
    readout_features: 'paper',
  });
  assert.ok(isScalarConfig(config));
  assert.deepEqual(toTrainOptions(config), {
    numTrain: 64, numTest: 8, inputDim: 10, hiddenDim: 12, labelNoiseStd: 0.5, batchSize: 16, optimizer: 'sgd',
    learningRate: 100, momentum: 0.9, weightDecay: 0.001, lrSchedule: { kind: 'StepLR', stepSize: 2, gamma: 0.5 },
    regLambda: 0.1, shouldNormalizeWeights: true, numEpochs: 3, probeEverySteps: 4, probeSchedule: 'log', readoutFeatures: 'paper',
    shouldProbeWeights: false, shouldProbeFeatures: false, shouldComputeOverlaps: true, isLastLayerFixed: false, precision: 'f64',
  });
});

test('toTrainOptions gives no schedule without lr_scheduler_cls, and full batch by default', () => {
  const { config } = parseExperimentConfig({ n: 50, lr_scheduler_kwargs: { step_size: 1, gamma: 0.5 } });
  assert.ok(isScalarConfig(config));
  const options = toTrainOptions(config);
  assert.equal(options.lrSchedule, null);
  assert.equal(options.batchSize, 50);
});

test('listValuedKeys names the sweep keys holding lists, and requireScalarConfig points at esdlab sweep', () => {
  const { config } = parseExperimentConfig({
    optimizer: ['sgd', 'adam'], lr: [0.1, 1], lr_scheduler_cls: 'StepLR', lr_scheduler_kwargs: { gamma: [0.2, 0.4] },
  });
  assert.deepEqual(listValuedKeys(config), ['optimizer', 'lr', 'lr_scheduler_kwargs.gamma']);
  assert.equal(isScalarConfig(config), false);
  assert.throws(() => requireScalarConfig(config), (error: unknown) => error instanceof ConfigError && /esdlab sweep/.test(error.message));
});

test('withSweepValue sets one sweep key and keeps full batch when n changes', () => {
  const { config } = parseExperimentConfig({ n: [100, 400], batch_size: null, lr_scheduler_cls: 'StepLR', lr_scheduler_kwargs: { gamma: [0.2, 0.4] } });
  const cell = withSweepValue(withSweepValue(config, 'n', 400), 'lr_scheduler_kwargs.gamma', 0.4);
  assert.ok(isScalarConfig(cell));
  const options = toTrainOptions(cell);
  assert.equal(options.numTrain, 400);
  assert.equal(options.batchSize, 400);
  assert.deepEqual(options.lrSchedule, { kind: 'StepLR', stepSize: 1, gamma: 0.4 });
  assert.deepEqual(config.lr_scheduler_kwargs?.gamma, [0.2, 0.4], 'the original config is unchanged');
});

test('totalSteps and probedSteps follow num_epochs * ceil(n / batch_size), probe_freq_steps and the last step', () => {
  const { config } = parseExperimentConfig({ n: 10, batch_size: 4, num_epochs: 2, probe_freq_steps: 2 });
  assert.ok(isScalarConfig(config));
  assert.equal(totalSteps(config), 6);
  assert.deepEqual(probedSteps(config), [0, 2, 4, 6]);
  const { config: uneven } = parseExperimentConfig({ n: 10, num_epochs: 5, probe_freq_steps: 2 });
  assert.ok(isScalarConfig(uneven));
  assert.deepEqual(probedSteps(uneven), [0, 2, 4, 5]);
});
