/**
 * Trains sweep cells one at a time on one backend, keeping the last drawn problem and the last
 * step-0 probe and reusing them when the next cell has the same drawKey / initialProbeKey
 * (src/experiments/stepZeroKeys.ts): cells that share a draw come one after another. Results are
 * bit-identical to computing them again (tested in runSweep.test.ts).
 */
import { cellStreams, drawKey, initialProbeKey, toTrainOptions, type SweepCell } from '../experiments/index.js';
import type { Backend } from '../linalg/index.js';
import { drawProblem, type Problem } from '../model/index.js';
import { train, type ProbeRecord, type StepMetrics } from '../train/index.js';
import type { CellOutcome } from './sweepProtocol.js';

/** Trains one cell; never throws (a throwing cell comes back as status 'failed' with its message). */
export type CellRunner = (cell: SweepCell, onStep?: (step: number, totalSteps: number) => void) => Promise<CellOutcome>;

/** A runner with its own caches, for one thread. */
export function createCellRunner(backend: Backend): CellRunner {
  let cachedProblem: { key: string; problem: Problem } | null = null;
  let cachedInitialProbe: { key: string; metrics: StepMetrics; probe: ProbeRecord } | null = null;
  return async (cell, onStep) => {
    try {
      const options = toTrainOptions(cell.config);
      const streams = cellStreams(cell);
      const problemKey = drawKey(cell);
      if (cachedProblem?.key !== problemKey) cachedProblem = { key: problemKey, problem: drawProblem(options, streams) };
      const probeKey = initialProbeKey(cell);
      const initialProbe = cachedInitialProbe?.key === probeKey ? cachedInitialProbe : undefined;
      const result = await train(backend, options, cachedProblem.problem, {
        rng: streams.batches,
        initialProbe,
        onEvent: (event) => {
          if (event.type === 'step') onStep?.(event.step, event.totalSteps);
        },
      });
      if (!initialProbe && result.steps.length > 0) cachedInitialProbe = { key: probeKey, metrics: result.steps[0]!, probe: result.probes[0]! };
      return {
        status: result.status,
        divergedAtStep: result.divergedAtStep,
        error: result.divergenceReason,
        steps: result.steps as unknown as Record<string, unknown>[],
        spectra: result.probes.filter((p) => p.eigenvalues.length > 0).map((p) => ({ step: p.step, eigenvalues: p.eigenvalues })),
        timing: { ...result.timing, isInitialProbeReused: initialProbe ? 1 : 0 },
      };
    } catch (error) {
      return { status: 'failed', error: error instanceof Error ? error.message : String(error) };
    }
  };
}
