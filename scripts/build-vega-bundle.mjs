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
// vega and vega-lite (src/report/vegaModules.ts), then zod (src/experiments/zodModule.ts, ~70 files)
for (const module of ['report/vegaModules', 'experiments/zodModule']) {
  await build({
    entryPoints: [join(root, `src/${module}.ts`)],
    outfile: join(root, `dist/${module}.js`),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // vega-canvas requires the optional 'canvas' package inside a try; esbuild's shim throws there, as a missing package would
    logLevel: 'warning',
    legalComments: 'none',
  });
  // tsc's source map described the re-export, not the bundle
  rmSync(join(root, `dist/${module}.js.map`), { force: true });
}
