#!/usr/bin/env node
// Regenerates the key tables of docs/configs.md from the config schema (run through tsx, so it
// reads src/ directly): `npm run docs:configs`. With --check it writes nothing and exits 1 when
// the doc is out of date. The meaning column is kept from the doc; see src/experiments/configDocs.ts.
import { readFileSync, writeFileSync } from 'node:fs';
import { renderConfigDocs } from '../src/experiments/configDocs.ts';
import { ORIGINAL_KEYS, experimentConfigSchema } from '../src/experiments/configSchema.ts';

const path = new URL('../docs/configs.md', import.meta.url);
const current = readFileSync(path, 'utf8');
const next = renderConfigDocs(current, experimentConfigSchema, ORIGINAL_KEYS);
const missing = [...next.matchAll(/^\| `([^`]+)` \| .* \|  \|$/gm)].map((m) => m[1]);
if (process.argv.includes('--check')) {
  if (next !== current) {
    console.error('docs/configs.md is out of date with the config schema: run npm run docs:configs');
    process.exit(1);
  }
} else if (next !== current) {
  writeFileSync(path, next);
  console.log('docs:configs: rewrote the key tables of docs/configs.md');
}
if (missing.length > 0) {
  console.error(`docs:configs: write the meaning of ${missing.join(', ')} in docs/configs.md (or .describe() it in the schema)`);
  process.exit(1);
}
