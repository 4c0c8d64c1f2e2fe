/**
 * The messages between `analyzeCheckpoint({ jobs })` (the parent, analyzeJobs.ts) and its job
 * processes (analyzeJob.ts). Sent over the child-process IPC channel with `serialization:
 * 'advanced'` (V8's structured clone), so typed arrays and every double (NaN, -0 included) arrive
 * bit for bit.
 */
import type { ConvMode } from './analyzeCheckpoint.js';
import type { LayerAnalysis, LayerOptions } from './layerAnalysis.js';

/** What a job needs to plan the same layers as its parent and load its own backend. */
export interface JobSetup {
  readonly type: 'setup';
  readonly paths: readonly string[];
  /** `layerPattern` as source and flags (a RegExp does not cross the channel as one). */
  readonly layerPattern?: { readonly source: string; readonly flags: string };
  readonly minSize?: number;
  readonly convMode?: ConvMode;
  readonly seed?: number;
  readonly layer: Omit<LayerOptions, 'rng'>;
  readonly backendName: string;
  readonly threads: number;
  /** The planned layer names, in order: a job whose own plan differs refuses to run (the files changed). */
  readonly names: readonly string[];
}

/** Parent to job: analyze planned layer `index`, or finish. */
export type ParentMessage = JobSetup | { readonly type: 'layer'; readonly index: number } | { readonly type: 'stop' };

/** Job to parent. */
export type JobMessage =
  | { readonly type: 'ready'; readonly backend: string; readonly threads: number; readonly peakRssBytes: number }
  | { readonly type: 'fatal'; readonly message: string }
  | { readonly type: 'layer-done'; readonly index: number; readonly layer: LayerAnalysis; readonly peakRssBytes: number };
