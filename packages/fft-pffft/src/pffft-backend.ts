/**
 * The PFFFT backend: real FFTs in float32 by PFFFT (Julien Pommier's SIMD FFT) compiled to WebAssembly with SIMD
 * (`@echogarden/pffft-wasm/simd`), behind the `FftBackend` / `RealFftPlan` interfaces of `@dstft/core`. Arrays in
 * and out stay Float64Array: each call converts the frame to float32 in WebAssembly memory, transforms it there and
 * converts the result back (the inverse applies 1/N in float64, before the one rounding of its input to float32).
 *
 * PFFFT's ordered real layout is [X_0.re, X_{N/2}.re, X_1.re, X_1.im, …, X_{N/2-1}.re, X_{N/2-1}.im] (DC and Nyquist
 * are real and share the first complex slot); the plans convert it to and from the one-sided interleaved layout of
 * `RealFftPlan` (F = N/2 + 1 bins, imaginary parts of bins 0 and N/2 written as 0 and ignored on input).
 *
 * Sizes: N = 32·2^a·3^b·5^c (the SIMD build's real transform needs N % 32 = 0, and only the radices 2, 3, 4, 5),
 * 32 ≤ N ≤ 2^24. Anything else is a ParameterError: no silent fallback to another FFT.
 */
import PFFFT, { type PffftWasmModule } from '@echogarden/pffft-wasm/simd';
import { ParameterError, ShapeError, StateError, type FftBackend, type RealFftPlan } from '@dstft/core';

/** Largest size taken (2^24): keeps a plan's buffers (≈ 5N floats) far below the 2 GiB WebAssembly heap. */
export const PFFFT_MAX_SIZE = 16_777_216;

/** The sizes PFFFT takes, in words. */
export const PFFFT_SIZES = 'N = 32·2^a·3^b·5^c up to 2^24 (32, 64, 96, 128, 160, 192, 256, 320, 384, 480, 512, …, 1024, …)';

/** Whether PFFFT (SIMD build, real transform) takes size n: 32 ≤ n ≤ 2^24, n % 32 = 0, n/32 a product of 2, 3 and 5. */
export function pffftSupports(n: number): boolean {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 32 || n > PFFFT_MAX_SIZE || n % 32 !== 0) return false;
  let k = n / 32;
  while (k % 2 === 0) k /= 2;
  while (k % 3 === 0) k /= 3;
  while (k % 5 === 0) k /= 5;
  return k === 1;
}

/** A real FFT plan of the PFFFT backend; `dispose()` frees its WebAssembly memory at once (else the GC does). */
export interface PffftRealPlan extends RealFftPlan {
  readonly algorithm: 'pffft';
  /** Frees the setup and buffers now; the plan throws a StateError afterwards. Idempotent. */
  dispose(): void;
}

/** The backend object returned by `loadPffftBackend()`: one WebAssembly instance, any number of plans. */
export interface PffftBackend extends FftBackend {
  readonly id: 'pffft';
  readonly precision: 'float32';
  readonly sizes: string;
  /** Whether the WebAssembly build uses SIMD (always true: the SIMD build is loaded). */
  readonly simd: boolean;
  createRealPlan(n: number): PffftRealPlan;
}

/** WebAssembly memory a plan owns: freed by `dispose()` or, when the plan is garbage collected, by the registry. */
interface Owned {
  setup: number;
  ptrs: number[];
}

function assertLength(name: string, array: unknown, expected: number, what: string): void {
  if (!(array instanceof Float64Array) || array.length !== expected) {
    throw new ShapeError(name, array, `expected a Float64Array of length ${expected} (${what})`, `pass exactly ${expected} values, or use a plan built for this size`);
  }
}

function assertNoOverlap(input: Float64Array, out: Float64Array): void {
  if (input.buffer !== out.buffer) return;
  const a0 = input.byteOffset;
  const b0 = out.byteOffset;
  if (a0 < b0 + out.byteLength && b0 < a0 + input.byteLength) {
    throw new ParameterError('out', out, 'shares memory with input (FFT plans do not transform in place)', 'pass a separate output Float64Array that does not overlap the input');
  }
}

function createPlan(mod: PffftWasmModule, n: number, registry: FinalizationRegistry<Owned>): PffftRealPlan {
  if (!pffftSupports(n)) {
    throw new ParameterError('n', n, `PFFFT does not take this size: it takes ${PFFFT_SIZES}`, 'use such a size (every power of two ≥ 32 works), or the exact float64 backend, which takes any size');
  }
  const setup = mod._pffft_new_setup(n, 0);
  if (setup === 0) throw new StateError(`PFFFT could not set up a real transform of size ${n} (out of WebAssembly memory?). Fix: use a smaller nFft`);
  // input, output and work: N floats each, 16-byte aligned, as PFFFT's SIMD code requires
  const ptrs = [mod._pffft_aligned_malloc(4 * n), mod._pffft_aligned_malloc(4 * n), mod._pffft_aligned_malloc(4 * n)];
  const owned: Owned = { setup, ptrs };
  if (ptrs.some((p) => p === 0)) {
    free(mod, owned);
    throw new StateError(`PFFFT could not allocate buffers for size ${n} (out of WebAssembly memory). Fix: use a smaller nFft, or fewer plans`);
  }
  const [pIn, pOut, pWork] = ptrs as [number, number, number];
  const bins = (n >> 1) + 1;
  const spectrumLength = 2 * bins;
  const invN = 1 / n;
  const signalWhat = `the signal length N = ${n} of this plan`;
  const spectrumWhat = `2 × ${bins} interleaved one-sided bins`;
  // Views into WebAssembly memory. Memory growth (a malloc by any plan of this backend) detaches the old
  // ArrayBuffer, so every call first checks that its views still sit on the current one.
  const state: { vin: Float32Array; vout: Float32Array; live: boolean } = { vin: new Float32Array(0), vout: new Float32Array(0), live: true };
  const views = (): void => {
    const buffer = mod.HEAPF32.buffer;
    if (state.vin.buffer !== buffer) {
      state.vin = new Float32Array(buffer, pIn, n);
      state.vout = new Float32Array(buffer, pOut, n);
    }
  };
  views();
  registry.register(state, owned, owned);

  /** Throws on a disposed plan; refreshes the views (WebAssembly memory may have grown). */
  function live(): void {
    if (!state.live) throw new StateError(`this PFFFT plan (size ${n}) was disposed. Fix: create a new plan with backend.createRealPlan(${n})`);
    views();
  }

  function check(input: Float64Array, inLength: number, inWhat: string, out: Float64Array, outLength: number, outWhat: string): void {
    live();
    assertLength('input', input, inLength, inWhat);
    assertLength('out', out, outLength, outWhat);
    assertNoOverlap(input, out);
  }

  /** The forward transform of what `vin` holds, into `out` (checked by the caller). */
  function transformForward(out: Float64Array): void {
    mod._pffft_transform_ordered(setup, pIn, pOut, pWork, 0);
    out.set(state.vout); // bins 1..N/2-1 land in place; slot 0 holds (X_0, X_{N/2})
    out[n] = out[1];
    out[n + 1] = 0;
    out[1] = 0;
  }

  /** The inverse transform of what `vin` holds (packed, scaled by 1/N), into `out` (checked by the caller). */
  function transformInverse(out: Float64Array): void {
    mod._pffft_transform_ordered(setup, pIn, pOut, pWork, 1);
    out.set(state.vout); // float32 → float64
  }

  function forward(input: Float64Array, out: Float64Array): void {
    check(input, n, signalWhat, out, spectrumLength, spectrumWhat);
    const vin = state.vin;
    for (let j = 0; j < n; j++) vin[j] = input[j]; // float64 → float32 (a loop measured faster than vin.set)
    transformForward(out);
  }

  function inverse(input: Float64Array, out: Float64Array): void {
    check(input, spectrumLength, spectrumWhat, out, n, signalWhat);
    const vin = state.vin;
    // bins 0..N/2-1 interleaved, Nyquist's real part in slot 1 (the imaginary parts of bins 0 and N/2 are not read),
    // scaled by 1/N in float64 before the one rounding to float32, so the scaling costs no precision
    for (let j = 0; j < n; j++) vin[j] = input[j] * invN;
    vin[1] = input[n] * invN;
    transformInverse(out);
  }

  function forwardFromInput(out: Float64Array): void {
    live();
    assertLength('out', out, spectrumLength, spectrumWhat);
    transformForward(out);
  }

  function inverseFromInput(out: Float64Array): void {
    live();
    assertLength('out', out, n, signalWhat);
    transformInverse(out);
  }

  function dispose(): void {
    if (!state.live) return;
    state.live = false;
    registry.unregister(owned);
    free(mod, owned);
  }

  return {
    size: n,
    bins,
    algorithm: 'pffft',
    forward,
    inverse,
    /** The float32 input buffer in WebAssembly memory (`RealFftPlan.input`): current view, fetched per call. */
    get input(): Float32Array {
      live();
      return state.vin;
    },
    forwardFromInput,
    inverseFromInput,
    dispose,
  };
}

function free(mod: PffftWasmModule, owned: Owned): void {
  for (const p of owned.ptrs) if (p !== 0) mod._pffft_aligned_free(p);
  owned.ptrs = [];
  if (owned.setup !== 0) mod._pffft_destroy_setup(owned.setup);
  owned.setup = 0;
}

/**
 * Loads PFFFT (WebAssembly, SIMD) and returns a float32 FFT backend for `createDstft(options, { fft })`,
 * `createStftPlan({ …, fft })` or direct use (`backend.createRealPlan(n)`). Each call instantiates its own
 * WebAssembly module: load once and share the backend. Plans are not reentrant (one per thread, as every plan).
 */
export async function loadPffftBackend(): Promise<PffftBackend> {
  let mod: PffftWasmModule;
  try {
    mod = await PFFFT();
  } catch (e) {
    throw new StateError(
      `could not load the PFFFT WebAssembly module (${e instanceof Error ? e.message : String(e)}). Fix: use a runtime with WebAssembly SIMD (Node ≥ 16.4, current browsers), or the exact float64 backend (omit fft)`,
    );
  }
  if (mod._pffft_simd_size() !== 4) {
    throw new StateError(`the PFFFT module reports SIMD width ${mod._pffft_simd_size()}, expected 4. Fix: reinstall @echogarden/pffft-wasm`);
  }
  const registry = new FinalizationRegistry<Owned>((owned) => free(mod, owned));
  return Object.freeze({
    id: 'pffft' as const,
    precision: 'float32' as const,
    sizes: PFFFT_SIZES,
    simd: true,
    supports: pffftSupports,
    createRealPlan: (n: number) => createPlan(mod, n, registry),
  });
}
