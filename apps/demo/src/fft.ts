/**
 * The registry the worker builds transforms with, per FFT backend. `fftjs` is in every default registry; `pffft`
 * (`@dstft/fft-pffft`, float32 WebAssembly) is imported and instantiated only the first time it is chosen, so the
 * default path neither downloads nor compiles the wasm. One registry per backend, loaded once and reused
 * (`createDstft` freezes the registry it is given, so the plugin is registered before the first transform).
 */
import { createDefaultRegistry, type CreateDstftExtras } from '@dstft/dstft';
import type { DemoFft } from './settings.js';

type Registry = NonNullable<CreateDstftExtras['registry']>;

let pffft: Promise<Registry> | null = null;

/** The registry holding the backend `fft`: undefined (createDstft's default registry) for fftjs. */
export async function registryFor(fft: DemoFft): Promise<Registry | undefined> {
  if (fft === 'fftjs') return undefined;
  pffft ??= import('@dstft/fft-pffft').then(async ({ loadPffftPlugin }) => createDefaultRegistry().use(await loadPffftPlugin()));
  try {
    return await pffft;
  } catch (e) {
    pffft = null; // let a later run try again (e.g. after a network error)
    throw e;
  }
}
