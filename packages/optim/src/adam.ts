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

/** Options of `adam` and `adamw` (defaults in `adam.defaults` / `adamw.defaults`). */
export interface AdamOptions {
  /**
   * Step size in samples: Adam moves each parameter by about lr per step (exactly lr·sign(g) at the first
   * step), whatever the gradient's scale. Default 1 sample.
   */
  readonly lr?: number;
  /** Decay of the first-moment (mean) estimate, in [0, 1). */
  readonly beta1?: number;
  /** Decay of the second-moment estimate, in [0, 1). */
  readonly beta2?: number;
  /** Added to √v̂ (in gradient units). */
  readonly eps?: number;
  /**
   * adam: L2 penalty, λ·x added to the gradient. adamw: decoupled decay, x ← x·(1 - lr·factor·λ) before the
   * Adam step. Both pull values towards 0 (in samples).
   */
  readonly weightDecay?: number;
  /** Use the running maximum of the second moment (AMSGrad). */
  readonly amsgrad?: boolean;
  /** Multiplies lr by a factor of the iteration. */
  readonly schedule?: Schedule;
}

/** Every Adam / AdamW option with its default value filled in (`adam.defaults`, `adamw.defaults`). */
export type AdamDefaults = Required<AdamOptions>;

const KNOWN = ['lr', 'beta1', 'beta2', 'eps', 'weightDecay', 'amsgrad', 'schedule'] as const;

/** Adam's defaults with the given weight decay (shared with adamw). */
export function adamDefaults(weightDecay: number): AdamDefaults {
  return Object.freeze({
    lr: 1,
    beta1: 0.9,
    beta2: 0.999,
    eps: 1e-8,
    weightDecay,
    amsgrad: false,
    schedule: Object.freeze({ kind: 'constant' }) as Schedule,
  });
}

function pick(o: Readonly<Record<string, unknown>>, key: keyof AdamDefaults, defaults: AdamDefaults): unknown {
  return o[key] === undefined ? defaults[key] : o[key];
}

/** Builds an Adam instance; `adamw` uses decoupled weight decay. Internal (shared by adam.ts / adamw.ts). */
export function createAdam(id: 'adam' | 'adamw', defaults: AdamDefaults, groups: readonly ParamGroup[], options: AdamOptions): OptimizerInstance {
  const o = checkOptionKeys(id, options, KNOWN);
  const baseLr = pick(o, 'lr', defaults);
  assertPositive(`${id}.lr`, baseLr, 'pass a step size in samples > 0 (default 1)');
  const resolved = resolveGroups(id, groups, baseLr);
  const beta1 = pick(o, 'beta1', defaults);
  assertInRange(`${id}.beta1`, beta1, 0, 1, 'pass a decay in [0, 1), e.g. 0.9');
  if (beta1 === 1) throw new ParameterError(`${id}.beta1`, 1, 'must be < 1', 'pass e.g. 0.9');
  const beta2 = pick(o, 'beta2', defaults);
  assertInRange(`${id}.beta2`, beta2, 0, 1, 'pass a decay in [0, 1), e.g. 0.999');
  if (beta2 === 1) throw new ParameterError(`${id}.beta2`, 1, 'must be < 1', 'pass e.g. 0.999');
  const eps = pick(o, 'eps', defaults);
  assertPositive(`${id}.eps`, eps, 'pass a small number > 0, e.g. 1e-8');
  const weightDecay = pick(o, 'weightDecay', defaults);
  assertInRange(`${id}.weightDecay`, weightDecay, 0, Number.MAX_VALUE, 'pass a finite weight decay ≥ 0 (0: none)');
  const amsgrad = pick(o, 'amsgrad', defaults);
  if (typeof amsgrad !== 'boolean') throw new ParameterError(`${id}.amsgrad`, amsgrad, 'expected a boolean', 'pass true or false');
  const schedule = validateSchedule(`${id}.schedule`, pick(o, 'schedule', defaults));
  const decoupled = id === 'adamw';

  const { lower, upper, lr } = resolved;
  const gs = resolved.groups;
  const m = gs.map((g) => new Float64Array(g.values.length));
  const s = gs.map((g) => new Float64Array(g.values.length));
  const sMax = amsgrad ? gs.map((g) => new Float64Array(g.values.length)) : [];
  let t = 0;

  return {
    step(grads: readonly Float64Array[], context: StepContext): StepResult {
      checkGrads(id, resolved, grads);
      const factor = scheduleFactor(schedule, checkContext(id, context));
      t++;
      const c1 = 1 - Math.pow(beta1, t);
      const c2 = 1 - Math.pow(beta2, t);
      for (let j = 0; j < gs.length; j++) {
        const v = gs[j].values;
        const g = grads[j];
        const mj = m[j];
        const sj = s[j];
        const maxj = amsgrad ? sMax[j] : null;
        const rate = lr[j] * factor;
        const keep = decoupled ? 1 - rate * weightDecay : 1;
        const l2 = decoupled ? 0 : weightDecay;
        const lo = lower[j];
        const hi = upper[j];
        for (let i = 0; i < v.length; i++) {
          const x0 = v[i] * keep;
          const d = g[i] + l2 * v[i];
          const mi = beta1 * mj[i] + (1 - beta1) * d;
          const si = beta2 * sj[i] + (1 - beta2) * d * d;
          mj[i] = mi;
          sj[i] = si;
          let second = si;
          if (maxj !== null) {
            second = si > maxj[i] ? si : maxj[i];
            maxj[i] = second;
          }
          const x = x0 - (rate * (mi / c1)) / (Math.sqrt(second / c2) + eps);
          v[i] = x < lo ? lo : x > hi ? hi : x;
        }
      }
      return { evaluations: 0 };
    },
  };
}

/** The `adam` and `adamw` optimizer plugins: an `OptimizerPlugin` (of `@dstft/core`) whose `defaults` lists every option. */
export type AdamPlugin = OptimizerPlugin<AdamOptions> & { readonly defaults: AdamDefaults };

const adamDefaultValues = adamDefaults(0);

/**
 * Adam (Kingma & Ba), PyTorch's update with bias correction; `weightDecay` is an L2 term added to the
 * gradient. Each step moves a parameter by about `lr·factor(t)` samples (per-group `lr` overrides it), then
 * projects onto the group's `[lower, upper]`.
 */
export const adam: AdamPlugin = markBuiltin({
  kind: 'optimizer',
  id: 'adam',
  apiVersion: API_VERSION,
  defaults: adamDefaultValues,
  create: (groups: readonly ParamGroup[], options: AdamOptions) => createAdam('adam', adamDefaultValues, groups, options),
});
