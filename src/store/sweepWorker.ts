/**
 * A sweep worker thread: loads one backend, then trains the cells the runner sends, one at a time,
 * and posts back each result (metrics, spectra, timing) for the runner, the store's single writer.
 * Messages: in {type: 'run', runId, cell}; out {type: 'ready', backend} | {type: 'progress', runId,
 * step, totalSteps} | {type: 'result', runId, ...} | {type: 'failed', runId, message}.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadBackend } from '../linalg/node.js';
import { cellStreams, toTrainOptions, type SweepCell } from '../experiments/index.js';
import { drawProblem } from '../model/index.js';
import { train } from '../train/index.js';

const { backendName, threads } = workerData as { backendName: string; threads: number };
const port = parentPort!;

try {
  const { backend } = await loadBackend(backendName, { threads });
  port.on('message', (message: { type: 'run'; runId: number; cell: SweepCell }) => {
    void runCell(message.runId, message.cell);
  });
  async function runCell(runId: number, cell: SweepCell): Promise<void> {
    try {
      const options = toTrainOptions(cell.config);
      const streams = cellStreams(cell);
      const problem = drawProblem(options, streams);
      let lastPosted = 0;
      const result = await train(backend, options, problem, {
        rng: streams.batches,
        onEvent: (event) => {
          if (event.type === 'step' && performance.now() - lastPosted > 200) {
            lastPosted = performance.now();
            port.postMessage({ type: 'progress', runId, step: event.step, totalSteps: event.totalSteps });
          }
        },
      });
      const spectra = result.probes.filter((p) => p.eigenvalues.length > 0).map((p) => ({ step: p.step, eigenvalues: p.eigenvalues }));
      port.postMessage({
        type: 'result',
        runId,
        status: result.status,
        divergedAtStep: result.divergedAtStep,
        error: result.divergenceReason,
        steps: result.steps,
        spectra,
        timing: result.timing,
      });
    } catch (error) {
      port.postMessage({ type: 'failed', runId, message: error instanceof Error ? error.message : String(error) });
    }
  }
  port.postMessage({ type: 'ready', backend: backend.name, threads: backend.threads });
} catch (error) {
  port.postMessage({ type: 'fatal', message: error instanceof Error ? error.message : String(error) });
}
