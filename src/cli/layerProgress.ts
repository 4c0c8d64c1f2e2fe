/**
 * Progress of `esdlab analyze` over layers: layers done of the total, the layers in flight, and an
 * ETA weighted by each layer's cost rather than by the count (a 4096x11008 layer costs about 1.6
 * times a 4096x4096 one, an embedding of 32000x4096 more, a 64x64 bias-like matrix nothing).
 */

/**
 * A layer's estimated cost in flops: the Gram matrix (syrk, m n^2 for m x n with n the smaller side)
 * plus the eigensolver's tridiagonalization (4/3 n^3 flops, half of them memory-bound matrix-vector
 * products, so counted as 2 n^3), plus one pass over the m n entries for reading and checking them.
 */
export function layerCost(rows: number, cols: number): number {
  const n = Math.min(rows, cols);
  const m = Math.max(rows, cols);
  return m * n * n + 2 * n * n * n + 16 * m * n;
}

/** A running tally of layers: what is done, what is in flight, and the ETA from the cost done so far. */
export class LayerProgressTracker {
  private readonly costs: readonly number[];
  private readonly totalCost: number;
  private doneCost = 0;
  private numDone = 0;
  private startedAt: number | null = null;
  private readonly running = new Map<number, string>();

  /** @param layers the planned layers' names and (rows, cols), in order; `now` in milliseconds (injectable for tests) */
  constructor(
    private readonly layers: readonly { readonly name: string; readonly shape: readonly [number, number] }[],
    private readonly now: () => number = () => performance.now(),
  ) {
    this.costs = layers.map((l) => layerCost(l.shape[0], l.shape[1]));
    this.totalCost = this.costs.reduce((a, b) => a + b, 0);
  }

  get total(): number {
    return this.layers.length;
  }

  get done(): number {
    return this.numDone;
  }

  /** The fraction of the estimated work done, 0..1. */
  get workFraction(): number {
    return this.totalCost > 0 ? this.doneCost / this.totalCost : this.numDone / Math.max(1, this.layers.length);
  }

  start(index: number): void {
    this.startedAt ??= this.now();
    this.running.set(index, this.layers[index]?.name ?? `#${index}`);
  }

  finish(index: number): void {
    if (!this.running.delete(index) && this.startedAt === null) this.startedAt = this.now();
    this.numDone++;
    this.doneCost += this.costs[index] ?? 0;
  }

  /** Seconds left at the rate so far (elapsed time per unit of cost done), or null before the first layer is done. */
  etaSeconds(): number | null {
    if (this.startedAt === null || this.doneCost <= 0) return null;
    const elapsed = (this.now() - this.startedAt) / 1000;
    return (elapsed * (this.totalCost - this.doneCost)) / this.doneCost;
  }

  /** The layers in flight, e.g. "model.layers.0.mlp.up_proj" or "a, b (2 running)". */
  runningText(): string {
    const names = [...this.running.values()];
    if (names.length <= 1) return names[0] ?? '';
    return `${names.join(', ')} (${names.length} running)`;
  }
}

/** Seconds as "45s", "12m 05s" or "2h 31m"; "?" when unknown. */
export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '?';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
