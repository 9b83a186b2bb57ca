// Cancellation: one `signal` reaches every long loop; an abort is seen before the next transform.
import { AbortError, isAbortError, type AbortSignalLike } from '@dstft/core';
import { describe, expect, it } from 'vitest';
import { chirpToneBurst, createDstft, createObjective, gridSearch, optimize, optimizeConstantTheta } from './index.js';

// packages compile without DOM or Node types: the global every runtime has, declared as much as these tests use
declare const AbortController: new () => { readonly signal: AbortSignalLike; abort(reason?: unknown): void };

const { samples, sampleRate } = chirpToneBurst({ sampleRate: 8000, duration: 0.1 });
const L = samples.length;
const constantOptions = { nFft: 256, hop: 64, signalLength: L, sampleRate, thetaMin: 40, thetaMax: 256, theta: 200 } as const;

/** A signal that turns aborted after it has been checked `n` times: an abort arriving in the middle of a run. */
function abortsAfter(n: number): AbortSignalLike & { checks: number } {
  return {
    checks: 0,
    get aborted() {
      this.checks++;
      return this.checks > n;
    },
  };
}

/** Counts forward transforms of a transform (its objective's counters are internal): wraps `forward`. */
function countForwards(d: ReturnType<typeof createDstft>): { count: number } {
  const c = { count: 0 };
  const f = d.forward.bind(d);
  (d as { forward: typeof d.forward }).forward = ((...a: Parameters<typeof f>) => {
    c.count++;
    return f(...a);
  }) as typeof d.forward;
  return c;
}

describe('gridSearch', () => {
  it('an AbortController aborted from onProgress stops after that candidate with an AbortError', () => {
    const d = createDstft({ ...constantOptions, windowMode: 'constant' });
    const c = new AbortController();
    let seen = 0;
    expect(() =>
      gridSearch(d, samples, {
        thetas: { from: 50, to: 250, step: 10 },
        signal: c.signal,
        onProgress: (done) => {
          seen = done;
          if (done === 3) c.abort();
        },
      }),
    ).toThrow(AbortError);
    expect(seen).toBe(3);
  });

  it('an aborted signal runs no transform; the error says where and why', () => {
    const d = createDstft({ ...constantOptions, windowMode: 'constant' });
    const count = countForwards(d);
    const c = new AbortController();
    c.abort('user pressed Stop');
    let err: unknown;
    try {
      gridSearch(d, samples, { thetas: [100, 200], signal: c.signal });
    } catch (e) {
      err = e;
    }
    expect(isAbortError(err)).toBe(true);
    expect((err as Error).message).toBe('gridSearch: aborted (user pressed Stop)');
    expect((err as AbortError).code).toBe('ERR_ABORTED');
    expect(count.count).toBe(0);
  });

  it('a signal without a boolean aborted is a ParameterError naming the option', () => {
    const d = createDstft({ ...constantOptions, windowMode: 'constant' });
    expect(() => gridSearch(d, samples, { thetas: [100], signal: {} as AbortSignalLike })).toThrow(/signal = \{\}: expected an AbortSignal/);
  });
});

describe('optimizeConstantTheta', () => {
  it('an abort during the L-BFGS refinement (inside a line search) throws; θ stays a value that was evaluated', () => {
    // how many checks a full run makes, then abort in the middle of its refinement
    const full = abortsAfter(Number.POSITIVE_INFINITY);
    const ref = createDstft({ ...constantOptions, windowMode: 'constant' });
    const done = optimizeConstantTheta(ref, samples, { signal: full, scan: 8 });
    expect(done.refinements.length).toBeGreaterThan(0);
    const checksInScan = 8;
    expect(full.checks).toBeGreaterThan(checksInScan + 4);
    const d = createDstft({ ...constantOptions, windowMode: 'constant' });
    const count = countForwards(d);
    const signal = abortsAfter(checksInScan + 3);
    expect(() => optimizeConstantTheta(d, samples, { signal, scan: 8 })).toThrow(/optimizeConstantTheta: aborted/);
    // stopped long before the end: at most the scan and a few refinement evaluations ran
    expect(count.count).toBeLessThan(done.forward);
    expect(d.params.theta[0]).toBeGreaterThanOrEqual(40);
    expect(d.params.theta[0]).toBeLessThanOrEqual(256);
  });
});

describe('optimize', () => {
  it('an abort mid-run stops with stopReason "aborted" and the best values seen, never worse than the start', () => {
    const d = createDstft({ ...constantOptions, windowMode: 'time', thetaMin: 16, theta: 128 });
    const initial = createObjective(createDstft({ ...constantOptions, windowMode: 'time', thetaMin: 16, theta: 128 }), samples, { loss: 'shannon' }).value();
    const signal = abortsAfter(6);
    const r = optimize(d, samples, { loss: 'shannon', optimizer: 'lbfgs', maxIterations: 200, signal });
    expect(r.stopReason).toBe('aborted');
    expect(r.iterations).toBeLessThan(200);
    expect(r.loss).toBeLessThanOrEqual(initial);
    // the transform holds the best values: evaluating it again gives the reported loss
    expect(createObjective(d, samples, { loss: 'shannon' }).value()).toBeCloseTo(r.loss, 12);
  });
});

describe('sizes are refused before anything is allocated', () => {
  it('a grid of more than a million candidates, or such a scan, is a ParameterError naming the fix', () => {
    const d = createDstft({ ...constantOptions, windowMode: 'constant' });
    expect(() => gridSearch(d, samples, { thetas: { from: 50, to: 250, step: 1e-12 } })).toThrow(/thetas = .*candidates .* more than 1000000\. Fix: raise step/);
    expect(() => optimizeConstantTheta(d, samples, { scan: 2 ** 40 })).toThrow(/scan = 1099511627776: expected an integer in \[3, 1000000\]/);
  });
});
