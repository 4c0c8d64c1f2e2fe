/**
 * Conversions between 16-bit floats and 32-bit floats: IEEE 754 binary16 ("f16", numpy's float16,
 * safetensors' F16) and bfloat16 ("bf16", the top half of a binary32). Pure functions on typed arrays.
 */

let halfToFloatBits: Uint32Array | undefined;

/**
 * The binary32 bit pattern of every binary16 value, built once (256 KiB). Exact: every f16 value,
 * subnormals, infinities and NaN payloads included, is representable in f32.
 */
function halfTable(): Uint32Array {
  if (halfToFloatBits) return halfToFloatBits;
  const table = new Uint32Array(65536);
  for (let h = 0; h < 65536; h++) {
    const sign = (h & 0x8000) << 16;
    const exponent = (h >> 10) & 0x1f;
    let mantissa = h & 0x3ff;
    let bits: number;
    if (exponent === 0x1f) {
      bits = sign | 0x7f800000 | (mantissa << 13); // Inf or NaN (payload kept)
    } else if (exponent !== 0) {
      bits = sign | ((exponent + 112) << 23) | (mantissa << 13); // 127 - 15 = 112
    } else if (mantissa === 0) {
      bits = sign; // signed zero
    } else {
      // subnormal: normalize the mantissa
      let e = 113;
      while ((mantissa & 0x400) === 0) {
        mantissa <<= 1;
        e--;
      }
      bits = sign | (e << 23) | ((mantissa & 0x3ff) << 13);
    }
    table[h] = bits >>> 0;
  }
  halfToFloatBits = table;
  return table;
}

/** Converts binary16 bit patterns to f32 values (exact). `out` defaults to a new array. */
export function halfToFloat32(half: Uint16Array, out: Float32Array = new Float32Array(half.length)): Float32Array {
  const table = halfTable();
  const outBits = new Uint32Array(out.buffer, out.byteOffset, out.length);
  for (let i = 0; i < half.length; i++) outBits[i] = table[half[i]!]!;
  return out;
}

/** Converts bfloat16 bit patterns to f32 values (exact: a bf16 is the high 16 bits of an f32). */
export function bfloat16ToFloat32(bf16: Uint16Array, out: Float32Array = new Float32Array(bf16.length)): Float32Array {
  const outBits = new Uint32Array(out.buffer, out.byteOffset, out.length);
  for (let i = 0; i < bf16.length; i++) outBits[i] = bf16[i]! << 16;
  return out;
}

const scratch = new Float32Array(1);
const scratchBits = new Uint32Array(scratch.buffer);

/** One f32 value to the nearest binary16 bit pattern (round half to even; overflow to Inf; NaN kept NaN). */
export function float32ToHalfBits(value: number): number {
  scratch[0] = value;
  const x = scratchBits[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exponent = (x >>> 23) & 0xff;
  const mantissa = x & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa !== 0 ? 0x200 | (mantissa >>> 13) : 0);
  const e = exponent - 112; // rebias 127 -> 15
  if (e >= 0x1f) return sign | 0x7c00; // overflow
  if (e <= 0) {
    if (e < -10) return sign; // underflows to zero
    // subnormal: shift the full mantissa (with its hidden bit) right, rounding half to even
    const full = mantissa | 0x800000;
    const shift = 14 - e;
    let half = full >>> shift;
    const remainder = full & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    if (remainder > halfway || (remainder === halfway && (half & 1) === 1)) half++;
    return sign | half;
  }
  let half = (e << 10) | (mantissa >>> 13);
  const remainder = mantissa & 0x1fff;
  if (remainder > 0x1000 || (remainder === 0x1000 && (half & 1) === 1)) half++; // may carry into the exponent, correctly
  return sign | half;
}

/** Converts values to binary16 bit patterns (round half to even). */
export function float32ToHalf(values: ArrayLike<number>, out: Uint16Array = new Uint16Array(values.length)): Uint16Array {
  for (let i = 0; i < values.length; i++) out[i] = float32ToHalfBits(values[i]!);
  return out;
}

/** Converts values to bfloat16 bit patterns (round half to even on the dropped 16 bits; NaN kept NaN). */
export function float32ToBfloat16(values: ArrayLike<number>, out: Uint16Array = new Uint16Array(values.length)): Uint16Array {
  for (let i = 0; i < values.length; i++) {
    scratch[0] = values[i]!;
    const x = scratchBits[0]!;
    if ((x & 0x7f800000) === 0x7f800000 && (x & 0x7fffff) !== 0) {
      out[i] = (x >>> 16) | 0x40;
      continue;
    }
    const rounded = x + 0x7fff + ((x >>> 16) & 1);
    out[i] = (rounded >>> 16) & 0xffff;
  }
  return out;
}
