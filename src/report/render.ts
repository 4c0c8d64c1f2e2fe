/**
 * Rendering in Node: Vega-Lite spec to SVG with vega (no browser, no canvas); SVG to PNG with
 * resvg in png.ts, re-exported here.
 */
import { vega } from './vegaModules.js';
import { collectingLogger, compileSpec } from './compileSpec.js';
import { vegaTextWidth } from './textWidth.js';
import type { VegaLiteSpec } from './types.js';

// SVG to PNG lives in png.ts (resvg only, no vega), which the plot worker loads alone
export { renderPng, renderPngAsync, type PngOptions } from './png.js';

// Headless vega guesses 0.8 em per character, which pads long titles with empty space; measure
// with DejaVu Sans's real advance widths instead (the font resvg draws with).
(vega as unknown as { textMetrics: { width: unknown } }).textMetrics.width = vegaTextWidth;

/** The render in progress: renders run one at a time, so that each one's SVG ids start at 1. */
let rendering: Promise<unknown> = Promise.resolve();

/**
 * Renders a Vega-Lite spec to an SVG document string (compile, parse, headless view, toSVG).
 * Vega-Lite warnings are collected and dropped; an invalid spec throws. Every SVG numbers its clip
 * paths and gradients from 1 (vega's counters are reset first, and renders in one thread run one
 * at a time), so a figure's bytes do not depend on which figures the process drew before it, or
 * on which thread drew it.
 */
export function renderSvg(spec: VegaLiteSpec): Promise<string> {
  const run = rendering.then(() => renderSvgNow(spec));
  rendering = run.catch(() => undefined);
  return run;
}

async function renderSvgNow(spec: VegaLiteSpec): Promise<string> {
  const { vegaSpec } = compileSpec(spec);
  const warnings: string[] = [];
  (vega as unknown as { resetSVGDefIds(): void }).resetSVGDefIds();
  const view = new vega.View(vega.parse(vegaSpec), { renderer: 'none', logLevel: vega.Error, logger: collectingLogger(warnings) });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
