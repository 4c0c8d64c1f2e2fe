import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { parseExperimentConfig } from './parseExperimentConfig.js';
import { resultKey } from './resultKey.js';
import { stableJson } from './stableJson.js';

const parse = (raw: object) => parseExperimentConfig(raw).config;

test('resultKey depends on every value and the seed, not on key order, out or backend', () => {
  const a = parse({ n: 10, h: 4, lr: [1, 2] });
  assert.match(resultKey(a), /^[0-9a-f]{64}$/);
  assert.equal(resultKey(a), resultKey(parse({ lr: [1, 2], h: 4, n: 10 })));
  assert.equal(resultKey(a), resultKey({ ...a, out: 'elsewhere', backend: 'js' }));
  assert.notEqual(resultKey(a), resultKey({ ...a, seed: 1 }));
  assert.notEqual(resultKey(a), resultKey({ ...a, h: 5 }));
});

test('resultKey is the SHA-256 of the canonical config without out and backend (so run folder names did not change)', () => {
  const config = { ...parse({ n: 10 }), name: 'tiny' };
  const { out: _out, backend: _backend, ...rest } = config;
  assert.equal(resultKey(config), createHash('sha256').update(stableJson(rest)).digest('hex'));
});
