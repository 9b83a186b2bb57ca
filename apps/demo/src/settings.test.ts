import { createDstft, createObjective, createOptimization } from '@dstft/dstft';
import { describe, expect, it } from 'vitest';
import { registryFor } from './fft.js';
import { buildTransform } from './run.js';
import { DEFAULT_SETTINGS, SPEECH_SMOOTHNESS, SettingsError, dstftOptions, optimizeOptions, parseSettings, settingsForRecording, thetaMinFor, type DemoSettings } from './settings.js';
import { decodeShare, encodeShare } from './share.js';
import { SIGNALS, settingsFor } from './signals.js';

const raw = (s: DemoSettings): Record<keyof DemoSettings, string> =>
  Object.fromEntries(Object.entries(s).map(([k, v]) => [k, String(v)])) as Record<keyof DemoSettings, string>;

describe('settings', () => {
  it('round-trips the defaults through the form strings', () => {
    expect(parseSettings(raw(DEFAULT_SETTINGS))).toEqual(DEFAULT_SETTINGS);
  });

  it.each([
    ['hop', '0', /hop = 0: expected a value ≥ 1/],
    ['hop', '2.5', /hop = 2.5: expected a whole number/],
    ['theta', '2000', /theta = 2000: the window cannot be longer than nFft = 1024/],
    ['lr', '0', /lr = 0: a zero learning rate/],
    ['lr', 'abc', /lr = "abc": not a number/],
    ['regularizerWeight', '-1', /regularizerWeight = -1/],
    ['iterations', '', /iterations = "": not a number/],
    ['windowMode', 'frequency', /windowMode = "frequency": unknown window mode/],
    ['fft', 'fftw', /fft = "fftw": unknown FFT backend\. Fix: choose one of fftjs, pffft/],
  ] as const)('rejects %s = %j with a message naming it', (field, value, message) => {
    const r = { ...raw(DEFAULT_SETTINGS), [field]: value };
    expect(() => parseSettings(r)).toThrow(SettingsError);
    expect(() => parseSettings(r)).toThrow(message);
  });

  it('builds options that createDstft and the objective accept, for every signal and window mode', () => {
    for (const entry of SIGNALS) {
      const { samples, sampleRate } = entry.make();
      for (const windowMode of ['constant', 'time', 'time-frequency'] as const) {
        const s = { ...settingsFor(entry), windowMode, nFft: 128, hop: 32, theta: 64, regularizerWeight: 1e-4 };
        const d = createDstft(dstftOptions(s, samples.length, sampleRate));
        expect(d.options.windowMode).toBe(windowMode);
        const { loss, regularizers } = optimizeOptions(s); // the objective's part (createObjective refuses optimizer keys)
        const value = createObjective(d, samples, { loss, regularizers }).value();
        expect(Number.isFinite(value)).toBe(true);
      }
    }
  });

  it('exports options that rebuild the same transform (what the page writes as JSON)', () => {
    const { samples, sampleRate } = SIGNALS[0]!.make();
    const d = createDstft(dstftOptions(DEFAULT_SETTINGS, samples.length, sampleRate));
    d.params.theta[3] = 300.5;
    const json = JSON.parse(JSON.stringify(d.toJSON())) as Parameters<typeof createDstft>[0];
    const again = createDstft(json);
    expect(Array.from(again.params.theta)).toEqual(Array.from(d.params.theta));
    expect(again.options).toEqual(d.options);
  });

  it('builds with the chosen FFT backend: fftjs from the default registry, pffft loaded once on demand', async () => {
    const { samples, sampleRate } = SIGNALS[0]!.make();
    expect(await registryFor('fftjs')).toBeUndefined();
    const exact = buildTransform(DEFAULT_SETTINGS, samples.length, sampleRate);
    expect(exact.toJSON().fft).toBe('fftjs');
    const registry = await registryFor('pffft');
    expect(await registryFor('pffft')).toBe(registry); // one WebAssembly instance per worker
    const fast = buildTransform({ ...DEFAULT_SETTINGS, fft: 'pffft' }, samples.length, sampleRate, registry);
    expect(fast.plan.fftBackend).toMatchObject({ id: 'pffft', precision: 'float32' });
    expect(fast.toJSON().fft).toBe('pffft');
    const a = exact.forward(samples).spec.slice();
    const b = fast.forward(samples).spec;
    let err = 0;
    let peak = 0;
    for (let k = 0; k < a.length; k++) {
      err = Math.max(err, Math.abs(a[k]! - b[k]!));
      peak = Math.max(peak, a[k]!);
    }
    expect(err / peak).toBeLessThan(1e-5);
  });
});

describe('recordings and sharing', () => {
  it('derives nFft and hop from the sample rate and length, with θ ≥ 2·hop and the smoothness term on', () => {
    expect(settingsForRecording(8000, 3457)).toMatchObject({ windowMode: 'time', nFft: 512, hop: 32, theta: 128, regularizerWeight: SPEECH_SMOOTHNESS });
    expect(settingsForRecording(16000, 8000)).toMatchObject({ nFft: 1024, hop: 64, theta: 256 });
    expect(settingsForRecording(44100, 441000)).toMatchObject({ nFft: 2048, hop: 2048 / 4 });
    for (const [fs, n] of [[8000, 3457], [44100, 441000], [2000, 100]] as const) {
      const s = settingsForRecording(fs, n);
      expect(s.theta).toBeGreaterThanOrEqual(thetaMinFor(s));
      expect(() => parseSettings(raw(s))).not.toThrow();
    }
  });

  it('refuses a start θ below 2·hop when θ is learned per frame', () => {
    expect(() => parseSettings(raw({ ...DEFAULT_SETTINGS, hop: 128, theta: 128 }))).toThrow(/2·hop = 256/);
    expect(() => parseSettings(raw({ ...DEFAULT_SETTINGS, windowMode: 'constant', hop: 128, theta: 128 }))).not.toThrow();
  });

  it('round-trips every setting and the signal through the URL hash', () => {
    const s: DemoSettings = { ...DEFAULT_SETTINGS, windowMode: 'time-frequency', nFft: 256, hop: 16, theta: 100.5, loss: 'renyi', regularizerWeight: 1e-7, lr: 3, iterations: 7, fft: 'pffft' };
    const { signal, raw: r } = decodeShare(encodeShare('chirp', s));
    expect(signal).toBe('chirp');
    expect(parseSettings(r as Record<keyof DemoSettings, string>)).toEqual(s);
  });
});

describe('learned frame positions (paper Sec. VI-B)', () => {
  it('learns the hops with the coverage penalty and leaves no sample uncovered', () => {
    const entry = SIGNALS.find((e) => e.id === 'vi-b')!;
    const { samples, sampleRate } = entry.make();
    const s: DemoSettings = { ...settingsFor(entry), positions: 'learned', iterations: 15 };
    const d = createDstft(dstftOptions(s, samples.length, sampleRate));
    expect(d.options.positionsMode).toBe('time');
    const o = optimizeOptions(s);
    expect(o.regularizers).toContainEqual({ id: 'coverage', weight: 1 });
    const r = createOptimization(d, samples, o).run();
    expect(r.loss).toBeLessThan(r.initialLoss);
    const res = d.forward(samples);
    const hops = new Set<number>();
    for (let n = 1; n < res.frames; n++) hops.add(Math.round((res.times[n]! - res.times[n - 1]!) * sampleRate * 100));
    expect(hops.size).toBeGreaterThan(1); // the hops moved apart from the fixed 32
    expect(d.inverse(res).uncoveredCount).toBe(0);
  });
});
