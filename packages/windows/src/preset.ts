import type { Preset } from '@dstft/core';
import { blackman } from './blackman.js';
import { gaussian } from './gaussian.js';
import { hamming } from './hamming.js';
import { hann } from './hann.js';
import { kaiser } from './kaiser.js';

/**
 * Every built-in window, as data: `createRegistry().use(windowsPreset)`. Importing this package registers
 * nothing (sideEffects: false); only a registry you create holds plugins.
 */
export const windowsPreset = {
  name: '@dstft/windows',
  plugins: [hann, gaussian, blackman, hamming, kaiser],
} as const satisfies Preset;
