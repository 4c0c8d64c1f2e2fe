/**
 * Alignment of W with the teacher (SPEC section 6): sim(W, beta*) from the top right singular
 * vector, and the step-0 profile |V^T beta*| over all right singular vectors. Both come from the
 * smaller Gram matrix (W^T W when d <= h, else W W^T with v_i = W^T u_i / sigma_i), which is
 * several times cheaper than a full SVD of W (wasm: ~3 s instead of ~14 s at h=1500, d=1000) and
 * exact up to rounding for the well-separated vectors that matter here.
 */
import { EsdlabError, InputError, nullOnAsync } from '../errors.js';
import { copy, gemv, symmetricEigen, symmetricEigenvalues, syrk, topEigenpairs, type Backend, type Matrix } from '../linalg/index.js';
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
 * singular-value order, from the full eigen-decomposition of `gram` = smallerGramOf(W). When h < d,
 * |<v_i, beta*>| = |<u_i, W beta*>| / sigma_i (0 for a numerically zero sigma_i).
 */
export async function alignmentProfileOf(backend: Backend, w64: Matrix, gram: Matrix, beta: Float64Array): Promise<Float64Array> {
  const { values, vectors } = await symmetricEigen(backend, gram);
  return profileFromEigen(backend, w64, values, vectors, beta);
}

/** |V^T beta*| from the eigen-decomposition (values ascending, vectors in columns) of W's smaller Gram matrix. */
async function profileFromEigen(backend: Backend, w: Matrix, values: Float64Array, vectors: Matrix, beta: Float64Array): Promise<Float64Array> {
  const k = values.length;
  const isColumnGram = w.cols <= w.rows;
  const target = isColumnGram ? beta : await gemv(backend, copy(w, 'f64'), beta);
  const lambdaMax = Math.max(values[k - 1]!, 0);
  const out = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    const j = k - 1 - i;
    let dot = 0;
    for (let r = 0; r < k; r++) dot += vectors.data[r * k + j]! * target[r]!;
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
 * eigenvalues only (syevd 'N') and the top eigenvector by Lanczos; with it (step 0): one
 * eigen-decomposition with vectors gives the eigenvalues, the top vector and the profile, instead
 * of a second Gram matrix, a second eigensolve and a Lanczos run.
 */
export async function weightSpectrum(backend: Backend, w: Matrix, beta: Float64Array, shouldComputeProfile: boolean): Promise<WeightSpectrum> {
  if (w.rows === 0 || w.cols === 0) throw new InputError(`the weight matrix is ${w.rows}x${w.cols}; an ESD needs at least one row and one column`);
  const gram = await smallerGram(backend, w);
  const clip = (values: Float64Array) => values.map((v) => (v < 0 ? 0 : v));
  if (!shouldComputeProfile) {
    const eigenvalues = clip(await symmetricEigenvalues(backend, gram));
    const w64 = w.cols <= w.rows ? w : copy(w, 'f64'); // read only when h < d (v1 = W^T u1)
    return { eigenvalues, alignment: await nullOnAsync(EsdlabError, () => teacherAlignmentOf(backend, w64, gram, beta)), profile: null };
  }
  const { values, vectors } = await symmetricEigen(backend, gram);
  const k = values.length;
  const top = matrixColumn(vectors, k - 1);
  const alignment = await nullOnAsync(EsdlabError, async () => teacherAlignment(w.cols <= w.rows ? top : await gemv(backend, copy(w, 'f64'), top, { trans: true }), beta));
  return { eigenvalues: clip(values), alignment, profile: await nullOnAsync(EsdlabError, () => profileFromEigen(backend, w, values, vectors, beta)) };
}
