import { InputError } from '../../../errors.js';
import type { FloatArray } from '../../matrix.js';

const PAGE_BYTES = 65536;
/** wasm32 addresses 4 GiB: 65536 pages of 64 KiB. */
const MAX_PAGES = 65536;
const ALIGN = 64;

/**
 * The shared wasm memory as seen from the main thread: fixed scratch regions (one per thread) at
 * the bottom, then the reservations (Backend.reserve: arrays that live across calls), then an
 * arena that each backend call fills from its base with its operands and frees all at once with
 * `reset` (calls are serialized, so the arena is never shared by two calls). Operands are copied
 * in and results copied out, except arrays in a reservation, which calls use in place (`operand`,
 * `output`): a training step's copies (X, W in; Z out and in and out again; dL/dW out, about 76 MB
 * at paper size) cost more main-thread time than its elementwise work. Reservations are released
 * in any order; the arena moves down past the released ones on top. The memory grows on demand up
 * to the wasm32 limit of 4 GiB and never shrinks (shared memories cannot); views of a shared memory
 * stay valid when it grows, which is why only a shared memory offers reservations.
 */
export class WasmHeap {
  private top: number;
  /** Where the arena starts: above the fixed regions and the reservations. */
  private arenaBase: number;
  /** Reservations (Backend.reserve) in address order, each [start, end, released]. */
  private readonly reservations: { start: number; end: number; released: boolean }[] = [];
  /**
   * The end of the highest block ever allocated: the memory above it was never written (the
   * fixed regions are below the arena) and holds the zeros of a fresh memory.
   */
  private highWater: number;
  /** Every buffer object the memory has handed out for a reservation's views (a shared memory hands out a new one after it grows). */
  private readonly residentBuffers = new WeakSet<ArrayBufferLike>();

  constructor(
    readonly memory: WebAssembly.Memory,
    arenaBase: number,
  ) {
    this.arenaBase = arenaBase;
    this.top = arenaBase;
    this.highWater = arenaBase;
  }

  /**
   * Whether views of this memory stay valid when it grows: only a shared memory's do (a
   * non-shared buffer detaches on growth), so only a shared memory offers reservations.
   */
  get canReserve(): boolean {
    return typeof SharedArrayBuffer !== 'undefined' && this.memory.buffer instanceof SharedArrayBuffer;
  }

  /**
   * Reserves `bytes` between the fixed regions and the arena (the arena moves up) and returns its
   * start address and where its never-written part begins (see residentView). Only between calls:
   * the arena must be empty.
   */
  reserve(bytes: number, what: string): { start: number; clean: number } {
    if (this.top !== this.arenaBase) throw new Error('WasmHeap.reserve during a call');
    const start = this.arenaBase;
    const clean = Math.max(start, this.highWater);
    this.allocate(bytes, what);
    this.arenaBase = this.top;
    this.reservations.push({ start, end: this.top, released: false });
    return { start, clean };
  }

  /**
   * A zero-filled view of `length` values of `dtype` at `address` in the reservation that starts
   * at `start`, which the arena-copy helpers recognize. Only the part below `clean` (memory used
   * before, returned by reserve) is filled: above it the memory is still the fresh memory's zeros,
   * and writing them would only touch its pages a second time.
   */
  residentView(address: number, length: number, dtype: 'f32' | 'f64', clean: number): FloatArray {
    const buffer = this.memory.buffer;
    this.residentBuffers.add(buffer);
    const view = dtype === 'f32' ? new Float32Array(buffer, address, length) : new Float64Array(buffer, address, length);
    const dirty = Math.max(0, Math.min(length, Math.ceil((clean - address) / view.BYTES_PER_ELEMENT)));
    if (dirty > 0) view.fill(0, 0, dirty);
    return view;
  }

  /** Gives back the reservation that starts at `start` (between calls); the arena moves down past every released one on top. */
  unreserve(start: number): void {
    if (this.top !== this.arenaBase) throw new Error('WasmHeap.unreserve during a call');
    const reservation = this.reservations.find((r) => r.start === start && !r.released);
    if (!reservation) return;
    reservation.released = true;
    while (this.reservations.length > 0 && this.reservations[this.reservations.length - 1]!.released) {
      this.arenaBase = this.reservations.pop()!.start;
    }
    this.top = this.arenaBase;
  }

  /** Whether `values` is a view of a reservation of this memory (its byteOffset is its address). */
  isResident(values: FloatArray): boolean {
    return this.residentBuffers.has(values.buffer);
  }

  /** The address of an operand the call only reads: its own for a resident array, else a copy's in the arena. */
  operand(values: FloatArray, what: string): number {
    return this.isResident(values) ? values.byteOffset : this.copyIn(values, what);
  }

  /**
   * The address a call writes `target` at: its own for a resident array, else an arena block
   * (holding a copy of `target` when `isRead`, for in/out operands and beta != 0).
   */
  output(target: FloatArray, what: string, isRead: boolean): number {
    if (this.isResident(target)) return target.byteOffset;
    return isRead ? this.copyIn(target, what) : this.allocate(target.length * target.BYTES_PER_ELEMENT, what);
  }

  /** Copies the result at `address` into `target` unless the call wrote it in place (a resident target). */
  outputDone(address: number, target: FloatArray): void {
    if (this.isResident(target) && target.byteOffset === address) return;
    this.copyOut(address, target);
  }

  /** Reserves `bytes` (64-byte aligned) in the arena and returns its address; grows the memory if needed. */
  allocate(bytes: number, what: string): number {
    const address = this.top;
    const end = address + Math.ceil(bytes / ALIGN) * ALIGN;
    const have = this.memory.buffer.byteLength;
    if (end > have) {
      const pages = Math.ceil((end - have) / PAGE_BYTES);
      if (have / PAGE_BYTES + pages > MAX_PAGES) {
        const gib = (end / 2 ** 30).toFixed(2);
        throw new InputError(
          `the wasm backend needs ${gib} GiB for ${what}, over WebAssembly's 4 GiB memory limit; use smaller matrices or the native backend (--backend native)`,
        );
      }
      this.memory.grow(pages);
    }
    this.top = end;
    if (end > this.highWater) this.highWater = end;
    return address;
  }

  /** The arena's current top, for `release`: a synchronous call allocates above it and gives it back. */
  mark(): number {
    return this.top;
  }

  /** Frees what was allocated since `mark()` returned `top` (and nothing below it). */
  release(top: number): void {
    this.top = top;
  }

  /** Frees everything allocated since the last reset (reservations stay). */
  reset(): void {
    this.top = this.arenaBase;
  }

  /** A view of `length` values of the array's dtype at `address` (valid until the memory grows). */
  view(address: number, length: number, like: FloatArray): FloatArray {
    return like instanceof Float32Array
      ? new Float32Array(this.memory.buffer, address, length)
      : new Float64Array(this.memory.buffer, address, length);
  }

  /** Copies `values` into a new arena block and returns its address. */
  copyIn(values: FloatArray, what: string): number {
    const address = this.allocate(values.length * values.BYTES_PER_ELEMENT, what);
    this.view(address, values.length, values).set(values);
    return address;
  }

  /** Copies `target.length` values from `address` into `target`. */
  copyOut(address: number, target: FloatArray): void {
    target.set(this.view(address, target.length, target));
  }
}
