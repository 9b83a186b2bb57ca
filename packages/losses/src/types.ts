import type { LossPlugin, RegularizerPlugin } from '@dstft/core';

/** A built-in loss: its id is a literal type and its defaults are always present. */
export interface BuiltinLoss<Id extends string, O> extends LossPlugin<O> {
  readonly id: Id;
  readonly defaults: O;
}

/** A built-in regularizer: its id is a literal type and its defaults are always present. */
export interface BuiltinRegularizer<Id extends string, O> extends RegularizerPlugin<O> {
  readonly id: Id;
  readonly defaults: O;
}
