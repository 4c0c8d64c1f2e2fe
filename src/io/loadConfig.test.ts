import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, InputError } from '../errors.js';
import { isScalarConfig, listValuedKeys } from '../experiments/scalarConfig.js';
import { loadConfigFile } from './loadConfig.js';

const SHIPPED = ['main', 'main_long', 'main_lr_schedule', 'bulk_lr', 'bulk_lr_reduced', 'bulk_losses_vary_n', 'bulk_losses_vary_reg_lambda', 'bulk_losses_vary_label_noise_std', 'bulk_losses_vary_step_lr_gamma'];

test('loadConfigFile parses every shipped config in configs/', () => {
  const files = readdirSync('configs').filter((f) => f.endsWith('.yml')).sort();
  assert.deepEqual(files, SHIPPED.map((name) => `${name}.yml`).sort());
  for (const file of files) {
    const { config, notices } = loadConfigFile(join('configs', file));
    assert.equal(config.name, file.replace(/\.yml$/, ''));
    assert.deepEqual(notices, [], `${file} has no notices`);
  }
});

test('the shipped configs hold SPEC section 7 values', () => {
  const main = loadConfigFile('configs/main.yml').config;
  assert.ok(isScalarConfig(main));
  assert.deepEqual(
    [main.n, main.batch_size, main.n_test, main.h, main.d, main.label_noise_std, main.optimizer, main.lr, main.reg_lambda, main.num_epochs, main.probe_freq_steps, main.fix_last_layer],
    [2000, 2000, 200, 1500, 1000, 0.3, 'adam', 1, 0.01, 10, 10, true],
  );
  const long = loadConfigFile('configs/main_long.yml').config;
  assert.deepEqual(
    [long.optimizer, long.lr, long.num_epochs, long.batch_size, long.probe_schedule, long.checkpoint_every_steps, long.h, long.d, long.n],
    ['adam', 0.1, 10000, 2000, 'log', 500, 1500, 1000, 2000],
  );
  const schedule = loadConfigFile('configs/main_lr_schedule.yml').config;
  assert.equal(schedule.lr_scheduler_cls, 'StepLR');
  assert.deepEqual(schedule.lr_scheduler_kwargs, { step_size: 1, gamma: 0.6 });
  assert.equal(schedule.num_epochs, 10);
  assert.equal(schedule.probe_freq_steps, 1);
  const bulkLr = loadConfigFile('configs/bulk_lr.yml').config;
  assert.deepEqual(listValuedKeys(bulkLr), ['optimizer', 'lr']);
  assert.deepEqual(bulkLr.lr, [0.001, 0.01, 0.1, 1, 10, 100, 1000, 2000, 3000]);
  assert.equal(bulkLr.repeat, 5);
  assert.equal(bulkLr.n, 2000);
  const reduced = loadConfigFile('configs/bulk_lr_reduced.yml').config;
  assert.deepEqual(reduced.lr, [0.01, 1, 10, 100, 1000, 2000, 3000]);
  assert.equal(reduced.repeat, 2);
  const expected: Record<string, [string, unknown]> = {
    bulk_losses_vary_n: ['n', [500, 2000, 4000, 8000]],
    bulk_losses_vary_reg_lambda: ['reg_lambda', [0.1, 0.01, 0.001, 0.0001]],
    bulk_losses_vary_label_noise_std: ['label_noise_std', [0.1, 0.3, 0.5, 0.7]],
    bulk_losses_vary_step_lr_gamma: ['lr_scheduler_kwargs.gamma', [0.2, 0.4, 0.6, 0.8]],
  };
  for (const [name, [key, values]] of Object.entries(expected)) {
    const config = loadConfigFile(`configs/${name}.yml`).config;
    assert.deepEqual(listValuedKeys(config), [key], name);
    const value = key === 'lr_scheduler_kwargs.gamma' ? config.lr_scheduler_kwargs?.gamma : config[key as 'n'];
    assert.deepEqual(value, values, name);
    assert.equal(config.repeat, 2, name);
    assert.equal(config.probe_freq_steps, 1, name);
  }
});

test('loadConfigFile applies flag overrides before validation', () => {
  const { config } = loadConfigFile('configs/main.yml', { seed: 7, precision: 'f64', backend: undefined });
  assert.equal(config.seed, 7);
  assert.equal(config.precision, 'f64');
  assert.throws(() => loadConfigFile('configs/main.yml', { seed: 'abc' }), (e: unknown) => e instanceof ConfigError && /^seed: 'abc' is not allowed/.test(e.message));
});

test('loadConfigFile reports a missing file, bad YAML and a non-mapping in one line', () => {
  assert.throws(() => loadConfigFile('configs/nope.yml'), (e: unknown) => e instanceof InputError && /cannot read config configs\/nope.yml: no such file/.test(e.message));
  const dir = mkdtempSync(join(tmpdir(), 'esdlab-config-'));
  writeFileSync(join(dir, 'bad.yml'), 'lr: [1, 2\nh: 3\n');
  assert.throws(() => loadConfigFile(join(dir, 'bad.yml')), (e: unknown) => e instanceof ConfigError && /is not valid YAML/.test(e.message) && !e.message.includes('\n'));
  writeFileSync(join(dir, 'list.yml'), '- 1\n- 2\n');
  assert.throws(() => loadConfigFile(join(dir, 'list.yml')), (e: unknown) => e instanceof ConfigError && /mapping/.test(e.message));
  writeFileSync(join(dir, 'empty.yml'), '# nothing\n');
  assert.equal(loadConfigFile(join(dir, 'empty.yml')).config.n, 2000);
});
