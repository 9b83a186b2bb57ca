// How a third-party window package runs the conformance suite on its plugin.
import { FrameWindow, ParameterError, createRegistry, type WindowParamsMap } from '@dstft/core';
// A third-party package writes: import { describeWindowPlugin } from '@dstft/testing';
import { describeWindowPlugin } from '../src/index.js';
import { hann, windowsPreset, type WindowParamsOf } from '@dstft/windows';
import { describe, expect, expectTypeOf, it } from 'vitest';
import acmeTukey from './fixtures/acme-tukey.js';

describeWindowPlugin(acmeTukey);
describeWindowPlugin(acmeTukey, { params: { alpha: 0.2 }, seed: 99, nFfts: [32, 33] });

describe('acme/tukey (third-party window)', () => {
  it('option types come from declaration merging of WindowParamsMap', () => {
    expectTypeOf<WindowParamsMap['acme/tukey']>().toEqualTypeOf<{ alpha: number }>();
    expectTypeOf<WindowParamsOf<'acme/tukey'>>().toEqualTypeOf<{ alpha: number }>();
    expectTypeOf(acmeTukey.id).toEqualTypeOf<'acme/tukey'>();
    expectTypeOf(acmeTukey.defaults).toEqualTypeOf<{ alpha: number }>();
    expectTypeOf(acmeTukey.resolveParams).returns.toEqualTypeOf<{ alpha: number }>();
    // built-ins are in the map too (augmented by @dstft/windows)
    expectTypeOf<WindowParamsMap['kaiser']>().toEqualTypeOf<{ readonly beta: number }>();
    // compile-time only: wrong option types are errors
    const typeOnly = (): void => {
      // @ts-expect-error alpha must be a number
      new FrameWindow(acmeTukey, { alpha: 'wide' }, 'none', 64, { theta: true, x: true });
      // @ts-expect-error describeWindowPlugin's params are typed by the plugin
      describeWindowPlugin(acmeTukey, { params: { alpha: true } });
    };
    expect(typeof typeOnly).toBe('function');
  });

  it('registers next to the built-ins under its namespaced id', () => {
    const reg = createRegistry().use(windowsPreset).use(acmeTukey, { override: false });
    expect(reg.get('window', 'acme/tukey')).toBe(acmeTukey);
    expect(reg.get('window', 'acme/tukey').meta?.name).toBe('@acme/dstft-window-tukey');
  });

  it('α = 1 is Hann; the flat part is 1; α is validated', () => {
    const x = Float64Array.from({ length: 40 }, (_, j) => j - 20.3);
    const t = { w: new Float64Array(40), dTheta: new Float64Array(40), dX: new Float64Array(40) };
    const h = { w: new Float64Array(40), dTheta: new Float64Array(40), dX: new Float64Array(40) };
    acmeTukey.evaluate(x, 0, 40, 37.5, acmeTukey.resolveParams({ alpha: 1 }), t);
    hann.evaluate(x, 0, 40, 37.5, {}, h);
    for (let j = 0; j < 40; j++) {
      expect(t.w[j]).toBeCloseTo(h.w[j]!, 14);
      expect(t.dX[j]).toBeCloseTo(h.dX[j]!, 14);
      expect(t.dTheta[j]).toBeCloseTo(h.dTheta[j]!, 14);
    }
    const flat = { w: new Float64Array(1), dTheta: null, dX: null };
    acmeTukey.evaluate(Float64Array.of(5), 0, 1, 37.5, { alpha: 0.5 }, flat);
    expect(flat.w[0]).toBe(1);
    expect(() => acmeTukey.resolveParams({ alpha: 0 })).toThrow(ParameterError);
    expect(() => acmeTukey.resolveParams({ alpha: 1.5 })).toThrow(/^windowParams\.alpha = 1\.5: out of range: must lie in \(0, 1\].*Fix: pass e\.g\. \{ alpha: 0\.5 \}/);
    expect(() => acmeTukey.resolveParams({ alpah: 0.2 })).toThrow(/did you mean .alpha.\?/);
  });
});
