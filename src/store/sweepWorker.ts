/**
 * A sweep worker thread: loads one backend, then trains the cells its WorkerPool sends, one at a
 * time (createCellRunner, which reuses draws and step-0 probes), and posts back progress and each
 * outcome. The messages are typed in sweepProtocol.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadBackend } from '../linalg/node.js';
import { createCellRunner } from './cellRunner.js';
import type { RunCellMessage, WorkerMessage, WorkerSetup } from './sweepProtocol.js';

const setup = workerData as WorkerSetup;
const port = parentPort!;
const post = (message: WorkerMessage) => port.postMessage(message);

try {
  const { backend } = await loadBackend(setup.backendName, { threads: setup.threads });
  const runCell = createCellRunner(backend);
  port.on('message', (message: RunCellMessage) => {
    let lastPosted = 0;
    void runCell(message.cell, (step, totalSteps) => {
      if (performance.now() - lastPosted > 200) {
        lastPosted = performance.now();
        post({ type: 'progress', taskId: message.taskId, step, totalSteps });
      }
    }).then((outcome) => post({ type: 'outcome', taskId: message.taskId, outcome }));
  });
  post({ type: 'ready', backend: backend.name, threads: backend.threads });
} catch (error) {
  post({ type: 'fatal', message: error instanceof Error ? error.message : String(error) });
}
