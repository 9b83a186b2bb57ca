import type { Preset } from '@dstft/core';
import { bounds } from './bounds.js';
import { coverage } from './coverage.js';
import { kurtosis } from './kurtosis.js';
import { l2 } from './l2.js';
import { renyi } from './renyi.js';
import { shannon } from './shannon.js';
import { tfSmoothness } from './tf-smoothness.js';

/**
 * Every built-in loss and regularizer, as data: `createRegistry().use(lossesPreset)`. Importing this package
 * registers nothing (sideEffects: false); only a registry you create holds plugins.
 */
export const lossesPreset = {
  name: '@dstft/losses',
  plugins: [shannon, renyi, kurtosis, coverage, tfSmoothness, l2, bounds],
} as const satisfies Preset;
