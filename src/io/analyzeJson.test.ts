import { test } from 'node:test';
import assert from 'node:assert/strict';
import { finiteOrNull, layerToJson, toSnakeCaseJson } from './analyzeJson.js';

test('toSnakeCaseJson renames camelCase keys, turns NaN and Inf into null and typed arrays into arrays', () => {
  assert.deepEqual(toSnakeCaseJson({ pValue: Number.NaN, numSets: 3, isNested: false, nested: { logAlphaNorm: Infinity, values: Float64Array.of(1, Number.NaN) } }), {
    p_value: null,
    num_sets: 3,
    is_nested: false,
    nested: { log_alpha_norm: null, values: [1, null] },
  });
  assert.equal(finiteOrNull(-Infinity), null);
  assert.equal(finiteOrNull(0), 0);
});

test('layerToJson gives a failed layer null diagnostics, its error, and eigs only when asked', () => {
  const layer = {
    name: 'w',
    shape: [3, 2] as const,
    tensorShape: [3, 2],
    dtype: 'F32',
    file: 'm.safetensors',
    numEigenvalues: 2,
    durationMs: 1.234,
    eigenvalues: Float64Array.of(0, 0),
    error: 'every entry is zero',
  };
  const json = layerToJson(layer);
  assert.equal(json.status, 'failed');
  assert.equal(json.error, 'every entry is zero');
  assert.equal(json.alpha_hill, null);
  assert.equal(json.phase, null);
  assert.ok(!('eigs' in json) && !('gof' in json));
  const withExtras = layerToJson(layer, { shouldIncludeEigenvalues: true, shouldIncludeGoodnessOfFit: true });
  assert.deepEqual(withExtras.eigs, [0, 0]);
  assert.equal(withExtras.gof, null);
});
