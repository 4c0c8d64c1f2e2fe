#!/usr/bin/env node
// Compiles the AssemblyScript kernels of the wasm backend (src/linalg/backends/wasm/assembly/) to
// build/wasm/esdlab-kernels.wasm at the package root. `npm run build` (and so `npm ci`, through
// `prepare`) runs it first, before tsc compiles src/ to dist/ (the two are independent: tsc does not
// read the binary, and the backend loads it at run time).
//
// Why build/wasm/ and not a file inside src/ or dist/: the backend finds the binary relative to its
// own module, four directories up (src/linalg/backends/wasm/ and dist/linalg/backends/wasm/ both sit
// four levels below the package root), so tests running from src through tsx and the CLI running
// from dist load the same file, and the generated binary stays out of git (build/ is ignored).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(root, 'src/linalg/backends/wasm/assembly/index.ts');
const outDir = join(root, 'build/wasm');
const output = join(outDir, 'esdlab-kernels.wasm');
const compiler = join(root, 'node_modules/assemblyscript/bin/asc.js');

if (!existsSync(compiler)) {
  if (existsSync(output)) {
    console.warn('build-wasm: assemblyscript is not installed; keeping the existing build/wasm/esdlab-kernels.wasm');
    process.exit(0);
  }
  console.error('build-wasm: assemblyscript is not installed (a devDependency); run `npm ci` to install it and build the wasm kernels');
  process.exit(1);
}

mkdirSync(outDir, { recursive: true });
// The flags are part of the backend's contract (src/linalg/backends/wasm/kernels.ts): the module
// imports a shared memory `env.memory` of up to 65536 pages (4 GiB), uses SIMD and atomics, and has
// no runtime, globals or data segments, so one instance per thread can share that memory.
const flags = [
  entry,
  '--outFile', output,
  '-O3', '--noAssert',
  '--runtime', 'stub',
  '--enable', 'simd', '--enable', 'threads',
  '--importMemory', '--sharedMemory', '--initialMemory', '1', '--maximumMemory', '65536',
  '--noExportMemory',
];
const result = spawnSync(process.execPath, [compiler, ...flags], { stdio: 'inherit', cwd: root });
if (result.status !== 0) {
  console.error('build-wasm: compiling the AssemblyScript kernels failed');
  process.exit(result.status ?? 1);
}
// Quiet on success (npm ci runs this through prepare); failures above print what went wrong.
