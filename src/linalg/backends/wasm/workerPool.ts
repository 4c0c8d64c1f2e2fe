import { KERNEL_NAMES } from './kernels.js';
import { CONTROL, CONTROL_WORDS, MAX_TASKS, TASK_STRIDE, type KernelThread, type StartKernelThread } from './poolProtocol.js';

export { MAX_TASKS, TASK_STRIDE } from './poolProtocol.js';

const { GENERATION, NEXT, COUNT, ACTIVE, STOP, FAILED, TEAM } = CONTROL;

// A new batch can only start once every worker is back waiting (no worker can claim a task of the
// next batch with a stale index). The main thread awaits ACTIVE == 0 with Atomics.waitAsync, so
// its event loop keeps running.

/** Atomics.waitAsync (ES2024; in Node since 16, Chromium since 87), typed here because the project's lib is ES2022. */
const waitAsync = (Atomics as unknown as {
  waitAsync(array: Int32Array, index: number, value: number): { async: boolean; value: Promise<string> | string };
}).waitAsync;

/** One turn of the event loop (setTimeout exists in Node and in browsers and workers). */
const nextTurn = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * Kernel workers (Node worker threads or browser Workers, started by the host's `startThread`)
 * that each instantiate the kernel module over one shared memory and run batches of tasks (one
 * kernel call each) written into a shared task table. In Node the workers are unref'd, so an idle
 * pool never keeps a finished process alive. One batch at a time: callers serialize.
 */
export class WorkerPool {
  private readonly words: Int32Array;
  private readonly tasks: Float64Array;
  private lastError = '';

  private constructor(
    private readonly workers: KernelThread[],
    control: SharedArrayBuffer,
    taskTable: SharedArrayBuffer,
  ) {
    this.words = new Int32Array(control);
    this.tasks = new Float64Array(taskTable);
    for (const worker of workers) {
      worker.onMessage((message) => {
        if (message.error) this.lastError = message.error;
      });
      // after the listener: attaching a 'message' listener refs a Node worker's port again
      worker.hold?.(false);
    }
  }

  /**
   * Starts `threads` workers; `workPointers[i]` is worker i's scratch address in `memory`,
   * `warmUpPointers[i]` its warm-up region (warmUp.ts; none when omitted).
   */
  static async start(
    startThread: StartKernelThread,
    module: WebAssembly.Module,
    memory: WebAssembly.Memory,
    workPointers: readonly number[],
    warmUpPointers: readonly number[] = [],
  ): Promise<WorkerPool> {
    const control = new SharedArrayBuffer(CONTROL_WORDS * 4);
    const taskTable = new SharedArrayBuffer(MAX_TASKS * TASK_STRIDE * 8);
    const kernels = KERNEL_NAMES.map((k) => ({ name: k.name, hasWork: k.hasWork }));
    const count = workPointers.length;
    const workers: KernelThread[] = [];
    const ready: Promise<void>[] = [];
    for (const [index, workPointer] of workPointers.entries()) {
      const worker = startThread({ module, memory, control, taskTable, workPointer, warmUpPointer: warmUpPointers[index] ?? 0, kernels, index, count });
      workers.push(worker);
      ready.push(
        new Promise<void>((resolve, reject) => {
          worker.onMessage((message) => {
            if (message.ready) resolve();
          });
          worker.onFailure(reject);
        }),
      );
    }
    try {
      await Promise.all(ready);
    } catch (error) {
      await Promise.all(workers.map((w) => w.terminate()));
      throw error;
    }
    return new WorkerPool(workers, control, taskTable);
  }

  /** Number of workers. */
  get size(): number {
    return this.workers.length;
  }

  /**
   * Runs tasks (each `[kernelIndex, ...arguments]`) on the workers and resolves when all are done;
   * tasks are claimed in order, so list the largest first for load balance.
   */
  async run(tasks: readonly (readonly number[])[]): Promise<void> {
    if (tasks.length === 0) return;
    for (let start = 0; start < tasks.length; start += MAX_TASKS) {
      await this.runBatch(tasks.slice(start, start + MAX_TASKS));
    }
  }

  /**
   * Runs one team task: every worker calls the kernel with the same arguments followed by its own
   * index and the worker count (the kernel synchronizes its threads itself with assembly/team.ts
   * barriers, whose words must be the task's last argument: a worker whose call fails releases
   * them, so the others finish and the failure is reported instead of a hang).
   */
  async runTeam(task: readonly number[]): Promise<void> {
    await this.runBatch([task], true);
  }

  private async runBatch(tasks: readonly (readonly number[])[], isTeam = false): Promise<void> {
    tasks.forEach((task, t) => this.tasks.set(task, t * TASK_STRIDE));
    const words = this.words;
    Atomics.store(words, TEAM, isTeam ? 1 : 0);
    Atomics.store(words, FAILED, 0);
    Atomics.store(words, ACTIVE, this.workers.length);
    Atomics.store(words, NEXT, 0);
    Atomics.store(words, COUNT, tasks.length);
    Atomics.add(words, GENERATION, 1);
    Atomics.notify(words, GENERATION);
    // A pending Atomics.waitAsync does not keep Node's event loop alive: hold a ref on a worker
    // while the batch runs, so that a script awaiting only this call does not exit under it.
    const holder = this.workers[0];
    holder?.hold?.(true);
    try {
      for (let active = Atomics.load(words, ACTIVE); active !== 0; active = Atomics.load(words, ACTIVE)) {
        const waiting = waitAsync(words, ACTIVE, active);
        if (waiting.async) await waiting.value;
      }
    } finally {
      holder?.hold?.(false);
    }
    if (Atomics.load(words, FAILED) !== 0) {
      // The worker posts its error text before it signals; give the message a few turns to arrive.
      for (let turn = 0; turn < 20 && this.lastError === ''; turn++) await nextTurn();
      const message = this.lastError || 'unknown error';
      this.lastError = '';
      throw new Error(`a wasm kernel failed on a worker thread: ${message}`);
    }
  }

  /** Stops and terminates every worker. */
  async dispose(): Promise<void> {
    Atomics.store(this.words, STOP, 1);
    Atomics.add(this.words, GENERATION, 1);
    Atomics.notify(this.words, GENERATION);
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
