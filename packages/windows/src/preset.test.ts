import { BUILTIN, createRegistry } from '@dstft/core';
import { describe, expect, it } from 'vitest';
import { blackman, gaussian, hamming, hann, kaiser, windowsPreset } from './index.js';

describe('windowsPreset', () => {
  it('is data: the five built-ins, in order, registering only when used', () => {
    expect(windowsPreset.name).toBe('@dstft/windows');
    expect(windowsPreset.plugins).toEqual([hann, gaussian, blackman, hamming, kaiser]);
    const reg = createRegistry();
    expect(reg.ids('window')).toEqual([]);
    reg.use(windowsPreset, { override: false });
    expect(reg.ids('window')).toEqual(['blackman', 'gaussian', 'hamming', 'hann', 'kaiser']);
    expect(reg.get('window', 'kaiser')).toBe(kaiser);
  });

  it('holds built-ins only (plain ids, marked), with the documented continuity', () => {
    for (const p of windowsPreset.plugins) {
      expect(p.id.includes('/')).toBe(false);
      expect((p as { [BUILTIN]?: true })[BUILTIN]).toBe(true);
    }
    expect(windowsPreset.plugins.filter((p) => p.continuousInTheta).map((p) => p.id)).toEqual(['hann', 'gaussian', 'blackman']);
  });

  it('registering twice without override is a duplicate error', () => {
    const reg = createRegistry().use(windowsPreset);
    const clone = { ...hann };
    expect(() => reg.use(clone as typeof hann)).toThrow();
  });
});
