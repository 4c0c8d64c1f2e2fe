/**
 * The browser-safe half of the report module: types, binning, spec builders, page content and the
 * page template. Nothing here touches Node (no fs, no resvg), so the web lab can import this file
 * and draw the same figures with vega in the page. `index.ts` adds the Node renderers and writers.
 */
export * from './types.js';
export * from './histogram.js';
export * from './marchenkoPasturOverlay.js';
export * from './compileSpec.js';
export { runPlotSpecs, RUN_PLOT_CAPTIONS, divergenceStep, weightShape } from './runPlotSpecs.js';
export { sweepPlotSpecs, SWEEP_PLOT_CAPTIONS } from './sweepSpecs.js';
export { sweepLayout, varyingParams } from './sweepAggregate.js';
export * from './reportPage.js';
export * from './runReportPage.js';
export * from './sweepReportPage.js';
export * from './syntheticReportData.js';
