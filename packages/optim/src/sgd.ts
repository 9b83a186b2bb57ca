import {
  API_VERSION,
  ParameterError,
  assertInRange,
  assertPositive,
  markBuiltin,
  type OptimizerInstance,
  type OptimizerPlugin,
  type ParamGroup,
  type StepContext,
  type StepResult,
} from '@dstft/core';
import { checkContext, checkGrads, checkOptionKeys, resolveGroups } from './groups.js';
import { scheduleFactor, validateSchedule, type Schedule } from './schedule.js';

/** Options of `sgd`. `lr` has no default (see `sgd`); every other field defaults to `sgd.defaults`. */
export interface SgdOptions {
  /** Step = lr × gradient. Required unless every group sets its own `lr`. */
  readonly lr?: number;
  /** Momentum factor μ in [0, 1). */
  readonly momentum?: number;
  /** Nesterov momentum (needs momentum > 0 and dampening = 0). */
  readonly nesterov?: boolean;
  /** Dampening τ in [0, 1] of the gradient added to the momentum buffer. */
  readonly dampening?: number;
  /** L2 penalty λ: adds λ·value to the gradient (pulls values towards 0, in samples). */
  readonly weightDecay?: number;
  /** Multiplies lr by a factor of the iteration. */
  readonly schedule?: Schedule;
}

/** Every `sgd` option but `lr` (which has no default) with its default value filled in (`sgd.defaults`). */
export type SgdDefaults = Required<Omit<SgdOptions, 'lr'>>;

const KNOWN = ['lr', 'momentum', 'nesterov', 'dampening', 'weightDecay', 'schedule'] as const;

const defaults: SgdDefaults = Object.freeze({
  momentum: 0,
  nesterov: false,
  dampening: 0,
  weightDecay: 0,
  schedule: Object.freeze({ kind: 'constant' }) as Schedule,
});

function missingLr(): ParameterError {
  return new ParameterError(
    'sgd.lr',
    undefined,
    'is required: an SGD step is lr × gradient, and the gradient scale depends on your loss, so no lr in samples fits every problem',
    'pass { lr } (about 1 / |gradient| moves a parameter by ~1 sample per step), set lr on every group, or use adam (its lr is a step in samples)',
  );
}

function createSgd(groups: readonly ParamGroup[], options: SgdOptions): OptimizerInstance {
  const o = checkOptionKeys('sgd', options, KNOWN);
  if (o['lr'] !== undefined) assertPositive('sgd.lr', o['lr'], 'pass a learning rate > 0');
  const resolved = resolveGroups('sgd', groups, o['lr'] as number | undefined, missingLr);
  const momentum = o['momentum'] === undefined ? defaults.momentum : o['momentum'];
  assertInRange('sgd.momentum', momentum, 0, 1, 'pass a momentum factor in [0, 1), e.g. 0.9');
  if (momentum === 1) throw new ParameterError('sgd.momentum', 1, 'must be < 1 (the buffer would never forget)', 'pass e.g. 0.9');
  const dampening = o['dampening'] === undefined ? defaults.dampening : o['dampening'];
  assertInRange('sgd.dampening', dampening, 0, 1, 'pass a dampening in [0, 1] (0: none)');
  const weightDecay = o['weightDecay'] === undefined ? defaults.weightDecay : o['weightDecay'];
  assertInRange('sgd.weightDecay', weightDecay, 0, Number.MAX_VALUE, 'pass a finite weight decay ≥ 0 (0: none)');
  const nesterov = o['nesterov'] === undefined ? defaults.nesterov : o['nesterov'];
  if (typeof nesterov !== 'boolean') throw new ParameterError('sgd.nesterov', nesterov, 'expected a boolean', 'pass true or false');
  if (nesterov && (momentum === 0 || dampening !== 0)) {
    throw new ParameterError('sgd.nesterov', true, `needs momentum > 0 and dampening = 0 (got momentum ${momentum}, dampening ${dampening})`, 'set momentum (e.g. 0.9) and dampening: 0, or nesterov: false');
  }
  const schedule = validateSchedule('sgd.schedule', o['schedule'] === undefined ? defaults.schedule : o['schedule']);

  const { lower, upper, lr } = resolved;
  const buffers = momentum === 0 ? [] : resolved.groups.map((g) => new Float64Array(g.values.length));
  let started = false;

  return {
    step(grads: readonly Float64Array[], context: StepContext): StepResult {
      checkGrads('sgd', resolved, grads);
      const factor = scheduleFactor(schedule, checkContext('sgd', context));
      const gs = resolved.groups;
      for (let j = 0; j < gs.length; j++) {
        const v = gs[j].values;
        const g = grads[j];
        const rate = lr[j] * factor;
        const lo = lower[j];
        const hi = upper[j];
        const buf = momentum === 0 ? null : buffers[j];
        for (let i = 0; i < v.length; i++) {
          let d = g[i] + weightDecay * v[i];
          if (buf !== null) {
            const b = started ? momentum * buf[i] + (1 - dampening) * d : d;
            buf[i] = b;
            d = nesterov ? d + momentum * b : b;
          }
          const x = v[i] - rate * d;
          v[i] = x < lo ? lo : x > hi ? hi : x;
        }
      }
      started = true;
      return { evaluations: 0 };
    },
  };
}

/**
 * Stochastic gradient descent with optional (Nesterov) momentum, dampening and L2 weight decay, PyTorch's
 * update rule: `d = g + λx; b = μb + (1-τ)d (b = d at the first step); d = nesterov ? d + μb : b;
 * x ← P(x - lr·factor(t)·d)` with P the projection onto the group's `[lower, upper]`.
 *
 * `lr` is required: the step is lr × gradient, whose size in samples depends on the loss's scale.
 */
export const sgd: OptimizerPlugin<SgdOptions> & { readonly defaults: SgdDefaults } = markBuiltin({
  kind: 'optimizer',
  id: 'sgd',
  apiVersion: API_VERSION,
  defaults,
  create: createSgd,
});
