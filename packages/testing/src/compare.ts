/**
 * max_k |actual[k] − expected[k]| / max_k |expected[k]|: the error relative to the largest entry, the measure the
 * tests use to compare two computations of a whole array (e.g. float32 against float64, or two routes to one
 * gradient). With an all-zero `expected` it returns the largest absolute difference. The arrays must have one length.
 */
export function maxRelativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) {
    throw new RangeError(`maxRelativeError: actual has ${actual.length} entries and expected ${expected.length}. Fix: compare arrays of one length`);
  }
  let err = 0;
  let peak = 0;
  for (let k = 0; k < expected.length; k++) {
    err = Math.max(err, Math.abs(actual[k]! - expected[k]!));
    peak = Math.max(peak, Math.abs(expected[k]!));
  }
  return peak === 0 ? err : err / peak;
}
