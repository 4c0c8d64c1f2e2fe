#!/usr/bin/env node
// The esdlab command: runs the compiled CLI in dist/ (built by `npm run build`, which `npm ci` runs).
import { existsSync } from 'node:fs';
const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  console.error('esdlab: dist/ is missing; run `npm run build` (npm ci does it) first');
  process.exit(2);
}
await import(entry.href);
