/**
 * A bounded, least-recently-used cache of real FFT plans, as an instance (one per plan context, e.g.
 * one per STFT plan factory or per worker), never a module-global map (docs/architecture.md §4.6).
 *
 * `get(n)` returns a plan SHARED with every other caller of the same cache. Plans own scratch memory
 * and are not reentrant: use a cache from one thread of control, and do not interleave two computations
 * on the same plan (e.g. across `await`). Give concurrent users separate caches.
 */
import { assertInteger } from '@dstft/core';
import { createRealFftPlan } from './fft-plan.js';
import type { RealFftPlan } from './fft-plan.js';

/** A least-recently-used cache of real FFT plans by size (what `createFftPlanCache` returns). */
export interface FftPlanCache {
  /** Maximum number of plans kept; the least recently used one is evicted beyond it. */
  readonly maxEntries: number;
  /** Number of plans currently cached. */
  readonly size: number;
  /** The shared plan of size n (created on a miss, validated by `createRealFftPlan`); marks it most recently used. */
  get(n: number): RealFftPlan;
  /** Whether a plan of size n is cached (does not change the LRU order). */
  has(n: number): boolean;
  /** Drops every cached plan. */
  clear(): void;
}

/**
 * Creates a least-recently-used cache of real FFT plans holding at most `maxEntries` sizes (default 16); plans are
 * shared by its callers and not reentrant.
 */
export function createFftPlanCache(maxEntries = 16): FftPlanCache {
  assertInteger('maxEntries', maxEntries, 1, 'pass the number of FFT plans to keep, an integer ≥ 1');
  // Map iteration order is insertion order: re-inserting on a hit keeps the LRU entry first.
  const plans = new Map<number, RealFftPlan>();

  function get(n: number): RealFftPlan {
    const hit = plans.get(n);
    if (hit !== undefined) {
      plans.delete(n);
      plans.set(n, hit);
      return hit;
    }
    const plan = createRealFftPlan(n);
    plans.set(n, plan);
    if (plans.size > maxEntries) {
      const oldest = plans.keys().next();
      if (oldest.done !== true) plans.delete(oldest.value);
    }
    return plan;
  }

  return {
    maxEntries,
    get size() {
      return plans.size;
    },
    get,
    has: (n: number) => plans.has(n),
    clear: () => plans.clear(),
  };
}
