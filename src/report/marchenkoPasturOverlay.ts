/**
 * The Marchenko-Pastur (MP) curve drawn over a linear ESD histogram, from src/spectra's robust fit
 * (s^2 from the bulk's median, spikes excluded) and its density.
 */
import { fitMarchenkoPastur, marchenkoPasturDensity } from '../spectra/index.js';
import type { NumericArray } from './types.js';

/** The fitted MP law and its density sampled across the bulk. */
export interface MarchenkoPasturCurve {
  /** Entry variance s^2 of the fit. */
  varianceScale: number;
  /** Bulk edges lambda_- and lambda_+ (eigenvalue units). */
  bulkMin: number;
  bulkMax: number;
  /** Eigenvalues above the fit's spike threshold (the edge plus a finite-size margin). */
  numSpikes: number;
  /** KS distance between the bulk and the fitted law (small when the bulk is MP). */
  ksDistance: number;
  /** The density sampled on [lambda_-, lambda_+]. */
  points: { lambda: number; density: number }[];
}

/**
 * Fits MP to the N = min(rows, cols) eigenvalues of W^T W (ascending; a longer array contributes
 * its N largest) and samples the density at `numPoints` points across the bulk, for overlaying on a
 * histogram of lambda. Returns null when no fit is possible (no positive eigenvalue, too few
 * eigenvalues, or a non-finite one).
 */
export function marchenkoPasturCurve(
  eigenvaluesAscending: NumericArray,
  rows: number,
  cols: number,
  numPoints = 200,
): MarchenkoPasturCurve | null {
  const n = Math.min(rows, cols);
  if (!(n > 0) || eigenvaluesAscending.length < n) return null;
  const top = Array.prototype.slice.call(eigenvaluesAscending, eigenvaluesAscending.length - n) as number[];
  let fit: ReturnType<typeof fitMarchenkoPastur>;
  try {
    fit = fitMarchenkoPastur(top, rows, cols);
  } catch {
    return null;
  }
  const shape = { rows, cols, varianceScale: fit.varianceScale };
  const points: { lambda: number; density: number }[] = [];
  // Cosine spacing puts more points near the edges, where the density has square-root behaviour.
  for (let k = 0; k < numPoints; k++) {
    const t = (1 - Math.cos((Math.PI * k) / (numPoints - 1))) / 2;
    const lambda = fit.bulkMin + t * (fit.bulkMax - fit.bulkMin);
    points.push({ lambda, density: marchenkoPasturDensity(lambda, shape) });
  }
  return {
    varianceScale: fit.varianceScale,
    bulkMin: fit.bulkMin,
    bulkMax: fit.bulkMax,
    numSpikes: fit.numSpikes,
    ksDistance: fit.ksDistance,
    points,
  };
}
