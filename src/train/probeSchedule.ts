/**
 * The probed steps: 0, every `probeEverySteps`-th step, and always the last step (so that a run's
 * final metrics exist whatever the frequency; the original code probed only multiples, which for
 * the paper's configs, 10 steps with a probe every 10 or every 1, is the same set). Ascending.
 */
export function probeSteps(totalSteps: number, probeEverySteps: number): number[] {
  const steps = [0];
  for (let step = probeEverySteps; step <= totalSteps; step += probeEverySteps) steps.push(step);
  if (totalSteps > 0 && steps[steps.length - 1] !== totalSteps) steps.push(totalSteps);
  return steps;
}

/** Optimizer steps of a training: num_epochs * ceil(n / B), with B capped at n (SPEC section 4). */
export function totalTrainingSteps(numEpochs: number, numTrain: number, batchSize: number): number {
  return numEpochs * Math.ceil(numTrain / Math.min(batchSize, numTrain));
}
