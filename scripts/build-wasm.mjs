#!/usr/bin/env node
// Compiles the AssemblyScript kernels of the wasm backend (src/linalg/backends/wasm/assembly/) in
// two builds: build/wasm/esdlab-kernels.wasm (shared memory, for worker threads) and
// build/wasm/esdlab-kernels-single.wasm (a plain memory, one thread: pages that are not
// cross-origin isolated). `npm run build` (and so `npm ci`, through `prepare`) runs it before tsc.
//
// The backend loads its binaries next to its own module (new URL('./esdlab-kernels.wasm',
// import.meta.url), which bundlers such as Vite copy as assets), so both are copied into
// src/linalg/backends/wasm/ (tests through tsx) and dist/linalg/backends/wasm/ (the CLI); the
// copies are git-ignored.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(root, 'src/linalg/backends/wasm/assembly/index.ts');
const outDir = join(root, 'build/wasm');
const output = join(outDir, 'esdlab-kernels.wasm');
const singleOutput = join(outDir, 'esdlab-kernels-single.wasm');
const moduleDirs = ['src/linalg/backends/wasm', 'dist/linalg/backends/wasm'].map((d) => join(root, d));

/** Copies both builds next to the backend's module in src/ and dist/. */
function copyNextToModule() {
  for (const dir of moduleDirs) {
    mkdirSync(dir, { recursive: true });
    for (const file of [output, singleOutput]) copyFileSync(file, join(dir, file.slice(outDir.length + 1)));
  }
}
const compiler = join(root, 'node_modules/assemblyscript/bin/asc.js');

if (!existsSync(compiler)) {
  if (existsSync(output) && existsSync(singleOutput)) {
    console.warn('build-wasm: assemblyscript is not installed; keeping the existing builds in build/wasm/');
    copyNextToModule();
    process.exit(0);
  }
  console.error('build-wasm: assemblyscript is not installed (a devDependency); run `npm ci` to install it and build the wasm kernels');
  process.exit(1);
}

mkdirSync(outDir, { recursive: true });
// The flags are part of the backend's contract (src/linalg/backends/wasm/kernels.ts): the module
// imports a shared memory `env.memory` of up to 65536 pages (4 GiB), uses SIMD and atomics, and has
// no runtime, globals or data segments, so one instance per thread can share that memory.
const sharedFlags = ['--importMemory', '--sharedMemory', '--initialMemory', '1', '--maximumMemory', '65536'];
// The single-thread build: the same kernels over a plain (non-shared) imported memory; its team
// kernels run as a team of one, whose barriers return at once (assembly/team.ts).
const singleFlags = ['--importMemory', '--initialMemory', '1', '--maximumMemory', '65536'];
for (const [file, memoryFlags] of [[output, sharedFlags], [singleOutput, singleFlags]]) {
  const flags = [
    entry,
    '--outFile', file,
    '-O3', '--noAssert',
    '--runtime', 'stub',
    '--enable', 'simd', '--enable', 'threads',
    ...memoryFlags,
    '--noExportMemory',
  ];
  const result = spawnSync(process.execPath, [compiler, ...flags], { stdio: 'inherit', cwd: root });
  if (result.status !== 0) {
    console.error('build-wasm: compiling the AssemblyScript kernels failed');
    process.exit(result.status ?? 1);
  }
  console.log(`build-wasm: wrote ${file} (${statSync(file).size} bytes)`);
}
copyNextToModule();
