import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderPng, renderPngAsync, renderSvg } from './render.js';
import { runPlotSpecs } from './runPlotSpecs.js';
import { sweepPlotSpecs } from './sweepSpecs.js';
import { syntheticBulkLrSweep, syntheticRun } from './syntheticReportData.js';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

test('renderSvg(spec) draws an SVG document with the titles and axis titles as text', async () => {
  const specs = runPlotSpecs(syntheticRun({ divergeAtStep: 7 }));
  const svg = await renderSvg(specs['loss']!);
  assert.match(svg, /^<svg/);
  assert.match(svg, /Train and test loss/);
  assert.match(svg, /DIVERGED at step 7/);
  assert.match(svg, />step</);
  const esd = await renderSvg(specs['esd_initial_final']!);
  assert.match(esd, /Fig\. 2-style: ESD before and after training/);
  assert.match(esd, /log₁₀ λ/);
});

test('renderSvg draws every run and sweep figure without throwing', async () => {
  const specs = { ...runPlotSpecs(syntheticRun({ hasOverlaps: true })), ...sweepPlotSpecs(syntheticBulkLrSweep()) };
  const svgs = await Promise.all(Object.values(specs).map((spec) => renderSvg(spec)));
  for (const svg of svgs) assert.ok(svg.length > 1000);
});

test('renderPng(svg) returns PNG bytes with the PNG signature, at the requested scale', async () => {
  const svg = await renderSvg(runPlotSpecs(syntheticRun())['loss']!);
  const png = renderPng(svg, { scale: 1 });
  assert.ok(png instanceof Uint8Array);
  assert.deepEqual(Array.from(png.subarray(0, 8)), PNG_SIGNATURE);
  assert.ok(png.length > 5000);
  const width = (bytes: Uint8Array): number => new DataView(bytes.buffer, bytes.byteOffset).getUint32(16);
  const png2 = await renderPngAsync(svg, { scale: 2 });
  assert.deepEqual(Array.from(png2.subarray(0, 8)), PNG_SIGNATURE);
  assert.equal(width(png2), 2 * width(png));
});
