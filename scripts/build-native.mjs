#!/usr/bin/env node
// Builds the native backend (native/: a Node-API addon over OpenBLAS and LAPACKE) with node-gyp,
// into native/build/Release/esdlab_native.node (ignored by git).
//
//   node scripts/build-native.mjs             build, or fail loudly saying what is missing
//   node scripts/build-native.mjs --optional  (npm's install script) never fails: prints one line
//                                             saying native was skipped and why; esdlab then uses wasm
//
// Before invoking node-gyp it checks, offline, what the build needs: Node's headers (node_api.h;
// nodedir from npm's config, else the prefix of this node binary), a C compiler, and that a tiny
// program including cblas.h and lapacke.h links with -lopenblas -llapacke.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const isOptional = process.argv.includes('--optional');
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const nativeDir = join(root, 'native');
const enable = 'apt-get install libopenblas-dev liblapacke-dev && npm run build:native';

function skipOrFail(reason, details = '') {
  if (isOptional) {
    console.log(`esdlab: native backend skipped (${reason}); esdlab will use the wasm backend. To enable it: ${enable}`);
    process.exit(0);
  }
  if (details) console.error(details);
  console.error(`esdlab: native backend build failed: ${reason}. To enable it: ${enable}`);
  process.exit(1);
}

/** A directory whose include/node holds node_api.h, so node-gyp needs no download. */
function findNodeDir() {
  const candidates = [process.env.npm_config_nodedir, resolve(dirname(process.execPath), '..'), '/usr', '/usr/local'];
  return candidates.find((dir) => dir && existsSync(join(dir, 'include', 'node', 'node_api.h')));
}

/** node-gyp's entry: the copy bundled with npm (npm tells scripts where), else one npm or this package can resolve. */
function findNodeGyp() {
  const candidates = [
    process.env.npm_config_node_gyp,
    join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ];
  for (const base of [root, process.env.npm_execpath && dirname(process.env.npm_execpath)].filter(Boolean)) {
    try {
      candidates.push(createRequire(join(base, 'x.js')).resolve('node-gyp/bin/node-gyp.js'));
    } catch {
      // not resolvable from there
    }
  }
  return candidates.find((path) => path && existsSync(path));
}

/** Null when a program using CBLAS and LAPACKE compiles and links, else why not. */
function checkBlasLinks(compiler) {
  const dir = mkdtempSync(join(tmpdir(), 'esdlab-native-check-'));
  try {
    const source = join(dir, 'check.c');
    writeFileSync(source, [
      '#include <cblas.h>',
      '#include <lapacke.h>',
      // the two-stage eigensolver (analyze --two-stage) needs LAPACK >= 3.7
      'int main(void) { double a = 4; void *two = (void *)&LAPACKE_dsyevd_2stage_work; openblas_set_num_threads(1);',
      '  cblas_dscal(1, 1.0, &a, 1); return LAPACKE_dpotrf(LAPACK_COL_MAJOR, \'U\', 1, &a, 1) + (two == 0); }',
      '',
    ].join('\n'));
    const r = spawnSync(compiler, [source, '-o', join(dir, 'check'), '-lopenblas', '-llapacke'], { encoding: 'utf8' });
    if (r.error) return `${compiler} could not run (${r.error.message})`;
    if (r.status !== 0) {
      const firstError = (r.stderr.split('\n').find((line) => /error|cannot find|undefined reference/.test(line)) ?? r.stderr).trim();
      if (/2stage/.test(firstError)) return `LAPACKE is older than 3.7 (it lacks LAPACKE_dsyevd_2stage_work: ${firstError})`;
      return `OpenBLAS/LAPACKE headers or libraries are missing (${firstError})`;
    }
    return null;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const compiler = process.env.CC ?? 'cc';
if (spawnSync(compiler, ['--version']).status !== 0) skipOrFail(`no C compiler (${compiler}) found`);
const nodeDir = findNodeDir();
if (!nodeDir) skipOrFail(`Node's headers (include/node/node_api.h) were not found; install nodejs's headers (Debian: libnode-dev) or set npm's nodedir`);
const blasProblem = checkBlasLinks(compiler);
if (blasProblem) skipOrFail(blasProblem);
const nodeGyp = findNodeGyp();
if (!nodeGyp) skipOrFail('node-gyp was not found (it ships with npm; run this through npm, e.g. npm run build:native)');

const build = spawnSync(process.execPath, [nodeGyp, 'rebuild', `--nodedir=${nodeDir}`], {
  cwd: nativeDir,
  encoding: 'utf8',
  env: { ...process.env, npm_config_nodedir: nodeDir },
});
if (build.status !== 0) {
  const log = `${build.stdout ?? ''}${build.stderr ?? ''}`;
  const firstError = log.split('\n').find((line) => /error/i.test(line))?.trim() ?? `node-gyp exited with ${build.status}`;
  skipOrFail(`node-gyp failed: ${firstError}`, log);
}
// Quiet on success (npm install runs this); `esdlab run` prints the backend it loaded.
