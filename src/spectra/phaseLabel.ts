import { InputError, nullOn } from '../errors.js';
import { checkSpectrum } from './checkSpectrum.js';
import { fitMarchenkoPastur } from './marchenkoPasturFit.js';
import type { MarchenkoPasturFit } from './marchenkoPasturFit.js';
import { fitSpectrum } from './spectrumFit.js';

/** Martin & Mahoney's 5+1 phases of a weight ESD. */
export type Phase = 'random_like' | 'bleeding_out' | 'bulk_plus_spikes' | 'bulk_decay' | 'heavy_tailed' | 'rank_collapse';

/** A phase with the one-line reason the rule gave it. */
export interface PhaseResult {
  readonly phase: Phase;
  readonly reason: string;
}

/** What the phase rule reads (all of it in `SpectrumDiagnostics`). */
export interface PhaseInputs {
  /** Number of eigenvalues N = min(rows, cols). */
  readonly numEigenvalues: number;
  /** Eigenvalues that are numerically zero (<= 1e-12 lambda_max). */
  readonly numZeroEigenvalues: number;
  /** The MP fit; null when none could be made (all-zero spectrum). */
  readonly marchenkoPastur: MarchenkoPasturFit | null;
  /** lambda_max. */
  readonly lambdaMax: number;
  /**
   * The 5th largest eigenvalue (the smallest when N < 5; `robustLambdaMax(eigenvalues)`): how far
   * the ESD reaches, ignoring up to 4 spikes. Required: with lambdaMax instead, a few spikes on a
   * non-MP bulk would turn bulk_decay into heavy_tailed (the run/analyze disagreement of issue 8).
   */
  readonly robustLambdaMax: number;
  /** The MLE-KS alpha, or null when no power law could be fitted. */
  readonly alphaMleKs: number | null;
}

/** The rule's thresholds, in one table (documented in docs/spectra.md). */
export const PHASE_THRESHOLDS = {
  /** rank_collapse when at least this fraction of eigenvalues is numerically zero. */
  zeroFraction: 0.1,
  /** The bulk "is MP" when the MP fit's KS distance is at most max(mpKsDistance, mpKsPerEigenvalue / N). */
  mpKsDistance: 0.05,
  mpKsPerEigenvalue: 8,
  /** A spike is separated when it is at least this many times bulkMax (and past the finite-size margin twice over). */
  spikeSeparation: 1.25,
  /** heavy_tailed needs the MLE-KS alpha at most this... */
  heavyTailAlpha: 4,
  /** ...and the 5th largest eigenvalue at least this many times bulkMax (the tail reaches far past any MP bulk). */
  heavyTailExtent: 4,
} as const;

/**
 * Classifies an ESD into one of the 5+1 phases (Martin & Mahoney, JMLR 2021), in this order:
 * 1. rank_collapse: fewer than 2 positive eigenvalues, or >= 10% of them numerically zero;
 * 2. if the bulk (eigenvalues below the spike threshold) fits MP (KS <= max(0.05, 8/N)):
 *    no spike: random_like; every spike >= max(1.25, 1 + 2 margin) x bulkMax: bulk_plus_spikes;
 *    otherwise (outliers hugging the edge): bleeding_out;
 * 3. otherwise the bulk itself is not MP: heavy_tailed when the MLE-KS alpha is <= 4 and the 5th
 *    largest eigenvalue is >= 4 x bulkMax (alpha < 2: "very heavy tailed" in the reason); else
 *    bulk_decay (a bulk that spreads past MP without a far-reaching power-law tail).
 */
export function phaseLabel(inputs: PhaseInputs): PhaseResult;
/** The same rule straight from an ascending ESD of a rows x cols matrix (fits MP and MLE-KS itself). */
export function phaseLabel(eigenvaluesAscending: ArrayLike<number>, rows: number, cols: number): PhaseResult;
export function phaseLabel(first: PhaseInputs | ArrayLike<number>, rows?: number, cols?: number): PhaseResult {
  const inputs = isPhaseInputs(first) ? first : phaseInputsOf(first, rows ?? Number.NaN, cols ?? Number.NaN);
  const { numEigenvalues: n, numZeroEigenvalues: zeros, marchenkoPastur: mp, lambdaMax, alphaMleKs: alpha } = inputs;
  const t = PHASE_THRESHOLDS;
  if (n - zeros < 2 || !mp) {
    return { phase: 'rank_collapse', reason: `${zeros} of ${n} eigenvalues are numerically zero; fewer than 2 remain` };
  }
  if (zeros >= t.zeroFraction * n) {
    return { phase: 'rank_collapse', reason: `${zeros} of ${n} eigenvalues (${percent(zeros / n)}) are numerically zero` };
  }
  const ksLimit = Math.max(t.mpKsDistance, t.mpKsPerEigenvalue / n);
  const ks = mp.ksDistance.toFixed(3);
  if (mp.ksDistance <= ksLimit) {
    if (mp.numSpikes === 0) {
      return { phase: 'random_like', reason: `the bulk fits Marchenko-Pastur (KS ${ks}) and nothing lies past its edge` };
    }
    const separation = Math.max(t.spikeSeparation, 1 + 2 * mp.edgeMargin);
    const smallestSpikeRatio = (mp.smallestSpike ?? lambdaMax) / mp.bulkMax;
    if (smallestSpikeRatio >= separation) {
      return {
        phase: 'bulk_plus_spikes',
        reason: `MP bulk (KS ${ks}) plus ${mp.numSpikes} spike${mp.numSpikes === 1 ? '' : 's'} at >= ${smallestSpikeRatio.toFixed(2)}x the edge`,
      };
    }
    return {
      phase: 'bleeding_out',
      reason: `MP bulk (KS ${ks}) with ${mp.numSpikes} eigenvalue${mp.numSpikes === 1 ? '' : 's'} just past the edge (smallest at ${smallestSpikeRatio.toFixed(2)}x, under ${separation.toFixed(2)}x)`,
    };
  }
  const extent = inputs.robustLambdaMax / mp.bulkMax;
  const extentText = `reaches ${extent.toFixed(1)}x the MP edge`;
  if (alpha !== null && alpha <= t.heavyTailAlpha && extent >= t.heavyTailExtent) {
    return {
      phase: 'heavy_tailed',
      reason: `the bulk is not MP (KS ${ks} > ${ksLimit.toFixed(3)}); a power-law tail with alpha ${alpha.toFixed(2)}${alpha < 2 ? ' (very heavy tailed)' : ''} ${extentText}`,
    };
  }
  const why = alpha === null ? 'no power law fits' : alpha > t.heavyTailAlpha ? `alpha ${alpha.toFixed(2)} > ${t.heavyTailAlpha}` : `the tail only ${extentText} (< ${t.heavyTailExtent}x)`;
  return { phase: 'bulk_decay', reason: `the bulk is not MP (KS ${ks} > ${ksLimit.toFixed(3)}) but decays without a heavy tail: ${why}` };
}

function percent(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}

/** The 5th largest value of an ascending array (its smallest when shorter; 0 when empty): PhaseInputs.robustLambdaMax. */
export function robustLambdaMax(ascending: ArrayLike<number>): number {
  return ascending.length === 0 ? 0 : ascending[Math.max(0, ascending.length - 5)]!;
}

function isPhaseInputs(value: PhaseInputs | ArrayLike<number>): value is PhaseInputs {
  return typeof (value as PhaseInputs).numEigenvalues === 'number';
}

/** MP fit and MLE-KS alpha of a spectrum, each null when it cannot be made (a degenerate spectrum). */
export function phaseInputsOf(eigenvaluesAscending: ArrayLike<number>, rows: number, cols: number): PhaseInputs {
  const checked = checkSpectrum(eigenvaluesAscending);
  return {
    numEigenvalues: checked.positive.length + checked.numZero,
    numZeroEigenvalues: checked.numZero,
    marchenkoPastur: nullOn(InputError, () => fitMarchenkoPastur(eigenvaluesAscending, rows, cols)),
    lambdaMax: checked.lambdaMax,
    robustLambdaMax: robustLambdaMax(checked.positive),
    // the same fit (positive eigenvalues, SpectrumFit's index convention) as diagnoseSpectrum
    alphaMleKs: nullOn(InputError, () => fitSpectrum(eigenvaluesAscending).mleKs.alpha),
  };
}
