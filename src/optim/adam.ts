import { allocate, dtypeOfArray, type DType, type ElementwiseKernels, type FloatArray } from '../linalg/index.js';
import { checkPair } from './gradientDescent.js';
import type { Optimizer, OptimizerSettings, OptimizerState } from './optimizer.js';

/** Adam's constants (SPEC section 4, PyTorch's defaults). */
export const ADAM_BETA1 = 0.9;
export const ADAM_BETA2 = 0.999;
export const ADAM_EPSILON = 1e-8;

/**
 * Adam (Kingma & Ba 2015) with L2 weight decay added to the gradient (torch.optim.Adam, not AdamW):
 * g = G + wd * W; m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2;
 * W -= lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps).
 * At t = 1 this is W -= lr * g / (|g| + eps), i.e. lr * sign(g) up to eps: why full-batch Adam
 * learns features at lr around 1. Momentum is ignored.
 */
export class Adam implements Optimizer {
  private firstMoment: FloatArray | null = null;
  private secondMoment: FloatArray | null = null;
  private steps = 0;

  /**
   * @param allocateBuffer where the moments live (default: plain arrays); a backend's reserved
   * block (Backend.reserve) lets its Adam kernel update them in place.
   */
  constructor(
    readonly settings: OptimizerSettings,
    private readonly allocateBuffer: (length: number, dtype: DType) => FloatArray = allocate,
  ) {}

  get stepCount(): number {
    return this.steps;
  }

  saveState(): OptimizerState {
    return { stepCount: this.steps, buffers: { firstMoment: this.firstMoment, secondMoment: this.secondMoment } };
  }

  loadState(state: OptimizerState): void {
    this.steps = state.stepCount;
    this.firstMoment = this.copyBuffer(state.buffers.firstMoment);
    this.secondMoment = this.copyBuffer(state.buffers.secondMoment);
  }

  step(parameter: FloatArray, gradient: FloatArray, learningRate: number, kernels?: ElementwiseKernels): void {
    checkPair(parameter, gradient);
    const n = parameter.length;
    if (this.firstMoment === null || this.secondMoment === null) {
      this.firstMoment = this.allocateBuffer(n, dtypeOfArray(parameter));
      this.secondMoment = this.allocateBuffer(n, dtypeOfArray(parameter));
    }
    const m = this.firstMoment;
    const v = this.secondMoment;
    const t = ++this.steps;
    const correction1 = 1 - Math.pow(ADAM_BETA1, t);
    const correction2 = 1 - Math.pow(ADAM_BETA2, t);
    const weightDecay = this.settings.weightDecay;
    if (kernels?.adam?.(parameter, gradient, m, v, n, learningRate, correction1, correction2, weightDecay, ADAM_BETA1, ADAM_BETA2, ADAM_EPSILON)) {
      return;
    }
    for (let i = 0; i < n; i++) {
      const g = gradient[i]! + weightDecay * parameter[i]!;
      const mi = ADAM_BETA1 * m[i]! + (1 - ADAM_BETA1) * g;
      const vi = ADAM_BETA2 * v[i]! + (1 - ADAM_BETA2) * g * g;
      m[i] = mi;
      v[i] = vi;
      parameter[i] = parameter[i]! - (learningRate * (mi / correction1)) / (Math.sqrt(vi / correction2) + ADAM_EPSILON);
    }
  }

  /** A copy of a checkpoint's buffer in this optimizer's memory (see the constructor). */
  private copyBuffer(buffer: FloatArray | null | undefined): FloatArray | null {
    if (buffer === null || buffer === undefined) return null;
    const out = this.allocateBuffer(buffer.length, dtypeOfArray(buffer));
    out.set(buffer);
    return out;
  }
}
