/**
 * @dstft/fft-pffft: an opt-in float32 FFT backend for dstft-ts, PFFFT compiled to WebAssembly with SIMD.
 * `createDstft(options, { fft: await loadPffftBackend() })`. The default of every transform stays the exact
 * float64 FFT of `@dstft/kernel`.
 */
import { loadPffftBackend } from './pffft-backend.js';

export { PFFFT_MAX_SIZE, PFFFT_SIZES, loadPffftBackend, pffftSupports, type PffftBackend, type PffftRealPlan } from './pffft-backend.js';

/** The loader, as the default export: what `createParallelDstft(options, { fft: 'pffft' })` has every thread call. */
export default loadPffftBackend;
