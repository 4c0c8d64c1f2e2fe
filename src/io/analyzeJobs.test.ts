import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError } from '../errors.js';
import { encodeSafetensors } from '../formats/index.js';
import { loadBackend, type Backend } from '../linalg/node.js';
import { stream } from '../random/index.js';
import { withTempDir } from '../testing/tempDir.js';
import { analyzeCheckpoint, type AnalyzeOptions, type AnalyzeReport } from './analyzeCheckpoint.js';
import { layerToJson } from './analyzeJson.js';
import type { LayerAnalysis } from './layerAnalysis.js';

/** A checkpoint of layers of several shapes (one heavy-tailed, one NaN, a bias), BF16 and F32. */
async function writeModel(path: string): Promise<void> {
  const tensors: { name: string; dtype: string; shape: number[]; data: Float64Array }[] = [];
  const shapes: [number, number][] = [[90, 60], [40, 70], [120, 48], [64, 64], [30, 100], [80, 50]];
  for (const [k, [r, c]] of shapes.entries()) {
    const data = new Float64Array(r * c);
    const rng = stream(3, 'analyze-jobs-test', k);
    rng.fillNormal(data);
    if (k === 2) for (let i = 0; i < data.length; i++) data[i] = data[i]! / Math.max(0.05, Math.abs(rng.nextDouble())) ** 0.6; // heavier tail
    if (k === 4) data[7] = Number.NaN; // a failed layer keeps its place
    tensors.push({ name: `layers.${k}.weight`, dtype: k % 2 === 0 ? 'BF16' : 'F32', shape: [r, c], data });
    tensors.push({ name: `layers.${k}.bias`, dtype: 'F32', shape: [r], data: new Float64Array(r) });
  }
  await writeFile(path, encodeSafetensors(tensors));
}

/** Every metric of every layer (durations out), and the eigenvalues' bits. */
function fingerprint(report: AnalyzeReport): { json: Record<string, unknown>[]; eigenvalueBits: string[] } {
  return {
    json: report.layers.map((l) => {
      const { duration_ms: _duration, ...rest } = layerToJson(l, { shouldIncludeGoodnessOfFit: true });
      return rest;
    }),
    eigenvalueBits: report.layers.map((l) => (l.eigenvalues ? Buffer.from(l.eigenvalues.buffer, l.eigenvalues.byteOffset, l.eigenvalues.byteLength).toString('hex') : 'none')),
  };
}

async function analyzeWith(path: string, backend: Backend, extra: Partial<AnalyzeOptions>) {
  const order: string[] = [];
  const events: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const report = await analyzeCheckpoint([path], {
    backend,
    shouldTestGoodnessOfFit: true,
    numBootstrap: 4,
    shouldRandomize: true,
    shouldKeepEigenvalues: true,
    seed: 7,
    ...extra,
    onLayer: (layer: LayerAnalysis) => {
      order.push(layer.name);
    },
    onProgress: (event) => {
      events.push(event.kind);
      if (event.kind === 'layer-start') maxInFlight = Math.max(maxInFlight, ++inFlight);
      if (event.kind === 'layer-done') inFlight--;
    },
  });
  return { report, order, events, maxInFlight };
}

test('analyzeCheckpoint --jobs: the same metrics, bit for bit, in layer order, with at most N layers in flight', async () => {
  const { backend } = await loadBackend('js');
  await withTempDir('analyze-jobs', async (dir) => {
    const path = join(dir, 'model.safetensors');
    await writeModel(path);
    const serial = await analyzeWith(path, backend, {});
    for (const jobs of [2, 3]) {
      const parallel = await analyzeWith(path, backend, { jobs });
      assert.deepEqual(fingerprint(parallel.report), fingerprint(serial.report), `jobs ${jobs}`);
      assert.deepEqual(parallel.order, serial.order);
      assert.deepEqual(parallel.report.layers.map((l) => l.name), ['layers.0.weight', 'layers.1.weight', 'layers.2.weight', 'layers.3.weight', 'layers.4.weight', 'layers.5.weight']);
      assert.deepEqual(parallel.report.skipped.map((s) => s.name), serial.report.skipped.map((s) => s.name));
      assert.equal(parallel.events.filter((e) => e === 'layer-done').length, 6);
      assert.ok(parallel.maxInFlight <= jobs, `max in flight ${parallel.maxInFlight}`);
      // every job started and reported its memory (whether or not it got a layer before the others took them all)
      assert.equal(parallel.report.jobPeakRssBytes?.length, jobs);
      assert.ok(parallel.report.jobPeakRssBytes!.every((bytes) => bytes > 10 * 2 ** 20), `job peaks ${parallel.report.jobPeakRssBytes}`);
      assert.equal(serial.report.jobPeakRssBytes, undefined);
    }
    assert.match(serial.report.layers[4]!.error ?? '', /NaN/);
    // f32 through jobs is f32 (and also identical to serial f32)
    const f32Serial = await analyzeWith(path, backend, { precision: 'f32' });
    const f32Jobs = await analyzeWith(path, backend, { precision: 'f32', jobs: 2 });
    assert.deepEqual(fingerprint(f32Jobs.report), fingerprint(f32Serial.report));
    assert.equal(f32Jobs.report.layers[0]!.precision, 'f32');
  });
});

test('analyzeCheckpoint --jobs on native: N jobs of T threads equal one job of T threads, bit for bit', async (t) => {
  let backend: Backend;
  try {
    backend = (await loadBackend('native', { threads: 1 })).backend;
  } catch {
    t.skip('the native addon is not built here');
    return;
  }
  try {
    await withTempDir('analyze-jobs', async (dir) => {
      const path = join(dir, 'model.safetensors');
      await writeModel(path);
      const serial = await analyzeWith(path, backend, {});
      const parallel = await analyzeWith(path, backend, { jobs: 2, threadsPerJob: 1 });
      assert.deepEqual(fingerprint(parallel.report), fingerprint(serial.report));
    });
  } finally {
    await backend.dispose?.();
  }
});

test('analyzeCheckpoint rejects jobs and threadsPerJob that are not integers >= 1', async () => {
  const { backend } = await loadBackend('js');
  for (const bad of [{ jobs: 0 }, { jobs: 1.5 }, { jobs: -2 }, { threadsPerJob: 0 }, { jobs: Number.NaN }]) {
    await assert.rejects(analyzeCheckpoint(['/nonexistent.safetensors'], { backend, ...bad }), (e: unknown) => e instanceof ConfigError && /must be an integer >= 1/.test(e.message), JSON.stringify(bad));
  }
});

test('analyzeCheckpoint --jobs: a job that dies inside a layer fails that layer only, and a new job takes the rest', async () => {
  const { backend } = await loadBackend('js');
  await withTempDir('analyze-jobs', async (dir) => {
    const path = join(dir, 'model.safetensors');
    await writeModel(path);
    process.env.ESDLAB_ANALYZE_JOB_TEST_CRASH = 'layers.1.weight';
    try {
      const { report } = await analyzeWith(path, backend, { jobs: 2, shouldRandomize: false, shouldTestGoodnessOfFit: false });
      assert.equal(report.layers.length, 6);
      assert.match(report.layers[1]!.error ?? '', /analyze job process exited with code 70 while analyzing this layer/);
      for (const k of [0, 2, 3, 5]) assert.equal(report.layers[k]!.error, undefined, report.layers[k]!.name);
    } finally {
      delete process.env.ESDLAB_ANALYZE_JOB_TEST_CRASH;
    }
  });
});
