// FFT backends are plugins of kind "fft", selected by id; the built-in exact one is "fftjs".
import { ParameterError, UnknownPluginError } from '@dstft/core';
import { defaultFftBackend } from '@dstft/kernel';
import { describe, expect, it } from 'vitest';
import { createDefaultRegistry, createDstft } from './index.js';

const L = 2000;
const x = new Float64Array(L).map((_, i) => Math.sin(i / 5) + 0.2 * Math.cos(i / 3));

describe('options.fft', () => {
  it('"fftjs" is in every default registry and is the default: same numbers, recorded in toJSON', () => {
    expect(createDefaultRegistry().ids('fft')).toEqual(['fftjs']);
    expect(createDefaultRegistry().get('fft', 'fftjs').backend).toBe(defaultFftBackend);
    const a = createDstft({ nFft: 128, signalLength: L, hop: 32, theta: 100 });
    const b = createDstft({ nFft: 128, signalLength: L, hop: 32, theta: 100, fft: 'fftjs' });
    expect(b.forward(x).spec).toEqual(a.forward(x).spec);
    expect(a.toJSON().fft).toBe('fftjs');
    expect(createDstft(a.toJSON()).forward(x).spec).toEqual(a.forward(x).spec);
  });

  it('an unknown id or a wrong type is a ParameterError naming the registered ids; the registry lists what it has', () => {
    expect(() => createDstft({ nFft: 128, signalLength: L, fft: 'acme/fast' })).toThrow(/fft = "acme\/fast": no FFT backend with this id in the registry \(it has "fftjs"\)/);
    expect(() => createDstft({ nFft: 128, signalLength: L, fft: 3 as never })).toThrow(ParameterError);
    expect(() => createDefaultRegistry().get('fft', 'acme/fast')).toThrow(UnknownPluginError);
  });

  it('a third-party backend registers and is selected by id', () => {
    const registry = createDefaultRegistry().use({
      kind: 'fft',
      id: 'acme/exact',
      apiVersion: 1,
      description: 'the exact backend under another name',
      backend: { ...defaultFftBackend, id: 'acme/exact' },
    });
    const d = createDstft({ nFft: 128, signalLength: L, hop: 32, theta: 100, fft: 'acme/exact' }, { registry });
    expect(d.plan.fftBackend.id).toBe('acme/exact');
    expect(d.forward(x).spec).toEqual(createDstft({ nFft: 128, signalLength: L, hop: 32, theta: 100 }).forward(x).spec);
  });
});
