import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import type { TrainCheckpoint } from '../train/index.js';
import { CHECKPOINT_FILE, readRunCheckpoint, removeRunCheckpoint, writeRunCheckpoint } from './runCheckpoint.js';

test('a checkpoint goes to disk and back exactly: typed arrays, NaN, infinities and -0', () => {
  const directory = mkdtempSync(join(tmpdir(), 'esdlab-ckpt-'));
  const training = {
    step: 3,
    w: new Float32Array([1.5, -0, 3e-39, Number.NaN]),
    order: new Uint32Array([2, 0, 1]),
    optimizerW: { stepCount: 3, buffers: { firstMoment: new Float64Array([Math.PI, -Infinity]), secondMoment: null } },
    steps: [{ step: 0, kta: Number.NaN, phase: '', lr: -0 }],
    probes: [{ step: 0, overlaps: { leftOverlap: { rows: 1, cols: 1, data: new Float64Array([0.25]) } } }],
  } as unknown as TrainCheckpoint;
  assert.equal(readRunCheckpoint(directory), null);
  writeRunCheckpoint(directory, { backend: 'js', training });
  assert.ok(!existsSync(join(directory, `${CHECKPOINT_FILE}.tmp`)));
  const back = readRunCheckpoint(directory)!;
  assert.equal(back.backend, 'js');
  assert.deepStrictEqual(back.training, training);
  removeRunCheckpoint(directory);
  assert.equal(readRunCheckpoint(directory), null);
});

test('a file that is not an esdlab checkpoint gets one line naming it', () => {
  const directory = mkdtempSync(join(tmpdir(), 'esdlab-ckpt-'));
  writeFileSync(join(directory, CHECKPOINT_FILE), '{"format": "other"}');
  assert.throws(() => readRunCheckpoint(directory), (e: unknown) => e instanceof InputError && /checkpoint\.json is not an esdlab checkpoint/.test(e.message));
  writeFileSync(join(directory, CHECKPOINT_FILE), '{trunc');
  assert.throws(() => readRunCheckpoint(directory), /is not readable JSON/);
});
