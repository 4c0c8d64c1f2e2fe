/**
 * dist/report/vegaModules.js, the esbuild bundle of vega and vega-lite that `npm run build` writes
 * (scripts/build-vega-bundle.mjs), draws exactly what the packages draw: the same SVG text for the
 * report's figures. (From src/, as here, render.ts uses the packages themselves.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { requireTool } from '../testing/oracle.js';
import { collectingLogger } from './compileSpec.js';
import { renderSvg } from './render.js';
import { runPlotSpecs } from './runPlotSpecs.js';
import { syntheticRun } from './syntheticReportData.js';
import { vegaTextWidth } from './textWidth.js';

const bundleUrl = new URL('../../dist/report/vegaModules.js', import.meta.url);

test('the bundled vega draws the same SVG as the vega packages, figure by figure', async (t) => {
  if (!requireTool(t, existsSync(bundleUrl), 'dist/report/vegaModules.js (npm run build)')) return;
  assert.ok(readFileSync(bundleUrl, 'utf8').length > 500_000, 'dist/report/vegaModules.js is the bundle, not the re-export tsc writes');
  const bundle = (await import(bundleUrl.href)) as typeof import('./vegaModules.js');
  (bundle.vega as unknown as { textMetrics: { width: unknown } }).textMetrics.width = vegaTextWidth;
  const specs = runPlotSpecs(syntheticRun({ rows: 60, cols: 40 }));
  assert.ok(Object.keys(specs).length >= 5);
  for (const [name, spec] of Object.entries(specs)) {
    const warnings: string[] = [];
    const vegaSpec = bundle.compile(spec as unknown as Parameters<typeof bundle.compile>[0], { logger: collectingLogger(warnings) }).spec;
    // renderSvg numbers each SVG's ids from 1; the bundle's own counters likewise
    (bundle.vega as unknown as { resetSVGDefIds(): void }).resetSVGDefIds();
    const view = new bundle.vega.View(bundle.vega.parse(vegaSpec), { renderer: 'none', logLevel: bundle.vega.Error, logger: collectingLogger(warnings) });
    const fromBundle = await view.toSVG();
    view.finalize();
    assert.equal(fromBundle, await renderSvg(spec), `${name}: the bundle's SVG differs`);
  }
});

test('the bundled zod (dist/experiments/zodModule.js) accepts and rejects what the package does', async (t) => {
  const zodUrl = new URL('../../dist/experiments/zodModule.js', import.meta.url);
  if (!requireTool(t, existsSync(zodUrl), 'dist/experiments/zodModule.js (npm run build)')) return;
  assert.ok(readFileSync(zodUrl, 'utf8').length > 200_000, 'dist/experiments/zodModule.js is the bundle, not the re-export tsc writes');
  const bundled = (await import(zodUrl.href)) as typeof import('../experiments/zodModule.js');
  const { z } = await import('../experiments/zodModule.js');
  for (const zz of [bundled.z, z]) {
    const schema = zz.object({ lr: zz.number().positive(), optimizer: zz.enum(['sgd', 'adam']) }).strict();
    assert.deepEqual(schema.parse({ lr: 1, optimizer: 'adam' }), { lr: 1, optimizer: 'adam' });
    const bad = schema.safeParse({ lr: -1, optimizer: 'adamw', extra: 1 });
    assert.equal(bad.success, false);
  }
  const issues = (zz: typeof z) => zz.object({ lr: zz.number().positive() }).safeParse({ lr: -1 }).error!.issues.map((i) => [i.code, i.path.join('.')]);
  assert.deepEqual(issues(bundled.z), issues(z));
});
