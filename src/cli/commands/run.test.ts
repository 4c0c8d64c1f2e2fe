import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { writeNpyFile } from '../../io/npyFile.js';
import { handleError } from '../handleError.js';
import { registerRunCommand } from './run.js';

/** The metric keys every step record of metrics.json carries (issue 3, item 6). */
const STEP_KEYS = [
  'step', 'lr', 'train_loss', 'test_loss', 'kta', 'alignment', 'alpha_hill', 'alpha_mle_ks', 'ks_d_hill', 'ks_d_mle',
  'xmin_mle', 'spectral_norm', 'frobenius_sq', 'stable_rank', 'alphahat_hill',
];

const TINY = `
n: 40
batch_size: 40
n_test: 10
h: 12
d: 8
optimizer: adam
lr: 0.5
num_epochs: 3
probe_freq_steps: 1
seed: 3
`;

interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI through tsx (no build needed). */
function cli(args: readonly string[]): Promise<CliResult> {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
      env: { ...process.env, ESDLAB_BACKEND: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
  });
}

/**
 * Runs `esdlab run ...` inside this process (the same command and error handler as src/cli/main.ts,
 * without a process start), capturing stdout and stderr. Not concurrency-safe: await each call.
 */
async function cliInProcess(args: readonly string[]): Promise<CliResult> {
  const program = new Command().exitOverride();
  registerRunCommand(program);
  let stdout = '';
  let stderr = '';
  const originalOut = process.stdout.write.bind(process.stdout);
  const originalErr = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: string | Uint8Array) => ((stdout += String(chunk)), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => ((stderr += String(chunk)), true)) as typeof process.stderr.write;
  let code = 0;
  try {
    await program.parseAsync(['node', 'esdlab', 'run', ...args]);
  } catch (error) {
    code = handleError(error);
  } finally {
    process.stdout.write = originalOut;
    process.stderr.write = originalErr;
  }
  return { code, stdout, stderr };
}

function withoutTiming(metricsText: string): unknown {
  const { timing: _timing, ...rest } = JSON.parse(metricsText) as Record<string, unknown>;
  return rest;
}

test('esdlab run writes config.resolved.yaml, metrics.json and spectra, and --json prints metrics.json alone', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'esdlab-run-'));
  const configPath = join(dir, 'tiny.yml');
  writeFileSync(configPath, TINY);
  const first = await cli(['run', configPath, '--out', join(dir, 'a'), '--backend', 'js', '--json']);
  const second = await cliInProcess([configPath, '--out', join(dir, 'b'), '--backend', 'js']);
  assert.equal(first.code, 0, first.stderr);
  assert.equal(second.code, 0, second.stderr);

  const metricsText = readFileSync(join(dir, 'a', 'metrics.json'), 'utf8');
  assert.equal(first.stdout, metricsText, '--json prints exactly metrics.json on stdout');
  const metrics = JSON.parse(metricsText) as Record<string, unknown>;
  const topKeys = Object.keys(metrics).filter((key) => key !== 'non_finite');
  assert.deepEqual(topKeys, ['config', 'seed', 'backend', 'status', 'diverged_at_step', 'steps', 'timing']);
  assert.equal(metrics.seed, 3);
  assert.equal(metrics.backend, 'js');
  assert.equal(metrics.status, 'done');
  const config = metrics.config as Record<string, unknown>;
  assert.equal(config.h, 12);
  assert.equal(config.name, 'tiny');
  const steps = metrics.steps as Record<string, unknown>[];
  assert.deepEqual(steps.map((s) => s.step), [0, 1, 2, 3]);
  for (const record of steps) {
    for (const key of STEP_KEYS) assert.ok(key in record, `steps[].${key} is present`);
    for (const value of Object.values(record)) assert.ok(value === null || typeof value !== 'number' || Number.isFinite(value));
  }
  const timing = metrics.timing as Record<string, number>;
  for (const key of ['steps_ms', 'evaluations_ms', 'probes_ms', 'plots_ms', 'total_ms']) assert.equal(typeof timing[key], 'number', key);

  assert.ok(existsSync(join(dir, 'a', 'config.resolved.yaml')));
  assert.deepEqual(readdirSync(join(dir, 'a', 'spectra')).sort(), ['shape.json', 'step-0.npy', 'step-1.npy', 'step-2.npy', 'step-3.npy']);
  assert.ok(existsSync(join(dir, 'a', 'report.html')));
  const plots = readdirSync(join(dir, 'a', 'plots'));
  assert.ok(plots.includes('loss.svg') && plots.includes('loss.png'), `plots: ${plots.join(', ')}`);
  assert.match(second.stdout, /run done/);

  // same config and seed: identical metrics.json, timing aside
  assert.deepEqual(withoutTiming(readFileSync(join(dir, 'b', 'metrics.json'), 'utf8')), withoutTiming(metricsText));
});

test('esdlab run answers bad input with one line and exit code 2, writing nothing into the output folder', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'esdlab-run-bad-'));
  const write = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  await writeNpyFile(join(dir, 'W_bad.npy'), new Float64Array(15), [5, 3]);
  writeFileSync(join(dir, 'a_file'), '');
  const tiny = 'n: 20\nn_test: 5\nh: 4\nd: 3\nnum_epochs: 1\n';
  const cases: [string, string[], RegExp][] = [
    ['missing config', [join(dir, 'missing.yml')], /cannot read config .*missing\.yml: no such file/],
    ['unknown key', [write('unknown.yml', `${tiny}learning_rate: 1\n`)], /unknown config key 'learning_rate'; did you mean/],
    ['wrong type', [write('type.yml', `${tiny}fix_last_layer: maybe\n`)], /fix_last_layer: 'maybe' is not allowed; it must be true or false/],
    ['lr <= 0', [write('lr.yml', `${tiny}lr: 0\n`)], /lr: 0 is not allowed; it must be a number > 0/],
    ['h = 0', [write('h.yml', 'n: 20\nh: 0\n')], /h: 0 is not allowed; it must be an integer >= 1/],
    ['sweep config', [write('sweep.yml', `${tiny}lr: [0.1, 1]\n`)], /esdlab sweep/],
    ['missing init file', [write('init_missing.yml', `${tiny}init:\n  student_W: nope.npy\n`)], /init\.student_W: .*nope\.npy does not exist/],
    ['mis-shaped init file', [write('init_shape.yml', `${tiny}init:\n  student_W: W_bad.npy\n`)], /init\.student_W: W_bad\.npy has shape \(5, 3\), expected \(h, d\) = \(4, 3\)/],
    ['bad seed flag', [write('seed.yml', tiny), '--seed', '-4'], /seed: -4 is not allowed/],
  ];
  // the first case goes through the real entry point (a process); the rest run in this process
  const results: { result: CliResult; out: string }[] = [];
  for (const [index, [name, args]] of cases.entries()) {
    const out = join(dir, `out-${name.replace(/\W+/g, '-')}`);
    mkdirSync(out);
    const runArgs = [...args, '--out', out, '--backend', 'js'];
    results.push({ result: index === 0 ? await cli(['run', ...runArgs]) : await cliInProcess(runArgs), out });
  }
  const unwritable = await cliInProcess([write('ok.yml', tiny), '--out', join(dir, 'a_file', 'run'), '--backend', 'js']);
  mkdirSync(join(dir, 'taken'));
  writeFileSync(join(dir, 'taken', 'keep.txt'), 'mine');
  const taken = await cliInProcess([join(dir, 'ok.yml'), '--out', join(dir, 'taken'), '--backend', 'js']);

  for (const [index, [name, , pattern]] of cases.entries()) {
    const { result, out } = results[index]!;
    assert.equal(result.code, 2, `${name}: exit code (stderr: ${result.stderr})`);
    assert.equal(result.stdout, '', `${name}: nothing on stdout`);
    assert.equal(result.stderr.trim().split('\n').length, 1, `${name}: one line: ${result.stderr}`);
    assert.match(result.stderr, pattern, name);
    assert.deepEqual(readdirSync(out), [], `${name}: nothing written`);
  }
  assert.equal(unwritable.code, 2, unwritable.stderr);
  assert.match(unwritable.stderr, /^esdlab: cannot create output folder .*a_file is a file, not a folder\n$/);
  assert.equal(taken.code, 2, taken.stderr);
  assert.match(taken.stderr, /^esdlab: output folder .*taken is not empty/);
  assert.deepEqual(readdirSync(join(dir, 'taken')), ['keep.txt']);
});
