import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import { parseExperimentConfig } from '../experiments/parseExperimentConfig.js';
import { requireScalarConfig } from '../experiments/scalarConfig.js';
import { loadInitArrays } from './loadInitArrays.js';
import { writeNpyFile } from './npyFile.js';

const scalar = (raw: object) => requireScalarConfig(parseExperimentConfig(raw).config);

test('loadInitArrays loads init .npy files relative to the config folder as drawProblem overrides', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'esdlab-init-'));
  await writeNpyFile(join(dir, 'W.npy'), new Float32Array(12).fill(0.5), [4, 3]);
  await writeNpyFile(join(dir, 'a.npy'), new Float32Array([1, 2, 3, 4]), [1, 4]);
  await writeNpyFile(join(dir, 'beta.npy'), new Float64Array([1, 0, 0]), [3, 1]);
  await writeNpyFile(join(dir, 'y.npy'), new Float64Array(8), [8]);
  const config = scalar({ n: 8, n_test: 2, d: 3, h: 4, init: { student_W: 'W.npy', student_a: 'a.npy', teacher_beta: 'beta.npy', y_train: 'y.npy' } });
  const overrides = await loadInitArrays(config, dir);
  assert.equal(overrides.initialW?.rows, 4);
  assert.equal(overrides.initialW?.cols, 3);
  assert.ok(overrides.initialW?.data instanceof Float32Array);
  assert.ok(overrides.initialA instanceof Float64Array);
  assert.deepEqual(Array.from(overrides.initialA!), [1, 2, 3, 4]);
  assert.deepEqual(Array.from(overrides.teacherBeta!), [1, 0, 0]);
  assert.equal(overrides.yTrain?.length, 8);
  assert.equal(overrides.xTrain, undefined);
});

test('loadInitArrays names the key, the file, its shape and the expected shape on a mismatch', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'esdlab-init-'));
  await writeNpyFile(join(dir, 'W.npy'), new Float64Array(15), [5, 3]);
  const config = scalar({ n: 8, d: 3, h: 4, init: { student_W: 'W.npy' } });
  await assert.rejects(loadInitArrays(config, dir), (e: unknown) => e instanceof InputError && e.message === 'init.student_W: W.npy has shape (5, 3), expected (h, d) = (4, 3)');
  const missing = scalar({ n: 8, d: 3, h: 4, init: { X_train: 'nope.npy' } });
  await assert.rejects(loadInitArrays(missing, dir), (e: unknown) => e instanceof InputError && /^init.X_train: .*nope.npy does not exist$/.test(e.message));
});
