/**
 * `analyzeCheckpoint` with `jobs > 1`: layers analyzed in parallel, each job a child process
 * (analyzeJob.ts) with its own backend. Processes rather than worker threads because the native
 * backend's OpenBLAS is one per process and its calls are serialized there (native/README.md):
 * jobs in threads of one process would wait for each other on every BLAS call.
 *
 * Memory: a job reads one tensor at a time into its own scratch buffer and holds one Gram matrix,
 * and a job gets its next layer only after posting the previous one, so at most `jobs` tensors
 * and `jobs` Gram matrices (with their eigensolver workspaces) are resident, plus one Node runtime
 * per job. Results are delivered in layer order (onLayer, the returned list) whatever order the
 * jobs finish in; progress events come as layers start and finish.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { BackendUnavailableError, InputError } from '../errors.js';
import type { AnalyzeOptions, PlannedLayer } from './analyzeCheckpoint.js';
import type { JobMessage, JobSetup, ParentMessage } from './analyzeJobProtocol.js';
import type { LayerAnalysis, LayerOptions } from './layerAnalysis.js';

/** The job module next to this one (.ts when esdlab runs from its sources through tsx, else .js). */
function jobModule(): { path: string; execArgv: string[] } {
  const isTypeScript = import.meta.url.endsWith('.ts');
  const path = fileURLToPath(new URL(`./analyzeJob.${isTypeScript ? 'ts' : 'js'}`, import.meta.url));
  if (!isTypeScript) return { path, execArgv: [] };
  // tsx resolved from here, not from the working directory the command was started in
  let tsx = 'tsx';
  try {
    tsx = import.meta.resolve('tsx');
  } catch {
    // an older Node without import.meta.resolve: the bare name, resolved from the working directory
  }
  return { path, execArgv: ['--import', tsx] };
}

interface Job {
  readonly child: ChildProcess;
  /** The job's peak resident memory, as it last reported it. */
  peakRssBytes: number;
  /** The layer it is analyzing, or null when idle. */
  index: number | null;
  hasExited: boolean;
}

/** Default threads of each job's backend: the parent backend's threads shared out, at least 1. */
export function defaultThreadsPerJob(totalThreads: number, jobs: number): number {
  return Math.max(1, Math.floor(totalThreads / jobs));
}

/**
 * Analyzes `planned` on `jobs` child processes. `layerOptions` are the per-layer options
 * (analyzeCheckpoint's, without the generator); `onResult` receives each layer in layer order and
 * may be async (the next waits for it).
 */
export async function analyzeInJobs(
  planned: readonly PlannedLayer[],
  paths: readonly string[],
  options: AnalyzeOptions,
  layerOptions: Omit<LayerOptions, 'rng'>,
  onResult: (index: number, layer: LayerAnalysis) => Promise<void>,
): Promise<{ readonly jobPeakRssBytes: number[] }> {
  const jobs = Math.min(options.jobs ?? 1, planned.length);
  const threads = options.threadsPerJob ?? defaultThreadsPerJob(options.backend.threads, jobs);
  const setup: JobSetup = {
    type: 'setup',
    paths,
    ...(options.layerPattern ? { layerPattern: { source: options.layerPattern.source, flags: options.layerPattern.flags } } : {}),
    ...(options.minSize !== undefined ? { minSize: options.minSize } : {}),
    ...(options.convMode !== undefined ? { convMode: options.convMode } : {}),
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    layer: layerOptions,
    backendName: options.backend.name,
    threads,
    names: planned.map((l) => l.name),
  };
  const module = jobModule();
  const results = new Map<number, LayerAnalysis>();
  let nextToStart = 0;
  let nextToDeliver = 0;
  let delivering: Promise<void> = Promise.resolve();
  let failure: Error | null = null;
  const live = new Set<Job>();
  const all: Job[] = [];

  let settle!: () => void;
  let reject!: (error: Error) => void;
  const finished = new Promise<void>((resolve, rejectFinished) => {
    settle = resolve;
    reject = rejectFinished;
  });

  const post = (job: Job, message: ParentMessage) => {
    if (!job.hasExited && job.child.connected) job.child.send(message);
  };

  /** Delivers every result that is next in layer order. */
  const deliver = () => {
    delivering = delivering.then(async () => {
      while (results.has(nextToDeliver)) {
        const index = nextToDeliver++;
        const layer = results.get(index)!;
        results.delete(index);
        await onResult(index, layer);
      }
      if (nextToDeliver === planned.length) settle();
    }).catch((error: unknown) => fail(error instanceof Error ? error : new Error(String(error))));
  };

  const fail = (error: Error) => {
    if (failure) return;
    failure = error;
    for (const job of live) job.child.kill();
    reject(error);
  };

  const dispatch = (job: Job) => {
    if (failure) return;
    if (nextToStart >= planned.length) {
      job.index = null;
      post(job, { type: 'stop' });
      return;
    }
    const index = nextToStart++;
    job.index = index;
    options.onProgress?.({ kind: 'layer-start', index, name: planned[index]!.name });
    post(job, { type: 'layer', index });
  };

  const start = () => {
    const child = fork(module.path, [], { execArgv: module.execArgv, serialization: 'advanced', stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    const job: Job = { child, index: null, hasExited: false, peakRssBytes: 0 };
    all.push(job);
    live.add(job);
    let isReady = false;
    child.on('message', (message: JobMessage) => {
      if (message.type === 'fatal') {
        fail(new BackendUnavailableError(`an analyze job could not start: ${message.message}`));
      } else if (message.type === 'ready') {
        isReady = true;
        job.peakRssBytes = message.peakRssBytes;
        dispatch(job);
      } else {
        const { index, layer } = message;
        job.index = null;
        job.peakRssBytes = Math.max(job.peakRssBytes, message.peakRssBytes);
        results.set(index, layer);
        options.onProgress?.({ kind: 'layer-done', index, layer: options.shouldKeepEigenvalues ? layer : { ...layer, eigenvalues: undefined } });
        deliver();
        dispatch(job);
      }
    });
    child.on('error', (error) => fail(new InputError(`an analyze job failed: ${error.message}`)));
    child.on('exit', (code, signal) => {
      job.hasExited = true;
      live.delete(job);
      if (failure) return;
      if (!isReady) {
        fail(new BackendUnavailableError(`an analyze job exited before it was ready (${signal ? `signal ${signal}` : `exit code ${code}`})`));
        return;
      }
      if (job.index !== null) {
        // the process died inside a layer (out of memory, a crash in a backend): that layer fails, a new job takes the rest
        const index = job.index;
        const layer = planned[index]!;
        const how = signal ? `was killed by ${signal}${signal === 'SIGKILL' ? ' (out of memory?)' : ''}` : `exited with code ${code}`;
        results.set(index, {
          name: layer.name,
          shape: layer.shape,
          tensorShape: layer.tensor.shape,
          dtype: layer.tensor.dtype,
          file: layer.tensor.file,
          numEigenvalues: Math.min(layer.shape[0], layer.shape[1]),
          durationMs: 0,
          error: `the analyze job process ${how} while analyzing this layer`,
        });
        options.onProgress?.({ kind: 'layer-done', index, layer: results.get(index)! });
        deliver();
        if (nextToStart < planned.length) start();
      }
    });
    child.send(setup);
  };

  for (let k = 0; k < jobs; k++) start();
  try {
    await finished;
    await delivering;
    // every job was told to stop once the queue ran dry: wait for them, so no process outlives the call
    await Promise.all([...live].map((job) => (job.hasExited ? undefined : once(job.child, 'exit'))));
  } finally {
    for (const job of live) if (!job.hasExited) job.child.kill();
  }
  return { jobPeakRssBytes: all.map((job) => job.peakRssBytes) };
}
