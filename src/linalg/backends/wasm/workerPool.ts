import { Worker } from 'node:worker_threads';
import { KERNEL_NAMES } from './kernels.js';

// Control words (Int32Array over a SharedArrayBuffer of its own, so growing the wasm memory never
// moves them). A batch: the main thread writes the task table, sets ACTIVE = workers, NEXT = 0,
// COUNT, then bumps GENERATION and wakes the workers; each worker claims tasks with an atomic
// add on NEXT until none is left, then decrements ACTIVE. The main thread awaits ACTIVE == 0 with
// Atomics.waitAsync, so the event loop keeps running, and a new batch can only start once every
// worker is back waiting (no worker can claim a task of the next batch with a stale index).
const GENERATION = 0;
const NEXT = 1;
const COUNT = 2;
const ACTIVE = 3;
const STOP = 4;
const FAILED = 5;
const TEAM = 6;
const CONTROL_WORDS = 8;

/** Atomics.waitAsync (ES2024; in Node since 16), typed here because the project's lib is ES2022. */
const waitAsync = (Atomics as unknown as {
  waitAsync(array: Int32Array, index: number, value: number): { async: boolean; value: Promise<string> | string };
}).waitAsync;

/** Numbers per task: kernel index, then the kernel's arguments (at most TASK_STRIDE - 1). */
export const TASK_STRIDE = 16;
/** Tasks one batch may hold. */
export const MAX_TASKS = 1024;

// Runs in each worker (an eval'd CommonJS script, so it needs no file next to the compiled
// module and works the same from src/ under tsx and from dist/). The instance shares the main
// thread's memory; its own scratch region for packed panels starts at workPointer.
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const { module, memory, control, taskTable, workPointer, kernels, index } = workerData;
const instance = new WebAssembly.Instance(module, { env: { memory, abort() { throw new Error('wasm kernel aborted'); } } });
const functions = kernels.map((k) => instance.exports[k.name]);
const hasWork = kernels.map((k) => k.hasWork);
const words = new Int32Array(control);
const tasks = new Float64Array(taskTable);
let generation = 0;
parentPort.postMessage({ ready: true });
for (;;) {
  Atomics.wait(words, ${GENERATION}, generation);
  generation = Atomics.load(words, ${GENERATION});
  if (Atomics.load(words, ${STOP}) !== 0) break;
  const count = Atomics.load(words, ${COUNT});
  const isTeam = Atomics.load(words, ${TEAM}) !== 0;
  for (;;) {
    const t = isTeam ? 0 : Atomics.add(words, ${NEXT}, 1);
    if (t >= count) break;
    const base = t * ${TASK_STRIDE};
    const id = tasks[base];
    const fn = functions[id];
    const args = [];
    const extra = (hasWork[id] ? 1 : 0) + (isTeam ? 2 : 0);
    for (let i = 1; i <= fn.length - extra; i++) args.push(tasks[base + i]);
    if (isTeam) args.push(index, workerData.count);
    if (hasWork[id]) args.push(workPointer);
    try {
      fn(...args);
    } catch (error) {
      parentPort.postMessage({ error: String(error && error.stack || error) });
      Atomics.store(words, ${FAILED}, 1);
      if (isTeam) {
        // Release the team's barrier for good (its words are the task's last argument), so that
        // the other threads run to the end instead of waiting for this one forever.
        const released = new Int32Array(memory.buffer, tasks[base + fn.length - extra] + 4, 1);
        Atomics.store(released, 0, 0x7fffffff);
        Atomics.notify(released, 0);
      }
    }
    if (isTeam) break;
  }
  if (Atomics.sub(words, ${ACTIVE}, 1) === 1) Atomics.notify(words, ${ACTIVE});
}
`;

/**
 * Worker threads that each instantiate the kernel module over one shared memory and run batches of
 * tasks (one kernel call each) written into a shared task table. Workers are unref'd, so an idle
 * pool never keeps a finished process alive. One batch at a time: callers serialize.
 */
export class WorkerPool {
  private readonly words: Int32Array;
  private readonly tasks: Float64Array;
  private lastError = '';

  private constructor(
    private readonly workers: Worker[],
    control: SharedArrayBuffer,
    taskTable: SharedArrayBuffer,
  ) {
    this.words = new Int32Array(control);
    this.tasks = new Float64Array(taskTable);
    for (const worker of workers) {
      worker.on('message', (message: { error?: string }) => {
        if (message.error) this.lastError = message.error;
      });
      // after the listener: attaching a 'message' listener refs the worker's port again
      worker.unref();
    }
  }

  /** Starts `threads` workers; `workPointers[i]` is worker i's scratch address in `memory`. */
  static async start(module: WebAssembly.Module, memory: WebAssembly.Memory, workPointers: readonly number[]): Promise<WorkerPool> {
    const control = new SharedArrayBuffer(CONTROL_WORDS * 4);
    const taskTable = new SharedArrayBuffer(MAX_TASKS * TASK_STRIDE * 8);
    const kernels = KERNEL_NAMES.map((k) => ({ name: k.name, hasWork: k.hasWork }));
    const count = workPointers.length;
    const workers = workPointers.map(
      (workPointer, index) =>
        new Worker(workerSource, {
          eval: true,
          // plain CommonJS whatever the parent's flags (--input-type=module, --import tsx) say
          execArgv: [],
          workerData: { module, memory, control, taskTable, workPointer, kernels, index, count },
        }),
    );
    try {
      await Promise.all(
        workers.map(
          (worker) =>
            new Promise<void>((resolve, reject) => {
              worker.once('message', () => resolve());
              worker.once('error', reject);
              worker.once('exit', (code) => reject(new Error(`a wasm worker exited with code ${code} before it was ready`)));
            }),
        ),
      );
    } catch (error) {
      await Promise.all(workers.map((w) => w.terminate()));
      throw error;
    }
    for (const worker of workers) {
      worker.removeAllListeners('exit');
      worker.removeAllListeners('error');
      worker.on('error', () => undefined);
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
    holder?.ref();
    try {
      for (let active = Atomics.load(words, ACTIVE); active !== 0; active = Atomics.load(words, ACTIVE)) {
        const waiting = waitAsync(words, ACTIVE, active);
        if (waiting.async) await waiting.value;
      }
    } finally {
      holder?.unref();
    }
    if (Atomics.load(words, FAILED) !== 0) {
      // The worker posts its error text before it signals; give the message a few turns to arrive.
      for (let turn = 0; turn < 20 && this.lastError === ''; turn++) await new Promise((resolve) => setImmediate(resolve));
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
