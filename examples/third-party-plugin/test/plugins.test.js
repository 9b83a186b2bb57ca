// The author's own tests: `npm test` in this folder (after `npm install`).
import { createDefaultRegistry, createDstft } from '@dstft/dstft';
import { createRng, describeWindowPlugin, expectGradcheck } from '@dstft/testing';
import { expect, it } from 'vitest';
import acme, { cosinePower, l1l2 } from '../src/index.js';

// values, symmetry, support, ∂w/∂θ and ∂w/∂x against finite differences, the declared parameter
describeWindowPlugin(cosinePower);
describeWindowPlugin(cosinePower, { params: { power: 7.5 } });

it('l1-l2: value and gradient against finite differences', () => {
  const rng = createRng(3);
  const data = rng.fill(new Float64Array(2 * 5 * 4), 0.1, 2);
  const spec = (d) => ({ data: d, batch: 2, freqs: 5, frames: 4 });
  const grad = new Float64Array(data.length);
  l1l2.evaluate(spec(data), grad, {});
  expectGradcheck({ f: (d) => l1l2.evaluate(spec(d), null, {}), grad, params: data });
});

it('registers and builds a transform', () => {
  const registry = createDefaultRegistry().use(acme);
  const d = createDstft({ nFft: 128, signalLength: 1024, window: 'acme/cosine-power', windowParams: { power: 3 } }, { registry });
  expect(d.forward(new Float64Array(1024).fill(1)).spec.every(Number.isFinite)).toBe(true);
  expect(() => createDstft({ nFft: 128, signalLength: 1024, window: 'acme/cosine-power', windowParams: { pwer: 3 } }, { registry })).toThrow(/did you mean 'power'/);
});
