// The backend as a registry plugin: selected by id, the same numbers as the backend object, recorded in toJSON.
import { ParameterError, PluginApiError, createRegistry } from '@dstft/core';
import { chirpToneBurst, createDefaultRegistry, createDstft, optimize, optimizeConstantTheta } from '@dstft/dstft';
import { describe, expect, it } from 'vitest';
import { loadPffftBackend, loadPffftPlugin } from './index.js';
import ready from './ready.js';

const L = 4000;
const x = new Float64Array(L).map((_, i) => Math.sin(i / 7) + 0.3 * Math.cos(i / 2));
const options = { nFft: 256, signalLength: L, hop: 64, theta: 200 } as const;

describe('loadPffftPlugin', () => {
  it('registers as kind "fft", id "pffft"; createDstft({ fft: "pffft" }) equals passing the backend object, bit for bit', async () => {
    const plugin = await loadPffftPlugin();
    const registry = createDefaultRegistry().use(plugin);
    expect(registry.ids('fft')).toEqual(['fftjs', 'pffft']);
    const byId = createDstft({ ...options, fft: 'pffft' }, { registry });
    const byObject = createDstft(options, { fft: await loadPffftBackend() });
    expect(byId.forward(x).spec).toEqual(byObject.forward(x).spec);
    expect(byId.toJSON().fft).toBe('pffft');
    expect(byId.plan.fftBackend.precision).toBe('float32');
  });

  it('the ./plugin entry is the loaded plugin (what --plugin and parallel workers import by name)', () => {
    expect(ready).toMatchObject({ kind: 'fft', id: 'pffft', backend: { id: 'pffft', precision: 'float32' } });
  });

  it('an id the registry lacks names the fix; a malformed fft plugin is refused at registration', async () => {
    expect(() => createDstft({ ...options, fft: 'pffft' })).toThrow(ParameterError);
    expect(() => createDstft({ ...options, fft: 'pffft' })).toThrow(/fft = "pffft": no FFT backend with this id .*"fftjs".*loadPffftPlugin/);
    const plugin = await loadPffftPlugin();
    expect(() => createRegistry().use({ ...plugin, id: 'acme/fast' })).toThrow(PluginApiError);
    expect(() => createRegistry().use({ ...plugin, id: 'acme/fast' })).toThrow(/backend.id = "pffft" differs from the plugin's id/);
  });

  it('float32 without penalty: the constant-θ optimization of the built-in example takes no more transforms than in float64', async () => {
    // before tolerances knew the precision: 194 forward + 170 backward transforms on pffft against 46 + 22
    const registry = createDefaultRegistry().use(await loadPffftPlugin());
    const { samples } = chirpToneBurst({ sampleRate: 8000, duration: 1 });
    const run = (fft: string) => {
      const d = createDstft({ nFft: 1024, signalLength: samples.length, hop: 64, theta: 1000, thetaMin: 100, thetaMax: 1000, fft }, { registry });
      expect(d.plan.precision).toBe(fft === 'pffft' ? 'float32' : 'float64');
      return optimizeConstantTheta(d, samples);
    };
    // the DFT path (θ per bin) sums in float64 whatever the backend
    expect(createDstft({ ...options, windowMode: 'time-frequency', fft: 'pffft' }, { registry }).plan.precision).toBe('float64');
    const f64 = run('fftjs');
    const f32 = run('pffft');
    expect(f32.forward).toBeLessThanOrEqual(f64.forward);
    expect(f32.backward).toBeLessThanOrEqual(f64.backward);
    expect(Math.abs(f32.theta - f64.theta)).toBeLessThan(1e-2);
    expect(Math.abs(f32.loss - f64.loss) / f64.loss).toBeLessThan(1e-6);
  });

  it('float32 without penalty: optimize with lbfgs stops where float32 can resolve, with no more transforms than float64 over several starts', async () => {
    // before: from θ 300, 81 iterations and 1191 + 1190 transforms on pffft (a converged line search kept hunting in
    // float32 rounding at the loss's kink at θ = 640) against 28 + 27 in float64
    const registry = createDefaultRegistry().use(await loadPffftPlugin());
    const { samples } = chirpToneBurst();
    const total = { fftjs: 0, pffft: 0 };
    for (const theta of [100, 500, 1000]) {
      for (const fft of ['fftjs', 'pffft'] as const) {
        const d = createDstft({ nFft: 1024, signalLength: samples.length, hop: 256, theta, fft }, { registry });
        const r = optimize(d, samples, { optimizer: 'lbfgs', maxIterations: 100 });
        expect(r.stopReason).not.toBe('max-iterations');
        if (fft === 'pffft') expect(r.settings.tolerance).toEqual({ loss: 1e-7 });
        else expect(r.settings.tolerance).toBeUndefined();
        total[fft] += r.forward + r.backward;
      }
    }
    // measured: 229 in float64, 169 in float32
    expect(total.pffft).toBeLessThanOrEqual(total.fftjs);
  });
});
