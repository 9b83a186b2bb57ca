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

/** The per-call check of a transform: `input` and `out` do not overlap and have the plan's lengths. */
export type TransformCheck = (input: Float64Array, out: Float64Array) => void;

function transformCheck(inLength: number, inWhat: string, outLength: number, outWhat: string): TransformCheck {
  return (input, out) => {
    assertNoOverlap(input, out);
    assertLength('input', input, inLength, inWhat);
    assertLength('out', out, outLength, outWhat);
  };
}

/** The check of both directions of a complex plan of size n: 2n interleaved values in and out. */
export function complexPlanCheck(n: number): TransformCheck {
  const what = `2 × ${n} interleaved complex values`;
  return transformCheck(2 * n, what, 2 * n, what);
}

/** The checks of a real plan of size n with `bins` one-sided bins: forward (signal → bins) and inverse. */
export function realPlanChecks(n: number, bins: number): { readonly forward: TransformCheck; readonly inverse: TransformCheck } {
  const signalWhat = `the signal length N = ${n} of this plan`;
  const spectrumWhat = `2 × ${bins} interleaved one-sided bins`;
  return {
    forward: transformCheck(n, signalWhat, 2 * bins, spectrumWhat),
    inverse: transformCheck(2 * bins, spectrumWhat, n, signalWhat),
  };
}
