#!/usr/bin/env node
// Replaces dist/report/vegaModules.js (tsc's re-export of vega and vega-lite) with one esbuild
// bundle of both packages, so that a report loads one file instead of hundreds (see
// src/report/vegaModules.ts), and dist/experiments/zodModule.js with a bundle of zod
// (src/experiments/zodModule.ts). Run by `npm run build` after tsc.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
await build({
  entryPoints: [join(root, 'src/report/vegaModules.ts')],
  outfile: join(root, 'dist/report/vegaModules.js'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // vega-canvas requires the optional 'canvas' package inside a try; esbuild's shim throws there, as a missing package would
  logLevel: 'warning',
  legalComments: 'none',
});
// zod the same way (src/experiments/zodModule.ts): one file instead of ~70
await build({
  entryPoints: [join(root, 'src/experiments/zodModule.ts')],
  outfile: join(root, 'dist/experiments/zodModule.js'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'warning',
  legalComments: 'none',
});
// tsc's source maps described the re-exports, not the bundles
rmSync(join(root, 'dist/report/vegaModules.js.map'), { force: true });
rmSync(join(root, 'dist/experiments/zodModule.js.map'), { force: true });
