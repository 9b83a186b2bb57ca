import { API_VERSION, BUILTIN, createRegistry, markBuiltin, type LossPlugin, type RegularizerPlugin, type SpecView } from '@dstft/core';
import { describe, expect, it } from 'vitest';
import { makeInput, randomSpec } from './helpers.test-support.js';
import { bounds, coverage, kurtosis, l2, lossesPreset, renyi, shannon, tfSmoothness } from './index.js';

describe('lossesPreset', () => {
  it('is data: every built-in, registering only when used, passing the registry validation', () => {
    expect(lossesPreset.name).toBe('@dstft/losses');
    expect(lossesPreset.plugins).toEqual([shannon, renyi, kurtosis, coverage, tfSmoothness, l2, bounds]);
    const reg = createRegistry();
    expect(reg.ids('loss')).toEqual([]);
    reg.use(lossesPreset);
    expect(reg.ids('loss')).toEqual(['kurtosis', 'renyi', 'shannon']);
    expect(reg.ids('regularizer')).toEqual(['bounds', 'coverage', 'l2', 'tf-smoothness']);
    expect(reg.get('loss', 'shannon')).toBe(shannon);
    expect(reg.get('regularizer', 'tf-smoothness')).toBe(tfSmoothness);
    expect(() => createRegistry().use(lossesPreset).use(markBuiltin({ ...shannon }))).toThrow(/already registered/);
    expect(createRegistry().use(lossesPreset).use(lossesPreset).ids('loss')).toHaveLength(3); // the same objects again: no-op
  });

  it('holds built-ins only (plain ids, marked, API version), with plain-data, frozen defaults', () => {
    for (const p of lossesPreset.plugins) {
      expect(p.id.includes('/')).toBe(false);
      expect((p as { [BUILTIN]?: true })[BUILTIN]).toBe(true);
      expect(p.apiVersion).toBe(API_VERSION);
      expect(JSON.parse(JSON.stringify(p.defaults))).toEqual(p.defaults);
      expect(Object.isFrozen(p.defaults)).toBe(true);
    }
  });

  it('runs through the registry with the defaults merged under the caller options', () => {
    const reg = createRegistry().use(lossesPreset).freeze();
    const spec: SpecView = randomSpec(3, 2, 5, 7);
    for (const id of reg.ids('loss')) {
      const loss = reg.get('loss', id) as LossPlugin;
      const grad = new Float64Array(spec.data.length);
      expect(Number.isFinite(loss.evaluate(spec, grad, { ...loss.defaults }))).toBe(true);
    }
    const input = makeInput(Float64Array.of(40, 44, 48), { rows: 1, cols: 3 }, Float64Array.of(0, 32, 64), 100);
    const extra: Record<string, Record<string, unknown>> = { l2: { target: 42 }, bounds: { lower: 45 } };
    for (const id of reg.ids('regularizer')) {
      const reg1 = reg.get('regularizer', id) as RegularizerPlugin;
      const grad = { theta: new Float64Array(3), positions: new Float64Array(3) };
      expect(reg1.evaluate(input, grad, { ...reg1.defaults, ...extra[id] })).toBeGreaterThanOrEqual(0);
    }
  });

  it('takes third-party plugins under a namespaced id, next to the built-ins', () => {
    // a third-party loss: L1 norm of S, ∂/∂S = 1
    const l1: LossPlugin<{ scale: number }> = {
      kind: 'loss',
      id: 'acme/l1',
      apiVersion: API_VERSION,
      defaults: { scale: 1 },
      evaluate(spec, grad, options) {
        let s = 0;
        for (let i = 0; i < spec.data.length; i++) {
          s += spec.data[i];
          if (grad !== null) grad[i] = options.scale;
        }
        return options.scale * s;
      },
    };
    const reg = createRegistry().use(lossesPreset).use(l1);
    expect(reg.ids('loss')).toEqual(['acme/l1', 'kurtosis', 'renyi', 'shannon']);
    expect(() => createRegistry().use({ ...l1, id: 'l1' })).toThrow(/reserved for dstft's built-in/);
  });
});

describe('options', () => {
  it('an unknown option key is an error naming it, with a suggestion for a typo', () => {
    const spec = randomSpec(1, 4, 3, 7);
    expect(() => renyi.evaluate(spec, null, { alpah: 2 } as never)).toThrow(/options\.alpah.*did you mean 'alpha'/);
    expect(() => coverage.evaluate(makeInput(Float64Array.of(40), { rows: 1, cols: 1 }, Float64Array.of(0, 20, 40), 41), null, { bogus: 1 } as never)).toThrow(/options\.bogus.*ratio/);
  });
});
