import { StateError, type Normalization, type WindowPlugin } from '@dstft/core';
import { createStftPlan, resolveFrameTable, stftForward, type FramePolicy, type PositionsConfig, type StftParams, type StftPlan, type WindowMode } from '@dstft/kernel';
import { createRng, expectAdjoint, expectGradcheck } from '@dstft/testing';
import { blackman, defineDilationWindow, gaussian, hamming, hann, kaiser } from '@dstft/windows';
import { describe, expect, it } from 'vitest';
import { ForwardCache, createBackwardBuffers, finishBackward, recordForwardState, signalChecksum, stftBackward, stftBackwardInto, stftForwardWithState, type StftGradients } from './index.js';

const N = 32;
const L = 150;
const B = 2;
const rng = createRng(2024);
const x = new Float64Array(B * L).map((_, k) => Math.sin(0.21 * k) + 0.6 * Math.cos(0.047 * k * (1 + (k % 7))) + 0.3 * (rng.next() - 0.5));

/** Neumaier-compensated sum: keeps the finite differences' roundoff at the level of the summands, not of Σ|terms|. */
function compensatedSum(n: number, term: (k: number) => number): number {
  let sum = 0;
  let comp = 0;
  for (let k = 0; k < n; k++) {
    const v = term(k);
    const t = sum + v;
    comp += Math.abs(sum) >= Math.abs(v) ? sum - t + v : v - t + sum;
    sum = t;
  }
  return sum + comp;
}

/** A smooth scalar loss of the spectrogram with fixed random weights: ℒ = Σ a_k S_k + ½ Σ b_k S_k². */
function makeSpecLoss(size: number, seed: number) {
  const r = createRng(seed);
  const a = new Float64Array(size).map(() => r.uniform(-1, 1));
  const b = new Float64Array(size).map(() => r.uniform(0, 0.5));
  return {
    value(S: Float64Array): number {
      return compensatedSum(size, (k) => a[k]! * S[k]! + 0.5 * b[k]! * S[k]! * S[k]!);
    },
    grad(S: Float64Array): Float64Array {
      return S.map((s, k) => a[k]! + b[k]! * s);
    },
  };
}

/**
 * Finite-difference step: 1e-4 samples, absolute, for every parameter (Richardson-extrapolated by gradcheck).
 * Larger steps straddle points where a sample crosses a support edge: Hann / Blackman have a jump in w'' there
 * (an O(h) error), Hamming / Kaiser a jump in w itself. Smaller steps let roundoff dominate entries ~1e-5 of the
 * largest. A step scaled by |t_n| would move far frames by ~1e-3 or more.
 */
const STEP = 1e-4;
/**
 * For windows that jump at their support edge (Hamming, Kaiser) the derivative exists only where no sample sits
 * on an edge; a finite difference across such a point measures the jump. Nudge the parameters until every edge
 * t_n ± θ/2 is at least `margin` away from every sample (a measure-zero set is avoided, nothing is loosened).
 */
function avoidEdges(plan: StftPlan, lay: Layout, windowMode: WindowMode, margin: number): void {
  for (let attempt = 0; attempt < 50; attempt++) {
    const params = lay.params(lay.init);
    const { frames: T, positions: t } = resolveFrameTable(plan, params);
    const th = params.theta;
    let ok = true;
    for (let n = 0; n < T && ok; n++) {
      const count = windowMode === 'frequency' || windowMode === 'time-frequency' ? plan.freqs : 1;
      for (let m = 0; m < count && ok; m++) {
        const v = windowMode === 'time-frequency' ? th[m * T + n]! : windowMode === 'frequency' ? th[m]! : windowMode === 'time' ? th[n]! : th[0]!;
        for (const e of [t[n]! - v / 2, t[n]! + v / 2]) if (Math.abs(e - Math.round(e)) < margin * (1 + n)) ok = false;
      }
    }
    if (ok) return;
    for (let i = 0; i < lay.init.length; i++) lay.init[i] = lay.init[i]! + 0.0173 * ((i % 3) - 1 + 0.5);
  }
  throw new Error('avoidEdges: could not place the parameters away from support edges');
}

interface Layout {
  /** flat vector → params */
  params(v: Float64Array): StftParams;
  /** gradients → flat vector */
  flat(g: StftGradients): Float64Array;
  init: Float64Array;
}

/** Flat parameter vector = [θ..., then the learnable positions parameters]. */
function layout(plan: StftPlan, windowMode: WindowMode, positions: PositionsConfig, policy: FramePolicy): Layout {
  const T = plan.frames;
  const F = plan.freqs;
  const r = createRng(77);
  const nTheta = plan.variableFrames ? 1 : plan.thetaLength(T);
  // θ ≤ 0.8·N: longer windows are cut by the frame edge at fractional positions (see the kernel README)
  const theta = new Float64Array(nTheta).map(() => r.uniform(0.4, 0.8) * N);
  let extra: Float64Array;
  let toParams: (v: Float64Array) => Partial<StftParams>;
  let fromGrads: (g: StftGradients) => number[];
  if (policy.kind === 'fixed-overlap' || positions.mode === 'fixed') {
    extra = new Float64Array(0);
    toParams = () => ({});
    fromGrads = () => [];
  } else if (positions.mode === 'constant') {
    extra = Float64Array.of(positions.hop);
    toParams = (v) => ({ hop: v[nTheta] });
    fromGrads = (g) => [g.hop!];
  } else if (positions.mode === 'time') {
    extra = new Float64Array(T).map((_, i) => (i === 0 ? -2.3 : r.uniform(12, 21)));
    toParams = (v) => ({ t0: v[nTheta], hops: v.slice(nTheta + 1) });
    fromGrads = (g) => [g.t0!, ...g.hops!];
  } else {
    extra = new Float64Array(T).map((_, n) => -4.6 + 17.3 * n + r.uniform(-3, 3));
    toParams = (v) => ({ positions: v.slice(nTheta) });
    fromGrads = (g) => [...g.positions];
  }
  void F;
  const init = new Float64Array(nTheta + extra.length);
  init.set(theta);
  init.set(extra, nTheta);
  return {
    init,
    params: (v) => ({ theta: v.slice(0, nTheta), ...toParams(v) }),
    flat: (g) => Float64Array.from([...g.theta, ...fromGrads(g)]),
  };
}

const windows: [WindowPlugin, Record<string, unknown>][] = [
  [hann, {}],
  [blackman, {}],
  [gaussian, { sigma: 0.18 }],
  [hamming, {}],
  [kaiser, { beta: 5 }],
];
const normalizations: Normalization[] = ['none', 'paper', 'unit'];

const configs: { name: string; windowMode: WindowMode; positions: PositionsConfig; policy: FramePolicy }[] = [];
for (const windowMode of ['fixed', 'constant', 'time', 'frequency', 'time-frequency'] as WindowMode[]) {
  for (const positions of [
    { mode: 'fixed', hop: 17.3 },
    { mode: 'constant', hop: 16.7 },
    { mode: 'time', frames: 9 },
    { mode: 'free', frames: 9 },
  ] as PositionsConfig[]) {
    if (windowMode === 'fixed' && positions.mode === 'fixed') continue; // nothing to learn
    configs.push({ name: `${windowMode} θ, ${positions.mode} positions`, windowMode, positions, policy: { kind: 'fixed-frames' } });
  }
}
configs.push({ name: 'constant θ, fixed-overlap 0.6', windowMode: 'constant', positions: { mode: 'fixed', hop: 1 }, policy: { kind: 'fixed-overlap', overlap: 0.6 } });

describe('gradients match float64 central finite differences (rtol 1e-6)', () => {
  for (const [window, windowParams] of windows) {
    for (const normalization of normalizations) {
      for (const c of configs) {
        it(`${window.id} · ${normalization} · ${c.name}`, () => {
          const plan = createStftPlan({
            nFft: N,
            signalLength: L,
            window,
            windowParams,
            normalization,
            windowMode: c.windowMode,
            positions: c.positions,
            framePolicy: c.policy,
            thetaMin: 8,
          });
          const lay = layout(plan, c.windowMode, c.positions, c.policy);
          if (!window.continuousInTheta) avoidEdges(plan, lay, c.windowMode, 10 * STEP);
          const probe = stftForward(plan, x, lay.params(lay.init));
          const loss = makeSpecLoss(probe.spec.length, 5);
          const res = stftForwardWithState(plan, x, lay.params(lay.init));
          const grads = stftBackward(res, { spec: loss.grad(res.spec) });
          const grad = lay.flat(grads);
          expectGradcheck({
            f: (v) => loss.value(stftForward(plan, x, lay.params(v)).spec),
            grad,
            params: lay.init,
            step: STEP,
          });
        });
      }
    }
  }
});

describe('upstream with respect to X, power 2 and 1.5, odd and non-power-of-two N', () => {
  for (const nFft of [24, 33]) {
    for (const power of [2, 1.5]) {
      for (const c of configs.filter((k) => k.positions.mode !== 'fixed')) {
        it(`N=${nFft} power ${power} · ${c.name}`, () => {
          const plan = createStftPlan({ nFft, signalLength: L, window: hann, windowMode: c.windowMode, positions: c.positions, framePolicy: c.policy, power, thetaMin: 6 });
          const lay = layout(plan, c.windowMode, c.positions, c.policy);
          // rescale θ to this nFft
          for (let i = 0; i < (plan.variableFrames ? 1 : plan.thetaLength(plan.frames)); i++) lay.init[i] = (lay.init[i]! * nFft) / N;
          const r = createRng(9);
          const res = stftForwardWithState(plan, x, lay.params(lay.init));
          const cX = new Float64Array(res.X.length).map(() => r.uniform(-1, 1));
          const cS = new Float64Array(res.spec.length).map(() => r.uniform(-1, 1));
          // ℒ = Σ cX·X + Σ cS·S: the X part through upstream.X, the S part through upstream.spec (by linearity)
          const f = (v: Float64Array) => {
            const o = stftForward(plan, x, lay.params(v));
            return compensatedSum(o.X.length, (k) => cX[k]! * o.X[k]!) + compensatedSum(o.spec.length, (k) => cS[k]! * o.spec[k]!);
          };
          const gX = lay.flat(stftBackward(res, { X: cX }));
          const gS = lay.flat(stftBackward(res, { spec: cS }));
          const grad = gX.map((g, i) => g + gS[i]!);
          expectGradcheck({ f, grad, params: lay.init, step: STEP });
        });
      }
    }
  }
});

describe('signal gradient', () => {
  for (const c of configs) {
    it(`adjoint test ⟨A v, G⟩ = ⟨v, ∂ℒ/∂x⟩ · ${c.name}`, () => {
      const plan = createStftPlan({ nFft: N, signalLength: L, window: blackman, normalization: 'unit', windowMode: c.windowMode, positions: c.positions, framePolicy: c.policy, thetaMin: 8 });
      const lay = layout(plan, c.windowMode, c.positions, c.policy);
      const params = lay.params(lay.init);
      const outSize = stftForward(plan, x, params).X.length;
      expectAdjoint({
        forward: (v, out) => out.set(stftForward(plan, v, params).X),
        adjoint: (u, out) => {
          const res = stftForwardWithState(plan, x, params);
          out.set(stftBackward(res, { X: u }, { signal: true }).x!);
        },
        inSize: B * L,
        outSize,
        rng: createRng(3),
      });
    });
  }

  it('∂ℒ/∂x of a spectrogram loss matches finite differences', () => {
    const plan = createStftPlan({ nFft: N, signalLength: L, window: hann, windowMode: 'time', positions: { mode: 'free', frames: 9 }, thetaMin: 8 });
    const lay = layout(plan, 'time', { mode: 'free', frames: 9 }, { kind: 'fixed-frames' });
    const params = lay.params(lay.init);
    const loss = makeSpecLoss(stftForward(plan, x, params).spec.length, 8);
    const res = stftForwardWithState(plan, x, params);
    const g = stftBackward(res, { spec: loss.grad(res.spec) }, { signal: true }).x!;
    const xs = x.slice();
    expectGradcheck({ f: (v) => loss.value(stftForward(plan, v, params).spec), grad: g, params: xs, indices: [0, 1, 17, 60, 149, 150, 151, 222, 299] });
  });
});

describe('state handling', () => {
  const plan = createStftPlan({ nFft: N, signalLength: L, window: hann, windowMode: 'constant', positions: { mode: 'fixed', hop: 8 } });
  const params = { theta: Float64Array.of(20) };

  it('backward without a matching forward is a clear error', () => {
    const plain = stftForward(plan, x, params);
    expect(() => stftBackward(plain, { spec: new Float64Array(plain.spec.length) })).toThrow(/no forward state is saved for this result/);
  });

  it('a forward that fails into a reused result takes its saved state away (backward refused, not computed from a partly overwritten X)', () => {
    let armed = false;
    // throws (when armed) where u = x/θ = 1/4 exactly: on integer offsets for θ a multiple of 4, never for θ = 22
    const fragile = defineDilationWindow({
      id: 'test/fragile',
      continuousInTheta: true,
      shape: (u) => {
        if (armed && u === 0.25) throw new Error('test/fragile: failing on purpose');
        return Math.cos(Math.PI * u) ** 2;
      },
      dShape: (u) => -Math.PI * Math.sin(2 * Math.PI * u),
    });
    const p = createStftPlan({ nFft: N, signalLength: L, window: fragile, windowMode: 'constant', positions: { mode: 'fixed', hop: 8 } });
    const res = stftForwardWithState(p, x, { theta: Float64Array.of(22) });
    armed = true;
    expect(() => stftForwardWithState(p, x, { theta: Float64Array.of(24) }, res)).toThrow(/test\/fragile: failing on purpose/);
    expect(() => stftBackward(res, { spec: new Float64Array(res.spec.length) })).toThrow(/no forward state is saved for this result/);
    // a forward that succeeds into it again restores backward
    const again = stftForwardWithState(p, x, { theta: Float64Array.of(22) }, res);
    expect(again).toBe(res);
    expect(stftBackward(res, { spec: new Float64Array(res.spec.length).fill(1) }).theta.length).toBe(1);
  });

  it('a signal modified between forward and backward is detected', () => {
    const xs = x.slice();
    const res = stftForwardWithState(plan, xs, params);
    xs[40] = xs[40]! + 1e-3;
    expect(() => stftBackward(res, { spec: new Float64Array(res.spec.length) })).toThrow(/modified after the forward/);
  });

  it('a change to any one sample (even or odd index, the last one of an odd-length signal) is detected', () => {
    const p = createStftPlan({ nFft: N, signalLength: 151, window: hann, windowMode: 'constant', positions: { mode: 'fixed', hop: 8 } });
    const xs = new Float64Array(151).map((_, k) => Math.sin(0.3 * k));
    for (const k of [0, 1, 75, 76, 149, 150]) {
      const res = stftForwardWithState(p, xs, params);
      const old = xs[k]!;
      xs[k] = old + 0.5;
      expect(() => stftBackward(res, { spec: new Float64Array(res.spec.length) }), `sample ${k}`).toThrow(/modified after the forward/);
      xs[k] = old;
      expect(() => stftBackward(res, { spec: new Float64Array(res.spec.length) })).not.toThrow();
    }
  });

  it('the forward with state checks the signal first (shape, then samples), then θ, as the plain forward does', () => {
    const badTheta = { theta: Float64Array.of(1e6) };
    const nan = x.slice();
    nan[L + 7] = Number.NaN;
    for (const fwd of [stftForward, stftForwardWithState]) {
      expect(() => fwd(plan, nan, badTheta)).toThrow(/x\[1\]\[7\] = NaN: sample 7 of signal 1 is not finite/);
      expect(() => fwd(plan, x.subarray(1), badTheta)).toThrow(/not a whole number of signals/);
      expect(() => fwd(plan, x, badTheta)).toThrow(/theta = 1000000/);
    }
    const inf = x.slice();
    inf[3] = Number.NEGATIVE_INFINITY;
    expect(() => stftForwardWithState(plan, inf, params)).toThrow(/x\[0\]\[3\] = -Infinity/);
  });

  it('finite samples whose checksum overflows (|x| near 1.8e308) still run forward and backward, and a change is still caught', () => {
    const huge = new Float64Array(B * L).map((_, k) => (k % 3 === 0 ? 1 : -1) * 1.7e308);
    const res = stftForwardWithState(plan, huge, params);
    const dS = new Float64Array(res.spec.length).fill(1e-300);
    expect(() => stftBackward(res, { spec: dS })).not.toThrow();
    huge[9] = 0;
    expect(() => stftBackward(res, { spec: dS })).toThrow(/modified after the forward/);
  });

  it('parameters given through getters (a class instance) reach the forward with state as they do the plain forward', () => {
    const p = createStftPlan({ nFft: N, signalLength: L, window: hann, windowMode: 'constant', positions: { mode: 'constant', hop: 8 }, thetaMin: 8 });
    class Params {
      get theta(): Float64Array {
        return Float64Array.of(19.5);
      }
      get hop(): number {
        return 11.25;
      }
    }
    const res = stftForwardWithState(p, x, new Params());
    const want = stftForward(p, x, { theta: Float64Array.of(19.5), hop: 11.25 });
    expect(Array.from(res.positions)).toEqual(Array.from(want.positions));
    expect(Array.from(res.X)).toEqual(Array.from(want.X));
  });

  it('θ changed in place after the forward (an optimizer step) does not change the backward: the cache owns a copy', () => {
    const p = createStftPlan({ nFft: N, signalLength: L, window: hann, windowMode: 'time', positions: { mode: 'fixed', hop: 8 }, thetaMin: 8 });
    const theta = new Float64Array(p.frames).map((_, n) => 14 + (n % 5));
    const res = stftForwardWithState(p, x, { theta });
    const dS = new Float64Array(res.spec.length).map((_, k) => Math.cos(0.2 * k));
    const want = stftBackward(res, { spec: dS });
    theta.fill(30);
    const got = stftBackward(res, { spec: dS });
    expect(Array.from(got.theta)).toEqual(Array.from(want.theta));
    expect(Array.from(res.cache.theta)).toEqual(Array.from(res.theta));
    expect(res.cache.table.theta).toBe(res.cache.theta);
  });

  it('the result carries its cache (not enumerable); backward also takes the cache itself', () => {
    const res = stftForwardWithState(plan, x, params);
    expect(res.cache).toBeInstanceOf(ForwardCache);
    expect(Object.keys(res)).not.toContain('cache');
    expect(ForwardCache.saves).toEqual({ inputs: ['x', 'theta', 'positions'], outputs: ['X'] });
    const dS = new Float64Array(res.spec.length).fill(1);
    expect(Array.from(stftBackward(res.cache, { spec: dS }).theta)).toEqual(Array.from(stftBackward(res, { spec: dS }).theta));
  });

  it('a cache from another plan, or one whose result was overwritten, is a StateError', () => {
    const other = createStftPlan({ nFft: N, signalLength: L, window: hann, windowMode: 'constant', positions: { mode: 'fixed', hop: 8 } });
    const res = stftForwardWithState(plan, x, params);
    expect(() => stftBackward(res, { spec: new Float64Array(res.spec.length) }, {}, other)).toThrow(StateError);
    expect(() => stftBackward(res, { spec: new Float64Array(res.spec.length) }, {}, other)).toThrow(/another transform/);
    const old = res.cache;
    stftForwardWithState(plan, x, { theta: Float64Array.of(24) }, res);
    expect(res.cache).not.toBe(old);
    expect(() => stftBackward(old, { spec: new Float64Array(res.spec.length) })).toThrow(/no forward state is saved for this result/);
  });

  it('backward over frame ranges adds up to the whole backward', () => {
    const p = createStftPlan({ nFft: N, signalLength: L, window: hann, windowMode: 'time', positions: { mode: 'free', frames: 9 }, thetaMin: 8 });
    const pr = { theta: new Float64Array(9).fill(20), positions: Float64Array.from({ length: 9 }, (_, n) => 3.25 + 17.5 * n) };
    const res = stftForwardWithState(p, x, pr);
    const dS = new Float64Array(res.spec.length).map((_, k) => Math.sin(k));
    const whole = stftBackward(res, { spec: dS }, { signal: true });
    const a = stftBackward(res, { spec: dS }, { signal: true, frames: [0, 4] });
    const b = stftBackward(res, { spec: dS }, { signal: true, frames: [4, 9] });
    for (let n = 0; n < 9; n++) {
      expect(a.theta[n]! + b.theta[n]!).toBe(whole.theta[n]);
      expect(a.positions[n]! + b.positions[n]!).toBe(whole.positions[n]);
    }
    for (let k = 0; k < whole.x!.length; k++) expect(a.x![k]! + b.x![k]!).toBeCloseTo(whole.x![k]!, 12);
    expect(() => stftBackward(res, { spec: dS }, { frames: [0, 10] })).toThrow(/frames/);
  });

  for (const windowMode of ['constant', 'time-frequency'] as WindowMode[]) {
    it(`stftBackwardInto: ranges on caches of other plans (as threads run them), reduced once, equal the whole backward bit for bit (${windowMode})`, () => {
      const cfg = { nFft: N, signalLength: L, window: hann, windowMode, positions: { mode: 'constant', hop: 13.5 } as PositionsConfig, thetaMin: 8 };
      const p = createStftPlan(cfg);
      const T = p.frames;
      const pr = { theta: new Float64Array(p.thetaLength(T)).fill(21.5), hop: 13.5 };
      const res = stftForwardWithState(p, x, pr);
      const G = res.X.map((_, k) => Math.cos(0.3 * k));
      const whole = stftBackward(res, { X: G }, { signal: true });
      const into = createBackwardBuffers(res, { signal: true });
      const parts: [number, number][] = [[7, T], [0, 3], [3, 7]];
      const gxs: Float64Array[] = [];
      for (const range of parts) {
        // each "thread": its own plan and a cache built from what the forward produced, x not checksummed
        const own = createStftPlan(cfg);
        const cache = new ForwardCache(own, x, res, { verifySignal: false });
        const gx = new Float64Array(B * L);
        gxs.push(gx);
        stftBackwardInto(cache, { X: G }, { contrib: into.contrib, gPos: into.gPos, gx }, { frames: range });
      }
      for (const gx of gxs) for (let k = 0; k < gx.length; k++) into.gx![k]! += gx[k]!;
      const got = finishBackward(res, into);
      expect(Array.from(got.theta)).toEqual(Array.from(whole.theta));
      expect(Array.from(got.positions)).toEqual(Array.from(whole.positions));
      expect(got.hop).toBe(whole.hop);
      for (let k = 0; k < whole.x!.length; k++) expect(got.x![k]!).toBeCloseTo(whole.x![k]!, 12);
      expect(() => stftBackwardInto(res, { X: G }, { contrib: new Float64Array(1), gPos: into.gPos, gx: null })).toThrow(/into.*createBackwardBuffers/);
      expect(() => stftBackwardInto(res, { X: G }, into, { frames: [0, T + 1] })).toThrow(/frames/);
    });
  }

  it("a cache given the forward's frame table keeps it (no copies) and gives the same gradients; a table of other θ or t_n is refused", () => {
    const cfg = { nFft: N, signalLength: L, window: hann, windowMode: 'time-frequency' as WindowMode, positions: { mode: 'constant', hop: 13.5 } as PositionsConfig, thetaMin: 8 };
    const p = createStftPlan(cfg);
    const pr = { theta: new Float64Array(p.thetaLength(p.frames)).map((_, k) => 18 + (k % 7)), hop: 13.5 };
    const res = stftForwardWithState(p, x, pr);
    const table = resolveFrameTable(p, pr);
    const dS = new Float64Array(res.spec.length).map((_, k) => Math.sin(0.7 * k));
    const cache = new ForwardCache(p, x, res, { table });
    expect(cache.table).toBe(table);
    expect(cache.theta).toBe(pr.theta); // kept, not copied: the caller owns it until the backward
    const got = stftBackward(cache, { spec: dS }, { signal: true });
    const want = stftBackward(res, { spec: dS }, { signal: true });
    expect(Array.from(got.theta)).toEqual(Array.from(want.theta));
    expect(Array.from(got.positions)).toEqual(Array.from(want.positions));
    expect(Array.from(got.x!)).toEqual(Array.from(want.x!));
    const shifted = resolveFrameTable(p, { ...pr, hop: 13.25 });
    expect(() => new ForwardCache(p, x, res, { table: shifted })).toThrow(/table.*not the frame table of this result's forward/);
    const otherTheta = resolveFrameTable(p, { ...pr, theta: pr.theta.map((v) => v + 1) });
    expect(() => new ForwardCache(p, x, res, { table: otherTheta })).toThrow(/table/);
    expect(() => new ForwardCache(createStftPlan(cfg), x, res, { table })).toThrow(/table/);
  });

  it("recordForwardState(…, { table }) keeps the forward's table and gives the same gradients; a table of other parameters is refused", () => {
    const p = createStftPlan({ nFft: N, signalLength: L, window: hann, windowMode: 'time', positions: { mode: 'constant', hop: 13.5 }, thetaMin: 8 });
    const pr = { theta: new Float64Array(p.frames).map((_, n) => 15 + (n % 4)), hop: 13.5 };
    const own = { ...pr, theta: pr.theta.slice() };
    const table = resolveFrameTable(p, own);
    const res = stftForward(p, x, own, undefined, { table });
    const kept = recordForwardState(p, x, res, { table });
    expect(kept.cache.table).toBe(table);
    const dS = new Float64Array(res.spec.length).map((_, k) => Math.sin(0.3 * k));
    const want = stftBackward(stftForwardWithState(p, x, pr), { spec: dS }, { signal: true });
    const got = stftBackward(kept, { spec: dS }, { signal: true });
    expect(Array.from(got.theta)).toEqual(Array.from(want.theta));
    expect(got.hop).toBe(want.hop);
    expect(Array.from(got.x!)).toEqual(Array.from(want.x!));
    expect(() => recordForwardState(p, x, res, { table: resolveFrameTable(p, { ...pr, hop: 13 }) })).toThrow(/table/);
  });

  it('signalChecksum checks x as assertSignalBatch does; recordForwardState(…, { checksum }) keeps it and still catches a changed x', () => {
    const nan = x.slice();
    nan[L + 4] = Number.NaN;
    expect(() => signalChecksum(nan, L)).toThrow(/x\[1\]\[4\] = NaN: sample 4 of signal 1 is not finite/);
    expect(() => signalChecksum(x.subarray(3), L)).toThrow(/not a whole number of signals/);
    expect(() => signalChecksum([1, 2] as never, 2)).toThrow(/Float64Array/);
    const xs = x.slice();
    const sum = signalChecksum(xs, L);
    expect(Number.isFinite(sum)).toBe(true);
    const res = stftForward(plan, xs, params);
    const dS = new Float64Array(res.spec.length).fill(1);
    const want = stftBackward(stftForwardWithState(plan, xs, params), { spec: dS });
    recordForwardState(plan, xs, res, { checksum: sum });
    expect(Array.from(stftBackward(res, { spec: dS }).theta)).toEqual(Array.from(want.theta));
    xs[7]! += 1;
    expect(() => stftBackward(res, { spec: dS })).toThrow(/modified after the forward/);
    xs[7]! -= 1;
    recordForwardState(plan, xs, res, { checksum: sum + 1 }); // another signal's checksum: refused, never trusted
    expect(() => stftBackward(res, { spec: dS })).toThrow(/modified after the forward/);
    expect(() => recordForwardState(plan, xs, res, { checksum: 'abc' as never })).toThrow(/checksum.*signalChecksum/);
  });

  it('a cache that does not verify the signal skips the check; a verifying one refuses a modified x', () => {
    const xs = x.slice();
    const res = stftForwardWithState(plan, xs, params);
    const trusting = new ForwardCache(plan, xs, res, { verifySignal: false });
    xs[5]! += 1;
    const dS = new Float64Array(res.spec.length).fill(1);
    expect(() => stftBackward(res, { spec: dS })).toThrow(/modified after the forward/);
    expect(() => stftBackward(trusting, { spec: dS })).not.toThrow();
  });

  it('rejects a wrongly shaped or ambiguous upstream', () => {
    const res = stftForwardWithState(plan, x, params);
    expect(() => stftBackward(res, { spec: new Float64Array(3) })).toThrow(/upstream.spec/);
    expect(() => stftBackward(res, {})).toThrow(/exactly one/);
    expect(() => stftBackward(res, { spec: new Float64Array(res.spec.length), X: new Float64Array(res.X.length) })).toThrow(/exactly one/);
  });

  it('a learnable mode with a window lacking derivatives is rejected at the differentiable forward', () => {
    const noGrad = { ...hann, id: 'acme/no-grad', gradients: { theta: false, x: false } } as WindowPlugin;
    const p = createStftPlan({ nFft: N, signalLength: L, window: noGrad, windowMode: 'constant', positions: { mode: 'fixed', hop: 8 } });
    expect(() => stftForwardWithState(p, x, params)).toThrow(/provides no ∂w\/∂θ/);
  });
});
