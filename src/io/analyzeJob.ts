/**
 * One job process of `analyzeCheckpoint({ jobs })` (started by analyzeJobs.ts with child_process.fork).
 * It loads its own backend (its own OpenBLAS or wasm workers, with the threads its parent gives it),
 * plans the same checkpoint from the headers, then analyzes the layers its parent names, one at a
 * time, reading each tensor itself into its own scratch buffer: so each job holds at most one tensor
 * and one Gram matrix. The work per layer is exactly analyzeCheckpoint's (analyzeMatrixLayer with
 * the per-layer seeded stream), so a layer's metrics do not depend on which job ran it.
 */
import { loadBackend } from '../linalg/node.js';
import type { Backend } from '../linalg/index.js';
import { planAnalysis, seededLayerOptions } from './analyzeCheckpoint.js';
import type { JobMessage, JobSetup, ParentMessage } from './analyzeJobProtocol.js';
import { analyzeMatrixLayer } from './layerAnalysis.js';

const send = (message: JobMessage) => process.send!(message);

let backend: Backend | undefined;
let plan: Awaited<ReturnType<typeof planAnalysis>>['planned'] = [];
let setup: JobSetup | undefined;
/** Messages are handled one at a time, in order (the parent sends one layer at a time anyway). */
let queue: Promise<void> = Promise.resolve();

async function handle(message: ParentMessage): Promise<void> {
  if (message.type === 'setup') {
    setup = message;
    try {
      backend = (await loadBackend(message.backendName, { threads: message.threads })).backend;
      const options = {
        backend,
        minSize: message.minSize,
        convMode: message.convMode,
        ...(message.layerPattern ? { layerPattern: new RegExp(message.layerPattern.source, message.layerPattern.flags) } : {}),
      };
      plan = (await planAnalysis(message.paths, options)).planned;
      const names = plan.map((l) => l.name);
      if (names.length !== message.names.length || names.some((name, k) => name !== message.names[k])) {
        throw new Error(`the job planned ${names.length} layers where its parent planned ${message.names.length}; did the checkpoint change while it was analyzed?`);
      }
      send({ type: 'ready', backend: backend.name, threads: backend.threads, peakRssBytes: process.resourceUsage().maxRSS * 1024 });
    } catch (error) {
      send({ type: 'fatal', message: error instanceof Error ? error.message : String(error) });
    }
    return;
  }
  if (message.type === 'stop') {
    await backend?.dispose?.();
    process.disconnect?.();
    return;
  }
  const layer = plan[message.index]!;
  // test hook (analyzeJobs.test.ts): a job that dies inside a layer, as one killed for memory would
  if (process.env.ESDLAB_ANALYZE_JOB_TEST_CRASH === layer.name) process.exit(70);
  const result = await analyzeMatrixLayer(
    backend!,
    { name: layer.name, shape: layer.shape, tensorShape: layer.tensor.shape, dtype: layer.tensor.dtype, file: layer.tensor.file },
    layer.load,
    seededLayerOptions(setup!.layer, setup!.seed, message.index),
  );
  // Linux reports maxRSS in KiB: this process's peak so far, for the parent's memory summary
  send({ type: 'layer-done', index: message.index, layer: result, peakRssBytes: process.resourceUsage().maxRSS * 1024 });
}

// a job never outlives its parent
process.on('disconnect', () => process.exit(0));
process.on('message', (message: ParentMessage) => {
  queue = queue.then(() => handle(message));
});
