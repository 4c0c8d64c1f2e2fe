/**
 * The task protocol between the wasm backend's main thread and its kernel workers, shared by the
 * Node and browser hosts. Control words live in an Int32Array over a SharedArrayBuffer of its own
 * (so growing the wasm memory never moves them). A batch: the main thread writes the task table,
 * sets ACTIVE = workers, NEXT = 0, COUNT, then bumps GENERATION and wakes the workers; each worker
 * claims tasks with an atomic add on NEXT until none is left, then decrements ACTIVE.
 */

/** Indices of the control words. */
export const CONTROL = { GENERATION: 0, NEXT: 1, COUNT: 2, ACTIVE: 3, STOP: 4, FAILED: 5, TEAM: 6 } as const;
/** Length of the control array in 32-bit words. */
export const CONTROL_WORDS = 8;
/** Numbers per task: kernel index, then the kernel's arguments (at most TASK_STRIDE - 1). */
export const TASK_STRIDE = 16;
/** Tasks one batch may hold. */
export const MAX_TASKS = 1024;

/** What a kernel worker receives when it starts (structured-cloned; memory and buffers are shared). */
export interface KernelWorkerData {
  readonly module: WebAssembly.Module;
  readonly memory: WebAssembly.Memory;
  readonly control: SharedArrayBuffer;
  readonly taskTable: SharedArrayBuffer;
  readonly workPointer: number;
  /** Address of this worker's warm-up region (WARM_UP_BYTES, warmUp.ts), or 0 for no warm-up. */
  readonly warmUpPointer: number;
  readonly kernels: readonly { readonly name: string; readonly hasWork: boolean }[];
  readonly index: number;
  readonly count: number;
}

/** A message a kernel worker posts: once `{ready: true}`, then `{error}` for each failed task. */
export interface KernelWorkerMessage {
  readonly ready?: boolean;
  readonly error?: string;
}

/** One started kernel worker, as the pool sees it (a Node worker thread or a browser Worker). */
export interface KernelThread {
  /** Calls `listener` for each message the worker posts. */
  onMessage(listener: (message: KernelWorkerMessage) => void): void;
  /** Calls `listener` once if the worker fails to start or dies. */
  onFailure(listener: (error: Error) => void): void;
  /** Stops the worker. */
  terminate(): Promise<void>;
  /** Node only: lets an idle worker not keep the process alive (`hold(false)`), or keeps it (`hold(true)`). */
  hold?(isHeld: boolean): void;
}

/** Starts a kernel worker with its start data. */
export type StartKernelThread = (data: KernelWorkerData) => KernelThread;
