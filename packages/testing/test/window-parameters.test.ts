import { ParameterError, type WindowPlugin } from '@dstft/core';
import { defineDilationWindow, gaussian, hann, kaiser } from '@dstft/windows';
import { describe, expect, it } from 'vitest';
import { checkWindowParameters } from '../src/index.js';
import acmeTukey from './fixtures/acme-tukey.js';

const base = { shape: () => 1, dShape: () => 0, continuousInTheta: false } as const;

describe('checkWindowParameters (conformance: the parameter declaration)', () => {
  it('passes the built-in windows and the third-party example; skips a plugin without a declaration', () => {
    for (const w of [hann, gaussian, kaiser, acmeTukey] as unknown as WindowPlugin[]) expect(checkWindowParameters(w).message).toMatch(/ok/);
    const r = checkWindowParameters(defineDilationWindow({ ...base, id: 'acme/none' }));
    expect(r.ok).toBe(true);
    expect(r.skipped).toBe(1);
  });

  it('catches a declaration that promises more than resolveParams accepts', () => {
    const liar = defineDilationWindow({
      ...base,
      id: 'acme/liar',
      defaults: { a: 1 },
      parameters: [{ name: 'a', type: 'number', min: 0, max: 10, default: 1, description: 'a' }],
      resolveParams: (p) => {
        if ((p['a'] as number) > 5) throw new ParameterError('a', p['a'], 'must be ≤ 5', 'pass a ≤ 5');
        return { a: p['a'] as number };
      },
    });
    const r = checkWindowParameters(liar);
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(/a = 10 is inside the declaration .* but resolving it threw/);
  });

  it('catches a window that is not finite at an end of its declared range', () => {
    const blowup = defineDilationWindow({
      ...base,
      id: 'acme/blowup',
      shape: (_u: number, p: { k: number }) => 1 / p.k,
      defaults: { k: 1 },
      parameters: [{ name: 'k', type: 'number', min: 0, max: 2, default: 1, description: 'k' }],
    });
    expect(checkWindowParameters(blowup).message).toMatch(/k = 0 \(accepted by the declaration\) gives a non-finite window/);
  });
});
