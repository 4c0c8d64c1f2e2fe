#!/usr/bin/env node
// Runs every src/**/*.test.ts with Node's own test runner, through tsx (TypeScript without a build).
// Extra arguments narrow the set: `node scripts/run-tests.mjs spectra` runs the tests whose path contains "spectra".
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

/** Every file under `dir`, recursively. */
function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else out.push(path);
  }
  return out;
}

// The wasm backend loads its builds next to its module (built by `npm run build`); rebuild it first
// when its AssemblyScript sources are newer, so editing a kernel never tests a stale binary.
const wasmBinary = 'src/linalg/backends/wasm/esdlab-kernels-single.wasm';
const wasmSources = walk('src/linalg/backends/wasm/assembly');
const isWasmStale = !existsSync(wasmBinary) || wasmSources.some((f) => statSync(f).mtimeMs > statSync(wasmBinary).mtimeMs);
if (isWasmStale) {
  const build = spawnSync(process.execPath, ['scripts/build-wasm.mjs'], { stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const filters = process.argv.slice(2);
const files = walk('src').filter((f) => f.endsWith('.test.ts')).sort().filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)));
if (files.length === 0) {
  console.error(`no test files match ${filters.join(' ')}`);
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
