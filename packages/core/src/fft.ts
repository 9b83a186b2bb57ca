/**
 * The FFT backend interface (types only). The kernel ships the exact float64 backend and uses it by default;
 * other backends (e.g. `@dstft/fft-pffft`, float32 WebAssembly) implement this interface in their own package and
 * are chosen by the user when a transform is built, never silently.
 */

/**
 * FFT of a real signal of length N, one-sided output. Not reentrant: a plan owns scratch memory, so share one plan
 * between sequential calls only (one plan per thread).
 */
export interface RealFftPlan {
  /** N ≥ 2. */
  readonly size: number;
  /** F = floor(N/2) + 1 one-sided bins. */
  readonly bins: number;
  /** Backing implementation, for diagnostics (the kernel's built-in plans: `fftjs` or `bluestein`). */
  readonly algorithm: string;
  /**
   * `out` (length 2F, interleaved re/im): X[m] = Σ_{j=0}^{N-1} input[j] e^{-2πi m j/N}, m = 0..F-1.
   * `input` has length N. `out` must not overlap `input`. Every entry of `out` is written (the imaginary parts of
   * bin 0 and, for even N, of bin N/2 are written as 0).
   */
  forward(input: Float64Array, out: Float64Array): void;
  /**
   * Exact inverse of `forward`: `input` holds F one-sided bins (interleaved, length 2F) of a Hermitian
   * spectrum; out[j] = (1/N) Σ_{m=0}^{N-1} X[m] e^{+2πi m j/N} with X[N-m] = conj(X[m]), j = 0..N-1.
   * The imaginary parts of bin 0 and, for even N, of bin N/2 are ignored. `out` has length N and must
   * not overlap `input`.
   */
  inverse(input: Float64Array, out: Float64Array): void;
  /**
   * Optional, for backends that compute in float32: the plan's own input buffer (length N), so that a caller writes
   * samples or bins in the backend's precision directly instead of through a float64 array the plan copies from
   * (that copy is a float64 → float32 conversion loop, a large part of a frame's bookkeeping). Read it anew for each
   * call (a backend may move it). With it come both methods below (even N only).
   */
  readonly input?: Float32Array;
  /** `forward` of the N samples in `input`; `out` as `forward`'s. */
  forwardFromInput?(out: Float64Array): void;
  /**
   * `inverse` of the half spectrum in `input`, packed as [Re X_0, Re X_{N/2}, Re X_1, Im X_1, …, Re X_{N/2−1},
   * Im X_{N/2−1}] and already multiplied by 1/N; `out` (length N) as `inverse`'s.
   */
  inverseFromInput?(out: Float64Array): void;
}

/**
 * A source of real FFT plans. The transform asks `supports(nFft)` once, when it is built, and creates one plan per
 * thread with `createRealPlan(nFft)`; arrays in and out stay Float64Array whatever the precision inside.
 */
export interface FftBackend {
  /** Stable id, recorded in a transform's options (e.g. `fftjs`, `pffft`). */
  readonly id: string;
  /** Arithmetic precision of the transforms: `float64` (exact to rounding) or `float32` (about 1e-7 relative). */
  readonly precision: 'float32' | 'float64';
  /** The sizes `supports` accepts, in words, for error messages (e.g. `N = 32·2^a·3^b·5^c`). */
  readonly sizes?: string;
  /** Whether `createRealPlan(n)` works for this size. */
  supports(n: number): boolean;
  /** A new plan of size n (throws a ParameterError when `supports(n)` is false). */
  createRealPlan(n: number): RealFftPlan;
}
