/**
 * Alignment of W with the teacher (SPEC section 6): sim(W, beta*) from the top right singular
 * vector, and the step-0 profile |V^T beta*| over all right singular vectors. Both come from the
 * smaller Gram matrix (W^T W when d <= h, else W W^T with v_i = W^T u_i / sigma_i), which is
 * several times cheaper than a full SVD of W (wasm: ~3 s instead of ~14 s at h=1500, d=1000) and
 * exact up to rounding for the well-separated vectors that matter here. Step 0 needs only the inner
 * products of every eigenvector with beta* (or W beta*), so it asks symmetricEigenProjection for
 * them (weightSpectrum): on wasm the eigenvectors are never formed. Later probes do the same on a
 * backend that implements the projection itself (wasm); elsewhere they take the eigenvalues alone
 * and the top vector by Lanczos.
 */
import { EsdlabError, InputError, nullOnAsync } from '../errors.js';
import { copy, gemv, symmetricEigenProjection, symmetricEigenvalues, syrk, topEigenpairs, type Backend, type Matrix } from '../linalg/index.js';
import { stream } from '../random/index.js';
import { smallerGram } from '../spectra/esdEigenvalues.js';

/**
 * sim(W, beta*) = |<v, beta*>| / ||v|| for a right singular vector v. The absolute value makes it
 * independent of the vector's sign, which an SVD leaves arbitrary.
 */
export function teacherAlignment(v: ArrayLike<number>, beta: ArrayLike<number>): number {
  if (v.length !== beta.length) throw new InputError(`the singular vector has length ${v.length}, beta* has ${beta.length}`);
  let dot = 0;
  let norm = 0;
  for (let i = 0; i < v.length; i++) {
    dot += v[i]! * beta[i]!;
    norm += v[i]! * v[i]!;
  }
  return Math.abs(dot) / Math.sqrt(norm);
}

/** Column `j` of a matrix as a new Float64Array (e.g. a singular vector from an n x k result). */
export function matrixColumn(m: Matrix, j: number): Float64Array {
  const out = new Float64Array(m.rows);
  for (let i = 0; i < m.rows; i++) out[i] = m.data[i * m.cols + j]!;
  return out;
}

/**
 * The profile |V^T beta*| from the rows of Vt (k x d): entry i is |<v_i, beta*>|, in Vt's row order
 * (an SVD's: descending singular values).
 */
export function alignmentProfile(vt: Matrix, beta: ArrayLike<number>): Float64Array {
  const { rows, cols, data } = vt;
  if (cols !== beta.length) throw new InputError(`V^T has ${cols} columns, beta* has length ${beta.length}`);
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let dot = 0;
    for (let j = 0; j < cols; j++) dot += data[i * cols + j]! * beta[j]!;
    out[i] = Math.abs(dot);
  }
  return out;
}

/** The smaller Gram matrix of W (f64 h x d): W^T W (d x d) when d <= h, else W W^T (h x h). */
export async function smallerGramOf(backend: Backend, w64: Matrix): Promise<Matrix> {
  return syrk(backend, w64, { trans: w64.cols <= w64.rows });
}

/**
 * sim(W, beta*) for W (f64, h x d) with `gram` = smallerGramOf(W): v1 is the top eigenvector of
 * W^T W, or W^T u1 for the top eigenvector u1 of W W^T (Lanczos, fixed start: reproducible).
 */
export async function teacherAlignmentOf(backend: Backend, w64: Matrix, gram: Matrix, beta: Float64Array): Promise<number> {
  const top = await topEigenpairs(backend, gram, 1, { rng: stream(0, 'alignment') });
  const vector = matrixColumn(top.vectors, 0);
  if (w64.cols <= w64.rows) return teacherAlignment(vector, beta);
  return teacherAlignment(await gemv(backend, w64, vector, { trans: true }), beta);
}

/**
 * |V^T beta*| over all min(h, d) right singular vectors of W (f64, h x d), in descending
 * singular-value order, from `gram` = smallerGramOf(W) (projectedProfile).
 */
export async function alignmentProfileOf(backend: Backend, w64: Matrix, gram: Matrix, beta: Float64Array): Promise<Float64Array> {
  return (await projectedProfile(backend, w64, gram, beta)).profile;
}

/**
 * One symmetricEigenProjection of `gram` = smallerGram(W) with target = beta* (W^T W) or W beta*
 * (W W^T, h < d) gives its eigenvalues (ascending), every p_j = <q_j, target>, and from them the
 * profile (profileFromProjections) and the alignment: |p_top| for W^T W (the top eigenvector is
 * v1), |p_top| / sqrt(lambda_top) for W W^T (= |<W^T u1, beta*>| / ||W^T u1||, as
 * ||W^T u1||^2 = lambda_top).
 */
async function projectedProfile(backend: Backend, w: Matrix, gram: Matrix, beta: Float64Array): Promise<{ values: Float64Array; profile: Float64Array; alignment: number }> {
  const isColumnGram = w.cols <= w.rows;
  const target = isColumnGram ? beta : await gemv(backend, copy(w, 'f64'), beta);
  const { values, projections } = await symmetricEigenProjection(backend, gram, { rows: target.length, cols: 1, data: target });
  const k = values.length;
  const top = Math.abs(projections.data[k - 1]!);
  const alignment = isColumnGram ? top : top / Math.sqrt(values[k - 1]!);
  return { values, profile: profileFromProjections(values, projections.data, isColumnGram), alignment };
}

/**
 * |V^T beta*| (descending singular-value order) from the eigenvalues (ascending) of W's smaller
 * Gram matrix and p_j = <q_j, target> for its eigenvectors q_j: target = beta* for W^T W, where
 * |<v_i, beta*>| = |p_j|; target = W beta* for W W^T (h < d), where v_i = W^T u_i / sigma_i gives
 * |<v_i, beta*>| = |p_j| / sqrt(lambda_j), 0 for a numerically zero lambda_j (<= 1e-12 lambda_max).
 */
function profileFromProjections(values: Float64Array, projections: ArrayLike<number>, isColumnGram: boolean): Float64Array {
  const k = values.length;
  const lambdaMax = Math.max(values[k - 1]!, 0);
  const out = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    const j = k - 1 - i;
    const dot = projections[j]!;
    if (isColumnGram) out[i] = Math.abs(dot);
    else out[i] = values[j]! > 1e-12 * lambdaMax ? Math.abs(dot) / Math.sqrt(values[j]!) : 0;
  }
  return out;
}

/** What a weight probe needs from W's smaller Gram matrix. */
export interface WeightSpectrum {
  /** Eigenvalues of W^T W (the ESD), ascending, f64, negative rounding clipped to 0. */
  readonly eigenvalues: Float64Array;
  /** sim(W, beta*), or null when it could not be computed (a degenerate W). */
  readonly alignment: number | null;
  /** |V^T beta*| (descending singular-value order) when asked for, else null. */
  readonly profile: Float64Array | null;
}

/**
 * The ESD's eigenvalues and the alignment of W (h x d, any dtype; finite, non-empty) with beta*,
 * all from one f64 Gram matrix (smallerGram: f32 W is converted in blocks). Without the profile:
 * on a backend with its own symmetricEigenProjection (wasm), that projection (its eigenvalues are
 * the bits of its values-only path, its alignment exact); elsewhere eigenvalues only (syevd 'N')
 * and the top eigenvector by Lanczos. With it (step 0): the
 * eigenvalues, the alignment and the profile all from one symmetricEigenProjection of the Gram
 * matrix onto beta* (or W beta*; projectedProfile). On wasm that never forms the eigenvectors (the
 * reflectors and QL rotations are applied to the target: about the cost of the eigenvalues alone,
 * and the eigenvalues are the bits of the decomposition with vectors); elsewhere it is the
 * decomposition with vectors and the product, as before.
 */
export async function weightSpectrum(backend: Backend, w: Matrix, beta: Float64Array, shouldComputeProfile: boolean): Promise<WeightSpectrum> {
  if (w.rows === 0 || w.cols === 0) throw new InputError(`the weight matrix is ${w.rows}x${w.cols}; an ESD needs at least one row and one column`);
  const gram = await smallerGram(backend, w);
  const clip = (values: Float64Array) => values.map((v) => (v < 0 ? 0 : v));
  if (!shouldComputeProfile && backend.symmetricEigenProjection) {
    // A backend with its own projection (wasm) computes the eigenvalues with exactly the QL
    // iteration of its values-only path (the same bits: tested) and the exact alignment with them,
    // for less than the eigenvalues plus a Lanczos run.
    const { values, alignment } = await projectedProfile(backend, w, gram, beta);
    return { eigenvalues: clip(values), alignment: Number.isFinite(alignment) ? alignment : null, profile: null };
  }
  if (!shouldComputeProfile) {
    const eigenvalues = clip(await symmetricEigenvalues(backend, gram));
    const w64 = w.cols <= w.rows ? w : copy(w, 'f64'); // read only when h < d (v1 = W^T u1)
    return { eigenvalues, alignment: await nullOnAsync(EsdlabError, () => teacherAlignmentOf(backend, w64, gram, beta)), profile: null };
  }
  const { values, profile, alignment } = await projectedProfile(backend, w, gram, beta);
  return { eigenvalues: clip(values), alignment, profile };
}
