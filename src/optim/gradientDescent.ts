import { InputError } from '../errors.js';
import { allocate, dtypeOfArray, type FloatArray } from '../linalg/index.js';
import type { Optimizer, OptimizerSettings, OptimizerState } from './optimizer.js';

/**
 * Gradient descent with heavy-ball momentum and L2 weight decay, as torch.optim.SGD (SPEC 4):
 * g = G + wd * W; buf = g on the first step, else buf = mu * buf + g; W -= lr * buf.
 * Full-batch in the paper, hence "GD"; the config calls it `sgd`.
 */
export class GradientDescent implements Optimizer {
  private buffer: FloatArray | null = null;
  private steps = 0;

  constructor(readonly settings: OptimizerSettings) {}

  get stepCount(): number {
    return this.steps;
  }

  saveState(): OptimizerState {
    return { stepCount: this.steps, buffers: { momentum: this.buffer } };
  }

  loadState(state: OptimizerState): void {
    this.steps = state.stepCount;
    this.buffer = copyBuffer(state.buffers.momentum);
  }

  step(parameter: FloatArray, gradient: FloatArray, learningRate: number): void {
    checkPair(parameter, gradient);
    const { momentum, weightDecay } = this.settings;
    const n = parameter.length;
    if (momentum === 0) {
      // buf = g every step: no buffer needed.
      for (let i = 0; i < n; i++) parameter[i] = parameter[i]! - learningRate * (gradient[i]! + weightDecay * parameter[i]!);
    } else if (this.buffer === null) {
      const buffer = allocate(n, dtypeOfArray(parameter));
      for (let i = 0; i < n; i++) {
        const g = gradient[i]! + weightDecay * parameter[i]!;
        buffer[i] = g;
        parameter[i] = parameter[i]! - learningRate * g;
      }
      this.buffer = buffer;
    } else {
      const buffer = this.buffer;
      for (let i = 0; i < n; i++) {
        const b = momentum * buffer[i]! + gradient[i]! + weightDecay * parameter[i]!;
        buffer[i] = b;
        parameter[i] = parameter[i]! - learningRate * b;
      }
    }
    this.steps++;
  }
}

/** Throws when a gradient does not match its parameter. */
export function checkPair(parameter: FloatArray, gradient: FloatArray): void {
  if (parameter.length !== gradient.length || dtypeOfArray(parameter) !== dtypeOfArray(gradient)) {
    throw new InputError(
      `the gradient (${gradient.length} ${dtypeOfArray(gradient)}) does not match its parameter (${parameter.length} ${dtypeOfArray(parameter)})`,
    );
  }
}

/** A copy of a saved buffer (undefined/null: none allocated yet). */
export function copyBuffer(buffer: FloatArray | null | undefined): FloatArray | null {
  return buffer ? (buffer.slice() as FloatArray) : null;
}
