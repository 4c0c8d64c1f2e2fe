/**
 * One-call writers: every plot as plots/<name>.svg and .png, and report.html, into a folder.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { renderPngAsync, renderSvg } from './render.js';
import { reportHtml } from './reportHtml.js';
import type { ReportPageInput } from './reportPage.js';
import { runPlotSpecs } from './runPlotSpecs.js';
import { runReportPage } from './runReportPage.js';
import { sweepReportPage } from './sweepReportPage.js';
import { sweepPlotSpecs } from './sweepSpecs.js';
import type { RunReportData, SweepReportData, VegaLiteSpec } from './types.js';

/** What a writer produced: the paths written, the wall time it took, and the figures that failed. */
export interface WrittenReport {
  files: string[];
  /** Wall time of building the specs, rendering, and writing everything, in milliseconds. */
  plotsMs: number;
  /** Figures that could not be rendered (the others and report.html are still written). */
  failures: { name: string; message: string }[];
}

/**
 * Renders every spec to `dir/plots/<name>.svg` and `.png` and returns the paths written and the
 * figures that failed (one bad figure does not stop the others). Each
 * plot is a pipeline (vega SVG on the main thread, then resvg PNG on its thread pool), so PNGs
 * rasterize on other cores while vega draws the next SVG.
 */
export async function writePlots(
  dir: string,
  specs: Record<string, VegaLiteSpec>,
  options: { pngScale?: number } = {},
): Promise<{ files: string[]; failures: { name: string; message: string }[] }> {
  const plotsDir = join(dir, 'plots');
  await mkdir(plotsDir, { recursive: true });
  const names = Object.keys(specs);
  const settled = await Promise.allSettled(
    names.map(async (name) => {
      const svg = await renderSvg(specs[name]!);
      const svgPath = join(plotsDir, `${name}.svg`);
      const pngPath = join(plotsDir, `${name}.png`);
      const [png] = await Promise.all([renderPngAsync(svg, { scale: options.pngScale ?? 2 }), writeFile(svgPath, svg)]);
      await writeFile(pngPath, png);
      return [svgPath, pngPath];
    }),
  );
  const files: string[] = [];
  const failures: { name: string; message: string }[] = [];
  settled.forEach((result, i) => {
    if (result.status === 'fulfilled') files.push(...result.value);
    else failures.push({ name: names[i]!, message: result.reason instanceof Error ? result.reason.message : String(result.reason) });
  });
  return { files, failures };
}

async function writeReport(dir: string, specs: Record<string, VegaLiteSpec>, page: ReportPageInput, startedMs: number): Promise<WrittenReport> {
  const { files, failures } = await writePlots(dir, specs);
  const htmlPath = join(dir, 'report.html');
  await writeFile(htmlPath, reportHtml(page));
  files.push(htmlPath);
  return { files, plotsMs: performance.now() - startedMs, failures };
}

/**
 * Writes a run's plots (SVG and PNG) and report.html into `dir` (created if missing).
 * `options.title` names the run in the page title ("esdlab run: <title>"; default: the config's name).
 */
export async function writeRunReport(dir: string, data: RunReportData, options: { title?: string } = {}): Promise<WrittenReport> {
  const started = performance.now();
  const specs = runPlotSpecs(data);
  return writeReport(dir, specs, runReportPage(data, specs, options.title), started);
}

/** Writes a sweep's plots (SVG and PNG) and report.html into `dir` (created if missing). */
export async function writeSweepReport(dir: string, data: SweepReportData): Promise<WrittenReport> {
  const started = performance.now();
  const specs = sweepPlotSpecs(data);
  return writeReport(dir, specs, sweepReportPage(data, specs), started);
}
