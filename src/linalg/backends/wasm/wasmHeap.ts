import { InputError } from '../../../errors.js';
import type { FloatArray } from '../../matrix.js';

const PAGE_BYTES = 65536;
/** wasm32 addresses 4 GiB: 65536 pages of 64 KiB. */
const MAX_PAGES = 65536;
const ALIGN = 64;

/**
 * The shared wasm memory as seen from the main thread: fixed scratch regions (one per thread) at
 * the bottom, then an arena that each backend call fills from its base with its operands and frees
 * all at once with `reset` (calls are serialized, so the arena is never shared by two calls).
 * Operands are copied in and results copied out: O(n^2) copies against the O(n^3) work of GEMM and
 * eigensolvers (about 5 ms of 150 ms for the 2000x1000x1500 f32 GEMM). The memory grows on demand
 * up to the wasm32 limit of 4 GiB and never shrinks (shared memories cannot); dispose drops it.
 */
export class WasmHeap {
  private top: number;

  constructor(
    readonly memory: WebAssembly.Memory,
    private readonly arenaBase: number,
  ) {
    this.top = arenaBase;
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

  /** Frees everything allocated since the last reset. */
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
