/**
 * `esdlab analyze` as a library function: lists the tensors of every input (headers only), decides
 * which become matrices, then loads and analyzes them one at a time into one reusable buffer sized
 * for the largest, so memory stays bounded by the largest tensor plus the eigenvalue workspace
 * (N x N f64 Gram), whatever the checkpoint's size.
 *
 * Reshaping (docs/analyze.md): 2-D tensors are analyzed as they are. A tensor of rank k > 2 (a conv
 * kernel (out, in, kh, kw), or (out, in, k)) is by default the (out, in * kh * kw) matrix of its
 * row-major reshape (no copy); with `convMode: 'slices'` it is WeightWatcher's kh * kw matrices
 * W[:, :, i, j] of shape (out, in), one layer each, named `name[i,j]`. 1-D and 0-d tensors
 * (biases, norm scales) and non-float dtypes are skipped with a reason.
 */
import type { Backend, Matrix } from '../linalg/index.js';
import { stream } from '../random/index.js';
import { ConfigError } from '../errors.js';
import { analyzeInJobs } from './analyzeJobs.js';
import { listCheckpointTensors, matrixShapeOf, type CheckpointTensor } from './checkpointTensors.js';
import { readEigenvaluesFile } from './eigenvaluesFile.js';
import { analyzeMatrixLayer, analyzeSpectrumLayer, type LayerAnalysis, type LayerOptions } from './layerAnalysis.js';
import { InputError } from '../errors.js';
import { ScratchBuffer } from './scratchBuffer.js';
import { readSpectraShape, SPECTRA_SHAPE_FILE } from './spectraShape.js';
import { dirname, join } from 'node:path';

/** How tensors of rank > 2 become matrices. */
export type ConvMode = 'flatten' | 'slices';

/** A tensor left out of the analysis, and why. */
export interface SkippedTensor {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: string;
  readonly file: string;
  readonly reason: string;
}

/**
 * Progress events, one pair per layer. With jobs > 1 several layers are in flight, so starts and
 * finishes interleave and finishes come in the order the jobs end (count them; `index` says which).
 */
export type AnalyzeProgress =
  | { readonly kind: 'planned'; readonly numLayers: number; readonly numSkipped: number; readonly layers: readonly { readonly name: string; readonly shape: readonly [number, number] }[] }
  | { readonly kind: 'layer-start'; readonly index: number; readonly name: string }
  | { readonly kind: 'layer-done'; readonly index: number; readonly layer: LayerAnalysis };

/** Options of {@link analyzeCheckpoint}. */
export interface AnalyzeOptions extends Omit<LayerOptions, 'rng'> {
  readonly backend: Backend;
  /** Analyze only tensors whose name matches. */
  readonly layerPattern?: RegExp;
  /** Skip matrices with min(rows, cols) below this (default 2: a 1 x N matrix has one eigenvalue). */
  readonly minSize?: number;
  readonly convMode?: ConvMode;
  /** Seed of the goodness-of-fit bootstrap streams (one stream per layer index). Default 0. */
  readonly seed?: number;
  /** Called with planning and per-layer events (for a progress bar). */
  readonly onProgress?: (event: AnalyzeProgress) => void;
  /**
   * Called with each finished layer, eigenvalues included; the returned report keeps eigenvalues
   * only when `shouldKeepEigenvalues` (so a large checkpoint's eigenvalues need not stay in memory).
   */
  readonly onLayer?: (layer: LayerAnalysis) => void | Promise<void>;
  readonly shouldKeepEigenvalues?: boolean;
  /**
   * Layers analyzed at once (default 1: one after the other, in this process, on `backend`). With
   * N > 1, N child processes each load a backend of the same name with `threadsPerJob` threads and
   * analyze one layer at a time (analyzeJobs.ts): at most N tensors and N Gram matrices are resident.
   * The metrics equal those of jobs 1 on a backend of `threadsPerJob` threads, bit for bit.
   */
  readonly jobs?: number;
  /** Threads of each job's backend when jobs > 1 (default: floor(backend.threads / jobs), at least 1). */
  readonly threadsPerJob?: number;
}

/** Everything analyzed, failed and skipped. */
export interface AnalyzeReport {
  /** Analyzed and failed layers in input order (a failed one has `error`). */
  readonly layers: readonly LayerAnalysis[];
  readonly skipped: readonly SkippedTensor[];
  readonly backend: string;
  readonly durationMs: number;
  /** With jobs > 1: each job process's peak resident memory (bytes; a replaced job counts on its own). */
  readonly jobPeakRssBytes?: readonly number[];
}

/** A planned matrix: its identity and how to load it. */
export interface PlannedLayer {
  readonly name: string;
  readonly shape: readonly [number, number];
  readonly tensor: CheckpointTensor;
  readonly load: () => Promise<Matrix>;
}

/** Slice W[:, :, p] (flattened spatial index p) of a row-major (out, in, ...spatial) array, as an (out, in) matrix. */
function spatialSlice(data: Float32Array | Float64Array, out: number, inChannels: number, numSpatial: number, p: number): Matrix {
  const slice = data instanceof Float32Array ? new Float32Array(out * inChannels) : new Float64Array(out * inChannels);
  for (let k = 0; k < out * inChannels; k++) slice[k] = data[k * numSpatial + p]!;
  return { rows: out, cols: inChannels, data: slice };
}

function spatialIndexLabel(spatialShape: readonly number[], p: number): string {
  const index: number[] = [];
  for (let k = spatialShape.length - 1; k >= 0; k--) {
    index.unshift(p % spatialShape[k]!);
    p = Math.floor(p / spatialShape[k]!);
  }
  return `[${index.join(',')}]`;
}

function planTensor(tensor: CheckpointTensor, options: PlanOptions, scratch: ScratchBuffer): PlannedLayer[] | string {
  if (tensor.skipReason) return tensor.skipReason;
  if (!tensor.isDecodable) return `dtype ${tensor.dtype} is not analyzed; esdlab analyzes F32, F64, F16 and BF16`;
  if (tensor.shape.length < 2) return `${tensor.shape.length}-D tensor (a bias, scale or scalar); only matrices have an ESD`;
  const minSize = options.minSize ?? 2;
  if (tensor.shape.length > 2 && options.convMode === 'slices') {
    const [out, inChannels] = tensor.shape as [number, number];
    const spatialShape = tensor.shape.slice(2);
    const numSpatial = spatialShape.reduce((a, b) => a * b, 1);
    if (Math.min(out, inChannels) < minSize) return sizeReason(out, inChannels, minSize);
    let cached: { p: number; data: Float32Array | Float64Array } | undefined;
    return Array.from({ length: numSpatial }, (_, p) => ({
      name: `${tensor.name}${spatialIndexLabel(spatialShape, p)}`,
      shape: [out, inChannels] as const,
      tensor,
      // the whole kernel is read once, for its first slice, and dropped after the last
      load: async () => {
        if (!cached || cached.p !== p - 1) cached = { p, data: (await tensor.loadArray(undefined, scratch)) as Float32Array | Float64Array };
        const matrix = spatialSlice(cached.data, out, inChannels, numSpatial, p);
        cached = p === numSpatial - 1 ? undefined : { p, data: cached.data };
        return matrix;
      },
    }));
  }
  const [rows, cols] = matrixShapeOf(tensor.shape);
  if (Math.min(rows, cols) < minSize) return sizeReason(rows, cols, minSize);
  return [{ name: tensor.name, shape: [rows, cols], tensor, load: () => tensor.load(undefined, scratch) }];
}

function sizeReason(rows: number, cols: number, minSize: number): string {
  if (Math.min(rows, cols) === 1) return `a ${rows}x${cols} matrix has a single eigenvalue; nothing to fit`;
  return `min(rows, cols) = ${Math.min(rows, cols)} is below --min-size ${minSize}`;
}

/** What planning reads of the options. */
export type PlanOptions = Pick<AnalyzeOptions, 'layerPattern' | 'minSize' | 'convMode'>;

/** The per-layer options of an analysis (what analyzeMatrixLayer reads), without the generator. */
export function layerOptionsOf(options: AnalyzeOptions): Omit<LayerOptions, 'rng'> {
  const { shouldTestGoodnessOfFit, numBootstrap, shouldRandomize, xminRule, precision, twoStage } = options;
  return Object.fromEntries(Object.entries({ shouldTestGoodnessOfFit, numBootstrap, shouldRandomize, xminRule, precision, twoStage }).filter(([, v]) => v !== undefined));
}

/** Layer `index`'s options: `layerOptions` and its own goodness-of-fit/shuffle stream (seed, index). */
export function seededLayerOptions(layerOptions: Omit<LayerOptions, 'rng'>, seed: number | undefined, index: number): LayerOptions {
  return { ...layerOptions, rng: stream(seed ?? 0, 'analyze-goodness-of-fit', index) };
}

/** Checks `jobs` and `threadsPerJob` (integers >= 1); throws a ConfigError naming the option. */
function checkJobs(options: AnalyzeOptions): void {
  for (const [key, value] of [['jobs', options.jobs], ['threadsPerJob', options.threadsPerJob]] as const) {
    if (value !== undefined && !(Number.isInteger(value) && value >= 1)) throw new ConfigError(`${key} must be an integer >= 1, got ${value}`, key);
  }
}

/** Lists every input's tensors (headers only) and splits them into planned layers and skipped tensors. */
export async function planAnalysis(paths: readonly string[], options: PlanOptions): Promise<{ planned: PlannedLayer[]; skipped: SkippedTensor[] }> {
  const planned: PlannedLayer[] = [];
  const skipped: SkippedTensor[] = [];
  const tensors: CheckpointTensor[] = [];
  for (const path of paths) {
    for await (const tensor of listCheckpointTensors(path)) {
      if (!options.layerPattern || options.layerPattern.test(tensor.name)) tensors.push(tensor);
    }
  }
  // every tensor is read into one buffer sized for the largest: the peak is that tensor, once
  const scratch = new ScratchBuffer(Math.max(0, ...tensors.filter((t) => t.isDecodable && t.shape.length >= 2).map((t) => t.decodedSizeBytes)));
  for (const tensor of tensors) {
    const plan = planTensor(tensor, options, scratch);
    if (typeof plan === 'string') skipped.push({ name: tensor.name, shape: tensor.shape, dtype: tensor.dtype, file: tensor.file, reason: plan });
    else planned.push(...plan);
  }
  return { planned, skipped };
}

/**
 * Analyzes every matrix of the checkpoints at `paths` (.npy, .safetensors, shard folders or
 * indexes), one tensor in memory at a time. A bad layer (NaN/Inf, all zero, degenerate spectrum,
 * unreadable data) is reported with its error and the others go on; an unreadable input (missing
 * file, bad header) throws an InputError. Throws an InputError when no layer is left to analyze.
 */
export async function analyzeCheckpoint(paths: readonly string[], options: AnalyzeOptions): Promise<AnalyzeReport> {
  const start = performance.now();
  checkJobs(options);
  const { planned, skipped } = await planAnalysis(paths, options);
  if (planned.length === 0) {
    const why = skipped.length > 0 ? `${skipped[0]!.name}: ${skipped[0]!.reason}` : options.layerPattern ? `no tensor name matches ${options.layerPattern}` : 'the inputs hold no tensor';
    throw new InputError(`nothing to analyze in ${paths.join(', ')} (${why}${skipped.length > 1 ? `; ${skipped.length} tensors skipped` : ''})`);
  }
  options.onProgress?.({ kind: 'planned', numLayers: planned.length, numSkipped: skipped.length, layers: planned.map((l) => ({ name: l.name, shape: l.shape })) });
  const layerOptions = layerOptionsOf(options);
  const layers: LayerAnalysis[] = [];
  const keep = async (result: LayerAnalysis) => {
    await options.onLayer?.(result);
    const kept = options.shouldKeepEigenvalues ? result : { ...result, eigenvalues: undefined };
    layers.push(kept);
    return kept;
  };
  let jobPeakRssBytes: number[] | undefined;
  if ((options.jobs ?? 1) > 1 && planned.length > 1) {
    ({ jobPeakRssBytes } = await analyzeInJobs(planned, paths, options, layerOptions, async (_index, result) => {
      await keep(result);
    }));
  } else {
    for (const [index, layer] of planned.entries()) {
      options.onProgress?.({ kind: 'layer-start', index, name: layer.name });
      const result = await analyzeMatrixLayer(
        options.backend,
        { name: layer.name, shape: layer.shape, tensorShape: layer.tensor.shape, dtype: layer.tensor.dtype, file: layer.tensor.file },
        layer.load,
        seededLayerOptions(layerOptions, options.seed, index),
      );
      const kept = await keep(result);
      options.onProgress?.({ kind: 'layer-done', index, layer: kept });
    }
  }
  return { layers, skipped, backend: options.backend.name, durationMs: performance.now() - start, ...(jobPeakRssBytes ? { jobPeakRssBytes } : {}) };
}

/**
 * Analyzes precomputed eigenvalue files (a JSON array or 1-D .npy each). `shape` is the matrix
 * shape they came from, for the Marchenko-Pastur fit; default: the shape.json next to the file (a
 * run's spectra/ folder has one), else N x N (aspect ratio 1).
 */
export async function analyzeEigenvalueFiles(
  paths: readonly string[],
  options: Omit<AnalyzeOptions, 'backend'> & { readonly shape?: readonly [number, number] },
): Promise<LayerAnalysis[]> {
  const layers: LayerAnalysis[] = [];
  for (const [index, path] of paths.entries()) {
    const eigenvalues = await readEigenvaluesFile(path);
    // a run's spectra/ folder says the matrix shape in shape.json (src/io/spectraShape.ts)
    const sidecar = options.shape ? null : readSpectraShape(dirname(path));
    const shape = options.shape ?? sidecar ?? ([eigenvalues.length, eigenvalues.length] as const);
    if (Math.min(shape[0], shape[1]) !== eigenvalues.length) {
      const source = options.shape ? '--shape' : `${join(dirname(path), SPECTRA_SHAPE_FILE)}'s shape`;
      throw new InputError(`${path} holds ${eigenvalues.length} eigenvalues but ${source} ${shape[0]}x${shape[1]} gives min(rows, cols) = ${Math.min(shape[0], shape[1])}`);
    }
    const name = path.replace(/^.*[\\/]/, '').replace(/\.(json|npy)$/i, '');
    const result = await analyzeSpectrumLayer({ name, shape, tensorShape: [eigenvalues.length], dtype: 'eigenvalues', file: path }, eigenvalues, {
      ...options,
      rng: stream(options.seed ?? 0, 'analyze-goodness-of-fit-eigenvalues', index),
    });
    await options.onLayer?.(result);
    layers.push(options.shouldKeepEigenvalues ? result : { ...result, eigenvalues: undefined });
  }
  return layers;
}
