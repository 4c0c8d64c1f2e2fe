import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { UNWORDED, describeAllowed, configJsonSchema, allowedValuesOf } from './allowedValues.js';
import { renderConfigDocs, documentedMeanings } from './configDocs.js';
import { ALLOWED_VALUES, INIT_KEYS, LISTABLE_KEYS, ORIGINAL_KEYS, SWEEP_PARAMS, VALID_KEYS, experimentConfigSchema, paramName, sweepKeyOf } from './configSchema.js';

test('every config key, nested ones included, has an allowed-values text derived from the schema', () => {
  const expected = [...Object.keys(experimentConfigSchema.shape), 'lr_scheduler_kwargs.step_size', 'lr_scheduler_kwargs.gamma', ...INIT_KEYS.map((k) => `init.${k}`)];
  assert.deepEqual(Object.keys(ALLOWED_VALUES).sort(), expected.sort());
  const unworded = expected.filter((key) => ALLOWED_VALUES[key] === UNWORDED);
  assert.deepEqual(unworded, [], 'give these keys .meta({ allowed }) in the schema: their rule has no derived wording');
});

test('the wording follows the zod rules', () => {
  const words = allowedValuesOf(
    z.strictObject({
      count: z.number().int().min(1),
      rate: z.union([z.number().positive(), z.array(z.number().positive()).min(1)]),
      fraction: z.number().min(0).lt(1).nullable(),
      kind: z.enum(['a', 'b', 'c']).nullable(),
      flag: z.boolean().default(true),
      only: z.literal('X').nullable(),
      label: z.string().min(1).meta({ allowed: 'a label, stated by hand' }),
    }),
  );
  assert.deepEqual(words, {
    count: 'an integer >= 1',
    rate: 'a number > 0 (or a list of them, for esdlab sweep)',
    fraction: 'a number in [0, 1), or null',
    kind: "one of 'a', 'b', 'c', or null",
    flag: 'true or false',
    only: "'X' or null",
    label: 'a label, stated by hand',
  });
  assert.equal(describeAllowed({ type: 'array', minItems: 1, items: { enum: ['x', 'y'] } }), "a non-empty list of: 'x' or 'y'");
  assert.equal(describeAllowed({ type: 'weird' }), UNWORDED);
});

test('LISTABLE_KEYS are exactly the keys whose schema takes a scalar or a list, and varying_param names them', () => {
  const schema = configJsonSchema(experimentConfigSchema);
  const listable: string[] = [];
  const visit = (node: typeof schema, prefix: string) => {
    for (const [key, child] of Object.entries(node.properties ?? {})) {
      if (/a list of them/.test(ALLOWED_VALUES[prefix + key]!)) listable.push(prefix + key);
      const nested = child.properties ? child : child.anyOf?.find((m) => m.properties);
      if (nested) visit(nested, `${prefix}${key}.`);
    }
  };
  visit(schema, '');
  assert.deepEqual(listable.sort(), [...LISTABLE_KEYS].sort());
  assert.deepEqual(experimentConfigSchema.shape.varying_param.unwrap().unwrap().options, SWEEP_PARAMS);
  assert.equal(paramName('lr_scheduler_kwargs.gamma'), 'gamma');
  for (const key of LISTABLE_KEYS) assert.equal(sweepKeyOf(paramName(key)), key);
  assert.deepEqual(VALID_KEYS.lr_scheduler_kwargs, ['step_size', 'gamma']);
});

test('the original keys are all in the schema', () => {
  for (const key of ORIGINAL_KEYS) assert.ok(key in experimentConfigSchema.shape, key);
});

test('docs/configs.md key tables are what npm run docs:configs generates from the schema, every row with a meaning', () => {
  const docs = readFileSync('docs/configs.md', 'utf8');
  const generated = renderConfigDocs(docs, experimentConfigSchema, ORIGINAL_KEYS);
  assert.equal(docs, generated, 'docs/configs.md differs from the schema: run npm run docs:configs');
  const meanings = documentedMeanings(docs);
  const missing = [...meanings].filter(([, meaning]) => meaning === '').map(([key]) => key);
  assert.deepEqual(missing, [], 'write these keys\' meaning in docs/configs.md');
  for (const key of [...VALID_KEYS['']!, 'lr_scheduler_kwargs.step_size', 'lr_scheduler_kwargs.gamma']) assert.ok(meanings.has(key), key);
  for (const key of INIT_KEYS) assert.ok(docs.includes(`\`${key}\``), `docs/configs.md documents init key \`${key}\``);
});

test('a key added to the schema gets a row in the esdlab table, its meaning from .describe()', () => {
  const docs = readFileSync('docs/configs.md', 'utf8');
  const extended = experimentConfigSchema.extend({ checkpoint_every: z.number().int().min(1).nullable().default(null).describe('write a checkpoint this often') });
  const out = renderConfigDocs(docs, extended, ORIGINAL_KEYS);
  const esdlabTable = out.slice(out.indexOf('config-table:esdlab'));
  assert.match(esdlabTable.slice(0, esdlabTable.indexOf('/config-table')), /\| `checkpoint_every` \| null \| an integer >= 1, or null \| write a checkpoint this often \|/);
});
