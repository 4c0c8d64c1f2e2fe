/**
 * The lab's training worker: the same core as `esdlab run` (runExperiment on the wasm backend,
 * metrics.json built by runMetricsOf), off the page's thread. Stop pauses the run between two
 * steps and Resume continues it from there (createResumableRun: the CLI's checkpoint/resume core,
 * in memory). It posts progress (throttled), every probe (its metrics record and arrays), 'stopped'
 * when paused, and at the end the metrics.json document.
 */
import { createResumableRun, loadBackend, runMetricsOf, type Backend, type ResumableRun, type ScalarExperimentConfig, type TrainEvent } from '../../src/browser.js';
import type { ProbeMessage, WorkerReply, WorkerRequest } from './workerProtocol.js';

let run: ResumableRun | null = null;
let backendPromise: Promise<Backend> | null = null;
/** A Stop that came while the backend was still loading (now, or after a step): applied as soon as the run starts. */
let pendingStop: { afterStep?: number } | null = null;
let isStarting = false;

const post = (message: WorkerReply, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(message, transfer);

async function start(config: ScalarExperimentConfig): Promise<void> {
  isStarting = true;
  try {
    backendPromise ??= loadBackend('wasm').then((loaded) => loaded.backend);
    const backend = await backendPromise;
    post({ type: 'backend', name: backend.name, threads: (backend as { threads?: number }).threads ?? 1, isolated: globalThis.crossOriginIsolated === true });
    run = createResumableRun(backend, config);
    isStarting = false;
    await proceed(backend, run);
  } catch (error) {
    postError(error);
  } finally {
    isStarting = false;
  }
}

/** Trains `current` until it finishes or is stopped (from step 0, or from where it was stopped). */
async function proceed(backend: Backend, current: ResumableRun): Promise<void> {
  try {
    const startedAt = performance.now();
    let firstStep = 0;
    let lastProgress = 0;
    const onEvent = (event: TrainEvent) => {
      if (event.type === 'start') {
        firstStep = event.firstStep;
        post({ type: 'start', totalSteps: event.totalSteps, numProbes: event.numProbes, firstStep });
      } else if (event.type === 'step') {
        const now = performance.now();
        if (now - lastProgress > 100 || event.step === event.totalSteps) {
          lastProgress = now;
          post({ type: 'step', step: event.step, totalSteps: event.totalSteps, firstStep, elapsedMs: now - startedAt });
        }
      } else if (event.type === 'probe') post(probeMessage(event));
    };
    const running = current.continue(onEvent);
    if (pendingStop) current.stop(pendingStop.afterStep);
    pendingStop = null;
    const outcome = await running;
    if (outcome.status === 'stopped') {
      post({ type: 'stopped', step: outcome.step });
      return;
    }
    const metrics = runMetricsOf(current.config, backend.name, outcome.result, { total_ms: current.activeMs });
    post({ type: 'done', metrics, divergenceReason: outcome.result.divergenceReason });
  } catch (error) {
    postError(error);
  }
}

function postError(error: unknown): void {
  const name = error instanceof Error ? error.name : 'Error';
  post({ type: 'error', name, message: error instanceof Error ? error.message : String(error) });
}

function probeMessage(event: Extract<TrainEvent, { type: 'probe' }>): ProbeMessage {
  return {
    type: 'probe',
    step: event.step,
    metrics: { ...event.metrics },
    eigenvalues: event.probe.eigenvalues.slice(),
    singularValues: event.probe.singularValues.slice(),
    overlaps: event.probe.overlaps
      ? {
          blockSize: event.probe.overlaps.blockSize,
          leftOverlap: plainMatrix(event.probe.overlaps.leftOverlap),
          rightOverlap: plainMatrix(event.probe.overlaps.rightOverlap),
          leftOverlapNext: plainMatrix(event.probe.overlaps.leftOverlapNext),
          rightOverlapNext: plainMatrix(event.probe.overlaps.rightOverlapNext),
          updateSingularValues: event.probe.overlaps.updateSingularValues.slice(),
        }
      : undefined,
  };
}

function plainMatrix(m: { rows: number; cols: number; data: ArrayLike<number> }) {
  return { rows: m.rows, cols: m.cols, data: Float64Array.from(m.data) };
}

self.onmessage = (event: MessageEvent<WorkerRequest>) => {
  const request = event.data;
  if (request.type === 'start') {
    pendingStop = null;
    void start(request.config);
  } else if (request.type === 'stop') {
    if (isStarting) pendingStop = request.afterStep === undefined ? {} : { afterStep: request.afterStep };
    else if (run?.isRunning) run.stop(request.afterStep);
  }
  else if (request.type === 'resume') {
    const current = run;
    if (current && current.stoppedAtStep !== null && backendPromise) void backendPromise.then((backend) => proceed(backend, current));
    else post({ type: 'error', name: 'InputError', message: 'nothing to resume: no run is stopped' });
  }
};
