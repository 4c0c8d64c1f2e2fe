import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeSafetensors } from '../../formats/index.js';
import { stream } from '../../random/index.js';
import { ConfigError } from '../../errors.js';
import { exitCodeFor } from '../handleError.js';
import { analyzeCommand, parseAnalyzeFlags } from './analyze.js';

/** Runs `esdlab analyze ARGS` through tsx, as a user would (no build needed). */
function esdlab(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'analyze', ...args], {
    encoding: 'utf8',
    env: { ...process.env, ESDLAB_BACKEND: 'js' },
    timeout: 120_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function gaussian(rows: number, cols: number, index: number): Float64Array {
  const data = new Float64Array(rows * cols);
  stream(5, 'analyze-cli-test', index).fillNormal(data);
  return data;
}

const REQUIRED_LAYER_KEYS = ['name', 'shape', 'n_eigs', 'alpha_hill', 'alpha_mle_ks', 'xmin_mle', 'ks_d_mle', 'spectral_norm', 'frobenius_sq', 'stable_rank', 'mp_bulk_max', 'num_spikes', 'phase'];

test('esdlab analyze --json prints one JSON document with the documented keys and exits 0', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'esdlab-cli-analyze-'));
  try {
    const path = join(dir, 'model.safetensors');
    await writeFile(
      path,
      encodeSafetensors([
        { name: 'l0.weight', dtype: 'BF16', shape: [40, 24], data: gaussian(40, 24, 0) },
        { name: 'l0.bias', dtype: 'F32', shape: [40], data: new Float32Array(40) },
        { name: 'l1.weight', dtype: 'F32', shape: [24, 30], data: gaussian(24, 30, 1) },
      ]),
    );
    const r = esdlab([path, '--json', '--with-eigs', '--gof', '--bootstrap', '5', '--plots', join(dir, 'plots')]);
    assert.equal(r.status, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as { layers: Record<string, unknown>[]; skipped: unknown[]; summary: Record<string, unknown> };
    assert.deepEqual(doc.layers.map((l) => l.name), ['l0.weight', 'l1.weight']);
    for (const layer of doc.layers) {
      for (const key of REQUIRED_LAYER_KEYS) assert.ok(key in layer, `missing ${key}`);
      assert.equal((layer.eigs as number[]).length, layer.n_eigs);
      assert.ok('gof' in layer);
    }
    assert.deepEqual(doc.layers[0]!.shape, [40, 24]);
    assert.equal(doc.skipped.length, 1);
    assert.equal(doc.summary.num_failed, 0);
    assert.match(r.stderr, /backend js/);
    const plots = await readdir(join(dir, 'plots'));
    assert.deepEqual(plots.sort(), ['l0.weight.svg', 'l1.weight.svg']);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('esdlab analyze prints a table and exits 1 when a layer fails, still reporting the others', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'esdlab-cli-analyze-'));
  try {
    const bad = gaussian(20, 20, 2);
    bad[3] = Number.NaN;
    const path = join(dir, 'model.safetensors');
    await writeFile(
      path,
      encodeSafetensors([
        { name: 'good', dtype: 'F32', shape: [30, 20], data: gaussian(30, 20, 3) },
        { name: 'bad', dtype: 'F32', shape: [20, 20], data: bad },
      ]),
    );
    const table = esdlab([path]);
    assert.equal(table.status, 1, table.stderr);
    const lines = table.stdout.trimEnd().split('\n');
    assert.match(lines[0]!, /^layer\s+shape\s+alpha Hill\s+alpha MLE-KS\s+D\s+spikes\s+MP edge\s+stable rank\s+phase$/);
    assert.match(lines[1]!, /^good\s+30x20\s+\d/);
    assert.match(lines[2]!, /^bad\s+20x20\s+failed: invalid values: 1 NaN/);
    assert.match(table.stderr, /1 of 2 layers failed/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('esdlab analyze exits 2 with one line for unreadable inputs and bad flags', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'esdlab-cli-analyze-'));
  try {
    const corrupt = join(dir, 'corrupt.safetensors');
    const good = encodeSafetensors([{ name: 'w', dtype: 'F32', shape: [8, 8], data: gaussian(8, 8, 4) }]);
    await writeFile(corrupt, good.subarray(0, good.length - 10));
    const cases: [string[], RegExp][] = [
      [[corrupt], /outside the \d+-byte data section/],
      [[corrupt, '--layers', '('], /--layers "\(" is not a valid regular expression/],
    ];
    for (const [args, pattern] of cases) {
      const r = esdlab(args);
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.equal(r.stdout, '');
      const lines = r.stderr.trim().split('\n').filter((l) => !l.includes('backend'));
      assert.equal(lines.length, 1, r.stderr);
      assert.match(lines[0]!, pattern);
      assert.doesNotMatch(r.stderr, /\n\s+at /);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('parseAnalyzeFlags rejects bad values with a ConfigError naming the flag (exit code 2)', () => {
  for (const [raw, pattern] of [
    [{ minSize: 'x' }, /--min-size "x" is invalid/],
    [{ conv: 'fold' }, /--conv "fold" is invalid/],
    [{ shape: '12' }, /--shape "12" is invalid: expected ROWSxCOLS/],
    [{ bootstrap: '0' }, /--bootstrap "0" is invalid/],
    [{ jobs: '0' }, /--jobs "0" is invalid: expected an integer >= 1 \(layers analyzed at once\)/],
    [{ jobs: '1.5' }, /--jobs "1.5" is invalid: expected an integer >= 1/],
    [{ jobs: 'two' }, /--jobs "two" is invalid: expected an integer >= 1/],
    [{ threads: '-1' }, /--threads "-1" is invalid: expected an integer >= 1 \(compute threads per job\)/],
    [{ precision: 'f16' }, /--precision "f16" is invalid/],
  ] as const) {
    assert.throws(() => parseAnalyzeFlags(raw), (e: unknown) => e instanceof ConfigError && pattern.test(e.message) && exitCodeFor(e) === 2);
  }
  assert.deepEqual(parseAnalyzeFlags({ shape: '40x25', minSize: '3' }).shape, [40, 25]);
  const defaults = parseAnalyzeFlags({});
  assert.equal(defaults.jobs, 1);
  assert.equal(defaults.precision, 'f64');
  assert.equal(defaults.threads, undefined);
  const set = parseAnalyzeFlags({ jobs: '3', threads: '2', precision: 'f32' });
  assert.deepEqual([set.jobs, set.threads, set.precision], [3, 2, 'f32']);
});

test('esdlab analyze --jobs 2 prints the same JSON as --jobs 1 (durations aside), and --precision f32 says so per layer', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'esdlab-cli-jobs-'));
  try {
    const path = join(dir, 'model.safetensors');
    await writeFile(
      path,
      encodeSafetensors([0, 1, 2].map((k) => ({ name: `l${k}.weight`, dtype: 'F32', shape: [40 + 10 * k, 24], data: gaussian(40 + 10 * k, 24, 10 + k) }))),
    );
    const strip = (stdout: string) => {
      const doc = JSON.parse(stdout) as { layers: Record<string, unknown>[]; summary: Record<string, unknown> };
      for (const layer of doc.layers) delete layer.duration_ms;
      delete doc.summary.duration_ms;
      delete doc.summary.peak_rss_bytes;
      delete doc.summary.job_peak_rss_bytes;
      delete doc.summary.jobs;
      return doc;
    };
    const one = esdlab([path, '--json', '--with-eigs']);
    const two = esdlab([path, '--json', '--with-eigs', '--jobs', '2']);
    assert.equal(two.status, 0, two.stderr);
    assert.match(two.stderr, /backend js, 2 jobs x 1 thread/);
    assert.deepEqual(strip(two.stdout), strip(one.stdout));
    const twoSummary = (JSON.parse(two.stdout) as { summary: { jobs: number; job_peak_rss_bytes: number[] } }).summary;
    assert.equal(twoSummary.jobs, 2);
    assert.equal(twoSummary.job_peak_rss_bytes.length, 2);
    const f32 = esdlab([path, '--json', '--precision', 'f32']);
    assert.equal(f32.status, 0, f32.stderr);
    assert.deepEqual((JSON.parse(f32.stdout) as { layers: { precision: string }[] }).layers.map((l) => l.precision), ['f32', 'f32', 'f32']);
    assert.match(f32.stderr, /precision f32/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('analyzeCommand without a PATH or --eigs is a usage error', async () => {
  await assert.rejects(analyzeCommand([], parseAnalyzeFlags({})), (e: unknown) => e instanceof ConfigError && /give at least one PATH/.test(e.message));
});

test('esdlab analyze --report --compare --allocate-sparsity writes report.html and sparsity.json and prints both tables', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'esdlab-cli-report-'));
  try {
    for (const [file, index] of [['a.safetensors', 0], ['b.safetensors', 2]] as const) {
      await writeFile(
        join(dir, file),
        encodeSafetensors([
          { name: 'l0.weight', dtype: 'F32', shape: [40, 24], data: gaussian(40, 24, index) },
          { name: 'l1.weight', dtype: 'F32', shape: [24, 30], data: gaussian(24, 30, index + 1) },
        ]),
      );
    }
    const out = join(dir, 'report');
    const r = esdlab(['--compare', join(dir, 'a.safetensors'), join(dir, 'b.safetensors'), '--report', out, '--allocate-sparsity', '0.5', '--xmin', 'hill']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /alpha Hill A\s+alpha Hill B\s+delta/);
    assert.match(r.stdout, /allocated sparsity \(AlphaPruning/);
    const files = await readdir(out);
    assert.deepEqual(files.sort(), ['report.html', 'sparsity.json']);
    const sparsity = JSON.parse(await (await import('node:fs/promises')).readFile(join(out, 'sparsity.json'), 'utf8')) as { layers: { sparsity: number }[] };
    const mean = (sparsity.layers[0]!.sparsity * 960 + sparsity.layers[1]!.sparsity * 720) / 1680;
    assert.ok(Math.abs(mean - 0.5) < 1e-12, `weighted mean ${mean}`);
    const bad = esdlab(['--compare', join(dir, 'a.safetensors'), '--allocate-sparsity', '0.5']);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--compare .* expected two checkpoints/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
