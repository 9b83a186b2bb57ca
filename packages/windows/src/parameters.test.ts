import { PluginApiError, ParameterError, createRegistry, windowParamsDeclarationProblem } from '@dstft/core';
import { describe, expect, it } from 'vitest';
import { blackman, defineDilationWindow, gaussian, hamming, hann, kaiser, windowsPreset } from './index.js';

const base = { shape: () => 1, dShape: () => 0, continuousInTheta: false } as const;

describe('window parameter declarations', () => {
  it('every built-in window declares its parameters (an empty list when it has none), matching its defaults', () => {
    for (const w of [hann, hamming, blackman, gaussian, kaiser]) {
      expect(Array.isArray(w.parameters)).toBe(true);
      expect(windowParamsDeclarationProblem(w)).toBeNull();
      expect(w.parameters!.map((p) => p.name).sort()).toEqual(Object.keys(w.defaults).sort());
    }
    expect(kaiser.parameters).toEqual([expect.objectContaining({ name: 'beta', type: 'number', min: 0, max: 500, default: 8 })]);
    expect(gaussian.parameters).toEqual([expect.objectContaining({ name: 'sigma', type: 'number', min: 0, minExclusive: true, default: 0.125 })]);
    expect(() => createRegistry().use(windowsPreset)).not.toThrow();
  });

  it('resolveParams refuses unknown keys with a hint, and wrong types / ranges naming the range', () => {
    expect(() => kaiser.resolveParams({ betta: 8 })).toThrow(/windowParams\.betta = 8: unknown parameter of the 'kaiser' window\. Fix: did you mean 'beta'\?/);
    expect(() => hann.resolveParams({ beta: 8 })).toThrow(/the 'hann' window takes no parameters/);
    expect(() => gaussian.resolveParams({ sigma: -1 })).toThrow(/must lie in \(0, ∞\)/);
    expect(() => kaiser.resolveParams({ beta: true })).toThrow(ParameterError);
    expect(kaiser.resolveParams({ beta: undefined })).toEqual({ beta: 8 });
  });

  it('defineDilationWindow takes a declaration, checks it, and validates with it (integer, boolean, open ends)', () => {
    const w = defineDilationWindow({
      ...base,
      id: 'acme/multi',
      defaults: { order: 2, smooth: false, r: 0.5 },
      parameters: [
        { name: 'order', type: 'integer', min: 1, max: 8, default: 2, description: 'order' },
        { name: 'smooth', type: 'boolean', default: false, description: 'smooth edge' },
        { name: 'r', type: 'number', min: 0, max: 1, minExclusive: true, maxExclusive: true, default: 0.5, description: 'ratio' },
      ],
    });
    expect(w.resolveParams({ order: 3, smooth: true, r: 0.9 })).toEqual({ order: 3, smooth: true, r: 0.9 });
    expect(() => w.resolveParams({ order: 2.5 })).toThrow(/windowParams\.order = 2\.5: expected an integer in \[1, 8\]/);
    expect(() => w.resolveParams({ order: 9 })).toThrow(/must lie in \[1, 8\]/);
    expect(() => w.resolveParams({ smooth: 1 })).toThrow(/windowParams\.smooth = 1: expected true or false/);
    expect(() => w.resolveParams({ r: 1 })).toThrow(/must lie in \(0, 1\)/);
    expect(() => w.resolveParams({ r: 0 })).toThrow(/must lie in \(0, 1\)/);
    expect(() => w.resolveParams({ ordr: 2 })).toThrow(/did you mean 'order'\?/);
  });

  it('a malformed declaration is a PluginApiError at definition and at registration', () => {
    const bad = [
      { parameters: [{ name: 'a', type: 'number', default: 1, description: 'a' }], defaults: { a: 2 } },
      { parameters: [{ name: 'a', type: 'number', min: 2, default: 1, description: 'a' }], defaults: { a: 1 } },
      { parameters: [{ name: 'a', type: 'float', default: 1, description: 'a' }], defaults: { a: 1 } },
      { parameters: [], defaults: { a: 1 } },
      { parameters: [{ name: 'a', type: 'number', default: 1 }], defaults: { a: 1 } },
      { parameters: [{ name: 'a', type: 'number', default: 1, description: 'a', maximum: 3 }], defaults: { a: 1 } },
      { parameters: {}, defaults: {} },
    ];
    for (const b of bad) {
      expect(() => defineDilationWindow({ ...base, id: 'acme/bad', ...(b as object) } as never)).toThrow(PluginApiError);
      const plugin = { ...defineDilationWindow({ ...base, id: 'acme/bad', defaults: b.defaults as never }), parameters: b.parameters };
      expect(() => createRegistry().use(plugin as never)).toThrow(PluginApiError);
    }
  });

  it('third-party plugins without a declaration keep working (their resolveParams is the only check)', () => {
    const w = defineDilationWindow({ ...base, id: 'acme/free', defaults: { a: 1 } });
    expect(w.parameters).toBeUndefined();
    expect(w.resolveParams({ b: 2 })).toEqual({ a: 1, b: 2 });
    expect(() => createRegistry().use(w)).not.toThrow();
  });
});
