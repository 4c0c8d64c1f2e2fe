/**
 * `esdlab run --resume` end to end: a checkpointed run killed with SIGKILL and resumed ends with the
 * metrics of an uninterrupted run, bit for bit; bad folders are refused without a write; and a run's
 * recorded phase and alphas equal `esdlab analyze`'s on the spectra it saved, at every probed step.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const LONG = `
n: 40
batch_size: 10
n_test: 10
h: 24
d: 16
optimizer: adam
lr: 0.05
num_epochs: 100
probe_schedule: log
plot_overlaps: true
checkpoint_every_steps: 7
seed: 5
`;

interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Starts the CLI through tsx (no build needed); `whileRunning` may kill it. */
function cli(args: readonly string[], whileRunning?: (kill: () => void) => void): Promise<CliResult> {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
      env: { ...process.env, ESDLAB_BACKEND: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (code, signal) => resolvePromise({ code, signal, stdout, stderr }));
    whileRunning?.(() => child.kill('SIGKILL'));
  });
}

const stepsOf = (directory: string) => (JSON.parse(readFileSync(join(directory, 'metrics.json'), 'utf8')) as { steps: unknown[] }).steps;

/** Every file under `directory` with its size and modification time (to show nothing was touched). */
function listing(directory: string): string[] {
  return readdirSync(directory, { recursive: true, encoding: 'utf8' }).sort().map((name) => {
    const stats = statSync(join(directory, name));
    return `${name} ${stats.size} ${stats.mtimeMs}`;
  });
}

test('a run killed with SIGKILL after a checkpoint resumes to the metrics of an uninterrupted run, bit for bit', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'esdlab-resume-'));
  const configPath = join(dir, 'long.yml');
  writeFileSync(configPath, LONG);
  const killedDir = join(dir, 'killed');
  const killed = await cli(['run', configPath, '--out', killedDir, '--backend', 'js'], (kill) => {
    const poll = setInterval(() => {
      if (existsSync(join(killedDir, 'checkpoint.json'))) {
        clearInterval(poll);
        kill();
      }
    }, 5);
  });
  assert.equal(killed.signal, 'SIGKILL', `the run ended before it could be killed: ${killed.stderr}`);
  assert.ok(!existsSync(join(killedDir, 'metrics.json')));
  const checkpoint = JSON.parse(readFileSync(join(killedDir, 'checkpoint.json'), 'utf8')) as { training: { step: number } };
  assert.ok(checkpoint.training.step > 0 && checkpoint.training.step < 400, `checkpoint at step ${checkpoint.training.step}`);

  const resumed = await cli(['run', configPath, '--resume', killedDir, '--backend', 'js']);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.match(resumed.stderr, new RegExp(`resuming .* after step ${checkpoint.training.step}`));
  assert.ok(!existsSync(join(killedDir, 'checkpoint.json')), 'the checkpoint is removed once the results are written');

  const fullDir = join(dir, 'full');
  const full = await cli(['run', configPath, '--out', fullDir, '--backend', 'js']);
  assert.equal(full.code, 0, full.stderr);
  assert.deepStrictEqual(stepsOf(killedDir), stepsOf(fullDir));
  const spectra = readdirSync(join(fullDir, 'spectra')).sort();
  assert.deepEqual(readdirSync(join(killedDir, 'spectra')).sort(), spectra);
  for (const name of spectra) assert.ok(readFileSync(join(killedDir, 'spectra', name)).equals(readFileSync(join(fullDir, 'spectra', name))), name);

  // a finished run, a config that differs, a folder that is not a run: one line each, nothing touched
  const before = listing(killedDir);
  const finished = await cli(['run', configPath, '--resume', killedDir, '--backend', 'js']);
  assert.equal(finished.code, 2);
  assert.match(finished.stderr, /the run is finished \(metrics\.json exists\)/);
  mkdirSync(join(dir, 'b'));
  const other = join(dir, 'b', 'long.yml');
  writeFileSync(other, LONG.replace('lr: 0.05', 'lr: 0.07'));
  const unfinished = join(dir, 'unfinished');
  mkdirSync(unfinished);
  writeFileSync(join(unfinished, 'config.resolved.yaml'), readFileSync(join(killedDir, 'config.resolved.yaml')));
  const differs = await cli(['run', other, '--resume', unfinished]);
  assert.equal(differs.code, 2);
  assert.match(differs.stderr, /another config \(lr: 0\.05 in the folder, 0\.07 in the config\)/);
  assert.equal(differs.stderr.trim().split('\n').length, 1, differs.stderr);
  const noCheckpoint = await cli(['run', configPath, '--resume', unfinished]);
  assert.match(noCheckpoint.stderr, /no checkpoint\.json to resume from/);
  const notARun = await cli(['run', configPath, '--resume', dir]);
  assert.match(notARun.stderr, /not an esdlab run folder \(no config\.resolved\.yaml\)/);
  const missing = await cli(['run', configPath, '--resume', join(dir, 'nope')]);
  assert.match(missing.stderr, /no such folder/);
  assert.deepEqual(listing(killedDir), before);
  assert.deepEqual(readdirSync(unfinished), ['config.resolved.yaml']);
});

test("a run's recorded phase and alphas equal esdlab analyze's on the spectra it saved, at every probed step", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'esdlab-consistency-'));
  const configPath = join(dir, 'lr.yml');
  // a large learning rate: spikes, then a bulk that leaves MP (the phases change along the run)
  writeFileSync(configPath, 'n: 300\nn_test: 20\nh: 150\nd: 100\noptimizer: adam\nlr: 3\nnum_epochs: 8\nprobe_freq_steps: 1\nseed: 1\n');
  const out = join(dir, 'run');
  const run = await cli(['run', configPath, '--out', out, '--backend', 'js']);
  assert.equal(run.code, 0, run.stderr);
  const steps = stepsOf(out) as Record<string, unknown>[];
  assert.equal(steps.length, 9);
  const files = steps.map((s) => join(out, 'spectra', `step-${String(s.step)}.npy`));
  const analyzed = await cli(['analyze', ...files.flatMap((f) => ['--eigs', f]), '--json', '--backend', 'js']);
  assert.equal(analyzed.code, 0, analyzed.stderr);
  const layers = (JSON.parse(analyzed.stdout) as { layers: Record<string, unknown>[] }).layers;
  assert.equal(layers.length, steps.length);
  const phases = new Set<unknown>();
  steps.forEach((record, k) => {
    const layer = layers[k]!;
    assert.deepEqual(layer.shape, [150, 100], 'the shape comes from spectra/shape.json');
    for (const key of ['phase', 'alpha_hill', 'alpha_mle_ks', 'xmin_mle', 'ks_d_mle', 'spectral_norm', 'stable_rank', 'mp_bulk_max', 'num_spikes']) {
      assert.equal(layer[key], record[key], `step ${String(record.step)} ${key}: analyze ${String(layer[key])}, run ${String(record[key])}`);
    }
    phases.add(record.phase);
  });
  assert.ok(phases.size >= 2, `the run goes through more than one phase: ${[...phases].join(', ')}`);
});
