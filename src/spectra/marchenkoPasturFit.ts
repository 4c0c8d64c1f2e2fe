import { InputError } from '../errors.js';
import { checkSpectrum } from './checkSpectrum.js';
import { MarchenkoPasturTable, marchenkoPasturEdges } from './marchenkoPasturLaw.js';

/** A Marchenko-Pastur reference fitted to an ESD (eigenvalues of W^T W, W rows x cols). */
export interface MarchenkoPasturFit {
  /** Rows h of W. */
  readonly rows: number;
  /** Columns d of W. */
  readonly cols: number;
  /** Fitted entry variance s^2 (the bulk's middle order statistics matched to MP's quantiles). */
  readonly varianceScale: number;
  /** Lower bulk edge s^2 (sqrt M - sqrt N)^2. */
  readonly bulkMin: number;
  /** Upper bulk edge s^2 (sqrt M + sqrt N)^2 (eigenvalue units). */
  readonly bulkMax: number;
  /** Relative finite-size margin: eigenvalues above bulkMax * (1 + edgeMargin) are spikes. */
  readonly edgeMargin: number;
  /** bulkMax * (1 + edgeMargin). */
  readonly spikeThreshold: number;
  /** How many eigenvalues lie above spikeThreshold. */
  readonly numSpikes: number;
  /** Their indices in the ascending input array (ascending). */
  readonly spikeIndices: number[];
  /** The smallest spike (eigenvalue units), null when there is none. */
  readonly smallestSpike: number | null;
  /** MP soft rank bulkMax / lambda_max (SPEC; WeightWatcher's mp_softrank; may exceed 1 slightly for a pure bulk). */
  readonly softRank: number;
  /** KS distance between the non-spike eigenvalues and the fitted MP law: small (~< 0.05) when the bulk is MP. */
  readonly ksDistance: number;
}

/** The margin in Tracy-Widom standard deviations: P(TW1 > 5) is below 1e-4. */
const TRACY_WIDOM_MULTIPLE = 5;

/**
 * The relative finite-size margin above the MP edge: 5 Tracy-Widom scales (Johnstone 2001:
 * lambda_max ~ s^2 (mu + sigma TW1), mu = (sqrt(M-1) + sqrt N)^2, sigma = (sqrt(M-1) + sqrt N)
 * (1/sqrt(M-1) + 1/sqrt N)^(1/3), so sigma/mu ~ N^(-2/3)), plus 3/N for the error of the fitted
 * s^2 (bulk eigenvalues are rigid: their quantiles move by O(1/N)).
 */
export function marchenkoPasturEdgeMargin(rows: number, cols: number): number {
  const m = Math.max(Math.max(rows, cols) - 1, 1);
  const n = Math.min(rows, cols);
  const sum = Math.sqrt(m) + Math.sqrt(n);
  const sigma = sum * (1 / Math.sqrt(m) + 1 / Math.sqrt(n)) ** (1 / 3);
  return (TRACY_WIDOM_MULTIPLE * sigma) / (sum * sum) + 3 / n;
}

/**
 * Fits an MP bulk to the ESD of a rows x cols matrix W (eigenvalues of W^T W, ascending, N =
 * min(rows, cols) of them) and counts the spikes above it.
 * s^2 is fitted robustly: the middle 80% of the order statistics are matched to MP's quantiles by
 * least squares (up to 10% spikes, and the near-zero end, do not reach them); if that gives no
 * positive scale (more than 10% zeros), s^2 = mean(lambda) / M. Throws InputError when the
 * array's length is not min(rows, cols), on bad input (see checkSpectrum), or when every
 * eigenvalue is zero.
 */
export function fitMarchenkoPastur(eigenvaluesAscending: ArrayLike<number>, rows: number, cols: number): MarchenkoPasturFit {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 1 || cols < 1) {
    throw new InputError(`the matrix shape must be two positive integers, got ${rows}x${cols}`);
  }
  const checked = checkSpectrum(eigenvaluesAscending);
  const n = Math.min(rows, cols);
  const length = checked.positive.length + checked.numZero;
  if (length !== n) {
    throw new InputError(`a ${rows}x${cols} matrix has ${n} ESD eigenvalues (min of its shape), but ${length} were given`);
  }
  if (checked.lambdaMax <= 0) throw new InputError('every eigenvalue is zero (an all-zero matrix); no Marchenko-Pastur bulk can be fitted');
  const all = new Float64Array(n);
  all.fill(0, 0, checked.numZero);
  all.set(checked.positive, checked.numZero);
  const m = Math.max(rows, cols);
  const table = new MarchenkoPasturTable(n / m);
  const edgeMargin = marchenkoPasturEdgeMargin(rows, cols);

  let varianceScale = quantileMatchedScale(all, table, m);
  if (!(varianceScale > 0)) varianceScale = checked.sum / (n * m);
  const [bulkMin, bulkMax] = marchenkoPasturEdges({ rows, cols, varianceScale });
  const spikeThreshold = bulkMax * (1 + edgeMargin);
  const spikeIndices: number[] = [];
  for (let i = 0; i < n; i++) if (all[i]! > spikeThreshold) spikeIndices.push(i);
  const bulkEnd = n - spikeIndices.length;
  let ksDistance = 0;
  const scale = varianceScale * m;
  for (let i = 0; i < bulkEnd; i++) {
    const f = table.cdf(all[i]! / scale);
    ksDistance = Math.max(ksDistance, Math.abs(f - i / bulkEnd), Math.abs(f - (i + 1) / bulkEnd));
  }
  return {
    rows,
    cols,
    varianceScale,
    bulkMin,
    bulkMax,
    edgeMargin,
    spikeThreshold,
    numSpikes: spikeIndices.length,
    spikeIndices,
    smallestSpike: spikeIndices.length > 0 ? all[spikeIndices[0]!]! : null,
    softRank: bulkMax / checked.lambdaMax,
    ksDistance,
  };
}

/**
 * s^2 by least squares of the middle order statistics on MP's quantiles: lambda_(i) ~ s^2 M
 * Q((i + 1/2) / N) for i in [0.1 N, 0.9 N), so s^2 = sum lambda_(i) x_i / sum x_i^2 with
 * x_i = M Q((i + 1/2) / N). Up to 10% spikes or outliers never reach the fitted range and leave
 * the bulk's order statistics where they were (a rank-k perturbation moves each bulk eigenvalue by
 * at most k places, all above 90%), the near-zero end is trimmed too, and using 80% of the
 * eigenvalues makes s^2 about as precise as the entries' sample variance (a median alone is
 * several times noisier).
 */
function quantileMatchedScale(values: Float64Array, table: MarchenkoPasturTable, m: number): number {
  const n = values.length;
  const start = Math.floor(0.1 * n);
  const end = Math.max(start + 1, Math.floor(0.9 * n));
  let cross = 0;
  let square = 0;
  for (let i = start; i < end && i < n; i++) {
    const x = m * table.quantile((i + 0.5) / n);
    cross += values[i]! * x;
    square += x * x;
  }
  return square > 0 ? cross / square : 0;
}
