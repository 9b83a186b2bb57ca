/**
 * The built-in FFT backend as a registry plugin (kind `fft`, id `fftjs`): every default registry holds it, so
 * `createDstft({ ..., fft: 'fftjs' })` and the absence of `fft` select the same exact float64 backend.
 */
import { API_VERSION, markBuiltin, type FftPlugin, type Preset } from '@dstft/core';
import { defaultFftBackend } from './fft-plan.js';

export const fftjsPlugin: FftPlugin = markBuiltin({
  kind: 'fft',
  id: 'fftjs',
  apiVersion: API_VERSION,
  description: `exact float64 (fft.js for powers of two, Bluestein otherwise); ${defaultFftBackend.sizes}`,
  backend: defaultFftBackend,
});

/** The kernel's plugins, as data: `createRegistry().use(kernelPreset)`. */
export const kernelPreset = { name: '@dstft/kernel', plugins: [fftjsPlugin] } as const satisfies Preset;
