import { InputError } from '../errors.js';
import { dtypeOf, zeros } from '../linalg/index.js';
import type { Backend, Matrix } from '../linalg/index.js';
import type { Generator } from '../random/index.js';
import { esdEigenvalues, type EsdOptions } from './esdEigenvalues.js';
import { fitMarchenkoPastur } from './marchenkoPasturFit.js';
import type { MarchenkoPasturFit } from './marchenkoPasturFit.js';

/** The ESD of W with its entries shuffled, WeightWatcher's randomized comparison. */
export interface RandomizedEsd {
  /** Eigenvalues of W_r^T W_r, ascending, W_r an elementwise permutation of W. */
  readonly eigenvalues: Float64Array;
  /** The MP fit of the randomized ESD (null when it cannot be fitted, e.g. an all-zero W). */
  readonly marchenkoPastur: MarchenkoPasturFit | null;
  /** Randomized eigenvalues above its own MP spike threshold. */
  readonly numSpikes: number;
  /**
   * A correlation trap: shuffling destroys every correlation, so a randomized ESD should be pure MP;
   * eigenvalues past its MP edge (with the finite-size margin) mean a few very large entries
   * dominate W (WeightWatcher's "correlation traps").
   */
  readonly hasCorrelationTrap: boolean;
  /** lambda_max of the randomized ESD over its MP edge (bulkMax); null without an MP fit. */
  readonly maxOverEdge: number | null;
}

/**
 * Shuffles W's entries with a seeded uniform permutation (Fisher-Yates from `rng`) into a new
 * matrix and returns its ESD with an MP fit. W is not modified.
 * @param backend runs the eigensolver
 * @param weights W, rows x cols, any dtype
 * @param rng the seeded generator the permutation comes from
 * @param options the ESD's arithmetic (default f64), as {@link esdEigenvalues}
 */
export async function randomizedEsd(backend: Backend, weights: Matrix, rng: Generator, options: EsdOptions = {}): Promise<RandomizedEsd> {
  const { rows, cols } = weights;
  const count = rows * cols;
  const shuffled = zeros(rows, cols, dtypeOf(weights));
  shuffled.data.set(weights.data.subarray(0, count));
  const data = shuffled.data;
  for (let i = count - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    const t = data[i]!;
    data[i] = data[j]!;
    data[j] = t;
  }
  const eigenvalues = await esdEigenvalues(backend, shuffled, options);
  let marchenkoPastur: MarchenkoPasturFit | null = null;
  try {
    marchenkoPastur = fitMarchenkoPastur(eigenvalues, rows, cols);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    marchenkoPastur = null;
  }
  const numSpikes = marchenkoPastur?.numSpikes ?? 0;
  const lambdaMax = eigenvalues[eigenvalues.length - 1]!;
  return {
    eigenvalues,
    marchenkoPastur,
    numSpikes,
    hasCorrelationTrap: numSpikes > 0,
    maxOverEdge: marchenkoPastur && marchenkoPastur.bulkMax > 0 ? lambdaMax / marchenkoPastur.bulkMax : null,
  };
}
