/**
 * Call-boundary checks shared by the FFT plans (internal to src/fft). O(1) each: a length compare and a
 * buffer-range compare. They allocate only on the throwing path.
 */
import { ParameterError, ShapeError } from '@dstft/core';

/** True for 1, 2, 4, 8, … (n a positive safe integer). */
export function isPowerOfTwo(n: number): boolean {
  return n >= 1 && Number.isSafeInteger(n) && (n & (n - 1)) === 0 && n <= 0x40000000;
}

/** Throws a ShapeError unless `array.length === expected`. */
export function assertLength(name: string, array: Float64Array, expected: number, what: string): void {
  if (array.length !== expected) {
    throw new ShapeError(
      name,
      array,
      `expected length ${expected} (${what})`,
      `pass a Float64Array of exactly ${expected} values, or use a plan built for this size`,
    );
  }
}

/** Throws a ParameterError when `out` shares any memory with `input` (same array or overlapping views). */
export function assertNoOverlap(input: Float64Array, out: Float64Array): void {
  if (input.buffer !== out.buffer) return;
  const a0 = input.byteOffset;
  const b0 = out.byteOffset;
  if (a0 < b0 + out.byteLength && b0 < a0 + input.byteLength) {
    throw new ParameterError(
      'out',
      out,
      'shares memory with input (FFT plans do not transform in place)',
      'pass a separate output Float64Array that does not overlap the input',
    );
  }
}
