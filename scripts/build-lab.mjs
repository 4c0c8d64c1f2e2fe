#!/usr/bin/env node
// `npm run build:lab`: the wasm kernels (if missing) and the web lab's static site in dist/lab/ (Vite).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const run = (args) => {
  const result = spawnSync(process.execPath, args, { stdio: 'inherit', cwd: root });
  if (result.status !== 0) process.exit(result.status ?? 1);
};
if (!existsSync(join(root, 'src/linalg/backends/wasm/esdlab-kernels-single.wasm'))) run([join(root, 'scripts/build-wasm.mjs')]);
const vite = join(dirname(createRequire(import.meta.url).resolve('vite/package.json')), 'bin/vite.js');
run([vite, 'build', '--config', join(root, 'web/vite.config.ts'), '--logLevel', 'warn']);
console.log('build:lab: wrote dist/lab/ (serve it with `npm run lab`, or from any static server)');
