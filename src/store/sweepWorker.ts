/**
 * A sweep worker thread: loads one backend, then trains the cells the runner sends, one at a time,
 * and posts back each result (metrics, spectra, timing) for the runner, the store's single writer.
 * Messages: in {type: 'run', runId, cell}; out {type: 'ready', backend} | {type: 'progress', runId,
 * step, totalSteps} | {type: 'result', runId, ...} | {type: 'failed', runId, message}.
 *
 * Cells that share a draw (the sweep grid's sharing rule) come one after another, so the worker
 * keeps the last drawn problem and the last step-0 probe and reuses them when the next cell has the
 * same draw and the same step-0 settings: the step-0 probe does not depend on the optimizer or the
 * learning rate (train's `initialProbe` hook). Results are bit-identical to computing them again
 * (tested in train.test.ts and runSweep.test.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadBackend } from '../linalg/node.js';
import { cellStreams, stableJson, toTrainOptions, type SweepCell } from '../experiments/index.js';
import { drawProblem, type Problem } from '../model/index.js';
import { train, type ProbeRecord, type StepMetrics } from '../train/index.js';

const { backendName, threads } = workerData as { backendName: string; threads: number };
const port = parentPort!;

let cachedProblem: { key: string; problem: Problem } | null = null;
let cachedInitialProbe: { key: string; metrics: StepMetrics; probe: ProbeRecord } | null = null;

/** What determines a cell's draw: the seed, the fresh-draw suffix, the repeat and the sizes. */
function drawKey(cell: SweepCell): string {
  const c = cell.config;
  return stableJson({ seed: c.seed, suffix: cell.drawSuffix, repeat: cell.repeat, n: c.n, n_test: c.n_test, d: c.d, h: c.h, noise: c.label_noise_std });
}

/** What determines the step-0 probe besides the draw (not the optimizer, not the learning rate). */
function initialProbeKey(cell: SweepCell): string {
  const c = cell.config;
  return stableJson({
    draw: drawKey(cell),
    precision: c.precision,
    reg_lambda: c.reg_lambda,
    probe_weights: c.probe_weights,
    probe_features: c.probe_features,
    fix_last_layer: c.fix_last_layer,
    readout_features: c.readout_features,
  });
}

async function runCell(backend: Awaited<ReturnType<typeof loadBackend>>['backend'], runId: number, cell: SweepCell): Promise<void> {
  try {
    const options = toTrainOptions(cell.config);
    const streams = cellStreams(cell);
    const problemKey = drawKey(cell);
    if (cachedProblem?.key !== problemKey) cachedProblem = { key: problemKey, problem: drawProblem(options, streams) };
    const probeKey = initialProbeKey(cell);
    const initialProbe = cachedInitialProbe?.key === probeKey ? cachedInitialProbe : undefined;
    let lastPosted = 0;
    const result = await train(backend, options, cachedProblem.problem, {
      rng: streams.batches,
      initialProbe,
      onEvent: (event) => {
        if (event.type === 'step' && performance.now() - lastPosted > 200) {
          lastPosted = performance.now();
          port.postMessage({ type: 'progress', runId, step: event.step, totalSteps: event.totalSteps });
        }
      },
    });
    if (!initialProbe && result.steps.length > 0) cachedInitialProbe = { key: probeKey, metrics: result.steps[0]!, probe: result.probes[0]! };
    const spectra = result.probes.filter((p) => p.eigenvalues.length > 0).map((p) => ({ step: p.step, eigenvalues: p.eigenvalues }));
    port.postMessage({
      type: 'result',
      runId,
      status: result.status,
      divergedAtStep: result.divergedAtStep,
      error: result.divergenceReason,
      steps: result.steps,
      spectra,
      timing: { ...result.timing, isInitialProbeReused: initialProbe ? 1 : 0 },
    });
  } catch (error) {
    port.postMessage({ type: 'failed', runId, message: error instanceof Error ? error.message : String(error) });
  }
}

try {
  const { backend } = await loadBackend(backendName, { threads });
  port.on('message', (message: { type: 'run'; runId: number; cell: SweepCell }) => {
    void runCell(backend, message.runId, message.cell);
  });
  port.postMessage({ type: 'ready', backend: backend.name, threads: backend.threads });
} catch (error) {
  port.postMessage({ type: 'fatal', message: error instanceof Error ? error.message : String(error) });
}
