/**
 * The weight probe of SPEC section 6: the ESD of W, both power-law fits, the Marchenko-Pastur
 * reference and phase, and the alignment of W's top right singular vector with beta*.
 */
import { EsdlabError, nullOn } from '../errors.js';
import type { Backend, Matrix } from '../linalg/index.js';
import { diagnoseSpectrum, type SpectrumDiagnostics } from '../spectra/index.js';
import type { StepMetrics } from './result.js';
import { weightSpectrum } from './teacherAlignment.js';

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
 * Probes W (h x d, any dtype) in f64. The spectral fields are diagnoseSpectrum's (the function
 * behind `esdlab analyze`); a spectrum that cannot be diagnosed or fitted leaves its fields NaN
 * instead of ending the run. With `shouldComputeProfile` (step 0) also |V^T beta*| over all right
 * singular vectors (from the projections of beta* onto the Gram matrix's eigenvectors; see
 * teacherAlignment.ts).
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
  const spectrum = await weightSpectrum(backend, w, teacherBeta, shouldComputeProfile);
  const eigenvalues = spectrum.eigenvalues;
  const count = eigenvalues.length;
  const singularValues = new Float64Array(count);
  for (let i = 0; i < count; i++) singularValues[i] = Math.sqrt(Math.max(0, eigenvalues[count - 1 - i]!));
  // The one diagnosis path: exactly what `esdlab analyze` reports for this spectrum.
  const diagnostics = nullOn(EsdlabError, () => diagnoseSpectrum(eigenvalues, { rows: w.rows, cols: w.cols }));
  const metrics: Partial<StepMetrics> = diagnostics ? metricsOfDiagnostics(diagnostics) : {};

  if (spectrum.alignment !== null) metrics.alignment = spectrum.alignment;
  const probe: WeightProbe = { metrics, eigenvalues, singularValues };
  if (spectrum.profile) probe.alignmentProfile = spectrum.profile;
  return probe;
}

/**
 * The metrics.json fields of a spectrum's diagnosis (NaN where a fit could not be made). This
 * mapping is the only place a probe's spectral numbers come from, so that `esdlab run` and
 * `esdlab analyze` of the run's saved spectra agree field for field.
 */
export function metricsOfDiagnostics(diagnostics: SpectrumDiagnostics): Partial<StepMetrics> {
  const { hill, mleKs, marchenkoPastur: mp } = diagnostics;
  const nan = Number.NaN;
  return {
    alpha_hill: hill?.alpha ?? nan,
    xmin_hill: hill?.xmin ?? nan,
    num_tail_hill: hill?.numTail ?? nan,
    ks_d_hill: hill?.ksDistance ?? nan,
    alphahat_hill: hill?.alphaHat ?? nan,
    alpha_mle_ks: mleKs?.alpha ?? nan,
    xmin_mle: mleKs?.xmin ?? nan,
    num_tail_mle: mleKs?.numTail ?? nan,
    ks_d_mle: mleKs?.ksDistance ?? nan,
    alphahat_mle: mleKs?.alphaHat ?? nan,
    spectral_norm: diagnostics.lambdaMax,
    frobenius_sq: diagnostics.frobeniusSquared,
    stable_rank: diagnostics.stableRank,
    mp_bulk_max: mp?.bulkMax ?? nan,
    num_spikes: mp?.numSpikes ?? nan,
    mp_soft_rank: mp?.softRank ?? nan,
    phase: diagnostics.phase,
  };
}
