import type { ProbeScheduleName } from './options.js';

/** Probes per decade of the log schedule. */
export const LOG_PROBES_PER_DECADE = 30;

/**
 * The probed steps, ascending, always with step 0 and the last step (so that a run's final metrics
 * exist whatever the schedule; the original code probed only multiples, which for the paper's
 * configs, 10 steps with a probe every 10 or every 1, is the same set).
 * - 'linear': 0, every `probeEverySteps`-th step, and the last step.
 * - 'log': 0, the distinct round(10^(k/30)) for k = 0, 1, ... up to totalSteps (about 30 per
 *   decade once the steps are far enough apart to be distinct), and the last step.
 */
export function probeSteps(totalSteps: number, probeEverySteps: number, schedule: ProbeScheduleName = 'linear'): number[] {
  const steps = [0];
  if (schedule === 'log') {
    for (let k = 0; ; k++) {
      const step = Math.round(10 ** (k / LOG_PROBES_PER_DECADE));
      if (step > totalSteps) break;
      if (step !== steps[steps.length - 1]) steps.push(step);
    }
  } else {
    for (let step = probeEverySteps; step <= totalSteps; step += probeEverySteps) steps.push(step);
  }
  if (totalSteps > 0 && steps[steps.length - 1] !== totalSteps) steps.push(totalSteps);
  return steps;
}

/** Optimizer steps of a training: num_epochs * ceil(n / B), with B capped at n (SPEC section 4). */
export function totalTrainingSteps(numEpochs: number, numTrain: number, batchSize: number): number {
  return numEpochs * Math.ceil(numTrain / Math.min(batchSize, numTrain));
}
