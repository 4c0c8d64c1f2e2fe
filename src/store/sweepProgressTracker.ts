/**
 * Where a sweep stands (finished, running where and how far, ETA), kept by whoever commits its runs
 * (the local runner or the queue coordinator) and reported to a progress callback on every change.
 */

/** A running cell. */
export interface RunningCell {
  readonly runId: number;
  readonly params: Readonly<Record<string, string | number>>;
  readonly repeat: number;
  step: number;
  totalSteps: number;
  /** Who runs it (a queue worker's id; absent in the local pool). */
  worker?: string;
}

/** Where a sweep stands, for a progress bar. */
export interface SweepProgress {
  readonly sweepId: number;
  readonly total: number;
  /** Finished cells (done, diverged or failed), including those finished before a resume. */
  readonly finished: number;
  /** Cells this invocation still has to finish. */
  readonly remaining: number;
  /** Cells that finished as failed in this invocation. */
  readonly failed: number;
  /** The cells running now, with their parameters and how far they are. */
  readonly running: readonly Readonly<RunningCell>[];
  /** Estimated seconds left, from the mean time per finished cell so far (null before the first). */
  readonly etaSeconds: number | null;
}

/** Counts a sweep's cells as they start, step and finish. */
export class SweepProgressTracker {
  private readonly running = new Map<number, RunningCell>();
  private readonly startedAt = performance.now();
  private finishedNow = 0;
  private failedNow = 0;

  constructor(
    private readonly sweepId: number,
    private readonly total: number,
    private finished: number,
    private remaining: number,
    private readonly onProgress?: (progress: SweepProgress) => void,
  ) {}

  /** Cells finished by this invocation. */
  get ranNow(): number {
    return this.finishedNow;
  }

  started(cell: Omit<RunningCell, 'step' | 'totalSteps'>): void {
    this.running.set(cell.runId, { ...cell, step: 0, totalSteps: 0 });
    this.report();
  }

  stepped(runId: number, step: number, totalSteps: number): void {
    const entry = this.running.get(runId);
    if (!entry) return;
    entry.step = step;
    entry.totalSteps = totalSteps;
    this.report();
  }

  /** Sets the running cells to what the queue reports (cells gone from it without finishing are dropped). */
  replaceRunning(cells: readonly RunningCell[]): void {
    this.running.clear();
    for (const cell of cells) this.running.set(cell.runId, { ...cell });
    this.report();
  }

  /** A cell stopped without finishing (handed back to the queue): it runs again later. */
  abandoned(runId: number): void {
    if (this.running.delete(runId)) this.report();
  }

  finishedRun(runId: number, status: 'done' | 'diverged' | 'failed'): void {
    this.running.delete(runId);
    this.finished++;
    this.finishedNow++;
    this.remaining--;
    if (status === 'failed') this.failedNow++;
    this.report();
  }

  report(): void {
    const elapsedSeconds = (performance.now() - this.startedAt) / 1000;
    this.onProgress?.({
      sweepId: this.sweepId,
      total: this.total,
      finished: this.finished,
      remaining: this.remaining,
      failed: this.failedNow,
      running: [...this.running.values()],
      etaSeconds: this.finishedNow > 0 ? (elapsedSeconds / this.finishedNow) * this.remaining : null,
    });
  }
}
