import { BUILTIN, createRegistry, ParameterError, ShapeError } from '@dstft/core';
import { describe, expect, it } from 'vitest';
import { adam, adamw, lbfgs, optimPreset, sgd } from './index.js';

describe('optimPreset', () => {
  it('registers the four built-ins in a registry you create (validated by it)', () => {
    expect(optimPreset.name).toBe('@dstft/optim');
    expect(optimPreset.plugins).toEqual([sgd, adam, adamw, lbfgs]);
    const reg = createRegistry();
    expect(reg.ids('optimizer')).toEqual([]);
    reg.use(optimPreset);
    expect(reg.ids('optimizer')).toEqual(['adam', 'adamw', 'lbfgs', 'sgd']);
    expect(reg.get('optimizer', 'lbfgs')).toBe(lbfgs);
    const frozen = reg.freeze();
    expect(frozen.get('optimizer', 'adam').create([{ name: 'a', values: Float64Array.of(1) }], {})).toHaveProperty('step');
  });

  it('holds built-ins only: plain ids, marked, apiVersion 1, plain-data defaults', () => {
    for (const p of optimPreset.plugins) {
      expect(p.kind).toBe('optimizer');
      expect(p.id.includes('/')).toBe(false);
      expect(p.apiVersion).toBe(1);
      expect((p as { [BUILTIN]?: true })[BUILTIN]).toBe(true);
      expect(JSON.parse(JSON.stringify(p.defaults))).toEqual(p.defaults);
      expect(Object.isFrozen(p.defaults)).toBe(true);
    }
  });

  it('a third-party optimizer uses a namespaced id next to the built-ins', () => {
    const signSgd = {
      kind: 'optimizer' as const,
      id: 'acme/sign-sgd',
      apiVersion: 1 as const,
      defaults: { lr: 1 },
      create: () => ({ step: () => ({ evaluations: 0 }) }),
    };
    const reg = createRegistry().use(optimPreset).use(signSgd);
    expect(reg.ids('optimizer')).toContain('acme/sign-sgd');
    expect(() => createRegistry().use({ ...signSgd, id: 'sign-sgd' })).toThrow(); // plain ids are reserved
    expect(() => reg.use({ ...signSgd })).toThrow(); // another plugin with the same id needs { override: true }
    expect(() => reg.use({ ...signSgd }, { override: true })).not.toThrow();
  });
});

describe('parameter groups (every optimizer)', () => {
  const plugins = [
    [sgd, { lr: 0.1 }],
    [adam, {}],
    [adamw, {}],
    [lbfgs, {}],
  ] as const;

  it.each(plugins)('$id rejects starting values outside the bounds (never clamps them)', (plugin, options) => {
    const group = { name: 'theta', values: Float64Array.of(100, 5), lower: 10, upper: 1000 };
    let err: unknown;
    try {
      plugin.create([group], options);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ParameterError);
    expect((err as ParameterError).parameter).toBe('groups[0] ("theta").values[1]');
    expect((err as ParameterError).fix).toMatch(/never clamp/);
    expect(group.values[1]).toBe(5);
  });

  it.each([
    [[], 'groups'],
    [[{ name: 'a', values: [1, 2] }], 'groups[0] ("a").values'],
    [[{ values: Float64Array.of(1) }], 'groups[0].name'],
    [[{ name: 'a', values: Float64Array.of(1), lower: 5, upper: 2 }], 'groups[0] ("a").lower'],
    [[{ name: 'a', values: Float64Array.of(1), lower: Number.NaN }], 'groups[0] ("a").lower'],
    [[{ name: 'a', values: Float64Array.of(1), lr: 0 }], 'groups[0] ("a").lr'],
    [[{ name: 'a', values: Float64Array.of(Number.NaN) }], 'groups[0] ("a").values[0]'],
  ])('rejects groups %j naming %s', (groups, name) => {
    let err: unknown;
    try {
      adam.create(groups as never, {});
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ParameterError);
    expect((err as ParameterError).parameter).toBe(name);
  });

  it('bad values arrays are ShapeErrors', () => {
    expect(() => adam.create([{ name: 'a', values: [1] as never }], {})).toThrow(ShapeError);
  });

  it.each(plugins)('$id rejects options that are not an object, and unknown keys', (plugin) => {
    expect(() => plugin.create([{ name: 'a', values: Float64Array.of(1) }], 3 as never)).toThrow(ParameterError);
    expect(() => plugin.create([{ name: 'a', values: Float64Array.of(1) }], { lr: 1, foo: 1 } as never)).toThrow(`${plugin.id}.foo`);
  });
});
