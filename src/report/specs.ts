/**
 * The browser-safe half of the report module: types, binning, spec builders, page content and the
 * page template. Nothing here touches Node (no fs, no resvg), and nothing here pulls in vega-lite's
 * compiler (compileSpec.ts) or the synthetic demo data (syntheticReportData.ts), so the web lab can
 * import this file and bundle only the builders. `index.ts` adds those and the Node renderers and
 * writers.
 */
export * from './types.js';
export * from './histogram.js';
export * from './marchenkoPasturOverlay.js';
export { runPlotSpecs, RUN_PLOT_CAPTIONS, divergenceStep, weightShape } from './runPlotSpecs.js';
export { sweepPlotSpecs, SWEEP_PLOT_CAPTIONS } from './sweepSpecs.js';
export { sweepLayout, varyingParams } from './sweepAggregate.js';
export * from './reportPage.js';
export * from './runReportPage.js';
export * from './sweepReportPage.js';
