// The split's arithmetic with made-up timings (no clock): the tests of the driver check that results do not depend
// on the split; these check that the split follows the speeds it is told.
import { describe, expect, it } from 'vitest';
import { SOLO_ABOVE, SOLO_CALLS, SplitBalance } from './balance.js';

/**
 * One call of `count` items split by `b`, the calling thread doing `rateMine` items/ms and each worker `rateWorker`.
 * `timed`: the workers also report their own times (as the pool does), after a wake-up `delay` (ms).
 */
function call(b: SplitBalance, count: number, rateMine: number, rateWorker: number, timed: { delay: number } | null = null): [number, number][] {
  const ranges = b.ranges(count);
  const mine = ranges[0]![1] - ranges[0]![0];
  const tMine = mine / rateMine;
  const tWorkers = ranges.slice(1).reduce((t, [p, q]) => Math.max(t, (q - p) / rateWorker), 0);
  const split = ranges.length > 1;
  const tAll = Math.max(tMine, split ? (timed?.delay ?? 0) + tWorkers : 0);
  b.record(mine, count - mine, tMine, tAll, timed !== null && split ? tWorkers : undefined);
  return ranges;
}

describe('SplitBalance', () => {
  it('ranges are contiguous, cover [0, count) and give every side at least one item, for any share', () => {
    for (const threads of [2, 3, 4]) {
      for (const count of [1, 2, 3, 7, 63, 64, 1000]) {
        for (const share of [0.05, 0.2, 0.5, 0.77, 0.9]) {
          const b = new SplitBalance(threads);
          b.share = share;
          const r = b.ranges(count);
          expect(r[0]![0]).toBe(0);
          expect(r[r.length - 1]![1]).toBe(count);
          for (let k = 1; k < r.length; k++) expect(r[k]![0]).toBe(r[k - 1]![1]);
          for (const [p, q] of r) expect(q).toBeGreaterThan(p);
          expect(r.length).toBeLessThanOrEqual(Math.min(threads, count));
        }
      }
    }
  });

  it('equal speeds keep the split even', () => {
    const b = new SplitBalance(2);
    for (let k = 0; k < 50; k++) call(b, 64, 10, 10);
    expect(b.share).toBeGreaterThan(0.4);
    expect(b.share).toBeLessThan(0.56);
    expect(b.solo).toBe(false);
  });

  it('a worker 3× slower gets about a quarter of the items; 3× faster, about three quarters', () => {
    const slow = new SplitBalance(2);
    for (let k = 0; k < 50; k++) call(slow, 400, 30, 10);
    expect(slow.share).toBeGreaterThan(0.7);
    expect(slow.share).toBeLessThan(0.8);
    const fast = new SplitBalance(2);
    for (let k = 0; k < 50; k++) call(fast, 400, 10, 30);
    expect(fast.share).toBeGreaterThan(0.2);
    expect(fast.share).toBeLessThan(0.32);
  });

  it('a stalled worker (a loaded host): calls run on the calling thread alone, and the workers are tried again later', () => {
    const b = new SplitBalance(2);
    let k = 0;
    while (!b.solo && k < 20) {
      call(b, 64, 10, 0.2);
      k++;
    }
    expect(b.solo).toBe(true);
    expect(k).toBeLessThanOrEqual(6);
    expect(b.share).toBe(SOLO_ABOVE);
    for (let c = 0; c < SOLO_CALLS; c++) expect(call(b, 64, 10, 0.2)).toEqual([[0, 64]]);
    expect(b.solo).toBe(false);
    // the probe gives the worker a quarter; it is fast again, so the split goes back towards even
    const probe = call(b, 64, 10, 10);
    expect(probe.length).toBe(2);
    expect(probe[0]![1]).toBe(48);
    for (let c = 0; c < 30; c++) call(b, 64, 10, 10);
    expect(b.share).toBeLessThan(0.56);
  });

  it("'even' never moves; one thread or one item is one range; short calls do not move the split", () => {
    const even = new SplitBalance(2, 'even');
    for (let k = 0; k < 20; k++) call(even, 64, 10, 0.1);
    expect(even.share).toBe(0.5);
    expect(even.ranges(64)).toEqual([[0, 32], [32, 64]]);
    expect(new SplitBalance(1).ranges(10)).toEqual([[0, 10]]);
    expect(new SplitBalance(2).ranges(1)).toEqual([[0, 1]]);
    const b = new SplitBalance(2);
    b.record(32, 32, 0.01, 5);
    expect(b.share).toBe(0.5);
  });
});

describe('SplitBalance with the workers\' own times', () => {
  it('8 signals at equal speeds stay 4/4, also after one call where the worker was 3× slower (no lopsided split sticks)', () => {
    const b = new SplitBalance(2);
    const splits: number[] = [];
    for (let k = 0; k < 40; k++) splits.push(call(b, 8, 1, k === 5 ? 1 / 3 : 1, { delay: 0.2 })[0]![1]);
    expect(splits.slice(10)).toEqual(Array(30).fill(4));
    expect(splits.filter((m) => m !== 4).length).toBeLessThanOrEqual(1);
    expect(b.solo).toBe(false);
  });

  it('a worker 3× slower gets about a quarter; a steady 1 ms wake-up delay gives the calling thread the matching extra', () => {
    const slow = new SplitBalance(2);
    for (let k = 0; k < 50; k++) call(slow, 400, 30, 10, { delay: 0 });
    expect(slow.share).toBeGreaterThan(0.7);
    expect(slow.share).toBeLessThan(0.8);
    // 64 items at 10/ms on both sides, the worker starting 3 ms late: both end together at s = (3 + 6.4) / 12.8
    const late = new SplitBalance(2);
    for (let k = 0; k < 50; k++) call(late, 64, 10, 10, { delay: 3 });
    expect(late.share).toBeGreaterThan(0.7);
    expect(late.share).toBeLessThan(0.77);
    // a 0.5 ms delay (s = 0.54 on paper) is within the band taken as even
    const near = new SplitBalance(2);
    for (let k = 0; k < 50; k++) call(near, 64, 10, 10, { delay: 0.5 });
    expect(near.share).toBeCloseTo(0.5, 6);
  });

  it('a stalled worker still sends calls to the calling thread alone', () => {
    const b = new SplitBalance(2);
    let k = 0;
    while (!b.solo && k < 20) {
      call(b, 64, 10, 0.2, { delay: 0 });
      k++;
    }
    expect(b.solo).toBe(true);
    expect(k).toBeLessThanOrEqual(6);
  });
});

describe('SplitBalance: never slower than one thread', () => {
  it('calls that take as long as the calling thread would alone (dispatch and wake-up eat the gain) switch to one thread', () => {
    const b = new SplitBalance(2);
    // even split, the calling thread's half takes 1 ms, but the worker's wake-up makes every call 2.2 ms (alone: 2 ms)
    let k = 0;
    while (!b.solo && k < 20) {
      const r = b.ranges(64);
      const mine = r[0]![1];
      b.record(mine, 64 - mine, mine / 32, 2.2);
      k++;
    }
    expect(b.solo).toBe(true);
    expect(k).toBeLessThanOrEqual(4);
  });

  it('a split that halves the time stays split', () => {
    const b = new SplitBalance(2);
    for (let k = 0; k < 100; k++) {
      const r = b.ranges(64);
      const mine = r[0]![1];
      b.record(mine, 64 - mine, mine / 32, Math.max(mine, 64 - mine) / 32 + 0.02);
    }
    expect(b.solo).toBe(false);
    expect(b.share).toBeGreaterThan(0.4);
  });
});
