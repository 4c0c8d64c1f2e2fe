/**
 * Plots and reports: Vega-Lite specs built from run and sweep data (browser-safe, see specs.ts),
 * rendered in Node to SVG (vega) and PNG (resvg), and a self-contained report.html.
 */
export * from './specs.js';
export * from './compileSpec.js';
export * from './syntheticReportData.js';
export * from './render.js';
export * from './reportHtml.js';
export * from './writeReport.js';
