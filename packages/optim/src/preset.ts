import type { Preset } from '@dstft/core';
import { adam } from './adam.js';
import { adamw } from './adamw.js';
import { lbfgs } from './lbfgs.js';
import { sgd } from './sgd.js';

/**
 * Every built-in optimizer, as data: `createRegistry().use(optimPreset)`. Importing this package registers
 * nothing (sideEffects: false); only a registry you create holds plugins.
 */
export const optimPreset = {
  name: '@dstft/optim',
  plugins: [sgd, adam, adamw, lbfgs],
} as const satisfies Preset;
