/**
 * The kernel worker's program, as JavaScript source text: one copy for both hosts. Node runs it
 * as an eval'd CommonJS worker (nodeHost.ts), the browser as a classic Worker from a Blob URL
 * (browserHost.ts), so it needs no file next to the compiled module and no bundler support. Each
 * host calls `runKernelWorker(data, post)` with the start message and a function that posts to the
 * main thread. The instance shares the main thread's memory; its own scratch region for packed
 * panels starts at data.workPointer. The control words are those of workerPool.ts. After reporting
 * ready it runs its share of the kernel warm-up (warmUp.ts) in its region at data.warmUpPointer.
 */
import { CONTROL, TASK_STRIDE } from './poolProtocol.js';
import { warmUpKernels } from './warmUp.js';

/** `function runKernelWorker(data, post) {...}`: claims and runs tasks until STOP is set. */
export const KERNEL_WORKER_FUNCTION = `
// esbuild with keepNames (tsx) wraps inner functions in __name(fn, "name"): a no-op here
const __name = (target) => target;
const warmUpKernels = ${warmUpKernels.toString()};
function runKernelWorker(data, post) {
  const { module, memory, control, taskTable, workPointer, warmUpPointer, kernels, index, count } = data;
  const instance = new WebAssembly.Instance(module, { env: { memory, abort() { throw new Error('wasm kernel aborted'); } } });
  const functions = kernels.map((k) => instance.exports[k.name]);
  const hasWork = kernels.map((k) => k.hasWork);
  const words = new Int32Array(control);
  const tasks = new Float64Array(taskTable);
  let generation = 0;
  post({ ready: true });
  // after ready, so that the main thread goes on (a task posted meanwhile waits for it)
  if (warmUpPointer !== 0) {
    try {
      warmUpKernels(instance.exports, memory, warmUpPointer, workPointer, index, count);
    } catch {
      // speed only: a kernel that fails here fails its real call too, and that one is reported
    }
  }
  for (;;) {
    Atomics.wait(words, ${CONTROL.GENERATION}, generation);
    generation = Atomics.load(words, ${CONTROL.GENERATION});
    if (Atomics.load(words, ${CONTROL.STOP}) !== 0) break;
    const taskCount = Atomics.load(words, ${CONTROL.COUNT});
    const isTeam = Atomics.load(words, ${CONTROL.TEAM}) !== 0;
    for (;;) {
      const t = isTeam ? 0 : Atomics.add(words, ${CONTROL.NEXT}, 1);
      if (t >= taskCount) break;
      const base = t * ${TASK_STRIDE};
      const id = tasks[base];
      const fn = functions[id];
      const args = [];
      const extra = (hasWork[id] ? 1 : 0) + (isTeam ? 2 : 0);
      for (let i = 1; i <= fn.length - extra; i++) args.push(tasks[base + i]);
      if (isTeam) args.push(index, count);
      if (hasWork[id]) args.push(workPointer);
      try {
        fn(...args);
      } catch (error) {
        post({ error: String(error && error.stack || error) });
        Atomics.store(words, ${CONTROL.FAILED}, 1);
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
    if (Atomics.sub(words, ${CONTROL.ACTIVE}, 1) === 1) Atomics.notify(words, ${CONTROL.ACTIVE});
  }
}
`;
