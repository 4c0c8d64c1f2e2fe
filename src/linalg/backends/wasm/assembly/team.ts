// A barrier for a team of threads that all run the same kernel call (one per worker, see
// WorkerPool.runTeam), over two i32 words in shared memory that the caller zeroes before the team
// starts: [arrivals, released]. Arrivals only ever grow (no reset to race with), and each thread
// counts its own barriers in `passed`, a wasm global and so private to its module instance: the
// k-th barrier is complete once arrivals reach k * count. Threads spin briefly before sleeping in
// memory.atomic.wait32, because the phases between barriers of the tridiagonalization are often
// only microseconds long and a futex round trip costs more.

/** Spins (atomic loads) before a waiting thread sleeps. */
// @ts-ignore: decorator
@inline const SPINS: i32 = 20000;

/** Barriers this thread has passed in the current team call. */
let passed: i32 = 0;

/** Starts a team call: every thread of the team calls this first. */
export function barrierStart(): void {
  passed = 0;
}

/** Blocks until all `count` threads of the team have called barrier as often as this one. */
export function barrier(words: usize, count: i32): void {
  if (count <= 1) return;
  const target = ++passed;
  if (atomic.add<i32>(words, 1) + 1 == target * count) {
    atomic.store<i32>(words, target, 4);
    atomic.notify(words + 4, count);
    return;
  }
  for (let spin = 0; spin < SPINS; spin++) {
    if (atomic.load<i32>(words, 4) >= target) return;
  }
  for (let released = atomic.load<i32>(words, 4); released < target; released = atomic.load<i32>(words, 4)) {
    memory.atomic.wait32(words + 4, released, -1);
  }
}
