import { describe, expect, it } from 'vitest';
import { hannPlugin, naiveDstft, naiveHann, relMaxError, testSignal } from './naive-dft.fixture.js';
import { FrameTable, createStftPlan, magnitude, resolveFrameTable, stftForward, type PositionsConfig, type StftParams, type WindowMode } from './index.js';


const L = 300;
const B = 2;
const x = testSignal(L, B, 11);


function thetaFor(mode: WindowMode, T: number, F: number, N: number): Float64Array {
  switch (mode) {
    case 'fixed':
    case 'constant':
      return Float64Array.of(0.73 * N + 0.41);
    case 'time':
      return Float64Array.from({ length: T }, (_, n) => N * (0.35 + 0.6 * Math.abs(Math.sin(0.7 * n + 0.3))));
    case 'frequency':
      return Float64Array.from({ length: F }, (_, m) => N * (0.3 + (0.65 * m) / F));
    case 'time-frequency':
      return Float64Array.from({ length: F * T }, (_, k) => N * (0.3 + 0.65 * Math.abs(Math.cos(0.37 * k + 0.1))));
  }
}

const hops = (T: number): Float64Array => Float64Array.from({ length: T - 1 }, (_, i) => 9.25 + 13 * Math.abs(Math.sin(1.3 * i)));
const free = (T: number): Float64Array => Float64Array.from({ length: T }, (_, n) => -17.3 + n * 24.61 + 3 * Math.sin(n));

const positionCases: { name: string; positions: PositionsConfig; extra: (T: number) => Partial<StftParams>; t: (T: number) => Float64Array }[] = [
  { name: 'fixed hop 17.5', positions: { mode: 'fixed', hop: 17.5 }, extra: () => ({}), t: (T) => Float64Array.from({ length: T }, (_, n) => n * 17.5) },
  { name: 'constant hop 23.3', positions: { mode: 'constant', hop: 20 }, extra: () => ({ hop: 23.3 }), t: (T) => Float64Array.from({ length: T }, (_, n) => n * 23.3) },
  {
    name: 'time-varying hops',
    positions: { mode: 'time', frames: 14 },
    extra: (T) => ({ t0: -3.7, hops: hops(T) }),
    t: (T) => {
      const h = hops(T);
      const t = new Float64Array(T);
      t[0] = -3.7;
      for (let n = 1; n < T; n++) t[n] = t[n - 1]! + h[n - 1]!;
      return t;
    },
  },
  { name: 'free positions', positions: { mode: 'free', frames: 13 }, extra: (T) => ({ positions: free(T) }), t: (T) => free(T) },
];

describe('forward transform agrees with an independent naive DFT', () => {
  for (const N of [64, 48, 33]) {
    for (const windowMode of ['fixed', 'constant', 'time', 'frequency', 'time-frequency'] as WindowMode[]) {
      for (const pc of positionCases) {
        it(`N=${N} ${windowMode} θ, ${pc.name}`, () => {
          const plan = createStftPlan({ nFft: N, signalLength: L, window: hannPlugin, windowMode, positions: pc.positions });
          const T = plan.frames;
          const F = plan.freqs;
          const theta = thetaFor(windowMode, T, F, N);
          const params: StftParams = { theta, ...pc.extra(T) };
          const res = stftForward(plan, x, params);
          expect(res.frames).toBe(T);
          expect(res.freqs).toBe(Math.floor(N / 2) + 1);
          const want = naiveDstft(x, {
            nFft: N,
            signalLength: L,
            positions: pc.t(T),
            theta: (m, n) => (theta.length === 1 ? theta[0]! : windowMode === 'time' ? theta[n]! : windowMode === 'frequency' ? theta[m]! : theta[m * T + n]!),
            window: naiveHann,
            normalization: 'none',
          });
          expect(relMaxError(res.X, want)).toBeLessThan(1e-12);
          // positions are reported as given
          const tWant = pc.t(T);
          for (let n = 0; n < T; n++) expect(res.positions[n]).toBeCloseTo(tWant[n]!, 10);
        });
      }
    }
  }

  for (const normalization of ['paper', 'unit'] as const) {
    for (const windowMode of ['time', 'time-frequency'] as WindowMode[]) {
      it(`normalization ${normalization}, ${windowMode} θ, fractional positions`, () => {
        const N = 64;
        const plan = createStftPlan({ nFft: N, signalLength: L, window: hannPlugin, windowMode, normalization, positions: { mode: 'free', frames: 13 } });
        const T = 13;
        const theta = thetaFor(windowMode, T, plan.freqs, N);
        const res = stftForward(plan, x, { theta, positions: free(T) });
        const want = naiveDstft(x, {
          nFft: N,
          signalLength: L,
          positions: free(T),
          theta: (m, n) => (windowMode === 'time' ? theta[n]! : theta[m * T + n]!),
          window: naiveHann,
          normalization,
        });
        expect(relMaxError(res.X, want)).toBeLessThan(1e-12);
      });
    }
  }
});

describe('spectrogram, axes and torch.stft conventions', () => {
  it('S = |X|^power + eps for power 1, 2 and 1.5', () => {
    for (const power of [1, 2, 1.5]) {
      const plan = createStftPlan({ nFft: 32, signalLength: L, window: hannPlugin, windowMode: 'fixed', positions: { mode: 'fixed', hop: 8 }, power, eps: 1e-9 });
      const r = stftForward(plan, x, { theta: Float64Array.of(32) });
      for (let k = 0; k < r.spec.length; k += 7) {
        const mag = Math.hypot(r.X[2 * k]!, r.X[2 * k + 1]!);
        expect(r.spec[k]).toBeCloseTo(mag ** power + 1e-9, 12);
      }
      // magnitude() from X alone gives exactly the forward's S
      const again = new Float64Array(r.spec.length);
      magnitude(r.X, again, power, 1e-9);
      expect(Array.from(again)).toEqual(Array.from(r.spec));
    }
  });

  it('θ = N, integer hop, Hann, none: magnitudes of torch.stft(center=True, constant padding), T = 1 + floor(L/h)', () => {
    const N = 64;
    const h = 16;
    const plan = createStftPlan({ nFft: N, signalLength: L, window: hannPlugin, windowMode: 'fixed', positions: { mode: 'fixed', hop: h }, sampleRate: 8000 });
    const r = stftForward(plan, x, { theta: Float64Array.of(N) });
    expect(r.frames).toBe(1 + Math.floor(L / h));
    // torch.stft: frame n = xpad[n·h : n·h + N], xpad = N/2 zeros + x + N/2 zeros, periodic Hann, plain DFT
    const periodicHann = (j: number): number => 0.5 - 0.5 * Math.cos((2 * Math.PI * j) / N);
    for (const [b, m, n] of [
      [0, 0, 0],
      [0, 5, 3],
      [1, 17, 10],
      [1, 32, r.frames - 1],
      [0, 9, 7],
    ] as const) {
      let re = 0;
      let im = 0;
      for (let j = 0; j < N; j++) {
        const p = n * h + j - N / 2;
        const v = p >= 0 && p < L ? x[b * L + p]! * periodicHann(j) : 0;
        re += v * Math.cos((2 * Math.PI * m * j) / N);
        im -= v * Math.sin((2 * Math.PI * m * j) / N);
      }
      const k = (b * r.freqs + m) * r.frames + n;
      expect(Math.abs(r.spec[k]! - 1e-12 - Math.hypot(re, im))).toBeLessThan(1e-12 * (1 + Math.hypot(re, im)));
    }
    expect(r.frequencies[1]).toBeCloseTo(8000 / N, 12);
    expect(r.times[3]).toBeCloseTo((3 * h) / 8000, 15);
  });
});

describe('properties', () => {
  const N = 48;
  const mk = (windowMode: WindowMode) =>
    createStftPlan({ nFft: N, signalLength: L, window: hannPlugin, windowMode, positions: { mode: 'free', frames: 13 } });

  it('linearity: A(a x + b y) = a A x + b A y', () => {
    for (const mode of ['constant', 'time-frequency'] as WindowMode[]) {
      const plan = mk(mode);
      const params = { theta: thetaFor(mode, 13, plan.freqs, N), positions: free(13) };
      const u = testSignal(L, 1, 5);
      const v = testSignal(L, 1, 6);
      const mix = u.map((ui, k) => 2.5 * ui - 0.75 * v[k]!);
      const Xu = stftForward(plan, u, params).X.slice();
      const Xv = stftForward(plan, v, params).X.slice();
      const Xm = stftForward(plan, mix, params).X;
      expect(relMaxError(Xm, Xu.map((a, k) => 2.5 * a - 0.75 * Xv[k]!))).toBeLessThan(1e-13);
    }
  });

  it('time shift: delaying signal and positions by s multiplies X[m,·] by e^{-2πi m s/N}', () => {
    const s = 37;
    const Ls = L + 2 * s + N;
    const u = new Float64Array(Ls);
    const shifted = new Float64Array(Ls);
    const core = testSignal(L, 1, 9);
    u.set(core, N / 2 + 1);
    shifted.set(core, N / 2 + 1 + s);
    for (const mode of ['time', 'frequency'] as WindowMode[]) {
      const plan = createStftPlan({ nFft: N, signalLength: Ls, window: hannPlugin, windowMode: mode, positions: { mode: 'free', frames: 13 } });
      const t = free(13).map((v) => v + N);
      const theta = thetaFor(mode, 13, plan.freqs, N);
      const X0 = stftForward(plan, u, { theta, positions: t }).X.slice();
      const X1 = stftForward(plan, shifted, { theta, positions: t.map((v) => v + s) }).X;
      const rotated = new Float64Array(X0.length);
      const F = plan.freqs;
      for (let m = 0; m < F; m++) {
        const a = (-2 * Math.PI * m * s) / N;
        for (let n = 0; n < 13; n++) {
          const o = 2 * (m * 13 + n);
          rotated[o] = X0[o]! * Math.cos(a) - X0[o + 1]! * Math.sin(a);
          rotated[o + 1] = X0[o]! * Math.sin(a) + X0[o + 1]! * Math.cos(a);
        }
      }
      expect(relMaxError(X1, rotated)).toBeLessThan(1e-12);
    }
  });

  it('Parseval per frame: Σ_j (x w)² = (1/N) Σ over the full spectrum of |X|²', () => {
    for (const n of [48, 33]) {
      const plan = createStftPlan({ nFft: n, signalLength: L, window: hannPlugin, windowMode: 'time', positions: { mode: 'free', frames: 13 } });
      const theta = thetaFor('time', 13, plan.freqs, n);
      const t = free(13);
      const r = stftForward(plan, x, { theta, positions: t });
      const F = plan.freqs;
      for (let b = 0; b < B; b++) {
        for (let k = 0; k < 13; k++) {
          let energy = 0;
          const i = Math.floor(t[k]!);
          for (let j = 0; j < n; j++) {
            const p = i - Math.floor(n / 2) + j;
            if (p < 0 || p >= L) continue;
            const v = x[b * L + p]! * naiveHann(p - t[k]!, theta[k]!);
            energy += v * v;
          }
          let spec = 0;
          for (let m = 0; m < F; m++) {
            const o = 2 * ((b * F + m) * 13 + k);
            const e = r.X[o]! ** 2 + r.X[o + 1]! ** 2;
            const twice = m > 0 && !(n % 2 === 0 && m === n / 2);
            spec += twice ? 2 * e : e;
          }
          expect(Math.abs(spec / n - energy)).toBeLessThan(1e-12 * (1 + energy));
        }
      }
    }
  });

  it('reuses a previous result buffer without changing results', () => {
    const plan = mk('time');
    const params = { theta: thetaFor('time', 13, plan.freqs, N), positions: free(13) };
    const a = stftForward(plan, x, params);
    const first = a.X.slice();
    const other = stftForward(plan, testSignal(L, B, 99), params, a);
    expect(other).toBe(a);
    const again = stftForward(plan, x, params, a);
    expect(relMaxError(again.X, first)).toBe(0);
  });
});

describe('frame ranges on another plan (as parallel workers run them)', () => {
  for (const windowMode of ['constant', 'time', 'time-frequency'] as WindowMode[]) {
    for (const [name, positions] of [
      ['integer hop (one shared window)', { mode: 'fixed', hop: 20 }],
      ['fractional hop', { mode: 'fixed', hop: 17.5 }],
    ] as [string, PositionsConfig][]) {
      it(`${windowMode} θ, ${name}: any split of [0, T) gives exactly the result of stftForward`, () => {
        const N = 64;
        const xs = testSignal(L, 3, 5);
        const plan = createStftPlan({ nFft: N, signalLength: L, window: hannPlugin, windowMode, positions });
        const T = plan.frames;
        const F = plan.freqs;
        const theta = thetaFor(windowMode, T, F, N);
        const whole = stftForward(plan, xs, { theta });
        // another plan (as a worker would have), one result filled by ranges in any order
        const other = createStftPlan({ nFft: N, signalLength: L, window: hannPlugin, windowMode, positions });
        const out = stftForward(other, xs, { theta }, undefined, { frames: [0, 0] });
        out.X.fill(Number.NaN);
        out.spec.fill(Number.NaN);
        for (const [n0, n1] of [[9, T], [0, 4], [4, 4], [4, 9]] as [number, number][]) expect(stftForward(other, xs, { theta }, out, { frames: [n0, n1] })).toBe(out);
        expect(out.X.length).toBe(2 * 3 * F * T);
        expect(Array.from(out.X)).toEqual(Array.from(whole.X));
        expect(Array.from(out.spec)).toEqual(Array.from(whole.spec));
      });
    }
  }
});

describe('stftForward(…, { frames: [a, b) })', () => {
  it('ranges filled into one result give exactly the whole forward; other frames are left alone', () => {
    const N = 64;
    const xs = testSignal(L, 2, 7);
    const plan = createStftPlan({ nFft: N, signalLength: L, window: hannPlugin, windowMode: 'time', positions: { mode: 'fixed', hop: 17.5 } });
    const T = plan.frames;
    const theta = thetaFor('time', T, plan.freqs, N);
    const whole = stftForward(plan, xs, { theta });
    const part = stftForward(plan, xs, { theta }, undefined, { frames: [0, 3] });
    expect(part.X[2 * (T - 1)]).toBe(0); // frame T-1 of bin 0, signal 0: not computed
    stftForward(plan, xs, { theta }, part, { frames: [3, T] });
    expect(Array.from(part.X)).toEqual(Array.from(whole.X));
    expect(Array.from(part.spec)).toEqual(Array.from(whole.spec));
  });

  it('a frame table resolved by the caller gives the same result; a table of other parameters or another plan is refused', () => {
    const cfg = { nFft: 64, signalLength: L, window: hannPlugin, windowMode: 'time-frequency' as const, positions: { mode: 'fixed' as const, hop: 17.5 } };
    const plan = createStftPlan(cfg);
    const theta = thetaFor('time-frequency', plan.frames, plan.freqs, 64);
    const xs = testSignal(L, 2, 3);
    const table = resolveFrameTable(plan, { theta });
    const own = stftForward(plan, xs, { theta });
    const given = stftForward(plan, xs, { theta }, undefined, { table });
    expect(Array.from(given.X)).toEqual(Array.from(own.X));
    expect(Array.from(given.positions)).toEqual(Array.from(own.positions));
    expect(() => stftForward(plan, xs, { theta: theta.slice() }, undefined, { table })).toThrow(/table.*not a frame table of this transform for these parameters/);
    expect(() => stftForward(createStftPlan(cfg), xs, { theta }, undefined, { table })).toThrow(/table/);
  });

  it('resolveFrameTable(…, reuse) refills a table it made for the plan (same contents as a new one), and refuses any other', () => {
    const cfg = { nFft: 64, signalLength: L, window: hannPlugin, windowMode: 'time' as const, positions: { mode: 'time' as const } };
    const plan = createStftPlan({ ...cfg, positions: { mode: 'time', frames: 9 } });
    const T = plan.frames;
    const xs = testSignal(L, 2, 7);
    const p1 = { theta: thetaFor('time', T, plan.freqs, 64), t0: 3.25, hops: new Float64Array(T - 1).fill(17.5) };
    const p2 = { theta: p1.theta.map((v) => v * 0.9), t0: -8.5, hops: Float64Array.from({ length: T - 1 }, (_, n) => 12 + (n % 3) * 6.25) };
    const table = resolveFrameTable(plan, p1);
    const again = resolveFrameTable(plan, p2, table);
    expect(again).toBe(table);
    const fresh = resolveFrameTable(plan, p2);
    expect(again.theta).toBe(p2.theta);
    for (const k of ['positions', 'start', 'frac', 'first', 'clipLo', 'clipHi', 'shift', 'thetaBase'] as const) expect(Array.from(again[k]), k).toEqual(Array.from(fresh[k]));
    const want = stftForward(plan, xs, p2);
    expect(Array.from(stftForward(plan, xs, p2, undefined, { table: again }).X)).toEqual(Array.from(want.X));
    const other = createStftPlan({ ...cfg, positions: { mode: 'time', frames: 9 } });
    expect(() => resolveFrameTable(other, p1, table)).toThrow(/reuse.*not a frame table that resolveFrameTable made for this plan/);
    expect(() => resolveFrameTable(plan, p1, new FrameTable(plan, p1.theta, fresh.positions.slice(), T))).toThrow(/reuse/);
    expect(() => resolveFrameTable(plan, p1, {} as FrameTable)).toThrow(/reuse/);
    // fixed-overlap: T follows θ, so a new table is made
    const overlap = createStftPlan({ nFft: 64, signalLength: L, window: hannPlugin, windowMode: 'constant', positions: { mode: 'fixed', hop: 1 }, framePolicy: { kind: 'fixed-overlap', overlap: 0.5 }, thetaMin: 16 });
    const o1 = resolveFrameTable(overlap, { theta: Float64Array.of(40) });
    const o2 = resolveFrameTable(overlap, { theta: Float64Array.of(20) }, o1);
    expect(o2).not.toBe(o1);
    expect(o2.frames).toBeGreaterThan(o1.frames);
  });

  it('rejects a range outside [0, T]', () => {
    const plan = createStftPlan({ nFft: 32, signalLength: L, window: hannPlugin, windowMode: 'constant', positions: { mode: 'fixed', hop: 16 } });
    const params = { theta: Float64Array.of(20) };
    expect(() => stftForward(plan, x, params, undefined, { frames: [2, plan.frames + 1] })).toThrow(/frames = .*0 ≤ a ≤ b ≤ T/);
    expect(() => stftForward(plan, x, params, undefined, { frames: [3, 2] })).toThrow(/frames/);
  });
});

describe('fixed-overlap policy', () => {
  it('hop = (1-α)θ, frames cover every window touching the signal, T grows as θ shrinks', () => {
    const N = 64;
    const plan = createStftPlan({
      nFft: N,
      signalLength: L,
      window: hannPlugin,
      windowMode: 'constant',
      positions: { mode: 'fixed', hop: 1 },
      framePolicy: { kind: 'fixed-overlap', overlap: 0.75 },
      thetaMin: 16,
    });
    const big = stftForward(plan, x, { theta: Float64Array.of(60) });
    const small = stftForward(plan, x, { theta: Float64Array.of(30) });
    expect(small.frames).toBeGreaterThan(big.frames);
    for (const [r, th] of [
      [big, 60],
      [small, 30],
    ] as const) {
      const hop = 0.25 * th;
      const t = r.positions;
      for (let n = 1; n < r.frames; n++) expect(t[n]! - t[n - 1]!).toBeCloseTo(hop, 12);
      expect(t[0]! + th / 2).toBeGreaterThan(0); // first window touches sample 0
      expect(t[0]! - hop + th / 2).toBeLessThanOrEqual(0); // the one before does not
      expect(t[r.frames - 1]! - th / 2).toBeLessThan(L - 1);
      expect(t[r.frames - 1]! + hop - th / 2).toBeGreaterThanOrEqual(L - 1);
      const want = naiveDstft(x, { nFft: N, signalLength: L, positions: t, theta: () => th, window: naiveHann, normalization: 'none' });
      expect(relMaxError(r.X, want)).toBeLessThan(1e-12);
    }
  });
});
