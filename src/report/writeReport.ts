/**
 * One-call writers: every plot as plots/<name>.svg and .png, and report.html, into a folder.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { claimedFromFront, claimFigure, createClaims } from './plotClaims.js';
import { takePlotWorker } from './plotWorkerPool.js';
import { renderPng, renderSvg } from './render.js';
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

/** One figure drawn: its SVG and PNG, or why it could not be drawn. */
type Drawn = { svg: string; png: Uint8Array } | { error: Error };

async function drawHere(spec: VegaLiteSpec, scale: number): Promise<Drawn> {
  try {
    const svg = await renderSvg(spec);
    return { svg, png: renderPng(svg, { scale }) };
  } catch (error) {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }
}

/**
 * Renders every spec to `dir/plots/<name>.svg` and `.png` and returns the paths written and the
 * figures that failed (one bad figure does not stop the others). The figures are shared out
 * between this thread and the plot worker (plotWorkerPool.ts; prewarmed by `esdlab run`, else
 * started here): the worker claims them from the front, this thread from the back (plotClaims.ts),
 * so both cores draw until none is left. If the worker fails, this thread draws what it had taken.
 * The bytes do not depend on who drew what. `options.worker`: false draws everything here; a
 * function gives the worker to use (tests).
 */
export async function writePlots(
  dir: string,
  specs: Record<string, VegaLiteSpec>,
  options: { pngScale?: number; worker?: boolean | (() => Worker | null) } = {},
): Promise<{ files: string[]; failures: { name: string; message: string }[] }> {
  const plotsDir = join(dir, 'plots');
  await mkdir(plotsDir, { recursive: true });
  const names = Object.keys(specs);
  const list = names.map((name) => specs[name]!);
  const scale = options.pngScale ?? 2;
  const drawn: (Drawn | undefined)[] = new Array(names.length);
  const claims = createClaims(names.length);
  let worker = options.worker === false || names.length === 0 ? null : typeof options.worker === 'function' ? options.worker() : takePlotWorker();
  // resolves when the worker has delivered everything it claimed, or is gone
  let settleWorker: (() => void) | null = null;
  let delivered = 0;
  const workerSettled = new Promise<void>((resolve) => (settleWorker = resolve));
  let isMainDone = false;
  const checkWorker = () => {
    if (!worker || (isMainDone && delivered >= claimedFromFront(claims))) settleWorker?.();
  };
  if (worker) {
    worker.ref();
    worker.on('message', (message: { index: number; svg: string; png: Uint8Array } | { index: number; error: string } | { ready: true }) => {
      if ('ready' in message) return; // its warm-up is over
      drawn[message.index] = 'error' in message ? { error: new Error(message.error) } : { svg: message.svg, png: message.png };
      delivered += 1;
      checkWorker();
    });
    const lose = () => {
      worker = null;
      checkWorker();
    };
    worker.on('error', lose);
    worker.on('exit', lose);
    try {
      worker.postMessage({ specs: list, claims, scale });
    } catch {
      lose(); // a spec that cannot be cloned: this thread draws everything
    }
  }
  const started = worker;
  try {
    for (let index = claimFigure(claims, false); index !== -1; index = claimFigure(claims, false)) {
      drawn[index] = await drawHere(list[index]!, scale);
      // let the worker's figures in
      await new Promise((resolve) => setImmediate(resolve));
    }
    isMainDone = true;
    checkWorker();
    await workerSettled;
  } finally {
    void started?.terminate();
  }
  // what a failed worker had claimed and not delivered
  for (let index = 0; index < names.length; index++) {
    if (drawn[index] === undefined) drawn[index] = await drawHere(list[index]!, scale);
  }
  const written = await Promise.allSettled(
    names.map(async (name, index) => {
      const figure = drawn[index]!;
      if ('error' in figure) throw figure.error;
      const paths = [join(plotsDir, `${name}.svg`), join(plotsDir, `${name}.png`)];
      await Promise.all([writeFile(paths[0]!, figure.svg), writeFile(paths[1]!, figure.png)]);
      return paths;
    }),
  );
  // in the specs' order
  const files: string[] = [];
  const failures: { name: string; message: string }[] = [];
  written.forEach((result, index) => {
    if (result.status === 'fulfilled') files.push(...result.value);
    else failures.push({ name: names[index]!, message: result.reason instanceof Error ? result.reason.message : String(result.reason) });
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
