/** A step learning-rate schedule, torch.optim.lr_scheduler.StepLR(step_size, gamma). */
export interface StepLrSchedule {
  readonly kind: 'StepLR';
  /** Optimizer steps between decays. */
  readonly stepSize: number;
  /** Multiplicative decay. */
  readonly gamma: number;
}

/**
 * The learning rate of the k-th optimizer step (k = 1, 2, ...): lr * gamma^floor((k - 1) / step_size)
 * (SPEC section 4; PyTorch steps the scheduler after each optimizer step). Without a schedule, lr.
 */
export function learningRateAt(baseLearningRate: number, schedule: StepLrSchedule | null, step: number): number {
  if (schedule === null) return baseLearningRate;
  return baseLearningRate * Math.pow(schedule.gamma, Math.floor((Math.max(step, 1) - 1) / schedule.stepSize));
}
