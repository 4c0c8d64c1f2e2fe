/**
 * Deterministic synthetic inputs for the report (tests, demos, the browser lab's preview): a run
 * whose ESD goes from Marchenko-Pastur to spike plus heavy tail, and bulk_lr / bulk_losses sweeps
 * with diverged cells. Shapes and trends mimic the paper; the numbers are made up.
 */
import { stream } from '../random/index.js';
import { MarchenkoPasturTable } from '../spectra/index.js';
import type { MatrixLike, ProbeLike, RunReportData, StepMetricsLike, SweepReportData, SweepRunLike } from './types.js';

/** N eigenvalues at the MP quantiles (i + 0.5) / N for an h x d matrix with unit-variance entries, ascending. */
export function marchenkoPasturQuantiles(rows: number, cols: number): Float64Array {
  const small = Math.min(rows, cols);
  const large = Math.max(rows, cols);
  const table = new MarchenkoPasturTable(small / large);
  // MP(q) describes lambda / (s^2 M): scale the quantiles back by M.
  return Float64Array.from({ length: small }, (_, i) => large * table.quantile((i + 0.5) / small));
}

/** A run's final ESD: the bulk stretched into a power-law tail of exponent `alpha`, plus one spike. */
function heavyTailed(initial: Float64Array, alpha: number, spikeFactor: number): Float64Array {
  const n = initial.length;
  const out = new Float64Array(n);
  const edge = initial[n - 1]!;
  const start = initial[Math.floor(n / 2)]!;
  for (let i = 0; i < n; i++) {
    // Upper half follows Pareto quantiles from the median: x_min * u^(-1/(alpha - 1)).
    const u = (n - i) / (n - Math.floor(n / 2) + 1);
    out[i] = i < n / 2 ? initial[i]! : start * u ** (-1 / (alpha - 1));
  }
  out[n - 1] = edge * spikeFactor;
  return out.sort();
}

function gaussianMatrix(rows: number, cols: number, seed: number, name: string): MatrixLike {
  const data = new Float64Array(rows * cols);
  stream(seed, name).fillNormal(data);
  return { rows, cols, data };
}

function squaredOverlaps(size: number, seed: number, name: string): MatrixLike {
  const g = stream(seed, name);
  const data = new Float64Array(size * size);
  for (let i = 0; i < size; i++) {
    let sum = 0;
    for (let j = 0; j < size; j++) {
      const v = g.nextNormal() * (i === j ? 4 : 1) * Math.exp(-j / 3);
      data[i * size + j] = v * v;
      sum += v * v;
    }
    for (let j = 0; j < size; j++) data[i * size + j]! /= sum * 1.2;
  }
  return { rows: size, cols: size, data };
}

/** Options of {@link syntheticRun}. */
export interface SyntheticRunOptions {
  rows?: number;
  cols?: number;
  numSteps?: number;
  probeEvery?: number;
  /** Diverge at this step: metrics NaN from it on, status 'diverged'. */
  divergeAtStep?: number;
  hasOverlaps?: boolean;
  seed?: number;
}

/** A synthetic run in the shape the engine returns. */
export function syntheticRun(options: SyntheticRunOptions = {}): RunReportData {
  const { rows = 60, cols = 40, numSteps = 10, probeEvery = 5, seed = 0 } = options;
  const diverged = options.divergeAtStep;
  const initialEigenvalues = marchenkoPasturQuantiles(rows, cols);
  const steps: StepMetricsLike[] = [];
  const probes: ProbeLike[] = [];
  const g = stream(seed, 'synthetic-run');
  for (let step = 0; step <= numSteps; step++) {
    const t = step / numSteps;
    const isBad = diverged !== undefined && step >= diverged;
    const value = (x: number): number => (isBad ? Number.NaN : x);
    steps.push({
      step,
      lr: 1,
      train_loss: value(0.5 * Math.exp(-3 * t) + 0.02 + 0.005 * g.nextDouble()),
      test_loss: value(0.55 * Math.exp(-2.5 * t) + 0.05 + 0.005 * g.nextDouble()),
      kta: value(0.2 + 0.6 * (1 - Math.exp(-4 * t))),
      alignment: value(0.05 + 0.9 * (1 - Math.exp(-6 * t))),
      alpha_hill: value(6 - 3.5 * t),
      alpha_mle_ks: value(5.5 - 3 * t + 0.2 * g.nextDouble()),
      ks_d_hill: value(0.1),
      ks_d_mle: value(0.05),
      xmin_mle: value(initialEigenvalues[Math.floor(cols * 0.6)]! * (1 + t)),
      spectral_norm: value(initialEigenvalues[cols - 1]! * (1 + 20 * t)),
      frobenius_sq: value(rows * cols * (1 + t)),
      stable_rank: value(10 - 8 * t),
      alphahat_hill: value(3),
      phase: isBad ? null : step === 0 ? 'Random-like' : t < 0.5 ? 'Bulk+Spikes' : 'Heavy-Tailed',
      num_spikes: value(step === 0 ? 0 : 1),
      mp_bulk_max: value(initialEigenvalues[cols - 1]! * 1.02),
    });
    if (step % probeEvery === 0 && !isBad) {
      const eigenvalues = step === 0 ? initialEigenvalues : heavyTailed(initialEigenvalues, 6 - 3.5 * t, 1 + 20 * t);
      const probe: ProbeLike = { step, eigenvalues, singularValues: eigenvalues.map(Math.sqrt).reverse() };
      if (step === 0) {
        const profile = new Float64Array(cols);
        stream(seed, 'synthetic-profile').fillNormal(profile);
        const norm = Math.hypot(...profile);
        probe.alignmentProfile = profile.map((x) => Math.abs(x) / norm);
      } else if (options.hasOverlaps) {
        const block = Math.min(8, rows, cols);
        probe.overlaps = {
          updateSingularValues: Float64Array.from({ length: cols }, (_, i) => 50 * Math.exp(-i)),
          leftOverlap: squaredOverlaps(block, seed + step, 'left'),
          rightOverlap: squaredOverlaps(block, seed + step, 'right'),
          leftOverlapNext: squaredOverlaps(block, seed + step, 'left-next'),
          rightOverlapNext: squaredOverlaps(block, seed + step, 'right-next'),
          blockSize: block,
        };
      }
      probes.push(probe);
    }
  }
  const initialW = gaussianMatrix(rows, cols, seed, 'synthetic-w0');
  const finalData = Float64Array.from(initialW.data);
  const noise = stream(seed, 'synthetic-update');
  for (let i = 0; i < finalData.length; i++) finalData[i]! += 0.3 * noise.nextNormal() / Math.max(0.05, Math.abs(noise.nextNormal()));
  if (diverged !== undefined) finalData[0] = Number.NaN;
  return {
    steps,
    probes,
    initialW,
    finalW: { rows, cols, data: finalData },
    config: { name: 'synthetic', n: 200, h: rows, d: cols, optimizer: 'adam', lr: 1, lr_scheduler_kwargs: { step_size: 1, gamma: 0.6 } },
    status: diverged === undefined ? 'done' : 'diverged',
    divergedAtStep: diverged ?? null,
    seed,
    backend: 'synthetic',
  };
}

/** A synthetic bulk_lr sweep (sgd, adam x 5 learning rates x 2 repeats); the largest lr diverges for Adam and once for GD. */
export function syntheticBulkLrSweep(): SweepReportData {
  const runs: SweepRunLike[] = [];
  const lrs = [0.01, 1, 100, 1000, 3000];
  for (const optimizer of ['sgd', 'adam']) {
    for (const lr of lrs) {
      for (let repeat = 0; repeat < 2; repeat++) {
        const strength = optimizer === 'adam' ? Math.min(1, Math.log10(lr * 100) / 3) : Math.max(0, Math.log10(lr) / 3.5);
        const isDiverged = lr === 3000 && (optimizer === 'adam' || repeat === 1);
        const base = syntheticRun({ rows: 30, cols: 20, numSteps: 10, probeEvery: 10, seed: repeat, ...(isDiverged ? { divergeAtStep: 3 } : {}) });
        const steps = base.steps.map((s) => ({
          ...s,
          train_loss: (s.train_loss ?? 0) * (1 - 0.8 * strength),
          test_loss: (s.test_loss ?? 0) * (1 - 0.6 * strength),
          kta: 0.2 + 0.6 * strength + 0.02 * repeat,
          alignment: 0.05 + 0.9 * strength - 0.03 * repeat,
          alpha_hill: 6 - 3.5 * strength + 0.1 * repeat,
          alpha_mle_ks: 5.5 - 3 * strength + 0.2 * repeat,
        }));
        const final = base.probes[base.probes.length - 1]!.eigenvalues;
        runs.push({
          id: runs.length + 1,
          params: { optimizer, lr },
          repeat,
          status: isDiverged ? 'diverged' : 'done',
          steps: isDiverged ? steps.slice(0, 4) : steps,
          finalEigenvalues: isDiverged ? null : Float64Array.from(final, (x) => x * (1 + strength * (x / final[final.length - 1]!) * 20)),
          divergedAtStep: isDiverged ? 3 : null,
        });
      }
    }
  }
  return { name: 'bulk_lr (synthetic)', config: { varying_param: 'lr', repeat: 2 }, runs };
}

/** A synthetic bulk_losses sweep over n (3 values x 2 repeats), with one diverged and one failed run. */
export function syntheticBulkLossesSweep(): SweepReportData {
  const runs: SweepRunLike[] = [];
  for (const n of [500, 2000, 8000]) {
    for (let repeat = 0; repeat < 2; repeat++) {
      const isDiverged = n === 8000 && repeat === 1;
      const isFailed = n === 500 && repeat === 1;
      const base = syntheticRun({ rows: 30, cols: 20, numSteps: 10, probeEvery: 10, seed: repeat + n, ...(isDiverged ? { divergeAtStep: 6 } : {}) });
      const scale = 2000 / n;
      runs.push({
        id: runs.length + 1,
        params: { optimizer: 'adam', lr: 1, n },
        repeat,
        status: isFailed ? 'failed' : isDiverged ? 'diverged' : 'done',
        steps: isFailed ? [] : base.steps.map((s) => ({ ...s, test_loss: (s.test_loss ?? 0) * (0.5 + scale) })),
        finalEigenvalues: isFailed || isDiverged ? null : base.probes[base.probes.length - 1]!.eigenvalues,
        divergedAtStep: isDiverged ? 6 : null,
        error: isFailed ? 'synthetic failure' : null,
      });
    }
  }
  return { name: 'bulk_losses_vary_n (synthetic)', config: { varying_param: 'n', repeat: 2 }, runs };
}
