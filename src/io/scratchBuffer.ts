/**
 * One reusable byte buffer for reading tensors in turn: `esdlab analyze` reads every tensor into the
 * same memory, so the peak stays at the largest tensor instead of depending on when the garbage
 * collector frees the previous one (typed-array memory lives outside the JS heap and is collected late).
 */
export class ScratchBuffer {
  private buffer: ArrayBuffer | null = null;

  /** @param initialBytes bytes to allocate on first use (e.g. the largest tensor's decoded size). */
  constructor(private readonly initialBytes = 0) {}

  /**
   * A view of the first `byteLength` bytes (8-aligned, contents undefined). It stays valid until
   * the next call: whoever uses a tensor read into it must be done with it before the next read.
   */
  bytes(byteLength: number): Uint8Array {
    if (!this.buffer || this.buffer.byteLength < byteLength) this.buffer = new ArrayBuffer(Math.max(byteLength, this.initialBytes));
    return new Uint8Array(this.buffer, 0, byteLength);
  }
}
