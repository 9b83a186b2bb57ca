export * from './types.js';
export { StftPlan, createStftPlan, MAX_SPECTROGRAM_ENTRIES, MAX_POWER } from './stft-plan.js';
export { stftForward, stftForwardFrames, resolveFrames, validateTheta, magnitude, sameFraction } from './stft-forward.js';
export { stftAdjoint } from './stft-adjoint.js';
export { stftInverse, type InverseOptions, type InverseResult, type InverseInput } from './istft.js';
export { computePositions, framesForHop, overlapFrameRange } from './frames.js';
export { MAX_FFT_SIZE, createRealFftPlan, createFftPlanCache, defaultFftBackend, type RealFftPlan } from './fft/index.js';
export type { FftBackend } from '@dstft/core';
