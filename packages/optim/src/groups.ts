/**
 * Boundary checks shared by every optimizer: option objects (unknown keys are errors), parameter groups
 * (bounds, per-group lr, starting values inside the box) and the gradients passed to `step`. Called at
 * `create()` / once per `step()`, never per parameter inside an update loop.
 */
import { ParameterError, ShapeError, StateError, checkKnownKeys, type ParamGroup, type StepContext } from '@dstft/core';

/** Validated view of the groups an optimizer updates: one bound / learning rate per group. */
export interface ResolvedGroups {
  readonly groups: readonly ParamGroup[];
  /** Lower bound per group (-Infinity when absent). */
  readonly lower: Float64Array;
  /** Upper bound per group (+Infinity when absent). */
  readonly upper: Float64Array;
  /** Learning rate per group: `group.lr`, else the optimizer's `lr`. */
  readonly lr: Float64Array;
  /** Number of values over all groups. */
  readonly size: number;
}

/**
 * Checks that `options` is a plain object (or undefined) holding only `known` keys, and returns it: @dstft/core's
 * `checkKnownKeys`, so an unknown key names the optimizer and the option (`adam.beta3`) with a "did you mean".
 */
export function checkOptionKeys(id: string, options: unknown, known: readonly string[]): Readonly<Record<string, unknown>> {
  const owner = id === 'minimize' ? 'minimize()' : id.startsWith('minimize.') ? `the ${id.slice(9)} option of minimize()` : `the ${id} optimizer`;
  const example = id === 'sgd' ? '{ lr: 0.1 }' : id.startsWith('minimize') ? '{}' : `{} (see ${id}.defaults)`;
  return checkKnownKeys(options, known, { owner, prefix: id, example });
}

function groupLabel(i: number, group: unknown): string {
  const name = group !== null && typeof group === 'object' ? (group as { name?: unknown }).name : undefined;
  return typeof name === 'string' ? `groups[${i}] (${JSON.stringify(name)})` : `groups[${i}]`;
}

/**
 * Validates parameter groups: Float64Array values, finite, inside `[lower, upper]`; bounds not NaN with
 * lower ≤ upper; per-group `lr` finite and > 0. `defaultLr` is the optimizer's `lr` (undefined when it has
 * none; every group then needs its own, else `missingLr` is thrown).
 *
 * Starting values outside their bounds are an error, never clamped: optimizers project their own updates
 * onto the box (projected gradient), but they do not silently change what the caller passed.
 */
export function resolveGroups(
  id: string,
  groups: unknown,
  defaultLr: number | undefined,
  missingLr?: () => Error,
): ResolvedGroups {
  if (!Array.isArray(groups) || groups.length === 0) {
    throw new ParameterError('groups', groups, 'expected a non-empty array of parameter groups', `pass [{ name: 'theta', values: Float64Array.of(256), lower: 16, upper: 1024 }] to ${id}.create()`);
  }
  const n = groups.length;
  const lower = new Float64Array(n);
  const upper = new Float64Array(n);
  const lr = new Float64Array(n);
  let size = 0;
  for (let i = 0; i < n; i++) {
    const g = groups[i] as Partial<ParamGroup> | null;
    const label = groupLabel(i, g);
    if (g === null || typeof g !== 'object') {
      throw new ParameterError(label, g, 'expected a parameter group object', '{ name, values: Float64Array, lower?, upper?, lr? }');
    }
    if (typeof g.name !== 'string') {
      throw new ParameterError(`${label}.name`, g.name, 'expected a string', 'give every group a name (e.g. "theta", "hop")');
    }
    if (!(g.values instanceof Float64Array)) {
      throw new ShapeError(`${label}.values`, g.values, 'expected a Float64Array', 'convert it with Float64Array.from(values)');
    }
    const lo = g.lower === undefined ? -Infinity : g.lower;
    const hi = g.upper === undefined ? Infinity : g.upper;
    if (typeof lo !== 'number' || Number.isNaN(lo) || lo === Infinity) {
      throw new ParameterError(`${label}.lower`, g.lower, 'expected a number or undefined (no bound)', 'pass a finite lower bound in samples, or leave it out');
    }
    if (typeof hi !== 'number' || Number.isNaN(hi) || hi === -Infinity) {
      throw new ParameterError(`${label}.upper`, g.upper, 'expected a number or undefined (no bound)', 'pass a finite upper bound in samples, or leave it out');
    }
    if (lo > hi) {
      throw new ParameterError(`${label}.lower`, lo, `is above upper = ${hi}`, 'swap the bounds (lower ≤ upper)');
    }
    const rate = g.lr === undefined ? defaultLr : g.lr;
    if (rate === undefined) {
      throw missingLr ? missingLr() : new ParameterError(`${id}.lr`, undefined, 'is required', `pass { lr } to ${id}.create() or set lr on every group`);
    }
    if (typeof rate !== 'number' || !Number.isFinite(rate) || !(rate > 0)) {
      const name = g.lr === undefined ? `${id}.lr` : `${label}.lr`;
      throw new ParameterError(name, rate, 'must be a finite number > 0', 'pass a positive learning rate');
    }
    const v = g.values;
    for (let k = 0; k < v.length; k++) {
      const x = v[k];
      if (!Number.isFinite(x)) {
        throw new ParameterError(`${label}.values[${k}]`, x, 'not finite', 'start from finite values');
      }
      if (x < lo || x > hi) {
        throw new ParameterError(
          `${label}.values[${k}]`,
          x,
          `is outside the group's bounds [${lo}, ${hi}]`,
          'start inside the bounds (optimizers project their own steps onto the box, but never clamp the values you pass), or widen the bounds',
        );
      }
    }
    lower[i] = lo;
    upper[i] = hi;
    lr[i] = rate;
    size += v.length;
  }
  return { groups: groups as readonly ParamGroup[], lower, upper, lr, size };
}

/** Checks the gradients passed to `step`: one Float64Array per group, same lengths. O(number of groups). */
export function checkGrads(id: string, resolved: ResolvedGroups, grads: readonly Float64Array[]): void {
  const groups = resolved.groups;
  if (!Array.isArray(grads) || grads.length !== groups.length) {
    throw new ShapeError('grads', grads, `expected ${groups.length} gradient array(s), one per group`, `pass the gradients to ${id}.step() in the order of the groups given to create()`);
  }
  for (let i = 0; i < groups.length; i++) {
    const g = grads[i];
    const len = groups[i].values.length;
    if (!(g instanceof Float64Array) || g.length !== len) {
      throw new ShapeError(`grads[${i}]`, g, `expected a Float64Array of length ${len} (group ${JSON.stringify(groups[i].name)})`, 'pass one gradient entry per parameter value');
    }
  }
}

/** Checks the step context (iteration index) and returns the iteration. */
export function checkContext(id: string, context: StepContext | undefined): number {
  if (context === undefined || context === null || typeof context !== 'object') {
    throw new StateError(`${id}.step(grads, context): context = ${String(context)}. Fix: pass { loss, iteration } (minimize() does this for you)`);
  }
  const it = context.iteration;
  if (typeof it !== 'number' || !Number.isInteger(it) || it < 0) {
    throw new ParameterError('context.iteration', it, 'expected an integer ≥ 0', `pass the 0-based iteration index to ${id}.step()`);
  }
  return it;
}
