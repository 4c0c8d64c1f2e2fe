// A barrier for a team of threads that all run the same kernel call (one per worker, see
// WorkerPool.runTeam), over two i32 words in shared memory: [arrived, generation]. Threads spin
// briefly before sleeping in memory.atomic.wait32, because the phases between barriers of the
// tridiagonalization are often only microseconds long and a futex round trip costs more.

/** Spins (atomic loads) before a waiting thread sleeps. */
// @ts-ignore: decorator
@inline const SPINS: i32 = 20000;

/** Blocks until all `count` threads of the team have called barrier on the same words. */
export function barrier(words: usize, count: i32): void {
  if (count <= 1) return;
  const generation = atomic.load<i32>(words, 4);
  if (atomic.add<i32>(words, 1) == count - 1) {
    atomic.store<i32>(words, 0);
    atomic.add<i32>(words, 1, 4);
    atomic.notify(words + 4, count);
    return;
  }
  for (let spin = 0; spin < SPINS; spin++) {
    if (atomic.load<i32>(words, 4) != generation) return;
  }
  while (atomic.load<i32>(words, 4) == generation) memory.atomic.wait32(words + 4, generation, -1);
}
