/**
 * `esdlab analyze PATH...`: the spectral diagnostics of every weight matrix in .npy files,
 * safetensors files, shard folders or shard indexes (and of precomputed eigenvalue lists with
 * --eigs). The work is src/io/analyzeCheckpoint.ts; this file parses flags, draws the progress bar,
 * prints the table or the JSON, writes the optional plots, and sets the exit code (docs/analyze.md).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { z } from '../../experiments/zodModule.js';
import { ConfigError, InputError } from '../../errors.js';
import { analyzeCheckpoint, analyzeEigenvalueFiles, type AnalyzeReport } from '../../io/analyzeCheckpoint.js';
import { analyzeReportToJson, finiteOrNull, layerToJson, type AnalyzeJsonDocument } from '../../io/analyzeJson.js';
import { writeAnalyzeReport } from '../../report/writeAnalyzeReport.js';
import { formatComparison, formatSparsity, histogramCollector, reportLayers, sparsityOf } from './analyzeOutputs.js';
import type { LayerAnalysis } from '../../io/layerAnalysis.js';
import { loadBackend } from '../../linalg/node.js';
import { histogram, histogramRows } from '../../report/histogram.js';
import { renderSvg } from '../../report/render.js';
import { createProgress, type Progress } from '../progress.js';
import { formatDuration, LayerProgressTracker } from '../layerProgress.js';
import { defaultThreadsPerJob } from '../../io/analyzeJobs.js';

/** A flag that must be a whole number >= 1 (commander hands over strings). */
const countFlag = (what: string) => z.coerce.string().trim().regex(/^[1-9][0-9]*$/, `expected an integer >= 1 (${what})`).transform(Number);

const flagsSchema = z.object({
  json: z.boolean().default(false),
  withEigs: z.boolean().default(false),
  layers: z.string().optional(),
  minSize: z.coerce.number().int().min(1).default(2),
  plots: z.string().optional(),
  gof: z.boolean().default(false),
  randomize: z.boolean().default(false),
  bootstrap: z.coerce.number().int().min(1).optional(),
  eigs: z.array(z.string()).default([]),
  shape: z
    .string()
    .regex(/^\d+[x,]\d+$/, 'expected ROWSxCOLS, e.g. 4096x11008')
    .transform((s) => s.split(/[x,]/).map(Number) as [number, number])
    .optional(),
  conv: z.enum(['flatten', 'slices']).default('flatten'),
  xmin: z.enum(['mle_ks', 'hill', 'peak']).default('mle_ks'),
  report: z.string().optional(),
  compare: z.array(z.string()).length(2, 'expected two checkpoints: --compare A B').optional(),
  allocateSparsity: z.coerce.number().gt(0).lt(1).optional(),
  sparsityEpsilon: z.coerce.number().min(0).lt(1).default(0.3),
  backend: z.string().optional(),
  seed: z.coerce.number().int().min(0).default(0),
  jobs: countFlag('layers analyzed at once').default(1),
  threads: countFlag('compute threads per job').optional(),
  precision: z.enum(['f64', 'f32']).default('f64'),
  twoStage: z.boolean().default(false),
});

/** The validated flags of `esdlab analyze`. */
export type AnalyzeFlags = z.infer<typeof flagsSchema>;

/** Validates the flags commander hands over (strings and booleans); throws a ConfigError naming the flag. */
export function parseAnalyzeFlags(raw: Record<string, unknown>): AnalyzeFlags {
  const parsed = flagsSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const key = String(issue.path[0] ?? '');
    const flag = `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    throw new ConfigError(`${flag} ${JSON.stringify(raw[key])} is invalid: ${issue.message}`, key);
  }
  return parsed.data;
}

function compileLayerPattern(source: string | undefined): RegExp | undefined {
  if (source === undefined) return undefined;
  try {
    return new RegExp(source);
  } catch (error) {
    throw new ConfigError(`--layers ${JSON.stringify(source)} is not a valid regular expression (${(error as Error).message})`, 'layers');
  }
}

/** Registers `esdlab analyze`. */
export function registerAnalyzeCommand(program: Command): void {
  program
    .command('analyze')
    .description('spectral diagnostics (power-law alphas, MP spikes, phase) of every weight matrix in checkpoints')
    .argument('[paths...]', '.npy, .safetensors, torch.save (.pt, .pth, .bin), .gguf, .onnx or TensorFlow.js model.json files, folders of them, or shard indexes')
    .option('--json', 'print one JSON document on stdout and nothing else there')
    .option('--with-eigs', 'include each layer\'s eigenvalues ("eigs") in the JSON')
    .option('--layers <regex>', 'analyze only tensors whose name matches')
    .option('--min-size <n>', 'skip matrices with min(rows, cols) below n (default 2)')
    .option('--plots <dir>', 'write an ESD histogram (log10 lambda) per layer as SVG into dir')
    .option('--gof', 'add goodness-of-fit tests (bootstrap p-value, likelihood ratios) per layer')
    .option('--randomize', 'also the ESD of W with its entries shuffled: flags correlation traps (one more eigendecomposition per layer)')
    .option('--bootstrap <n>', 'bootstrap sets for the --gof p-value')
    .option('--eigs <file>', 'analyze a precomputed eigenvalue list (JSON array or 1-D .npy); repeatable', (v: string, acc: string[] = []) => [...acc, v])
    .option('--shape <RxC>', 'shape of the matrix the --eigs lists came from (default NxN)')
    .option('--conv <mode>', 'rank > 2 tensors: flatten to (out, in*kh*kw), or slices: one (out, in) matrix per kernel position', 'flatten')
    .option('--xmin <rule>', "which power-law fit is each layer's alpha: mle_ks (KS-chosen xmin), hill (median xmin) or peak (WeightWatcher's fix_fingers window)", 'mle_ks')
    .option('--report <dir>', 'write dir/report.html: per-layer table, alpha against depth, alpha histogram, phases, each layer\'s ESD (offline)')
    .option('--compare <paths...>', 'analyze two checkpoints A B of one architecture and put them side by side, layer by layer')
    .option('--allocate-sparsity <S>', 'per-layer sparsity ratios averaging S (0 < S < 1) from alpha Hill: AlphaPruning (Lu et al., NeurIPS 2024)')
    .option('--sparsity-epsilon <e>', 'AlphaPruning\'s spread: alpha maps linearly onto [1 - e, 1 + e] before scaling to S (default 0.3)')
    .option('--backend <name>', 'auto, native, wasm or js (default: ESDLAB_BACKEND or auto)')
    .option('--seed <n>', 'seed of the --gof bootstrap (default 0)')
    .option('--jobs <n>', 'layers analyzed at once, each in its own process: at most n tensors and n Gram matrices in memory (default 1)')
    .option('--threads <n>', 'compute threads of each job\'s backend (default: the cores / jobs)')
    .option('--precision <p>', 'arithmetic of the eigenvalues: f64 (default, the reference) or f32 (faster on large matrices; errors in docs/analyze.md)', 'f64')
    .option('--two-stage', 'native backend: LAPACK\'s two-stage eigensolver (?syevd_2stage), about 2x faster for N in the thousands, equal to round-off')
    .action(async (paths: string[], raw: Record<string, unknown>) => {
      process.exitCode = await analyzeCommand(paths, parseAnalyzeFlags(raw));
    });
}

/** Runs the command; returns the exit code (0 all analyzed, 1 some layers failed). */
export async function analyzeCommand(paths: readonly string[], flags: AnalyzeFlags): Promise<number> {
  if (flags.compare && paths.length > 0) throw new ConfigError('--compare A B takes the two checkpoints itself; give no other PATH', 'compare');
  if (paths.length === 0 && flags.eigs.length === 0 && !flags.compare) throw new ConfigError('give at least one PATH (a checkpoint file, folder or index), --compare A B, or --eigs FILE', 'paths');
  const layerPattern = compileLayerPattern(flags.layers);
  if (flags.plots !== undefined) await mkdir(flags.plots, { recursive: true }).catch((e: unknown) => {
    throw new InputError(`--plots ${flags.plots} cannot be created (${(e as Error).message})`);
  });
  const plotDirectory = flags.plots;
  const common = {
    layerPattern,
    minSize: flags.minSize,
    convMode: flags.conv,
    xminRule: flags.xmin,
    shouldTestGoodnessOfFit: flags.gof,
    shouldRandomize: flags.randomize,
    numBootstrap: flags.bootstrap,
    seed: flags.seed,
    shouldKeepEigenvalues: flags.withEigs,
    precision: flags.precision,
    twoStage: flags.twoStage,
    jobs: flags.jobs,
  };
  const collectorA = histogramCollector();
  const collectorB = histogramCollector();
  const withLayerHooks = (collector: ReturnType<typeof histogramCollector>) => ({
    ...common,
    onLayer: async (layer: LayerAnalysis) => {
      if (flags.report !== undefined) collector.onLayer(layer);
      if (plotDirectory !== undefined) await writeLayerPlot(plotDirectory, layer);
    },
  });
  let report: AnalyzeReport = { layers: [], skipped: [], backend: 'none', durationMs: 0 };
  let reportB: AnalyzeReport | undefined;
  if (flags.compare) {
    report = await runCheckpoint([flags.compare[0]!], withLayerHooks(collectorA), flags, 'A');
    reportB = await runCheckpoint([flags.compare[1]!], withLayerHooks(collectorB), flags, 'B');
  } else if (paths.length > 0) {
    report = await runCheckpoint(paths, withLayerHooks(collectorA), flags);
  }
  if (flags.eigs.length > 0) {
    const start = performance.now();
    const layers = await analyzeEigenvalueFiles(flags.eigs, { ...withLayerHooks(collectorA), shape: flags.shape });
    report = { ...report, layers: [...report.layers, ...layers], durationMs: report.durationMs + performance.now() - start };
  }
  const jsonOptions = { shouldIncludeEigenvalues: flags.withEigs, shouldIncludeGoodnessOfFit: flags.gof };
  const document: AnalyzeJsonDocument & { compare?: AnalyzeJsonDocument; sparsity?: unknown } = analyzeReportToJson(report, jsonOptions);
  const sparsity = flags.allocateSparsity !== undefined ? sparsityOf(report, flags.allocateSparsity, flags.sparsityEpsilon) : undefined;
  if (sparsity) document.sparsity = { target: flags.allocateSparsity, epsilon: flags.sparsityEpsilon, method: 'AlphaPruning (Lu et al., NeurIPS 2024), from alpha_hill', layers: sparsity };
  if (reportB) document.compare = analyzeReportToJson(reportB, jsonOptions);
  // the process's peak resident memory (Linux reports maxRSS in KiB): the streaming bound's evidence
  document.summary.peak_rss_bytes = process.resourceUsage().maxRSS * 1024;
  // with --jobs, the jobs' own peaks: the analysis's memory is this process plus their sum
  if (report.jobPeakRssBytes) document.summary.job_peak_rss_bytes = [...report.jobPeakRssBytes];
  document.summary.precision = flags.precision;
  document.summary.two_stage = flags.twoStage;
  document.summary.jobs = flags.jobs;
  if (flags.json) process.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
  else {
    process.stdout.write(formatTable(report.layers));
    if (reportB) process.stdout.write(`\n${formatComparison(report, reportB)}`);
    if (sparsity) process.stdout.write(`\nallocated sparsity (AlphaPruning, mean ${flags.allocateSparsity} weighted by parameters, epsilon ${flags.sparsityEpsilon}):\n${formatSparsity(sparsity)}`);
  }
  if (flags.report !== undefined) {
    const title = flags.compare ? `esdlab analyze: ${flags.compare[0]} vs ${flags.compare[1]}` : `esdlab analyze: ${[...paths, ...flags.eigs].join(', ')}`;
    const written = await writeAnalyzeReport(flags.report, {
      title,
      layers: reportLayers(report, collectorA.histograms),
      summary: document.summary,
      ...(reportB ? { compare: { labelA: flags.compare![0]!, labelB: flags.compare![1]!, layersB: reportLayers(reportB, collectorB.histograms) } } : {}),
      ...(sparsity ? { sparsity } : {}),
    }).catch((e: unknown) => {
      throw new InputError(`--report ${flags.report} cannot be written (${(e as Error).message})`);
    });
    if (sparsity) await writeFile(join(flags.report, 'sparsity.json'), `${JSON.stringify(document.sparsity, null, 2)}\n`);
    process.stderr.write(`esdlab analyze: report in ${written}\n`);
  }
  const numFailed = report.layers.filter((l) => l.error !== undefined).length;
  if (!flags.json && report.skipped.length > 0) {
    process.stderr.write(`esdlab analyze: skipped ${report.skipped.length} tensor${report.skipped.length === 1 ? '' : 's'} (${summarizeReasons(report)}); --json lists them\n`);
  }
  if (numFailed > 0) process.stderr.write(`esdlab analyze: ${numFailed} of ${report.layers.length} layers failed (see the table or the JSON "error" fields)\n`);
  if (plotDirectory !== undefined) process.stderr.write(`esdlab analyze: plots in ${plotDirectory}\n`);
  return numFailed > 0 ? 1 : 0;
}

/** Progress lines off a terminal (logs of long analyses): at most one every this many milliseconds. */
export const PROGRESS_LINE_INTERVAL_MS = 30_000;

/**
 * Analyzes checkpoints on the chosen backend with per-layer progress: layers done of the total, the
 * layers in flight and an ETA weighted by each layer's cost (layerProgress.ts); a bar on a terminal,
 * a line at most every 30 s otherwise.
 */
async function runCheckpoint(paths: readonly string[], options: Omit<Parameters<typeof analyzeCheckpoint>[1], 'backend'>, flags: AnalyzeFlags, label?: string): Promise<AnalyzeReport> {
  const jobs = flags.jobs;
  // with --jobs N the compute happens in the jobs' own backends; this one only names the backend and the default threads
  const { backend, skipped } = await loadBackend(flags.backend ?? process.env.ESDLAB_BACKEND ?? 'auto', jobs === 1 && flags.threads !== undefined ? { threads: flags.threads } : {});
  const fallback = skipped.length > 0 ? ` (skipped ${skipped.map((s) => s.name).join(', ')})` : '';
  const threadsPerJob = jobs > 1 ? (flags.threads ?? defaultThreadsPerJob(backend.threads, jobs)) : backend.threads;
  const compute = jobs > 1 ? `${jobs} jobs x ${threadsPerJob} thread${threadsPerJob === 1 ? '' : 's'}` : `${backend.threads} thread${backend.threads === 1 ? '' : 's'}`;
  const solver = `${flags.precision === 'f32' ? ', precision f32' : ''}${flags.twoStage ? `, two-stage eigensolver${backend.name === 'native' ? '' : ' (native only: ignored here)'}` : ''}`;
  process.stderr.write(`esdlab analyze: ${label ? `${label} = ${paths[0]}, ` : ''}backend ${backend.name}, ${compute}${solver}${fallback}\n`);
  let progress: Progress | undefined;
  let tracker: LayerProgressTracker | undefined;
  try {
    return await analyzeCheckpoint(paths, {
      ...options,
      backend,
      ...(jobs > 1 ? { threadsPerJob } : {}),
      onProgress: (event) => {
        if (event.kind === 'planned') {
          const layerTracker = new LayerProgressTracker(event.layers);
          tracker = layerTracker;
          progress = createProgress({
            label: label ? `analyze ${label}` : 'analyze',
            total: event.numLayers,
            unit: 'layers',
            eta: () => formatDuration(layerTracker.etaSeconds()),
            lineIntervalMs: PROGRESS_LINE_INTERVAL_MS,
          });
        } else if (event.kind === 'layer-start') {
          tracker?.start(event.index);
          progress?.update(tracker?.done ?? 0, tracker?.runningText());
        } else {
          tracker?.finish(event.index);
          progress?.update(tracker?.done ?? 0, tracker?.runningText() || event.layer.name);
        }
      },
    });
  } finally {
    progress?.stop();
    await backend.dispose?.();
  }
}

function summarizeReasons(report: AnalyzeReport): string {
  const counts = new Map<string, number>();
  for (const s of report.skipped) {
    const kind = s.reason.startsWith('dtype') ? `dtype ${s.dtype}` : s.reason.includes('-D tensor') ? `${s.shape.length}-D` : 'too small';
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  return [...counts].map(([k, n]) => `${k}: ${n}`).join(', ');
}

function formatNumber(value: unknown, digits = 3): string {
  const v = finiteOrNull(value as number);
  if (v === null) return '-';
  if (Math.abs(v) >= 1e5 || (v !== 0 && Math.abs(v) < 1e-3)) return v.toExponential(2);
  return Number.isInteger(v) ? String(v) : v.toFixed(digits);
}

/** The terminal table: one row per layer, failed layers with their error. */
export function formatTable(layers: readonly LayerAnalysis[]): string {
  const header = ['layer', 'shape', 'alpha Hill', 'alpha MLE-KS', 'D', 'spikes', 'MP edge', 'stable rank', 'phase'];
  const rows = layers.map((layer) => {
    const j = layerToJson(layer);
    const shape = `${layer.shape[0]}x${layer.shape[1]}`;
    if (layer.error !== undefined) return [layer.name, shape, `failed: ${layer.error}`];
    return [
      layer.name,
      shape,
      formatNumber(j.alpha_hill),
      formatNumber(j.alpha_mle_ks),
      formatNumber(j.ks_d_mle),
      formatNumber(j.num_spikes),
      formatNumber(j.mp_bulk_max),
      formatNumber(j.stable_rank, 2),
      String(j.phase ?? '-'),
    ];
  });
  const widths = header.map((h, k) => Math.max(h.length, ...rows.filter((r) => r.length > 3 || k < 2).map((r) => (r[k] ?? '').length)));
  const line = (cells: string[]) =>
    cells.length === 3 && cells[2]!.startsWith('failed')
      ? `${cells[0]!.padEnd(widths[0]!)}  ${cells[1]!.padEnd(widths[1]!)}  ${cells[2]}`
      : cells.map((c, k) => (k < 2 || k === cells.length - 1 ? c.padEnd(widths[k]!) : c.padStart(widths[k]!))).join('  ').trimEnd();
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}

/** Writes `<dir>/<layer>.svg`: the histogram of log10 lambda with the MP edge and xmin marked. */
async function writeLayerPlot(directory: string, layer: LayerAnalysis): Promise<void> {
  if (!layer.eigenvalues || layer.error !== undefined) return;
  const positive = layer.eigenvalues.filter((v) => v > 0);
  if (positive.length < 2 || positive[0] === positive[positive.length - 1]) return;
  const rows: Record<string, unknown>[] = histogramRows(histogram(positive, { bins: 60, log: true })).map((r) => ({ kind: 'bin', ...r }));
  const j = layerToJson(layer);
  for (const [kind, value] of [
    ['MP bulk edge', j.mp_bulk_max],
    ['xmin (MLE-KS)', j.xmin_mle],
  ] as const) {
    if (typeof value === 'number' && value > 0) rows.push({ kind, marker: Math.log10(value) });
  }
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: `ESD of ${layer.name} (${layer.shape[0]}x${layer.shape[1]})`, subtitle: `alpha Hill ${formatNumber(j.alpha_hill)}, alpha MLE-KS ${formatNumber(j.alpha_mle_ks)}, phase ${j.phase ?? '-'}` },
    width: 420,
    height: 240,
    data: { values: rows },
    layer: [
      {
        transform: [{ filter: "datum.kind === 'bin'" }],
        mark: { type: 'rect', color: '#4c78a8' },
        encoding: {
          x: { field: 'binStart', type: 'quantitative', title: 'log10 eigenvalue of WᵀW' },
          x2: { field: 'binEnd' },
          y: { field: 'density', type: 'quantitative', title: 'density' },
        },
      },
      {
        transform: [{ filter: "datum.kind !== 'bin'" }],
        mark: { type: 'rule', strokeDash: [4, 3], strokeWidth: 1.5 },
        encoding: {
          x: { field: 'marker', type: 'quantitative' },
          color: { field: 'kind', type: 'nominal', title: null, scale: { domain: ['MP bulk edge', 'xmin (MLE-KS)'], range: ['#e45756', '#54a24b'] }, legend: { orient: 'bottom' } },
        },
      },
    ],
  };
  const fileName = `${layer.name.replace(/[^A-Za-z0-9._-]+/g, '_')}.svg`;
  await writeFile(join(directory, fileName), await renderSvg(spec as never));
}
