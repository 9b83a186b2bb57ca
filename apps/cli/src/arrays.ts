/**
 * Loops over arrays of any length. `Math.min(...a)` / `Math.max(...a)` / `a.push(...b)` pass every element as an
 * argument and die with "Maximum call stack size exceeded" past ~10^5 elements (a θ map of 5 s of 16 kHz speech
 * has 513 × 339); use these instead wherever the length depends on the input.
 */

/** Smallest and largest value (NaN ignored); { min: NaN, max: NaN } for an empty or all-NaN array. */
export function minMax(values: ArrayLike<number>): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (let k = 0; k < values.length; k++) {
    const v = values[k]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return min <= max ? { min, max } : { min: NaN, max: NaN };
}

/** Appends `values` to `target` (in place) and returns it. */
export function pushAll<T>(target: T[], values: ArrayLike<T>): T[] {
  for (let k = 0; k < values.length; k++) target.push(values[k]!);
  return target;
}
