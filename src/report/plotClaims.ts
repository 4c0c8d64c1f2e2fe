/**
 * Figures of one report shared out between two threads without messages: one Int32 word in a
 * SharedArrayBuffer holds the next index from the front (low 16 bits) and the end of the unclaimed
 * range (high 16 bits). The plot worker claims from the front, the calling thread from the back,
 * each with a compare-and-swap, so every figure is drawn exactly once and neither thread waits for
 * the other to hand out work.
 */

/** A claims word for `count` figures (count < 32768). */
export function createClaims(count: number): Int32Array {
  if (!Number.isInteger(count) || count < 0 || count >= 32768) throw new RangeError(`createClaims: count must be an integer in [0, 32768), got ${count}`);
  const words = new Int32Array(new SharedArrayBuffer(4));
  words[0] = count << 16;
  return words;
}

/** The next unclaimed index, from the front or the back, or -1 when none is left. */
export function claimFigure(words: Int32Array, fromFront: boolean): number {
  for (;;) {
    const old = Atomics.load(words, 0);
    const front = old & 0xffff;
    const back = old >>> 16;
    if (front >= back) return -1;
    const next = fromFront ? (back << 16) | (front + 1) : ((back - 1) << 16) | front;
    if (Atomics.compareExchange(words, 0, old, next) === old) return fromFront ? front : back - 1;
  }
}

/** How many figures were claimed from the front so far (the plot worker's). */
export function claimedFromFront(words: Int32Array): number {
  return Atomics.load(words, 0) & 0xffff;
}
