import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, EsdlabError, InputError, nullOn, nullOnAsync } from './errors.js';

test('nullOn returns the value, null for the given class and its subclasses, and rethrows anything else', () => {
  assert.equal(nullOn(InputError, () => 3), 3);
  assert.equal(nullOn(InputError, () => { throw new InputError('degenerate'); }), null);
  assert.equal(nullOn(EsdlabError, () => { throw new ConfigError('bad'); }), null);
  assert.throws(() => nullOn(InputError, () => { throw new ConfigError('bad'); }), ConfigError);
  assert.throws(() => nullOn(EsdlabError, () => { throw new TypeError('bug'); }), TypeError);
});

test('nullOnAsync does the same for a promise', async () => {
  assert.equal(await nullOnAsync(InputError, async () => 4), 4);
  assert.equal(await nullOnAsync(InputError, async () => { throw new InputError('degenerate'); }), null);
  await assert.rejects(nullOnAsync(InputError, async () => { throw new RangeError('bug'); }), RangeError);
});
