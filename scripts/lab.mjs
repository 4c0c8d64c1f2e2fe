#!/usr/bin/env node
// `npm run lab [-- --port N] [-- --build]`: builds the web lab if dist/lab/ is missing or older
// than its sources (or with --build), then serves it on http://127.0.0.1:5173 (loopback only),
// cross-origin isolated (COOP/COEP), so the wasm backend runs on worker threads.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startStaticServer } from './staticServer.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const portIndex = args.indexOf('--port');
const port = portIndex >= 0 ? Number(args[portIndex + 1]) : 5173;
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  console.error(`esdlab lab: --port must be an integer from 1 to 65535, got ${args[portIndex + 1]}`);
  process.exit(2);
}

function newestMtime(dir) {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const s = statSync(path);
    newest = Math.max(newest, s.isDirectory() ? (name === 'node_modules' || name === 'assembly' ? 0 : newestMtime(path)) : s.mtimeMs);
  }
  return newest;
}

const index = join(root, 'dist/lab/index.html');
const isStale = !existsSync(index) || Math.max(newestMtime(join(root, 'web')), newestMtime(join(root, 'src'))) > statSync(index).mtimeMs;
if (args.includes('--build') || isStale) {
  const build = spawnSync(process.execPath, [join(root, 'scripts/build-lab.mjs')], { stdio: 'inherit', cwd: root });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
let lab;
try {
  lab = await startStaticServer(join(root, 'dist/lab'), { port, isolated: true });
} catch (error) {
  console.error(`esdlab lab: cannot listen on 127.0.0.1:${port} (${error.code ?? error.message}); try --port`);
  process.exit(1);
}
console.log(`esdlab lab: serving dist/lab/ at ${lab.url} (cross-origin isolated; Ctrl-C stops)`);
