/**
 * The plot worker (plotWorker.ts) from the calling thread's side: start it early (startPlotWorker,
 * which `esdlab run` calls before the problem draw so that its loading and warm-up use the idle
 * core), then hand it one report's figures (drawFigures). Without a worker, or when it fails, the
 * calling thread draws everything itself; the bytes are the same either way (the same code, and
 * each SVG's ids start at 1, see render.ts).
 */
import type { Worker } from 'node:worker_threads';
import { startModuleWorker } from '../store/moduleWorker.js';

let prewarmed: Worker | null = null;

/**
 * Starts the plot worker now (it loads and warms up in the background) for the next report of this
 * process to use; it is stopped after that report, or on process exit. Returns false where no
 * worker thread can start.
 */
export function startPlotWorker(): boolean {
  if (prewarmed) return true;
  prewarmed = spawn();
  prewarmed?.unref(); // it must never keep the process alive
  return prewarmed !== null;
}

/** The prewarmed worker (taken: the caller owns it), or a new one, or null. */
export function takePlotWorker(): Worker | null {
  const worker = prewarmed ?? spawn();
  prewarmed = null;
  return worker;
}

/** Stops a worker that no report took (e.g. the run failed before its report). */
export async function stopPlotWorker(): Promise<void> {
  const worker = prewarmed;
  prewarmed = null;
  await worker?.terminate();
}

function spawn(): Worker | null {
  try {
    const worker = startModuleWorker(import.meta.url, 'plotWorker', null);
    worker.on('error', () => undefined); // a failing worker is noticed by drawFigures and replaced by this thread
    return worker;
  } catch {
    return null;
  }
}
