/**
 * The lab's training worker: the same core as `esdlab run` (runExperiment on the wasm backend,
 * metrics.json built by buildRunMetrics), off the page's thread. It posts progress (throttled),
 * every probe (its metrics record and arrays), and at the end the metrics.json document.
 */
import { buildRunMetrics, loadBackend, runExperiment, type Backend, type ScalarExperimentConfig, type TrainEvent } from '../../src/browser.js';
import type { ProbeMessage, WorkerReply, WorkerRequest } from './workerProtocol.js';

let controller: AbortController | null = null;
let backendPromise: Promise<Backend> | null = null;

const post = (message: WorkerReply, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(message, transfer);

async function start(config: ScalarExperimentConfig): Promise<void> {
  controller = new AbortController();
  const startedAt = performance.now();
  try {
    backendPromise ??= loadBackend('wasm').then((loaded) => loaded.backend);
    const backend = await backendPromise;
    post({ type: 'backend', name: backend.name, threads: (backend as { threads?: number }).threads ?? 1, isolated: globalThis.crossOriginIsolated === true });
    let lastProgress = 0;
    const onEvent = (event: TrainEvent) => {
      if (event.type === 'start') post({ type: 'start', totalSteps: event.totalSteps, numProbes: event.numProbes });
      else if (event.type === 'step') {
        const now = performance.now();
        if (now - lastProgress > 100 || event.step === event.totalSteps) {
          lastProgress = now;
          post({ type: 'step', step: event.step, totalSteps: event.totalSteps, elapsedMs: now - startedAt });
        }
      } else if (event.type === 'probe') {
        const probe: ProbeMessage = {
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
        post(probe);
      }
    };
    const result = await runExperiment(backend, config, { onEvent, signal: controller.signal });
    const metrics = buildRunMetrics({
      config,
      seed: config.seed,
      backend: backend.name,
      status: result.status,
      divergedAtStep: result.divergedAtStep,
      steps: result.steps,
      timing: {
        steps_ms: result.timing.trainStepsMs,
        evaluations_ms: result.timing.evaluationMs,
        probes_ms: result.timing.probesMs,
        training_ms: result.timing.totalMs,
        total_ms: performance.now() - startedAt,
      },
    });
    post({ type: 'done', metrics, divergenceReason: result.divergenceReason });
  } catch (error) {
    const name = error instanceof Error ? error.name : 'Error';
    post({ type: 'error', name, message: error instanceof Error ? error.message : String(error), stopped: controller?.signal.aborted ?? false });
  } finally {
    controller = null;
  }
}

function plainMatrix(m: { rows: number; cols: number; data: ArrayLike<number> }) {
  return { rows: m.rows, cols: m.cols, data: Float64Array.from(m.data) };
}

self.onmessage = (event: MessageEvent<WorkerRequest>) => {
  const request = event.data;
  if (request.type === 'start') void start(request.config);
  else if (request.type === 'stop') controller?.abort();
};
