import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ALLOWED_VALUES, INIT_KEYS, VALID_KEYS, experimentConfigSchema } from './configSchema.js';

test('every config key has an allowed-values text for error messages', () => {
  for (const key of Object.keys(experimentConfigSchema.shape)) assert.ok(ALLOWED_VALUES[key], key);
  for (const key of ['lr_scheduler_kwargs.step_size', 'lr_scheduler_kwargs.gamma', ...INIT_KEYS.map((k) => `init.${k}`)]) {
    assert.ok(ALLOWED_VALUES[key], key);
  }
});

test('docs/configs.md documents every config key and init key', () => {
  const docs = readFileSync('docs/configs.md', 'utf8');
  for (const key of [...VALID_KEYS['']!, ...INIT_KEYS, 'lr_scheduler_kwargs.step_size', 'lr_scheduler_kwargs.gamma']) {
    assert.ok(docs.includes(`\`${key}\``), `docs/configs.md mentions \`${key}\``);
  }
});
