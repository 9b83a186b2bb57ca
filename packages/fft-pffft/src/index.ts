/**
 * @dstft/fft-pffft: an opt-in float32 FFT backend for dstft-ts, PFFFT compiled to WebAssembly with SIMD.
 * Register it and select it by id: `createDstft({ ...options, fft: 'pffft' }, { registry:
 * createDefaultRegistry().use(await loadPffftPlugin()) })` (or pass the backend object: `{ fft: await
 * loadPffftBackend() }`). The default of every transform stays the exact float64 FFT of `@dstft/kernel`.
 */
import { loadPffftBackend } from './pffft-backend.js';

export { loadPffftPlugin, type PffftPlugin } from './plugin.js';
export { PFFFT_MAX_SIZE, PFFFT_SIZES, loadPffftBackend, pffftSupports, type PffftBackend, type PffftRealPlan } from './pffft-backend.js';

/**
 * The loader, as the default export, kept for code that imports it that way. `@dstft/parallel` does not call it: for
 * `createParallelDstft({ ...options, fft: 'pffft' })` every thread imports `@dstft/fft-pffft/plugin` (ready.ts).
 */
export default loadPffftBackend;
