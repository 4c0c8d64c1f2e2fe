#!/usr/bin/env node
// Times the original PyTorch implementation (kvignesh1420/single-index-ht) and esdlab on the same
// work, side by side in one run, and prints the wall times and esdlab's ratio to the original.
// The original is a benchmark oracle only: it is extracted at run time from a git mirror (or a
// checkout you give) into a temporary folder, with a stub for its optional `weightwatcher` import
// written there (every config sets enable_ww: false), and run with Debian's python3-torch,
// python3-matplotlib, python3-yaml, python3-tqdm and python3-seaborn (installed with apt-get when
// missing and --install is given). Nothing of it is kept.
//
//   node scripts/bench-reference.mjs [--work main,sweep] [--backend native,wasm] [--rounds N]
//     [--reference DIR | --mirror GIT_DIR] [--python PATH] [--entry bin/esdlab.js] [--install]
//     [--keep-openblas-env] [--markdown]
//
// main: `python main.py configs/main.yml` against `esdlab run configs/main.yml` (all outputs).
// sweep: the original's bulk_lr.py on configs/bulk_lr_reduced.yml (28 trainings; esdlab's own keys
// removed) against `esdlab sweep configs/bulk_lr_reduced.yml --fresh` (report included).
// Both sides run without OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE unless --keep-openblas-env (each then
// uses the best kernel it finds itself: OpenBLAS's detection for torch, esdlab's choice for esdlab);
// the kernel each side ran is printed. With --rounds N the sides alternate N times; each keeps its best.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values: opts } = parseArgs({
  options: {
    work: { type: 'string', default: 'main' },
    backend: { type: 'string', default: 'native' },
    rounds: { type: 'string', default: '1' },
    reference: { type: 'string' },
    mirror: { type: 'string', default: '/work/.mirror/kvignesh1420+single-index-ht/repo' },
    python: { type: 'string', default: '/usr/bin/python3' },
    entry: { type: 'string', default: 'bin/esdlab.js' },
    install: { type: 'boolean', default: false },
    'keep-openblas-env': { type: 'boolean', default: false },
    markdown: { type: 'boolean', default: false },
  },
});
const root = resolve(new URL('..', import.meta.url).pathname);
const works = opts.work.split(',').map((s) => s.trim()).filter(Boolean);
const backends = opts.backend.split(',').map((s) => s.trim()).filter(Boolean);
const rounds = Number(opts.rounds);
for (const w of works) if (!['main', 'sweep'].includes(w)) fail(`--work: '${w}' is not main or sweep`);
if (!Number.isInteger(rounds) || rounds < 1) fail(`--rounds: '${opts.rounds}' is not a positive integer`);

function fail(message) {
  process.stderr.write(`bench-reference: ${message}\n`);
  process.exit(2);
}

/** The environment both sides run in. */
const env = { ...process.env, MPLBACKEND: 'Agg', PYTHONHASHSEED: '0' };
if (!opts['keep-openblas-env']) {
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  delete env.ESDLAB_OPENBLAS_CORETYPE_CHOSEN;
}

// 1. the Python side's packages (Debian's), installed when missing and --install is given
const modules = { torch: 'python3-torch', matplotlib: 'python3-matplotlib', yaml: 'python3-yaml', tqdm: 'python3-tqdm', seaborn: 'python3-seaborn' };
const missing = Object.entries(modules).filter(([m]) => spawnSync(opts.python, ['-c', `import ${m}`], { env }).status !== 0).map(([, p]) => p);
if (missing.length > 0) {
  if (!opts.install) fail(`${opts.python} lacks ${missing.join(', ')}; rerun with --install (apt-get install -y ${missing.join(' ')})`);
  const apt = spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { stdio: 'inherit' });
  if (apt.status !== 0) fail(`apt-get install ${missing.join(' ')} failed`);
}

// 2. the original code in a temporary folder, with the weightwatcher stub next to it
const work = mkdtempSync(join(tmpdir(), 'esdlab-reference-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));
const reference = join(work, 'reference');
mkdirSync(reference);
if (opts.reference !== undefined) {
  const copy = spawnSync('cp', ['-r', `${resolve(opts.reference)}/.`, reference]);
  if (copy.status !== 0) fail(`cannot copy --reference ${opts.reference}`);
} else {
  if (!existsSync(opts.mirror)) fail(`no reference: ${opts.mirror} does not exist (give --reference DIR or --mirror GIT_DIR)`);
  const archive = spawnSync('sh', ['-c', `git --git-dir="${opts.mirror}" archive HEAD | tar -x -C "${reference}"`]);
  if (archive.status !== 0) fail(`git archive of ${opts.mirror} failed: ${archive.stderr}`);
}
mkdirSync(join(reference, 'weightwatcher'));
writeFileSync(join(reference, 'weightwatcher', '__init__.py'),
  '"""Stub for benchmarking: every config sets enable_ww: false, so WeightWatcher is never called."""\n' +
  'class WeightWatcher:\n    def __init__(self, *args, **kwargs):\n        raise RuntimeError("weightwatcher stub: set enable_ww: false")\n');
// the reduced sweep for the original: esdlab's config without esdlab's own keys
const esdlabKeys = new Set(['seed', 'precision', 'out', 'backend', 'name', 'init']);
const reduced = readFileSync(join(root, 'configs/bulk_lr_reduced.yml'), 'utf8').split('\n')
  .filter((line) => !esdlabKeys.has(line.split(':')[0].trim())).join('\n');
writeFileSync(join(reference, 'configs', 'bulk_lr_reduced.yml'), reduced);

// 3. the kernels each side runs
const pyCore = spawnSync(opts.python, ['-c',
  'import torch, ctypes\nlib = ctypes.CDLL("libopenblas.so.0")\nlib.openblas_get_corename.restype = ctypes.c_char_p\n' +
  'print(torch.__version__, "OpenBLAS core", lib.openblas_get_corename().decode(), "threads", torch.get_num_threads())'], { env, encoding: 'utf8' });
const nodeArgs = opts.entry.endsWith('.ts') ? ['--import', 'tsx', opts.entry] : [opts.entry];
const doctor = spawnSync(process.execPath, [...nodeArgs, 'doctor', '--json'], { cwd: root, env, encoding: 'utf8' });
const doctorJson = doctor.status === 0 ? JSON.parse(doctor.stdout) : null;
process.stdout.write(`original: ${pyCore.stdout.trim() || pyCore.stderr.trim().split('\n').pop()}\n`);
process.stdout.write(`esdlab: native kernel ${doctorJson?.['native BLAS']?.kernel ?? 'unknown'}\n`);
process.stdout.write(`env: ${opts['keep-openblas-env'] ? `OPENBLAS_CORETYPE=${env.OPENBLAS_CORETYPE ?? ''} OPENBLAS_L2_SIZE=${env.OPENBLAS_L2_SIZE ?? ''}` : 'OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset'}\n`);

/** Runs a command, returns its wall time in seconds (exits on failure, printing its stderr tail). */
function timed(label, command, args, cwd) {
  const started = performance.now();
  const r = spawnSync(command, args, { cwd, env, encoding: 'utf8', maxBuffer: 1 << 28 });
  const seconds = (performance.now() - started) / 1000;
  if (r.status !== 0) fail(`${label} failed (exit ${r.status}): ${(r.stderr || r.stdout).trim().split('\n').slice(-5).join(' | ')}`);
  process.stderr.write(`bench-reference: ${label}: ${seconds.toFixed(1)} s\n`);
  return seconds;
}

const sides = (w) => [
  {
    name: 'original (PyTorch)',
    run: () => {
      rmSync(join(reference, 'out'), { recursive: true, force: true });
      return w === 'main'
        ? timed('original main', opts.python, ['main.py', 'configs/main.yml'], reference)
        : timed('original sweep', opts.python, ['bulk_lr.py', 'configs/bulk_lr_reduced.yml'], reference);
    },
  },
  ...backends.map((backend) => ({
    name: `esdlab ${backend}`,
    run: () => {
      const out = join(work, `esdlab-${w}-${backend}`);
      rmSync(out, { recursive: true, force: true });
      return w === 'main'
        ? timed(`esdlab main ${backend}`, process.execPath, [...nodeArgs, 'run', 'configs/main.yml', '--out', out, '--backend', backend, '--json'], root)
        : timed(`esdlab sweep ${backend}`, process.execPath, [...nodeArgs, 'sweep', 'configs/bulk_lr_reduced.yml', '--store', `${out}.db`,
          '--out', out, '--fresh', '--backend', backend, '--json'], root);
    },
  })),
];

const rows = [];
for (const w of works) {
  const list = sides(w);
  const best = list.map(() => Infinity);
  for (let round = 0; round < rounds; round++) list.forEach((side, i) => { best[i] = Math.min(best[i], side.run()); });
  list.forEach((side, i) => rows.push({ work: w, side: side.name, seconds: best[i], ratio: best[i] / best[0] }));
}

process.stdout.write(`best of ${rounds} round(s), wall time of the whole command (process start included)\n`);
if (opts.markdown) {
  process.stdout.write('\n| work | side | wall s | vs original |\n|---|---|---|---|\n');
  for (const r of rows) process.stdout.write(`| ${r.work} | ${r.side} | ${r.seconds.toFixed(1)} | ${r.ratio.toFixed(3)}x |\n`);
} else {
  for (const r of rows) process.stdout.write(`${r.work.padEnd(6)} ${r.side.padEnd(20)} ${r.seconds.toFixed(1).padStart(8)} s  ${r.ratio.toFixed(3)}x\n`);
}
