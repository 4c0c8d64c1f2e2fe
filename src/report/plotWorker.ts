/**
 * The plot worker's program (a worker thread, started by plotWorkerPool.ts). On start it loads the
 * renderer (vega and resvg) and draws one small synthetic figure, so that the engine has compiled
 * vega's code paths before the report needs them (run.ts starts it while the problem is drawn, when
 * the second core is otherwise idle). Then, for each `{ specs, claims, scale }` message, it claims
 * figures from the front (plotClaims.ts) and answers `{ index, svg, png }` (or `{ index, error }`)
 * per figure, until none is left; the calling thread draws from the back meanwhile. `{ ready }`
 * says the warm-up is over.
 */
import { parentPort } from 'node:worker_threads';
import { claimFigure } from './plotClaims.js';
import { renderPng, renderSvg } from './render.js';
import { runPlotSpecs } from './runPlotSpecs.js';
import { syntheticRun } from './syntheticReportData.js';
import type { VegaLiteSpec } from './types.js';

const port = parentPort;

async function warmUp(): Promise<void> {
  try {
    const specs = runPlotSpecs(syntheticRun());
    const loss = specs.loss ?? Object.values(specs)[0];
    if (loss) renderPng(await renderSvg(loss), { scale: 1 });
  } catch {
    // a warm-up only: the real figures report their own errors
  }
}

if (port) {
  const warmed = warmUp().then(() => port.postMessage({ ready: true }));
  port.on('message', async (job: { specs: VegaLiteSpec[]; claims: Int32Array; scale: number }) => {
    await warmed;
    for (let index = claimFigure(job.claims, true); index !== -1; index = claimFigure(job.claims, true)) {
      try {
        const svg = await renderSvg(job.specs[index]!);
        const png = renderPng(svg, { scale: job.scale });
        port.postMessage({ index, svg, png }, [png.buffer as ArrayBuffer]);
      } catch (error) {
        port.postMessage({ index, error: error instanceof Error ? error.message : String(error) });
      }
    }
  });
}
