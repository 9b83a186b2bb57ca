/**
 * FFT adapter of the kernel. Power-of-two sizes run on fft.js (wrapped in fftjs.ts, its only importer),
 * every other size on Bluestein's algorithm; all exact in float64. Plans are not reentrant.
 */
export { MAX_FFT_SIZE, createComplexFftPlan, createRealFftPlan, defaultFftBackend } from './fft-plan.js';
export type { ComplexFftPlan, FftAlgorithm, RealFftPlan } from './fft-plan.js';
export { createFftPlanCache } from './plan-cache.js';
export { fftjsPlugin, kernelPreset } from './fft-plugin.js';
export type { FftPlanCache } from './plan-cache.js';
