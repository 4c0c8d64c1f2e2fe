import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import { parseExperimentConfig } from '../experiments/parseExperimentConfig.js';
import { resultKey } from '../experiments/resultKey.js';
import { readNpyFile } from './npyFile.js';
import { readSpectraShape } from './spectraShape.js';
import { checkRunDirectory, createRunDirectory, defaultRunDirectory, writeResolvedConfig, writeSpectra } from './runOutput.js';

const configOf = (raw: object) => ({ ...parseExperimentConfig(raw).config, name: 'tiny' });

test('the default run folder is named by the first 8 digits of resultKey', () => {
  const a = configOf({ n: 10, h: 4 });
  assert.equal(defaultRunDirectory(a), join('runs', `tiny-${resultKey(a).slice(0, 8)}`));
});

test('checkRunDirectory accepts a new or empty folder and refuses a non-empty one', () => {
  const root = mkdtempSync(join(tmpdir(), 'esdlab-out-'));
  const config = configOf({ n: 10 });
  checkRunDirectory(join(root, 'new', 'nested'), config);
  mkdirSync(join(root, 'empty'));
  checkRunDirectory(join(root, 'empty'), config);
  mkdirSync(join(root, 'full'));
  writeFileSync(join(root, 'full', 'notes.txt'), 'mine');
  assert.throws(() => checkRunDirectory(join(root, 'full'), config), (e: unknown) => e instanceof InputError && /is not empty/.test(e.message));
  createRunDirectory(join(root, 'previous'));
  writeResolvedConfig(join(root, 'previous'), config);
  assert.throws(() => checkRunDirectory(join(root, 'previous'), config), (e: unknown) => e instanceof InputError && /already holds an unfinished run \(no metrics.json\) of this config and seed/.test(e.message));
  writeFileSync(join(root, 'previous', 'metrics.json'), '{}');
  assert.throws(() => checkRunDirectory(join(root, 'previous'), config), (e: unknown) => e instanceof InputError && /already holds a run of this config and seed; delete it to rerun, or pass --out/.test(e.message));
  assert.throws(() => checkRunDirectory(join(root, 'previous'), { ...config, seed: 5 }), (e: unknown) => e instanceof InputError && /is not empty/.test(e.message));
  assert.equal(readFileSync(join(root, 'full', 'notes.txt'), 'utf8'), 'mine');
});

test('checkRunDirectory and createRunDirectory refuse a path below a file', () => {
  const root = mkdtempSync(join(tmpdir(), 'esdlab-out-'));
  writeFileSync(join(root, 'file'), '');
  assert.throws(() => checkRunDirectory(join(root, 'file', 'run'), configOf({})), (e: unknown) => e instanceof InputError && /is a file/.test(e.message));
  assert.throws(() => checkRunDirectory(join(root, 'file'), configOf({})), (e: unknown) => e instanceof InputError && /is a file/.test(e.message));
  assert.throws(() => createRunDirectory(join(root, 'file', 'run')), (e: unknown) => e instanceof InputError && /cannot create output folder/.test(e.message));
});

test('writeSpectra writes one float64 .npy of eigenvalues per probe and the shape sidecar', async () => {
  const root = mkdtempSync(join(tmpdir(), 'esdlab-out-'));
  const written = await writeSpectra(root, [
    { step: 0, eigenvalues: new Float64Array([1, 2, 3]) },
    { step: 10, eigenvalues: new Float64Array([0.5, 4]) },
    { step: 20, eigenvalues: new Float64Array(0) },
  ], [5, 3]);
  assert.deepEqual(readSpectraShape(join(root, 'spectra')), [5, 3]);
  assert.equal(readSpectraShape(root), null);
  writeFileSync(join(root, 'shape.json'), '{"rows": 0, "cols": 2}');
  assert.throws(() => readSpectraShape(root), /shape\.json is not \{"rows": integer >= 1/);
  assert.deepEqual(written, [join(root, 'spectra', 'step-0.npy'), join(root, 'spectra', 'step-10.npy')]);
  const array = await readNpyFile(written[1]!);
  assert.deepEqual(array.shape, [2]);
  assert.deepEqual(Array.from(array.data), [0.5, 4]);
});

test('config.resolved.yaml parses back to the same config', async () => {
  const { parse } = await import('yaml');
  const { resolvedConfigYaml } = await import('./runOutput.js');
  const config = configOf({ n: 10, lr_scheduler_cls: 'StepLR', lr_scheduler_kwargs: { step_size: 2, gamma: 0.5 }, init: { student_W: 'w.npy' } });
  assert.deepEqual(parseExperimentConfig(parse(resolvedConfigYaml(config))).config, config);
});

test('defaultRunDirectory moves on to <name>-<hash>-2, -3 when earlier runs of the config hold the folder', () => {
  const previous = process.cwd();
  process.chdir(mkdtempSync(join(tmpdir(), 'esdlab-default-')));
  try {
    const config = configOf({ n: 10 });
    const base = join('runs', `tiny-${resultKey(config).slice(0, 8)}`);
    assert.equal(defaultRunDirectory(config), base);
    mkdirSync(base, { recursive: true });
    assert.equal(defaultRunDirectory(config), base, 'an empty folder is reused');
    writeFileSync(join(base, 'metrics.json'), '{}');
    assert.equal(defaultRunDirectory(config), `${base}-2`);
    mkdirSync(`${base}-2`);
    writeFileSync(join(`${base}-2`, 'metrics.json'), '{}');
    assert.equal(defaultRunDirectory(config), `${base}-3`);
  } finally {
    process.chdir(previous);
  }
});
