import { describe, expect, it } from 'vitest';
import {
  ParameterError,
  UnknownPluginError,
  chirpToneBurst,
  createDefaultRegistry,
  createDstft,
  defineDilationWindow,
  hann,
  type DstftOptions,
} from './index.js';

const { samples, sampleRate } = chirpToneBurst({ sampleRate: 8000, duration: 0.25 });
const L = samples.length;

describe('createDstft', () => {
  it('builds from plain options with documented defaults', () => {
    const d = createDstft({ nFft: 256, signalLength: L, sampleRate });
    expect(d.options).toMatchObject({
      window: 'hann',
      normalization: 'none',
      windowMode: 'constant',
      positionsMode: 'fixed',
      hop: 64,
      thetaMin: 2,
      thetaMax: 256,
      framePolicy: 'fixed-frames',
      power: 1,
      eps: 1e-12,
    });
    expect(Array.from(d.params.theta)).toEqual([256]);
    expect(d.frames).toBe(1 + Math.floor(L / 64));
    const r = d.forward(samples);
    expect(r.frames).toBe(d.frames);
    expect(r.freqs).toBe(129);
    expect(r.frequencies[128]).toBe(4000);
    expect(r.times[1]).toBeCloseTo(64 / 8000, 15);
  });

  it('accepts plain number arrays and batches', () => {
    const d = createDstft({ nFft: 64, signalLength: 100, theta: 40 });
    const one = Array.from({ length: 100 }, (_, i) => Math.sin(i / 3));
    const two = new Float64Array(200);
    two.set(one, 0);
    two.set(one, 100);
    const a = d.forward(one);
    const b = d.forward(two);
    expect(b.batch).toBe(2);
    const n = a.X.length;
    expect(Array.from(b.X.subarray(n))).toEqual(Array.from(a.X));
  });

  it('builds every window mode, positions mode and policy, and round-trips through JSON', () => {
    const variants: Partial<DstftOptions>[] = [
      { windowMode: 'fixed' },
      { windowMode: 'time', theta: 100 },
      { windowMode: 'frequency', theta: 90 },
      { windowMode: 'time-frequency', theta: 80, hop: 128 },
      { positionsMode: 'constant', hop: 50 },
      { positionsMode: 'time', hop: 70, t0: 3 },
      { positionsMode: 'free', positions: [0, 100.5, 220, 333.25] },
      { framePolicy: 'fixed-overlap', overlap: 0.5, theta: 150, thetaMin: 64 },
      { window: 'gaussian', windowParams: { sigma: 0.15 }, normalization: 'paper' },
      { window: 'blackman', normalization: 'unit', sampleRate: 8000 },
    ];
    for (const v of variants) {
      const d = createDstft({ nFft: 256, signalLength: L, ...v });
      const r = d.forward(samples);
      expect(r.spec.every((s) => Number.isFinite(s) && s > 0)).toBe(true);
      // JSON snapshot rebuilds the same transform
      const json = JSON.parse(JSON.stringify(d.toJSON())) as DstftOptions;
      const again = createDstft(json);
      expect(again.frames).toBe(d.frames);
      expect(Array.from(again.forward(samples).X)).toEqual(Array.from(r.X));
    }
  });

  it('JSON keeps learned parameters and the frame count', () => {
    const d = createDstft({ nFft: 256, signalLength: L, positionsMode: 'constant', hop: 64, theta: 200 });
    d.params.hop = 71.5;
    d.params.theta[0] = 180.25;
    const json = d.toJSON();
    expect(json).toMatchObject({ hop: 71.5, theta: [180.25], frames: d.frames });
    const again = createDstft(json);
    expect(again.frames).toBe(d.frames);
    expect(again.params.hop).toBe(71.5);
  });

  it('rejects misspelt options with a hint, and bad values with typed errors', () => {
    expect(() => createDstft({ nFft: 256, signalLength: L, hopLength: 64 } as never)).toThrow(/options.hopLength = 64: unknown option of createDstft\(\). Fix: did you mean 'hop'\?/);
    expect(() => createDstft({ nFft: 256, signalLength: L, window: 'hanning' })).toThrow(UnknownPluginError);
    expect(() => createDstft({ nFft: 256, signalLength: L, window: 'hanning' })).toThrow(/"blackman", "gaussian", "hamming", "hann", "kaiser"/);
    expect(() => createDstft({ nFft: 256, signalLength: L, theta: 300 })).toThrow(/theta = 300: the window is longer than nFft = 256/);
    expect(() => createDstft({ nFft: 256, signalLength: L, windowMode: 'time', theta: [1, 2] })).toThrow(/expected \d+ initial window lengths/);
    expect(() => createDstft({ nFft: 256, signalLength: L, hop: 0 })).toThrow(ParameterError);
    expect(() => createDstft({ nFft: 256, signalLength: 0 })).toThrow(/signalLength = 0/);
  });

  it('rejects a learnable window without derivatives at construction, accepts it for fixed θ', () => {
    const noDeriv = { ...defineDilationWindow({ id: 'acme/flat', shape: () => 1, dShape: () => 0, continuousInTheta: false }), gradients: { theta: false, x: false } };
    const registry = createDefaultRegistry().use(noDeriv);
    expect(() => createDstft({ nFft: 64, signalLength: 200, window: 'acme/flat' }, { registry })).toThrow(/provides no ∂w\/∂θ/);
    const fixed = createDstft({ nFft: 64, signalLength: 200, window: 'acme/flat', windowMode: 'fixed' }, { registry: registry.clone() });
    expect(fixed.window.id).toBe('acme/flat');
  });

  it('freezes the registry it was given; the default registry holds the built-in windows', () => {
    const registry = createDefaultRegistry();
    expect(registry.ids('window')).toEqual(['blackman', 'gaussian', 'hamming', 'hann', 'kaiser']);
    expect(registry.get('window', 'hann')).toBe(hann);
    createDstft({ nFft: 64, signalLength: 200 }, { registry });
    expect(registry.frozen).toBe(true);
    expect(() => registry.use(hann)).toThrow(/frozen/);
  });

  it('the example signal is the documented formula', () => {
    const t = 0.1;
    const p = Math.round(t * sampleRate);
    const want = Math.sin(2 * Math.PI * (1000 * t + (1000 * t * t) / (2 * 0.25))) + 0.8 * Math.sin(2 * Math.PI * 900 * t) + 1.5 * Math.exp(-((t - 0.15) ** 2) / (2 * 0.004 ** 2)) * Math.sin(2 * Math.PI * 3000 * t);
    expect(samples[p]).toBeCloseTo(want, 12);
  });
});

describe('forward(x, params, { frames, out })', () => {
  const L = 2000;
  const x = new Float64Array(L).map((_, k) => Math.sin(0.07 * k) + 0.2 * Math.cos(0.61 * k + 0.001 * k * k));
  it('ranges filled into one result equal the whole forward, bit for bit, and its backward too', () => {
    const d = createDstft({ nFft: 128, signalLength: L, windowMode: 'time', theta: 90, hop: 33.5 });
    const whole = d.forward(x);
    const T = whole.frames;
    const part = d.forward(x, undefined, { frames: [0, 5] });
    expect(part.X[2 * (T - 1)]).toBe(0); // not computed yet
    const same = d.forward(x, undefined, { out: part, frames: [5, T] });
    expect(same).toBe(part);
    expect(Array.from(part.X)).toEqual(Array.from(whole.X));
    expect(Array.from(part.spec)).toEqual(Array.from(whole.spec));
    const dS = whole.spec.map((v) => Math.log(v));
    expect(Array.from(d.backward(part, { spec: dS }).theta)).toEqual(Array.from(d.backward(whole, { spec: dS }).theta));
    // a plain result as third argument still means `out`
    expect(d.forward(x, undefined, whole)).toBe(whole);
  });

  it('a bad range or an unknown option key is a clear error', () => {
    const d = createDstft({ nFft: 128, signalLength: L, theta: 90, hop: 32 });
    expect(() => d.forward(x, undefined, { frames: [3, 1] })).toThrow(/frames.*0 ≤ a ≤ b ≤ T/);
    expect(() => d.forward(x, undefined, { frame: [0, 1] } as never)).toThrow(/frame.*frames/);
    expect(() => d.forward(x, undefined, 3 as never)).toThrow(/out = 3/);
  });
});
