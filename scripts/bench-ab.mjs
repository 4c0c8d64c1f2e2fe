#!/usr/bin/env node
// Interleaved A/B of whole `esdlab run` commands across builds: each round runs the config once in
// every given checkout (each with its own built dist/), in turn, so that the machine's load hits
// all of them alike. Prints, per checkout, the best and median wall time and the best of each
// timing field of metrics.json (steps, evaluations, probes, training, plots, total).
//
//   node scripts/bench-ab.mjs [--rounds 4] [--backend wasm] [--config configs/main.yml] DIR...
//
// e.g. a worktree of the previous commit against this one:
//   git worktree add /tmp/before HEAD~1 && (cd /tmp/before && npm ci) && node scripts/bench-ab.mjs /tmp/before .
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values: opts, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    rounds: { type: 'string', default: '4' },
    backend: { type: 'string', default: 'wasm' },
    config: { type: 'string', default: 'configs/main.yml' },
  },
});
if (positionals.length === 0) {
  console.error('bench-ab: give one or more checkouts (folders with a built dist/)');
  process.exit(2);
}
const rounds = Number(opts.rounds);
if (!Number.isInteger(rounds) || rounds < 1) {
  console.error(`bench-ab: --rounds must be a positive integer, got ${opts.rounds}`);
  process.exit(2);
}
const dirs = positionals.map((d) => resolve(d));
const results = new Map(dirs.map((d) => [d, []]));
for (let round = 0; round < rounds; round++) {
  for (const [index, dir] of dirs.entries()) {
    const out = join(tmpdir(), `esdlab-bench-ab-${process.pid}-${index}`);
    rmSync(out, { recursive: true, force: true });
    const started = performance.now();
    const run = spawnSync(process.execPath, [join(dir, 'dist/cli/main.js'), 'run', opts.config, '--backend', opts.backend, '--out', out], {
      cwd: dir,
      encoding: 'utf8',
    });
    const wallS = (performance.now() - started) / 1000;
    if (run.status !== 0) {
      console.error(`bench-ab: ${dir} failed (exit ${run.status}):\n${run.stderr}`);
      process.exit(1);
    }
    const timing = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8')).timing;
    rmSync(out, { recursive: true, force: true });
    results.get(dir).push({ wallS, timing });
    console.error(`bench-ab: round ${round + 1} ${dir}: ${wallS.toFixed(2)} s`);
  }
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const keys = Object.keys(results.get(dirs[0])[0].timing);
console.log(`| checkout | wall best s | wall median s | ${keys.map((k) => `${k} best`).join(' | ')} |`);
console.log(`|---|---|---|${keys.map(() => '---').join('|')}|`);
for (const dir of dirs) {
  const runs = results.get(dir);
  const walls = runs.map((r) => r.wallS);
  const cells = keys.map((k) => Math.min(...runs.map((r) => r.timing[k])).toFixed(0));
  console.log(`| ${dir} | ${Math.min(...walls).toFixed(2)} | ${median(walls).toFixed(2)} | ${cells.join(' | ')} |`);
}
