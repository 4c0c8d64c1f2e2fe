import { InputError } from '../errors.js';

/**
 * xoshiro128** 1.1 (Blackman & Vigna, 2018): 128 bits of state, period 2^128 - 1, 32-bit outputs.
 * Chosen because it needs only 32-bit integer operations (Math.imul, shifts), which JavaScript
 * performs exactly, so the same seed gives the same bits on every platform, engine and backend.
 * Seeding runs SplitMix64 (emulated in 32-bit halves) over the seed, as the authors recommend.
 */
export class Generator {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spareNormal = 0;
  private hasSpareNormal = false;

  /** A generator from a 64-bit seed given as two 32-bit halves (high, low). */
  constructor(seedHigh: number, seedLow: number) {
    const mixer = new SplitMix64(seedHigh >>> 0, seedLow >>> 0);
    this.s0 = mixer.next32();
    this.s1 = mixer.next32();
    this.s2 = mixer.next32();
    this.s3 = mixer.next32();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1; // all-zero state is the one fixed point
  }

  /** A generator with the given raw xoshiro128** state (for tests and reproducing published vectors). */
  static fromState(s0: number, s1: number, s2: number, s3: number): Generator {
    const g = new Generator(0, 0);
    g.s0 = s0 | 0;
    g.s1 = s1 | 0;
    g.s2 = s2 | 0;
    g.s3 = s3 | 0;
    return g;
  }

  /** The full state (xoshiro words and the cached normal), for a checkpoint; restore with fromSnapshot. */
  snapshot(): GeneratorState {
    return { words: [this.s0 | 0, this.s1 | 0, this.s2 | 0, this.s3 | 0], spareNormal: this.hasSpareNormal ? this.spareNormal : null };
  }

  /** A generator continuing exactly where the one that took `state` was. */
  static fromSnapshot(state: GeneratorState): Generator {
    const [s0, s1, s2, s3] = state.words;
    const g = Generator.fromState(s0, s1, s2, s3);
    g.hasSpareNormal = state.spareNormal !== null;
    g.spareNormal = state.spareNormal ?? 0;
    return g;
  }

  /** Replaces this generator's state with `state` (continues exactly where its owner was). */
  restore(state: GeneratorState): void {
    const other = Generator.fromSnapshot(state);
    this.s0 = other.s0;
    this.s1 = other.s1;
    this.s2 = other.s2;
    this.s3 = other.s3;
    this.hasSpareNormal = other.hasSpareNormal;
    this.spareNormal = other.spareNormal;
  }

  /** The next uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** A uniform double in [0, 1) with 53 random bits. */
  nextDouble(): number {
    const high = this.nextUint32() >>> 5; // 27 bits
    const low = this.nextUint32() >>> 6; // 26 bits
    return (high * 67108864 + low) / 9007199254740992;
  }

  /** A uniform integer in [0, n), unbiased (rejection), for n <= 2^32. */
  nextInt(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > 4294967296) throw new InputError(`nextInt needs an integer bound in [1, 2^32], got ${n}`);
    const limit = 4294967296 - (4294967296 % n);
    for (;;) {
      const x = this.nextUint32();
      if (x < limit) return x % n;
    }
  }

  /**
   * A standard normal draw by Marsaglia's polar method. It uses only +, -, *, / and sqrt, which
   * IEEE 754 rounds exactly, plus a logarithm built from those (deterministicLog), so the bits do
   * not depend on the platform's Math.log.
   */
  nextNormal(): number {
    if (this.hasSpareNormal) {
      this.hasSpareNormal = false;
      return this.spareNormal;
    }
    for (;;) {
      const u = 2 * this.nextDouble() - 1;
      const v = 2 * this.nextDouble() - 1;
      const s = u * u + v * v;
      if (s >= 1 || s === 0) continue;
      const factor = Math.sqrt((-2 * deterministicLog(s)) / s);
      this.spareNormal = v * factor;
      this.hasSpareNormal = true;
      return u * factor;
    }
  }

  /**
   * Fills `out` with N(mean, std^2) draws and returns it: exactly `mean + std * nextNormal()` for
   * each entry in turn (same draws, same spare), with the generator's words in locals and the polar
   * pairs written straight into `out`. Calling nextNormal per entry boxed every double it returned
   * (a heap allocation per draw, and a garbage collection every few hundred thousand); this loop
   * allocates nothing and is the hot path of every problem draw.
   */
  fillNormal<A extends Float32Array | Float64Array>(out: A, mean = 0, std = 1): A {
    const length = out.length;
    let i = 0;
    if (length > 0 && this.hasSpareNormal) {
      this.hasSpareNormal = false;
      out[i++] = mean + std * this.spareNormal;
    }
    let s0 = this.s0;
    let s1 = this.s1;
    let s2 = this.s2;
    let s3 = this.s3;
    while (i < length) {
      let u = 0;
      let v = 0;
      let s = 0;
      do {
        // four nextUint32 draws (nextDouble twice), inlined
        let t = s1 << 9;
        const r0 = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl(s3, 11);
        t = s1 << 9;
        const r1 = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl(s3, 11);
        t = s1 << 9;
        const r2 = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl(s3, 11);
        t = s1 << 9;
        const r3 = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl(s3, 11);
        u = 2 * (((r0 >>> 5) * 67108864 + (r1 >>> 6)) / 9007199254740992) - 1;
        v = 2 * (((r2 >>> 5) * 67108864 + (r3 >>> 6)) / 9007199254740992) - 1;
        s = u * u + v * v;
      } while (s >= 1 || s === 0);
      const factor = Math.sqrt((-2 * deterministicLog(s)) / s);
      out[i++] = mean + std * (u * factor);
      if (i < length) out[i++] = mean + std * (v * factor);
      else {
        this.spareNormal = v * factor;
        this.hasSpareNormal = true;
      }
    }
    this.s0 = s0;
    this.s1 = s1;
    this.s2 = s2;
    this.s3 = s3;
    return out;
  }

  /** Fills `out` with U[0, 1) draws and returns it. */
  fillUniform<A extends Float32Array | Float64Array>(out: A): A {
    for (let i = 0; i < out.length; i++) out[i] = this.nextDouble();
    return out;
  }

  /** Shuffles `array` in place (Fisher-Yates) and returns it. */
  shuffle<T extends { length: number; [i: number]: unknown }>(array: T): T {
    for (let i = array.length - 1; i > 0; i--) {
      const j = this.nextInt(i + 1);
      const tmp = array[i];
      array[i] = array[j];
      array[j] = tmp;
    }
    return array;
  }

  /** A permutation of 0..n-1. */
  permutation(n: number): Uint32Array {
    const p = new Uint32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    return this.shuffle(p);
  }
}

/** A generator's complete state (plain JSON data). */
export interface GeneratorState {
  readonly words: readonly [number, number, number, number];
  /** The second normal of the last polar pair, not handed out yet, or null. */
  readonly spareNormal: number | null;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** SplitMix64 on 32-bit halves: state += 0x9E3779B97F4A7C15, then the mix13 finalizer. */
export class SplitMix64 {
  constructor(
    private high: number,
    private low: number,
  ) {}

  /** The next 64-bit output as [high, low] unsigned 32-bit halves. */
  next64(): [number, number] {
    const low = (this.low + 0x7f4a7c15) >>> 0;
    const carry = low < this.low ? 1 : 0;
    this.high = (this.high + 0x9e3779b9 + carry) >>> 0;
    this.low = low;
    let h = this.high;
    let l = this.low;
    [h, l] = xorShiftRight(h, l, 30);
    [h, l] = multiply64(h, l, 0xbf58476d, 0x1ce4e5b9);
    [h, l] = xorShiftRight(h, l, 27);
    [h, l] = multiply64(h, l, 0x94d049bb, 0x133111eb);
    [h, l] = xorShiftRight(h, l, 31);
    return [h >>> 0, l >>> 0];
  }

  /** One 32-bit word: the high half of the next 64-bit output. */
  next32(): number {
    return this.next64()[0];
  }
}

function xorShiftRight(h: number, l: number, k: number): [number, number] {
  // (h:l) ^ ((h:l) >>> k), for 0 < k < 32
  const sl = ((l >>> k) | (h << (32 - k))) >>> 0;
  const sh = h >>> k;
  return [(h ^ sh) >>> 0, (l ^ sl) >>> 0];
}

function multiply64(ah: number, al: number, bh: number, bl: number): [number, number] {
  // low 64 bits of (ah:al) * (bh:bl), exact with 16-bit limbs
  const a0 = al & 0xffff, a1 = al >>> 16, a2 = ah & 0xffff, a3 = ah >>> 16;
  const b0 = bl & 0xffff, b1 = bl >>> 16, b2 = bh & 0xffff, b3 = bh >>> 16;
  let c0 = a0 * b0;
  let c1 = (c0 >>> 16) + a1 * b0;
  let c2 = c1 >>> 16;
  c1 = (c1 & 0xffff) + a0 * b1;
  c2 += c1 >>> 16;
  c2 += a2 * b0;
  let c3 = c2 >>> 16;
  c2 = (c2 & 0xffff) + a1 * b1;
  c3 += c2 >>> 16;
  c2 = (c2 & 0xffff) + a0 * b2;
  c3 += c2 >>> 16;
  c3 += a3 * b0 + a2 * b1 + a1 * b2 + a0 * b3;
  c0 &= 0xffff;
  c1 &= 0xffff;
  c2 &= 0xffff;
  c3 &= 0xffff;
  return [((c3 << 16) | c2) >>> 0, ((c1 << 16) | c0) >>> 0];
}

const LN2_HIGH = 6.93147180369123816490e-1; // fdlibm's split of ln 2: LN2_HIGH is exact in 32 bits
const LN2_LOW = 1.90821492927058770002e-10;

/**
 * Natural logarithm from +, -, *, / only (so its bits are the same on every platform), for the
 * normal sampler. x = m * 2^e with m in [sqrt(1/2), sqrt(2)); ln m = 2 atanh(f), f = (m-1)/(m+1),
 * |f| < 0.1716, summed to f^23 (the next term is below 2^-60 relative). Accurate to about 1 ulp.
 */
export function deterministicLog(x: number): number {
  if (!(x > 0) || x === Infinity) return Math.log(x); // NaN, 0, negative, Inf: exact special values
  let e = 0;
  let m = x;
  while (m >= 1.4142135623730951) {
    m *= 0.5;
    e++;
  }
  while (m < 0.7071067811865476) {
    m *= 2;
    e--;
  }
  const f = (m - 1) / (m + 1);
  const f2 = f * f;
  // Horner from 1/23 down to 1/1, unrolled, with 1/k written as the doubles the loop
  // `series = 1 / k + f2 * series` computed per call (String(1 / k) round-trips exactly), so the same bits
  let series = 0.043478260869565216;
  series = 0.047619047619047616 + f2 * series;
  series = 0.05263157894736842 + f2 * series;
  series = 0.058823529411764705 + f2 * series;
  series = 0.06666666666666667 + f2 * series;
  series = 0.07692307692307693 + f2 * series;
  series = 0.09090909090909091 + f2 * series;
  series = 0.1111111111111111 + f2 * series;
  series = 0.14285714285714285 + f2 * series;
  series = 0.2 + f2 * series;
  series = 0.3333333333333333 + f2 * series;
  series = 1 + f2 * series;
  return e * LN2_HIGH + (e * LN2_LOW + 2 * f * series);
}

