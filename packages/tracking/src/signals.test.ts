import { describe, expect, it } from 'vitest';
import { ParameterError } from '@dstft/core';
import { FLIGHT_PROFILE, integratePhase, profileDuration, sampleAt, shaftSpeed, variablePeriodSines, vibrationSignal } from './index.js';

/**
 * Frequency measured from a clean sinusoid's zero crossings: between two consecutive upward crossings (located by
 * linear interpolation) one period elapses, so 1/period estimates the frequency at the midpoint. Independent of
 * how the generator builds its phase.
 */
function zeroCrossingCheck(x: Float64Array, truth: Float64Array, fs: number): { periods: number; worst: number } {
  const ups: number[] = [];
  for (let i = 1; i < x.length; i++) if (x[i - 1] < 0 && x[i] >= 0) ups.push(i - 1 + -x[i - 1] / (x[i] - x[i - 1]));
  let worst = 0;
  for (let k = 1; k < ups.length; k++) {
    // one period elapses between consecutive upward crossings: 1/period is the truth's mean over it
    const measured = fs / (ups[k] - ups[k - 1]);
    const grid = Float64Array.from({ length: 65 }, (_, j) => ups[k - 1] + ((ups[k] - ups[k - 1]) * j) / 64);
    const f = sampleAt(truth, grid);
    let mean = 0;
    for (let j = 0; j < 64; j++) mean += (f[j] + f[j + 1]) / 2;
    mean /= 64;
    worst = Math.max(worst, Math.abs(measured - mean) / mean);
  }
  return { periods: ups.length - 1, worst };
}

describe('shaft-speed profiles', () => {
  it('holds, ramps (raised cosine) and manoeuvres as defined, continuous at the joins', () => {
    const fs = 100;
    const profile = {
      start: 10,
      segments: [
        { kind: 'hold', duration: 1 },
        { kind: 'ramp', duration: 2, to: 20 },
        { kind: 'manoeuvre', duration: 2, depth: 3, rate: 0.5 },
      ],
    } as const;
    const f = shaftSpeed(profile, fs, 600);
    expect(f[50]).toBe(10); // hold
    expect(f[200]).toBeCloseTo(15, 12); // ramp midpoint: average of ends
    expect(f[150]).toBeCloseTo(10 + 10 * 0.5 * (1 - Math.cos(Math.PI / 4)), 12);
    expect(f[300]).toBeCloseTo(20, 12); // end of the ramp = start of the manoeuvre
    expect(f[350]).toBeCloseTo(20 + 3 * Math.sin(2 * Math.PI * 0.5 * 0.5), 12);
    expect(f[599]).toBeCloseTo(20 + 3 * Math.sin(2 * Math.PI * 0.5 * 2), 9); // after the last segment: holds
    let maxStep = 0;
    for (let i = 1; i < f.length; i++) maxStep = Math.max(maxStep, Math.abs(f[i] - f[i - 1]));
    expect(maxStep).toBeLessThan(0.1);
  });

  it('the default flight profile lasts 20 s and stays within 10..29 Hz', () => {
    expect(profileDuration(FLIGHT_PROFILE)).toBe(20);
    const f = shaftSpeed(FLIGHT_PROFILE, 500, 10000);
    expect(Math.min(...f)).toBeGreaterThanOrEqual(10 - 1e-9);
    expect(Math.max(...f)).toBeLessThanOrEqual(29);
  });

  it('rejects bad profiles with the segment named', () => {
    expect(() => shaftSpeed({ start: 10, segments: [{ kind: 'ramp', duration: 0, to: 5 }] }, 100, 10)).toThrow(/segments\[0\]\.duration/);
    expect(() => shaftSpeed({ start: 5, segments: [{ kind: 'manoeuvre', duration: 1, depth: 6, rate: 1 }] }, 100, 100)).toThrow(/speed positive/);
    expect(() => shaftSpeed({ start: 5, segments: [] }, 0, 10)).toThrow(ParameterError);
  });
});

describe('vibrationSignal', () => {
  it('the instantaneous frequency of each harmonic matches the zero crossings of the clean signal', () => {
    for (const order of [1, 10]) {
      const v = vibrationSignal({ harmonics: [{ order, amplitude: 1 }], snrDb: null, sampleRate: 16000 });
      const truth = v.instantaneousFrequency(order);
      const zc = zeroCrossingCheck(v.signal, truth, v.sampleRate);
      expect(zc.periods).toBeGreaterThan(200);
      expect(zc.worst).toBeLessThan(2e-4);
    }
  });

  it('is reproducible by seed, and its noise has the requested SNR', () => {
    const a = vibrationSignal({ seed: 3 });
    const b = vibrationSignal({ seed: 3 });
    const c = vibrationSignal({ seed: 4 });
    expect(a.signal).toEqual(b.signal);
    expect(a.signal).not.toEqual(c.signal);
    const clean = vibrationSignal({ seed: 3, snrDb: null });
    expect(a.signal.length).toBe(40000);
    let ps = 0;
    let pn = 0;
    for (let i = 0; i < a.signal.length; i++) {
      ps += clean.signal[i] ** 2;
      pn += (a.signal[i] - clean.signal[i]) ** 2;
    }
    expect(10 * Math.log10(ps / pn)).toBeCloseTo(10, 0);
  });

  it('refuses harmonics at or above Nyquist', () => {
    expect(() => vibrationSignal({ harmonics: [{ order: 40, amplitude: 1 }] })).toThrow(/Nyquist/);
  });
});

describe('variablePeriodSines', () => {
  it('draws laws inside the ranges, and the clean signal’s zero crossings follow the truth', () => {
    const data = variablePeriodSines(4, 7, { snrDb: [200, 200], sampleRate: 16000, length: 32000 });
    expect(data).toHaveLength(4);
    for (const e of data) {
      expect(e.law.centre).toBeGreaterThanOrEqual(100);
      expect(e.law.centre).toBeLessThanOrEqual(350);
      expect(e.law.deviation).toBeGreaterThanOrEqual(10);
      const zc = zeroCrossingCheck(e.signal, e.frequency, e.sampleRate);
      expect(zc.periods).toBeGreaterThan(150);
      expect(zc.worst).toBeLessThan(2e-4);
    }
  });

  it('is reproducible by seed', () => {
    expect(variablePeriodSines(2, 1)[1].signal).toEqual(variablePeriodSines(2, 1)[1].signal);
    expect(variablePeriodSines(2, 1)[1].signal).not.toEqual(variablePeriodSines(2, 2)[1].signal);
    expect(() => variablePeriodSines(0, 1)).toThrow(/count = 0/);
    expect(() => variablePeriodSines(1, 1, { centre: [100, 480] })).toThrow(/leaves/);
  });
});

describe('helpers', () => {
  it('integratePhase is the trapezoid rule; sampleAt interpolates linearly and holds the ends', () => {
    const phi = integratePhase(Float64Array.of(1, 3, 5), 2);
    expect(Array.from(phi)).toEqual([0, Math.PI * (1 + 3) / 2, Math.PI * (1 + 3) / 2 + Math.PI * (3 + 5) / 2]);
    expect(Array.from(sampleAt(Float64Array.of(0, 10, 20), Float64Array.of(-3, 0.25, 1.5, 9)))).toEqual([0, 2.5, 15, 20]);
  });
});
