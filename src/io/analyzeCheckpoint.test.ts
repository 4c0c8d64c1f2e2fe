import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import { decodeSafetensorsTensor, encodeFloatTensorData, encodeSafetensors } from '../formats/index.js';
import { loadBackend } from '../linalg/node.js';
import { stream } from '../random/index.js';
import { analyzeCheckpoint, analyzeEigenvalueFiles } from './analyzeCheckpoint.js';
import { analyzeReportToJson } from './analyzeJson.js';
import { writeNpyFile } from './npyFile.js';

async function withTempDir(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'esdlab-analyze-'));
  try {
    await body(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A seeded Gaussian rows x cols matrix (row-major). */
function gaussian(rows: number, cols: number, index: number): Float64Array {
  const data = new Float64Array(rows * cols);
  stream(11, 'analyze-test-matrix', index).fillNormal(data);
  return data;
}

/** The values a dtype stores (what a reader of that file sees), as f64. */
function storedValues(data: Float64Array, dtype: string): Float64Array {
  const bytes = encodeFloatTensorData(data, dtype);
  return Float64Array.from(decodeSafetensorsTensor({ name: 'x', dtype, shape: [data.length] }, bytes));
}

const NUMERIC_KEYS = ['n_eigs', 'alpha_hill', 'alpha_mle_ks', 'xmin_mle', 'ks_d_mle', 'spectral_norm', 'frobenius_sq', 'stable_rank', 'mp_bulk_max', 'num_spikes', 'phase'];

function pick(layer: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(NUMERIC_KEYS.map((k) => [k, layer[k]]));
}

test('analyzeCheckpoint gives safetensors files (F32, F64, F16, BF16, sharded) the same numbers as .npy files of the same matrices', async () => {
  const { backend } = await loadBackend('js');
  await withTempDir(async (dir) => {
    const shapes: [number, number][] = [
      [48, 32],
      [24, 40],
    ];
    for (const dtype of ['F32', 'F64', 'F16', 'BF16']) {
      const matrices = shapes.map(([r, c], k) => storedValues(gaussian(r, c, k), dtype));
      const npyPaths: string[] = [];
      for (const [k, [r, c]] of shapes.entries()) {
        const path = join(dir, `${dtype}-layer${k}.npy`);
        const data = dtype === 'F64' ? matrices[k]! : Float32Array.from(matrices[k]!);
        await writeNpyFile(path, data, [r, c]);
        npyPaths.push(path);
      }
      const tensors = shapes.map(([r, c], k) => ({ name: `layer${k}`, dtype, shape: [r, c], data: matrices[k]! }));
      await writeFile(join(dir, `${dtype}.safetensors`), encodeSafetensors(tensors));
      // one shard per tensor, with an index
      const weightMap: Record<string, string> = {};
      for (const [k, t] of tensors.entries()) {
        const shard = `${dtype}-0000${k + 1}-of-00002.safetensors`;
        await writeFile(join(dir, shard), encodeSafetensors([t]));
        weightMap[t.name] = shard;
      }
      await writeFile(join(dir, `${dtype}.safetensors.index.json`), JSON.stringify({ metadata: {}, weight_map: weightMap }));

      const fromNpy = analyzeReportToJson(await analyzeCheckpoint(npyPaths, { backend })).layers as Record<string, unknown>[];
      const fromFile = analyzeReportToJson(await analyzeCheckpoint([join(dir, `${dtype}.safetensors`)], { backend })).layers as Record<string, unknown>[];
      const fromShards = analyzeReportToJson(await analyzeCheckpoint([join(dir, `${dtype}.safetensors.index.json`)], { backend })).layers as Record<string, unknown>[];
      assert.equal(fromNpy.length, 2);
      for (let k = 0; k < 2; k++) {
        assert.equal(fromNpy[k]!.status, 'ok', String(fromNpy[k]!.error));
        assert.deepEqual(pick(fromFile[k]!), pick(fromNpy[k]!), `${dtype} layer ${k} (file)`);
        assert.deepEqual(pick(fromShards[k]!), pick(fromNpy[k]!), `${dtype} layer ${k} (shards)`);
        assert.deepEqual(fromFile[k]!.shape, shapes[k]);
        assert.equal(fromFile[k]!.n_eigs, Math.min(...shapes[k]!));
        assert.equal(fromFile[k]!.dtype, dtype);
      }
    }
  });
});

test('analyzeCheckpoint reports bad layers with a reason and analyzes the rest', async () => {
  const { backend } = await loadBackend('js');
  await withTempDir(async (dir) => {
    const withNaN = gaussian(20, 16, 1);
    withNaN[5] = Number.NaN;
    withNaN[7] = Number.POSITIVE_INFINITY;
    const orthogonal = new Float64Array(16 * 16);
    for (let i = 0; i < 16; i++) orthogonal[i * 16 + i] = 2;
    const path = join(dir, 'mixed.safetensors');
    await writeFile(
      path,
      encodeSafetensors([
        { name: 'good', dtype: 'F32', shape: [20, 16], data: gaussian(20, 16, 0) },
        { name: 'nan', dtype: 'F64', shape: [20, 16], data: withNaN },
        { name: 'zero', dtype: 'F32', shape: [8, 8], data: new Float32Array(64) },
        { name: 'orthogonal', dtype: 'F64', shape: [16, 16], data: orthogonal },
        { name: 'row', dtype: 'F32', shape: [1, 16], data: new Float32Array(16).fill(1) },
        { name: 'bias', dtype: 'F32', shape: [16], data: new Float32Array(16) },
        { name: 'ids', dtype: 'I64', shape: [4, 4], data: new Uint8Array(128) },
      ]),
    );
    const report = await analyzeCheckpoint([path], { backend, shouldKeepEigenvalues: true });
    const json = analyzeReportToJson(report, { shouldIncludeEigenvalues: true });
    const layers = json.layers as Record<string, unknown>[];
    assert.deepEqual(layers.map((l) => [l.name, l.status]), [
      ['good', 'ok'],
      ['nan', 'failed'],
      ['zero', 'failed'],
      ['orthogonal', 'failed'],
    ]);
    assert.match(String(layers[1]!.error), /1 NaN and 1 Inf entries \(first at \(0, 5\)\)/);
    assert.match(String(layers[2]!.error), /every entry is zero/);
    assert.match(String(layers[3]!.error), /all 16 eigenvalues equal 4\.00000/);
    assert.equal(layers[1]!.alpha_hill, null);
    assert.equal((layers[0]!.eigs as number[]).length, 16);
    const skipped = json.skipped as { name: string; reason: string }[];
    assert.deepEqual(skipped.map((s) => s.name), ['row', 'bias', 'ids']);
    assert.match(skipped[0]!.reason, /1x16 matrix has a single eigenvalue/);
    assert.match(skipped[1]!.reason, /1-D tensor/);
    assert.match(skipped[2]!.reason, /dtype I64 is not analyzed/);
    const summary = json.summary as Record<string, unknown>;
    assert.equal(summary.num_analyzed, 1);
    assert.equal(summary.num_failed, 3);
    assert.equal(summary.num_skipped, 3);
    // a clean JSON document: no NaN survives serialization
    assert.doesNotThrow(() => JSON.parse(JSON.stringify(json)));
  });
});

test('analyzeCheckpoint filters by --layers and --min-size, and throws an InputError when nothing is left', async () => {
  const { backend } = await loadBackend('js');
  await withTempDir(async (dir) => {
    const path = join(dir, 'm.safetensors');
    await writeFile(
      path,
      encodeSafetensors([
        { name: 'attn.q', dtype: 'F32', shape: [12, 10], data: gaussian(12, 10, 2) },
        { name: 'mlp.up', dtype: 'F32', shape: [30, 20], data: gaussian(30, 20, 3) },
      ]),
    );
    const onlyMlp = await analyzeCheckpoint([path], { backend, layerPattern: /^mlp\./ });
    assert.deepEqual(onlyMlp.layers.map((l) => l.name), ['mlp.up']);
    const big = await analyzeCheckpoint([path], { backend, minSize: 15 });
    assert.deepEqual(big.layers.map((l) => l.name), ['mlp.up']);
    assert.match(big.skipped[0]!.reason, /below --min-size 15/);
    await assert.rejects(analyzeCheckpoint([path], { backend, layerPattern: /^nothing/ }), (e: unknown) => e instanceof InputError && /nothing to analyze/.test(e.message));
    await writeNpyFile(join(dir, 'row.npy'), new Float32Array(8).fill(1), [1, 8]);
    await assert.rejects(analyzeCheckpoint([join(dir, 'row.npy')], { backend }), (e: unknown) => e instanceof InputError && /single eigenvalue/.test(e.message));
  });
});

test('analyzeCheckpoint flattens conv kernels to (out, in*kh*kw) or slices them per kernel position', async () => {
  const { backend } = await loadBackend('js');
  await withTempDir(async (dir) => {
    const [out, inChannels, kh, kw] = [12, 10, 2, 3];
    const kernel = gaussian(out, inChannels * kh * kw, 4);
    const path = join(dir, 'conv.safetensors');
    await writeFile(path, encodeSafetensors([{ name: 'conv.weight', dtype: 'F64', shape: [out, inChannels, kh, kw], data: kernel }]));
    const flat = await analyzeCheckpoint([path], { backend });
    assert.deepEqual(flat.layers.map((l) => [l.name, l.shape]), [['conv.weight', [12, 60]]]);
    const sliced = await analyzeCheckpoint([path], { backend, convMode: 'slices', shouldKeepEigenvalues: true });
    assert.equal(sliced.layers.length, 6);
    assert.deepEqual(sliced.layers.map((l) => l.name).slice(0, 4), ['conv.weight[0,0]', 'conv.weight[0,1]', 'conv.weight[0,2]', 'conv.weight[1,0]']);
    // slice [1,2] is W[:, :, 1, 2]: analyze it directly from a .npy and compare
    const slice = new Float64Array(out * inChannels);
    for (let o = 0; o < out; o++) for (let i = 0; i < inChannels; i++) slice[o * inChannels + i] = kernel[((o * inChannels + i) * kh + 1) * kw + 2]!;
    await writeNpyFile(join(dir, 'slice.npy'), slice, [out, inChannels]);
    const direct = await analyzeCheckpoint([join(dir, 'slice.npy')], { backend, shouldKeepEigenvalues: true });
    assert.deepEqual(Array.from(sliced.layers[5]!.eigenvalues!), Array.from(direct.layers[0]!.eigenvalues!));
  });
});

test('analyzeEigenvalueFiles gives a JSON or .npy eigenvalue list the numbers of the matrix it came from', async () => {
  const { backend } = await loadBackend('js');
  await withTempDir(async (dir) => {
    await writeNpyFile(join(dir, 'w.npy'), gaussian(40, 25, 5), [40, 25]);
    const fromMatrix = await analyzeCheckpoint([join(dir, 'w.npy')], { backend, shouldKeepEigenvalues: true });
    const eigenvalues = fromMatrix.layers[0]!.eigenvalues!;
    await writeFile(join(dir, 'e.json'), JSON.stringify(Array.from(eigenvalues).reverse()));
    await writeNpyFile(join(dir, 'e.npy'), eigenvalues, [eigenvalues.length]);
    const layers = await analyzeEigenvalueFiles([join(dir, 'e.json'), join(dir, 'e.npy')], { shape: [40, 25] });
    const expected = pick(analyzeReportToJson(fromMatrix).layers[0] as Record<string, unknown>);
    for (const layer of layers) {
      const json = analyzeReportToJson({ layers: [layer], skipped: [], backend: 'none', durationMs: 0 }).layers[0] as Record<string, unknown>;
      assert.deepEqual(pick(json), expected);
    }
    await writeFile(join(dir, 'bad.json'), '[1, "x"]');
    await assert.rejects(analyzeEigenvalueFiles([join(dir, 'bad.json')], {}), (e: unknown) => e instanceof InputError && /array of numbers/.test(e.message));
    await assert.rejects(analyzeEigenvalueFiles([join(dir, 'e.json')], { shape: [10, 10] }), (e: unknown) => e instanceof InputError && /25 eigenvalues/.test(e.message));
  });
});

test('analyzeCheckpoint xminRule picks the fit reported as alpha: the MLE-KS, the Hill or the peak-window fit', async () => {
  const { createJsBackend } = await import('../linalg/backends/js/index.js');
  const path = 'src/io/fixtures/torch/state_dict.pt';
  for (const rule of ['mle_ks', 'hill', 'peak'] as const) {
    const report = await analyzeCheckpoint([path], { backend: createJsBackend(), layerPattern: /^sliced$/, xminRule: rule });
    const layer = report.layers[0]!;
    const expected = rule === 'hill' ? layer.diagnostics!.hill : rule === 'mle_ks' ? layer.diagnostics!.mleKs : undefined;
    if (expected) assert.equal(layer.selectedFit, expected);
    else assert.equal(layer.selectedFit?.method, 'xmin_peak');
  }
});
