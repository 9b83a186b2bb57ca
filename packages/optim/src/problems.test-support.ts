/** Test problems for the optimizer tests: objectives on parameter groups, with exact gradients. */
import type { Objective, ParamGroup } from '@dstft/core';

/** Rosenbrock f(x, y) = (1 - x)² + 100 (y - x²)², on one group of two values; minimum 0 at (1, 1). */
export function rosenbrock(group: ParamGroup): Objective {
  return (grads) => {
    const v = group.values;
    const x = v[0];
    const y = v[1];
    const g = grads[0];
    g[0] = -2 * (1 - x) - 400 * x * (y - x * x);
    g[1] = 200 * (y - x * x);
    return (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x);
  };
}

/** Σ_j Σ_i a_j[i]·(x_j[i] - c_j[i])² / 2 over the groups. */
export function quadratic(groups: readonly ParamGroup[], curvature: readonly number[][], centre: readonly number[][]): Objective {
  return (grads) => {
    let f = 0;
    for (let j = 0; j < groups.length; j++) {
      const v = groups[j].values;
      const g = grads[j];
      for (let i = 0; i < v.length; i++) {
        const a = curvature[j][i];
        const r = v[i] - centre[j][i];
        f += 0.5 * a * r * r;
        g[i] = a * r;
      }
    }
    return f;
  };
}

/** Wraps an objective: counts calls and records whether any evaluated value left its group's bounds. */
export function watched(groups: readonly ParamGroup[], objective: Objective): { objective: Objective; calls: () => number; violations: () => number } {
  let calls = 0;
  let violations = 0;
  return {
    objective: (grads) => {
      calls++;
      for (const g of groups) {
        const lo = g.lower ?? -Infinity;
        const hi = g.upper ?? Infinity;
        for (const x of g.values) if (!(x >= lo && x <= hi)) violations++;
      }
      return objective(grads);
    },
    calls: () => calls,
    violations: () => violations,
  };
}
