/**
 * The weight probe of SPEC section 6: the ESD of W, both power-law fits, the Marchenko-Pastur
 * reference and phase, and the alignment of W's top right singular vector with beta*.
 */
import { EsdlabError, nullOn, nullOnAsync } from '../errors.js';
import { copy, type Backend, type Matrix } from '../linalg/index.js';
import { checkSpectrum, esdEigenvalues, fitMarchenkoPastur, fitPowerLaw, phaseLabel } from '../spectra/index.js';
import type { StepMetrics } from './result.js';
import { alignmentProfileOf, smallerGramOf, teacherAlignmentOf } from './teacherAlignment.js';

/** A metrics record with every measurement NaN (not computed yet). */
export function emptyStepMetrics(step: number, lr: number): StepMetrics {
  return {
    step,
    lr,
    train_loss: Number.NaN,
    test_loss: Number.NaN,
    batch_loss: Number.NaN,
    kta: Number.NaN,
    alignment: Number.NaN,
    alpha_hill: Number.NaN,
    xmin_hill: Number.NaN,
    num_tail_hill: Number.NaN,
    ks_d_hill: Number.NaN,
    alphahat_hill: Number.NaN,
    alpha_mle_ks: Number.NaN,
    xmin_mle: Number.NaN,
    num_tail_mle: Number.NaN,
    ks_d_mle: Number.NaN,
    alphahat_mle: Number.NaN,
    spectral_norm: Number.NaN,
    frobenius_sq: Number.NaN,
    stable_rank: Number.NaN,
    mp_bulk_max: Number.NaN,
    num_spikes: Number.NaN,
    mp_soft_rank: Number.NaN,
    phase: '',
  };
}

/** The spectral part of a probe. */
export interface WeightProbe {
  metrics: Partial<StepMetrics>;
  /** Eigenvalues of W^T W, ascending, f64. */
  eigenvalues: Float64Array;
  /** Singular values of W, descending. */
  singularValues: Float64Array;
  alignmentProfile?: Float64Array;
}

/**
 * Probes W (h x d, any dtype) in f64. The fits are functions of the eigenvalue array; one that
 * cannot be fitted (a degenerate spectrum: InputError/NumericalError) leaves its fields NaN instead
 * of ending the run. With `shouldComputeProfile` (step 0) also |V^T beta*| over all right singular
 * vectors (via the Gram matrix's eigenvectors; see teacherAlignment.ts).
 */
export async function probeWeights(
  backend: Backend,
  w: Matrix,
  teacherBeta: Float64Array,
  shouldComputeProfile: boolean,
): Promise<WeightProbe> {
  let sumSquares = 0;
  for (let i = 0; i < w.rows * w.cols; i++) sumSquares += w.data[i]! * w.data[i]!;
  if (!Number.isFinite(sumSquares)) {
    // Entries beyond ~1e154 (f64 training on its way to diverging): W^T W overflows, no spectrum exists.
    return { metrics: { frobenius_sq: sumSquares }, eigenvalues: new Float64Array(0), singularValues: new Float64Array(0) };
  }
  const eigenvalues = await esdEigenvalues(backend, w);
  const count = eigenvalues.length;
  const singularValues = new Float64Array(count);
  for (let i = 0; i < count; i++) singularValues[i] = Math.sqrt(Math.max(0, eigenvalues[count - 1 - i]!));
  const metrics: Partial<StepMetrics> = {};

  const hill = nullOn(EsdlabError, () => fitPowerLaw(eigenvalues, 'hill'));
  if (hill) {
    metrics.alpha_hill = hill.alpha;
    metrics.xmin_hill = hill.xmin;
    metrics.num_tail_hill = hill.numTail;
    metrics.ks_d_hill = hill.ksDistance;
    metrics.alphahat_hill = hill.alphaHat;
  }
  const mle = nullOn(EsdlabError, () => fitPowerLaw(eigenvalues, 'mle_ks'));
  if (mle) {
    metrics.alpha_mle_ks = mle.alpha;
    metrics.xmin_mle = mle.xmin;
    metrics.num_tail_mle = mle.numTail;
    metrics.ks_d_mle = mle.ksDistance;
    metrics.alphahat_mle = mle.alphaHat;
  }
  // Norm summaries need no fit: lambda_max, sum lambda, their ratio.
  let sum = 0;
  for (let i = 0; i < count; i++) sum += eigenvalues[i]!;
  const lambdaMax = eigenvalues[count - 1]!;
  metrics.spectral_norm = lambdaMax;
  metrics.frobenius_sq = sum;
  metrics.stable_rank = sum / lambdaMax;

  const mp = nullOn(EsdlabError, () => fitMarchenkoPastur(eigenvalues, w.rows, w.cols));
  if (mp) {
    metrics.mp_bulk_max = mp.bulkMax;
    metrics.num_spikes = mp.numSpikes;
    metrics.mp_soft_rank = mp.softRank;
  }
  // The phase rule reads the fits made above (no refitting).
  const phase = nullOn(EsdlabError, () =>
    phaseLabel({
      numEigenvalues: count,
      numZeroEigenvalues: checkSpectrum(eigenvalues).numZero,
      marchenkoPastur: mp,
      lambdaMax,
      alphaMleKs: mle ? mle.alpha : null,
    }),
  );
  metrics.phase = phase ? phase.phase : '';

  const w64 = copy(w, 'f64');
  const gram = await smallerGramOf(backend, w64);
  const alignment = await nullOnAsync(EsdlabError, () => teacherAlignmentOf(backend, w64, gram, teacherBeta));
  if (alignment !== null) metrics.alignment = alignment;
  const probe: WeightProbe = { metrics, eigenvalues, singularValues };
  if (shouldComputeProfile) {
    const profile = await nullOnAsync(EsdlabError, () => alignmentProfileOf(backend, w64, gram, teacherBeta));
    if (profile) probe.alignmentProfile = profile;
  }
  return probe;
}
