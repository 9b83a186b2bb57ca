import { API_VERSION, markBuiltin, type ParamGroup } from '@dstft/core';
import { adamDefaults, createAdam, type AdamOptions, type AdamPlugin } from './adam.js';

const adamwDefaultValues = adamDefaults(0.01);

/**
 * AdamW (Loshchilov & Hutter): Adam with decoupled weight decay, `x ← x·(1 - lr·factor(t)·λ)` before the
 * Adam step (PyTorch's convention; default λ = 0.01). In natural units this shrinks window lengths towards 0
 * by lr·λ·x samples per step (1% of x with the defaults); set `weightDecay: 0` unless you want that pull.
 */
export const adamw: AdamPlugin = markBuiltin({
  kind: 'optimizer',
  id: 'adamw',
  apiVersion: API_VERSION,
  defaults: adamwDefaultValues,
  create: (groups: readonly ParamGroup[], options: AdamOptions) => createAdam('adamw', adamwDefaultValues, groups, options),
});
