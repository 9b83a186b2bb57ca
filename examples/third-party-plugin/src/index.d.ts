import type { LossPlugin, Preset, WindowPlugin } from '@dstft/core';

export interface CosinePowerParams {
  /** Exponent p of cos(πu)^p, 2 ≤ p ≤ 64 (default 4; 2 is the Hann window). */
  readonly power: number;
}

export interface L1L2Options {
  /** How the per-signal losses are combined over a batch (default 'mean'). */
  readonly reduction: 'mean' | 'sum';
}

declare module '@dstft/core' {
  interface WindowParamsMap {
    'acme/cosine-power': CosinePowerParams;
  }
}

/** The power-of-cosine window, id `acme/cosine-power`. */
export declare const cosinePower: WindowPlugin<CosinePowerParams>;
/** The L1/L2 sparsity loss, id `acme/l1-l2`. */
export declare const l1l2: LossPlugin<L1L2Options>;
/** Both plugins, for `registry.use()` and `dstft --plugin`. */
declare const preset: Preset;
export default preset;
