/**
 * A small pool of sweep worker threads (sweepWorker.ts) on one backend. `run(cell)` trains a cell
 * on the next idle thread and resolves with its outcome. A thread that crashes (out of memory, a
 * crash in a backend) fails its cell and is replaced; `close()` terminates every thread, and the
 * cells still running or waiting reject with PoolClosedError (the caller leaves them for a resume).
 */
import type { Worker } from 'node:worker_threads';
import { EsdlabError } from '../errors.js';
import type { SweepCell } from '../experiments/index.js';
import { startModuleWorker } from './moduleWorker.js';
import type { CellOutcome, RunCellMessage, WorkerMessage, WorkerSetup } from './sweepProtocol.js';

/** What `run` rejects with once the pool is closed. */
export class PoolClosedError extends Error {
  constructor() {
    super('the worker pool was closed');
  }
}

interface Task {
  readonly id: number;
  readonly cell: SweepCell;
  readonly onStep?: (step: number, totalSteps: number) => void;
  readonly resolve: (outcome: CellOutcome) => void;
  readonly reject: (error: Error) => void;
}

interface Slot {
  readonly worker: Worker;
  task: Task | null;
}

/** Worker threads training sweep cells. Start with `WorkerPool.start`. */
export class WorkerPool {
  private readonly slots = new Set<Slot>();
  private readonly waiting: Task[] = [];
  private nextTaskId = 0;
  private isClosed = false;

  private loadedBackend: string;

  private constructor(private readonly setup: WorkerSetup) {
    this.loadedBackend = setup.backendName;
  }

  /** The backend the threads loaded ('auto' resolved). */
  get backend(): string {
    return this.loadedBackend;
  }

  /** Starts `size` threads and waits until each has loaded its backend (EsdlabError when one cannot). */
  static async start(size: number, setup: WorkerSetup): Promise<WorkerPool> {
    const pool = new WorkerPool(setup);
    try {
      const backends = await Promise.all(Array.from({ length: size }, () => pool.launch()));
      pool.loadedBackend = backends[0] ?? setup.backendName;
      return pool;
    } catch (error) {
      await pool.close();
      throw error;
    }
  }

  /** Trains `cell` on the next idle thread. */
  run(cell: SweepCell, onStep?: (step: number, totalSteps: number) => void): Promise<CellOutcome> {
    if (this.isClosed) return Promise.reject(new PoolClosedError());
    return new Promise((resolve, reject) => {
      this.waiting.push({ id: this.nextTaskId++, cell, onStep, resolve, reject });
      this.dispatch();
    });
  }

  /** Terminates every thread; running and waiting cells reject with PoolClosedError. */
  async close(): Promise<void> {
    this.isClosed = true;
    const tasks = [...this.waiting.splice(0), ...[...this.slots].flatMap((slot) => (slot.task ? [slot.task] : []))];
    const workers = [...this.slots].map((slot) => slot.worker);
    this.slots.clear();
    for (const task of tasks) task.reject(new PoolClosedError());
    await Promise.all(workers.map((worker) => worker.terminate()));
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (slot.task || this.waiting.length === 0) continue;
      slot.task = this.waiting.shift()!;
      const message: RunCellMessage = { type: 'run', taskId: slot.task.id, cell: slot.task.cell };
      slot.worker.postMessage(message);
    }
  }

  /** Starts one thread; resolves with its backend's name once it is ready. */
  private launch(): Promise<string> {
    return new Promise((resolveReady, rejectReady) => {
      const slot: Slot = { worker: startModuleWorker(import.meta.url, 'sweepWorker', this.setup), task: null };
      slot.worker.on('message', (message: WorkerMessage) => {
        switch (message.type) {
          case 'ready':
            if (this.isClosed) return;
            this.slots.add(slot);
            resolveReady(message.backend);
            this.dispatch();
            break;
          case 'fatal':
            rejectReady(new EsdlabError(`a sweep worker could not start: ${message.message}`));
            break;
          case 'progress':
            if (slot.task?.id === message.taskId) slot.task.onStep?.(message.step, message.totalSteps);
            break;
          case 'outcome': {
            const task = slot.task;
            slot.task = null;
            if (task?.id === message.taskId) task.resolve(message.outcome);
            this.dispatch();
            break;
          }
        }
      });
      slot.worker.on('error', (error) => {
        rejectReady(new EsdlabError(`a sweep worker could not start: ${error.message}`));
        if (!this.slots.delete(slot) || this.isClosed) return;
        slot.task?.resolve({ status: 'failed', error: `worker crashed: ${error.message}` });
        this.launch().catch((launchError: Error) => {
          for (const task of this.waiting.splice(0)) task.reject(launchError);
        });
      });
    });
  }
}
