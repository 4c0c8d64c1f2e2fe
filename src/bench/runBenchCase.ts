/** Times one benchmark case on one backend. */
import type { Backend } from '../linalg/index.js';
import { benchFlops, type BenchCase } from './benchCase.js';
import { prepareBenchCall } from './benchInputs.js';

/**
 * One measurement, printed by `esdlab bench --json` as one JSON line. `ms` is the best (minimum)
 * of the timed repeats, `medianMs` their median; `gflops` (from `ms`) is null where benchFlops has
 * no count. scripts/bench_numpy.py prints the same fields with backend 'numpy'.
 */
export interface BenchRecord extends BenchCase {
  readonly backend: string;
  readonly threads: number;
  readonly ms: number;
  readonly medianMs: number;
  readonly repeats: number;
  readonly gflops: number | null;
}

/** How long a first call must take (ms) to count as a measurement rather than a warm-up. */
const slowCallMs = 1000;

function round(x: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(x * scale) / scale;
}

/**
 * Runs `c` on `backend`: operands are prepared untimed, then a first call warms up (thread pools,
 * page faults); a first call slower than one second counts as the first repeat instead, so that
 * the n=4096 eigenvalue case is not run twice for nothing. Then `repeats` timed calls in all.
 */
export async function runBenchCase(backend: Backend, c: BenchCase, repeats: number): Promise<BenchRecord> {
  const call = await prepareBenchCall(backend, c);
  const times: number[] = [];
  const start = performance.now();
  await call();
  const firstMs = performance.now() - start;
  if (firstMs >= slowCallMs) times.push(firstMs);
  while (times.length < repeats) {
    const t0 = performance.now();
    await call();
    times.push(performance.now() - t0);
  }
  times.sort((x, y) => x - y);
  const ms = times[0]!;
  const middle = times.length >> 1;
  const medianMs = times.length % 2 === 1 ? times[middle]! : (times[middle - 1]! + times[middle]!) / 2;
  const flops = benchFlops(c);
  return {
    ...c,
    backend: backend.name,
    threads: backend.threads,
    ms: round(ms, 2),
    medianMs: round(medianMs, 2),
    repeats: times.length,
    gflops: flops === null ? null : round(flops / (ms * 1e6), 2),
  };
}
