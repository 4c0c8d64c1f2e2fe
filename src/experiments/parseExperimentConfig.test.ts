import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from '../errors.js';
import { parseExperimentConfig } from './parseExperimentConfig.js';

function configErrorOf(raw: unknown): ConfigError {
  try {
    parseExperimentConfig(raw);
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    assert.ok(!error.message.includes('\n'), `message is one line: ${error.message}`);
    return error;
  }
  assert.fail('expected a ConfigError');
}

test('parseExperimentConfig({}) fills in the main experiment defaults', () => {
  const { config, notices } = parseExperimentConfig({});
  assert.equal(config.n, 2000);
  assert.equal(config.batch_size, 2000);
  assert.equal(config.batch_size_test, 200);
  assert.equal(config.h, 1500);
  assert.equal(config.d, 1000);
  assert.equal(config.optimizer, 'adam');
  assert.equal(config.lr, 1);
  assert.equal(config.lr_scheduler_cls, null);
  assert.equal(config.seed, 0);
  assert.equal(config.precision, 'f32');
  assert.equal(config.fix_last_layer, true);
  assert.deepEqual(config.init, {});
  assert.deepEqual(notices, []);
});

test('parseExperimentConfig rejects an unknown key, naming it and the closest valid key', () => {
  const error = configErrorOf({ learning_rate: 1, lrr: 2 });
  assert.match(error.message, /unknown config key 'learning_rate'/);
  const typo = configErrorOf({ reg_lamba: 0.01 });
  assert.match(typo.message, /'reg_lamba'.*did you mean 'reg_lambda'/);
  assert.equal(typo.key, 'reg_lamba');
  const nested = configErrorOf({ lr_scheduler_cls: 'StepLR', lr_scheduler_kwargs: { step_size: 1, gama: 0.5 } });
  assert.match(nested.message, /'lr_scheduler_kwargs.gama'.*did you mean 'gamma'/);
  const initKey = configErrorOf({ init: { student_w: 'w.npy' } });
  assert.match(initKey.message, /'init.student_w'.*did you mean 'student_W'/);
});

test('parseExperimentConfig names the key, the value and what is allowed for a wrong type', () => {
  const error = configErrorOf({ h: 'wide' });
  assert.equal(error.key, 'h');
  assert.match(error.message, /^h: 'wide' is not allowed; it must be an integer >= 1$/);
  assert.match(configErrorOf({ fix_last_layer: 'yes' }).message, /fix_last_layer: 'yes' .* true or false/);
  assert.match(configErrorOf({ n: 1.5 }).message, /n: 1.5 is not allowed; it must be an integer >= 1/);
  assert.match(configErrorOf({ optimizer: 'sdg' }).message, /optimizer: 'sdg' .* 'sgd' or 'adam'/);
  assert.match(configErrorOf({ L: 3 }).message, /L: 3 .* 2 \(esdlab trains two-layer students only\)/);
  assert.match(configErrorOf({ precision: 'f16' }).message, /precision: 'f16' .* 'f32' or 'f64'/);
  assert.match(configErrorOf({ readout_features: 'papr' }).message, /^readout_features: 'papr' is not allowed; it must be 'reference' .* or 'paper'/);
  assert.match(configErrorOf({ probe_schedule: 'exp' }).message, /^probe_schedule: 'exp' is not allowed; it must be 'linear' .* or 'log'/);
  assert.match(configErrorOf({ checkpoint_every_steps: 0 }).message, /^checkpoint_every_steps: 0 is not allowed; it must be an integer >= 1, or null/);
});

test('parseExperimentConfig rejects lr <= 0, h = 0 and batch_size > n', () => {
  assert.match(configErrorOf({ lr: 0 }).message, /^lr: 0 is not allowed; it must be a number > 0/);
  assert.match(configErrorOf({ lr: -1 }).message, /^lr: -1 /);
  assert.match(configErrorOf({ lr: [1, 0] }).message, /^lr: 0 \(item 2 of its list\) is not allowed/);
  assert.match(configErrorOf({ h: 0 }).message, /^h: 0 is not allowed; it must be an integer >= 1$/);
  const batch = configErrorOf({ n: 100, batch_size: 200 });
  assert.equal(batch.key, 'batch_size');
  assert.match(batch.message, /batch_size: 200 .* <= n \(100\)/);
  assert.match(configErrorOf({ momentum: 1 }).message, /momentum: 1 .* \[0, 1\)/);
  assert.match(configErrorOf({ seed: -1 }).message, /seed: -1 .* integer >= 0/);
});

test('parseExperimentConfig requires lr_scheduler_kwargs with StepLR and rejects other schedulers', () => {
  assert.match(configErrorOf({ lr_scheduler_cls: 'StepLR' }).message, /lr_scheduler_kwargs: missing/);
  assert.match(configErrorOf({ lr_scheduler_cls: 'CosineAnnealingLR' }).message, /lr_scheduler_cls: 'CosineAnnealingLR' .* 'StepLR' or null/);
  const { config } = parseExperimentConfig({ lr_scheduler_cls: 'StepLR', lr_scheduler_kwargs: { step_size: 2 } });
  assert.deepEqual(config.lr_scheduler_kwargs, { step_size: 2, gamma: 0.1 });
});

test('parseExperimentConfig accepts enable_ww: true with a notice that it is ignored', () => {
  const { config, notices } = parseExperimentConfig({ enable_ww: true });
  assert.equal(config.enable_ww, true);
  assert.equal(notices.length, 1);
  assert.match(notices[0]!, /enable_ww is ignored/);
});

test('parseExperimentConfig resolves batch_size null to n, and leaves it null while n is a list', () => {
  assert.equal(parseExperimentConfig({ n: 300, batch_size: null }).config.batch_size, 300);
  const sweep = parseExperimentConfig({ n: [500, 2000], batch_size: null }).config;
  assert.equal(sweep.batch_size, null);
  assert.deepEqual(sweep.n, [500, 2000]);
});

test('parseExperimentConfig accepts an original-style YAML file unchanged', () => {
  // The original project's configs are its Python `exp_context` dicts written as YAML: Python-style
  // True/False, 1e-2 floats, inline lists, comments.
  const text = `
L: 2
n: 8000
batch_size: 8000
n_test: 200
batch_size_test: 200
h: 1500
d: 1000
label_noise_std: 0.3
num_epochs: 10
optimizer: adam
momentum: 0
weight_decay: 0
lr: 1
lr_scheduler_cls: StepLR
lr_scheduler_kwargs:
  step_size: 1
  gamma: [0.2, 0.4, 0.6, 0.8]
reg_lambda: 1e-2
enable_weight_normalization: False
# NOTE: The probing now occurs based on number of steps.
probe_freq_steps: 1
probe_weights: False
probe_features: False
plot_overlaps: False
fix_last_layer: True
lightweight: True
enable_ww: False # setting enable_ww to True will open plots that need to be closed manually.
repeat: 2
varying_param: gamma
`;
  const { config, notices } = parseExperimentConfig(parseYaml(text));
  assert.equal(config.reg_lambda, 0.01);
  assert.equal(config.fix_last_layer, true);
  assert.equal(config.lightweight, true);
  assert.deepEqual(config.lr_scheduler_kwargs, { step_size: 1, gamma: [0.2, 0.4, 0.6, 0.8] });
  assert.equal(config.varying_param, 'gamma');
  assert.deepEqual(notices, []);
});

test('parseExperimentConfig rejects a config that is not a mapping', () => {
  assert.match(configErrorOf([1, 2]).message, /mapping/);
  assert.match(configErrorOf('lr: 1').message, /mapping/);
});
