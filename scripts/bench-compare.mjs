#!/usr/bin/env node
// esdlab's backends against numpy, side by side, in one run:
//
//   node scripts/bench-compare.mjs [--backend native,wasm] [--threads 2] [--repeats 3] [--rounds 1]
//                                  [--op ...] [--m ..] [--k ..] [--n ..] [--dtype ..] [--quick]
//                                  [--python python3] [--markdown] [--json]
//
// The case list comes from `esdlab bench --dry-run --json` (src/bench/benchCase.ts is the one
// table); then, case by case, `esdlab bench --cases -` runs it on each backend and
// scripts/bench_numpy.py runs it with numpy, interleaved so that load from other processes hits
// both sides alike. With --rounds N the whole pass repeats N times and each side keeps its best.
// The numpy process runs without OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE (they slow a current
// numpy; the esdlab side keeps the environment as it is). esdlab runs from dist/ when built
// (npm run build), else from src/ through tsx; --entry picks another CLI entry file.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values: flags } = parseArgs({
  options: {
    backend: { type: 'string', default: 'native' },
    threads: { type: 'string', default: String(availableParallelism()) },
    repeats: { type: 'string', default: '3' },
    rounds: { type: 'string', default: '1' },
    op: { type: 'string' },
    m: { type: 'string' },
    k: { type: 'string' },
    n: { type: 'string' },
    dtype: { type: 'string' },
    quick: { type: 'boolean', default: false },
    python: { type: 'string', default: 'python3' },
    entry: { type: 'string' },
    markdown: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
});

const entry = flags.entry ?? (existsSync(join(root, 'dist', 'cli', 'main.js')) ? join(root, 'bin', 'esdlab.js') : join(root, 'src', 'cli', 'main.ts'));
const nodeArgs = entry.endsWith('.ts') ? ['--import', 'tsx', entry] : [entry];

function run(command, args, input, env = process.env) {
  const r = spawnSync(command, args, { cwd: root, input, env, encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) {
    process.stderr.write(r.stderr ?? '');
    throw new Error(`${command} ${args.join(' ')} exited with ${r.status ?? r.error?.message}`);
  }
  return r;
}

const selection = ['op', 'm', 'k', 'n', 'dtype'].flatMap((key) => (flags[key] === undefined ? [] : [`--${key}`, flags[key]]));
if (flags.quick) selection.push('--quick');
const cases = run(process.execPath, [...nodeArgs, 'bench', '--dry-run', '--json', ...selection]).stdout.trim().split('\n').filter(Boolean);
const backends = flags.backend.split(',');
const common = ['--threads', flags.threads, '--repeats', flags.repeats, '--json', '--cases', '-'];
const numpyEnv = { ...process.env };
delete numpyEnv.OPENBLAS_CORETYPE;
delete numpyEnv.OPENBLAS_L2_SIZE;

const best = new Map(); // case line -> backend -> record with the smallest ms
let numpyInfo = '';
const rounds = Number(flags.rounds);
for (let round = 1; round <= rounds; round++) {
  for (const line of cases) {
    const records = [];
    for (const backend of backends) {
      records.push(JSON.parse(run(process.execPath, [...nodeArgs, 'bench', '--backend', backend, ...common], `${line}\n`).stdout));
    }
    const numpy = run(flags.python, [join('scripts', 'bench_numpy.py'), ...common], `${line}\n`, numpyEnv);
    numpyInfo = numpy.stderr.split('\n').find((l) => l.startsWith('bench_numpy: numpy')) ?? numpyInfo;
    const numpyLine = numpy.stdout.trim();
    if (numpyLine) records.push(JSON.parse(numpyLine));
    const entryForCase = best.get(line) ?? new Map();
    for (const r of records) {
      const previous = entryForCase.get(r.backend);
      if (!previous || r.ms < previous.ms) entryForCase.set(r.backend, r);
    }
    best.set(line, entryForCase);
    process.stderr.write(`round ${round}/${rounds}: ${line} ${records.map((r) => `${r.backend} ${r.ms} ms`).join(', ')}\n`);
  }
}

if (flags.json) {
  for (const perBackend of best.values()) for (const r of perBackend.values()) process.stdout.write(`${JSON.stringify(r)}\n`);
  process.exit(0);
}

function shapeLabel(c) {
  switch (c.op) {
    case 'gemm': case 'gemm_into': return `${c.m}x${c.k} * ${c.k}x${c.n}`;
    case 'syrk': return `A A^T, A ${c.n}x${c.k}`;
    case 'cholesky_solve': return `n=${c.n}, ${c.k} rhs`;
    case 'eigvalsh': case 'eigh': return `n=${c.n}`;
    default: return `${c.m}x${c.n}`;
  }
}
const fmt = (x, digits = 1) => (x === null || x === undefined ? '-' : x.toFixed(digits));
const header = ['op', 'shape', 'dtype', 'threads'];
for (const b of backends) header.push(`${b} ms`, `${b} GFLOP/s`);
header.push('numpy ms', 'numpy GFLOP/s');
for (const b of backends) header.push(`${b}/numpy time`, `${b} GFLOP/s vs numpy`);
const rows = [];
for (const [line, perBackend] of best) {
  const c = JSON.parse(line);
  const numpy = perBackend.get('numpy');
  const row = [`${c.op}${c.trans ? ` ${c.trans}` : ''}`, shapeLabel(c), c.dtype, flags.threads];
  for (const b of backends) row.push(fmt(perBackend.get(b)?.ms), fmt(perBackend.get(b)?.gflops));
  row.push(fmt(numpy?.ms), fmt(numpy?.gflops));
  for (const b of backends) {
    const r = perBackend.get(b);
    row.push(r && numpy ? `${(r.ms / numpy.ms).toFixed(2)}x` : '-');
    row.push(r?.gflops && numpy?.gflops ? `${Math.round((100 * r.gflops) / numpy.gflops)}%` : '-');
  }
  rows.push(row);
}
process.stdout.write(`${numpyInfo}\nbest of ${flags.repeats} repeats x ${rounds} round(s), ms = best time\n`);
if (flags.markdown) {
  process.stdout.write(`| ${header.join(' | ')} |\n|${header.map(() => '---').join('|')}|\n`);
  for (const row of rows) process.stdout.write(`| ${row.join(' | ')} |\n`);
} else {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  for (const row of [header, ...rows]) process.stdout.write(`${row.map((cell, i) => (i < 3 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ')}\n`);
}
