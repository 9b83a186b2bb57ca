import { describe, expect, it } from 'vitest';
import { createRng } from '@dstft/testing';
import { createStftPlan, stftForward } from '@dstft/kernel';
import { hann } from '@dstft/windows';
import { sampleAt, trackRidge, trackingMse, vibrationSignal } from './index.js';

/** The objective of a path, straight from its definition (log score of frame-normalised S, quadratic jumps). */
function pathScore(S: Float64Array, F: number, T: number, path: number[], df: number, lambda: number): number {
  let total = 0;
  for (let n = 0; n < T; n++) {
    let mx = 0;
    for (let m = 0; m < F; m++) mx = Math.max(mx, S[m * T + n]);
    total += Math.log(S[path[n] * T + n] / mx);
    if (n > 0) total -= lambda * (df * (path[n] - path[n - 1])) ** 2;
  }
  return total;
}

/** Every path of F^T, the best by exhaustive search (optionally with a hard jump limit in bins). */
function bruteForce(S: Float64Array, F: number, T: number, df: number, lambda: number, maxJumpBins = Infinity): { path: number[]; score: number } {
  let best = { path: [] as number[], score: -Infinity };
  const path = new Array<number>(T).fill(0);
  const total = F ** T;
  for (let code = 0; code < total; code++) {
    let c = code;
    let ok = true;
    for (let n = 0; n < T; n++) {
      path[n] = c % F;
      c = Math.floor(c / F);
      if (n > 0 && Math.abs(path[n] - path[n - 1]) > maxJumpBins) ok = false;
    }
    if (!ok) continue;
    const s = pathScore(S, F, T, path, df, lambda);
    if (s > best.score) best = { path: [...path], score: s };
  }
  return best;
}

describe('trackRidge: exact dynamic programming', () => {
  const rng = createRng(5);
  const F = 6;
  const T = 5;
  const df = 2; // sampleRate 20, nFft 10 → 6 bins 2 Hz apart
  for (let trial = 0; trial < 6; trial++) {
    const S = Float64Array.from({ length: F * T }, () => 0.01 + rng.uniform());
    for (const [lambda, maxJump] of [
      [0.05, undefined],
      [0, undefined],
      [0.5, undefined],
      [0.02, 2],
    ] as const) {
      it(`finds the exhaustive-search optimum (trial ${trial}, λ = ${lambda}, maxJump ${maxJump ?? '∞'} Hz)`, () => {
        const r = trackRidge({ data: S, batch: 1, freqs: F, frames: T }, { sampleRate: 20, nFft: 10, jumpPenalty: lambda, refine: false, ...(maxJump !== undefined ? { maxJump } : {}) });
        const bf = bruteForce(S, F, T, df, lambda, maxJump === undefined ? Infinity : Math.floor(maxJump / df));
        expect(r.score).toBeCloseTo(bf.score, 10);
        expect(Array.from(r.bins)).toEqual(bf.path);
        expect(Array.from(r.frequency)).toEqual(bf.path.map((m) => m * df));
      });
    }
  }
});

/** A synthetic spectrogram: a noisy floor plus Gaussian-profile ridges along given bin paths. */
function ridgeImage(F: number, T: number, ridges: { path: (n: number) => number; amplitude: number }[], seed: number): Float64Array {
  const rng = createRng(seed);
  const S = new Float64Array(F * T);
  for (let m = 0; m < F; m++) for (let n = 0; n < T; n++) S[m * T + n] = 0.05 + 0.1 * rng.uniform();
  for (const r of ridges) {
    for (let n = 0; n < T; n++) {
      const c = r.path(n);
      for (let m = 0; m < F; m++) S[m * T + n] += r.amplitude * Math.exp(-0.5 * ((m - c) / 1.2) ** 2);
    }
  }
  return S;
}

describe('trackRidge on synthetic ridges with known paths', () => {
  const F = 128;
  const T = 200;
  const view = (S: Float64Array) => ({ data: S, batch: 1, freqs: F, frames: T });
  const opts = { sampleRate: 254, nFft: 254, jumpPenalty: 0.05 }; // 1 Hz per bin

  it('recovers a wandering ridge exactly under noise', () => {
    const path = (n: number) => Math.round(60 + 30 * Math.sin(n / 25));
    const S = ridgeImage(F, T, [{ path, amplitude: 1 }], 1);
    const r = trackRidge(view(S), { ...opts, refine: false });
    for (let n = 0; n < T; n++) expect(r.bins[n]).toBe(path(n));
  });

  it('follows the stronger of two crossing harmonics through the crossing, and the weaker one when the band says so', () => {
    const up = (n: number) => 20 + 0.4 * n; // 20 → 99.6
    const down = (n: number) => 100 - 0.4 * n;
    const S = ridgeImage(F, T, [
      { path: (n) => Math.round(up(n)), amplitude: 1 },
      { path: (n) => Math.round(down(n)), amplitude: 0.5 },
    ], 2);
    const r = trackRidge(view(S), { ...opts, refine: false });
    let off = 0;
    for (let n = 0; n < T; n++) if (Math.abs(r.bins[n] - Math.round(up(n))) > 1) off++;
    expect(off).toBe(0);
    // a band that holds only the weaker ridge, over the first 80 frames (there it runs 100 → 68.4, the other ≤ 52)
    const K = 80;
    const sub = new Float64Array(F * K);
    for (let m = 0; m < F; m++) for (let n = 0; n < K; n++) sub[m * K + n] = S[m * T + n];
    const w = trackRidge({ data: sub, batch: 1, freqs: F, frames: K }, { ...opts, band: [66, 127], refine: false });
    for (let n = 0; n < K; n++) expect(Math.abs(w.bins[n] - Math.round(down(n)))).toBeLessThanOrEqual(1);
  });

  it('a large jump penalty refuses to hop to a brief stronger distractor', () => {
    const path = () => 40;
    const S = ridgeImage(F, T, [{ path, amplitude: 1 }], 3);
    for (let n = 100; n < 104; n++) S[90 * T + n] += 3; // a 4-frame burst 50 bins away
    const loose = trackRidge(view(S), { ...opts, jumpPenalty: 0, refine: false });
    const tight = trackRidge(view(S), { ...opts, jumpPenalty: 0.05, refine: false });
    expect(loose.bins[101]).toBe(90);
    expect(tight.bins[101]).toBe(40);
  });
});

describe('trackRidge on a real transform of the vibration signal', () => {
  it('tracks the 10th harmonic and, divided by 10, the shaft speed to a small MSE; refinement helps', () => {
    const v = vibrationSignal({ snrDb: 10, seed: 2 });
    const N = 1024;
    const hop = 50;
    const L = v.signal.length;
    const plan = createStftPlan({ nFft: N, signalLength: L, sampleRate: v.sampleRate, window: hann, windowMode: 'constant', positions: { mode: 'fixed', hop } });
    const r = stftForward(plan, v.signal, { theta: Float64Array.of(500) });
    const truth = sampleAt(v.shaftHz, r.positions);
    const spec = { data: r.spec, batch: 1, freqs: r.freqs, frames: r.frames };
    const base = { sampleRate: v.sampleRate, nFft: N, order: 10, band: [95, 300] as const, jumpPenalty: 1e-3 };
    const refined = trackRidge(spec, base);
    const raw = trackRidge(spec, { ...base, refine: false });
    const mse = trackingMse(refined.frequency, truth);
    expect(mse).toBeLessThan(0.05); // Hz² of the shaft speed
    expect(mse).toBeLessThan(trackingMse(raw.frequency, truth));
  });

  it('trackingMse by hand, and its errors', () => {
    expect(trackingMse([1, 2, 3], [1, 4, 6])).toBeCloseTo((0 + 4 + 9) / 3, 14);
    expect(trackingMse([1, 2, 3], [1, 4, 6], 1, 3)).toBeCloseTo((4 + 9) / 2, 14);
    expect(() => trackingMse([1], [1, 2])).toThrow(/one true frequency per frame/);
  });
});
