import { describe, expect, it } from 'vitest';
import {
  API_VERSION,
  PluginApiError,
  RegistryError,
  UnknownPluginError,
  createRegistry,
  markBuiltin,
  type LossPlugin,
  type WindowPlugin,
} from './index.js';

function windowPlugin(id: string, extra: Partial<WindowPlugin> = {}): WindowPlugin {
  return {
    kind: 'window',
    id,
    apiVersion: API_VERSION,
    gradients: { theta: true, x: true },
    continuousInTheta: true,
    defaults: {},
    supportHalfWidth: (theta) => theta / 2,
    evaluate: (_x, start, end, _theta, _p, out) => {
      for (let k = start; k < end; k++) out.w[k] = 1;
    },
    ...extra,
  };
}

const loss: LossPlugin = { kind: 'loss', id: 'acme/sum', apiVersion: API_VERSION, evaluate: () => 0 };

describe('registry', () => {
  it('is an instance: two registries do not share plugins', () => {
    const a = createRegistry().use(windowPlugin('acme/box'));
    const b = createRegistry();
    expect(a.has('window', 'acme/box')).toBe(true);
    expect(b.has('window', 'acme/box')).toBe(false);
  });

  it('takes plugins, presets, nested arrays and skips falsy entries', () => {
    const reg = createRegistry().use([
      windowPlugin('acme/a'),
      false,
      null,
      { name: 'preset', plugins: [[windowPlugin('acme/b')], loss, undefined] },
    ]);
    expect(reg.ids('window')).toEqual(['acme/a', 'acme/b']);
    expect(reg.ids('loss')).toEqual(['acme/sum']);
    expect(reg.list().map((p) => p.id)).toEqual(['acme/sum', 'acme/a', 'acme/b']);
    expect(reg.get('window', 'acme/a').id).toBe('acme/a');
  });

  it('rejects a duplicate id unless override is asked for', () => {
    const first = windowPlugin('acme/box');
    const second = windowPlugin('acme/box', { continuousInTheta: false });
    const reg = createRegistry().use(first);
    expect(() => reg.use(second)).toThrow(RegistryError);
    expect(() => reg.use(second)).toThrow(/already registered.*override: true/);
    reg.use(first); // the same object again is a no-op
    expect(reg.get('window', 'acme/box')).toBe(first);
    reg.use(second, { override: true });
    expect(reg.get('window', 'acme/box')).toBe(second);
  });

  it('checks the API version', () => {
    const old = { ...windowPlugin('acme/old'), apiVersion: 0 } as unknown as WindowPlugin;
    expect(() => createRegistry().use(old)).toThrow(PluginApiError);
    expect(() => createRegistry().use(old)).toThrow(/apiVersion = 0.*plugin API 1/);
  });

  it('requires namespaced ids from third parties; plain ids only for built-ins', () => {
    expect(() => createRegistry().use(windowPlugin('box'))).toThrow(/no namespace.*"acme\/box"/);
    const reg = createRegistry().use(markBuiltin(windowPlugin('box')));
    expect(reg.has('window', 'box')).toBe(true);
    expect(() => createRegistry().use(windowPlugin('Acme/Box'))).toThrow(/malformed/);
    expect(() => createRegistry().use(windowPlugin('a/b/c'))).toThrow(/malformed/);
  });

  it('validates the plugin shape of its kind', () => {
    const broken = { ...windowPlugin('acme/x'), evaluate: undefined } as unknown as WindowPlugin;
    expect(() => createRegistry().use(broken)).toThrow(/missing method\(s\) evaluate/);
    const noGrad = { ...windowPlugin('acme/y'), gradients: undefined } as unknown as WindowPlugin;
    expect(() => createRegistry().use(noGrad)).toThrow(/gradients/);
    expect(() => createRegistry().use({ kind: 'metric', id: 'acme/t', apiVersion: 1 } as never)).toThrow(/kind = "metric" is unknown/);
    expect(() => createRegistry().use(42 as never)).toThrow(PluginApiError);
  });

  it('accepts the optional evaluateGrid of a window plugin, and checks it is a function when present', () => {
    const grid = windowPlugin('acme/grid', {
      evaluateGrid: (_x0, _step, start, end, _theta, _p, out) => {
        for (let k = start; k < end; k++) out.w[k] = 1;
      },
    });
    expect(createRegistry().use(grid).get('window', 'acme/grid')).toBe(grid);
    expect(createRegistry().use(windowPlugin('acme/none', { evaluateGrid: undefined })).has('window', 'acme/none')).toBe(true);
    for (const bad of [42, null, 'fast', {}]) {
      const broken = { ...windowPlugin('acme/bad'), evaluateGrid: bad } as unknown as WindowPlugin;
      expect(() => createRegistry().use(broken)).toThrow(PluginApiError);
      expect(() => createRegistry().use(broken)).toThrow(/`evaluateGrid` is .*must be a function/);
    }
  });

  it('checks the optional framewise member of a loss plugin when present', () => {
    const noop = (): number => 0;
    const framewise = { statsPerFrame: 2, coefPerSignal: 1, frameStats: noop, signalTerm: noop, combine: noop, frameGrad: noop };
    expect(createRegistry().use({ ...loss, framewise }).ids('loss')).toEqual(['acme/sum']);
    expect(() => createRegistry().use({ ...loss, framewise: 3 } as never)).toThrow(/framewise.*must be an object/);
    expect(() => createRegistry().use({ ...loss, framewise: { ...framewise, statsPerFrame: -1 } })).toThrow(/framewise.statsPerFrame must be an integer ≥ 0/);
    expect(() => createRegistry().use({ ...loss, framewise: { ...framewise, frameGrad: undefined } } as never)).toThrow(/framewise.frameGrad must be a function/);
    // the optional forward-mode form: all three members, valid, or none
    const tangent = { tangentPerFrame: 2, frameTangent: noop, tangentDot: noop };
    expect(createRegistry().use({ ...loss, framewise: { ...framewise, ...tangent } }).ids('loss')).toEqual(['acme/sum']);
    expect(() => createRegistry().use({ ...loss, framewise: { ...framewise, frameTangent: noop } } as never)).toThrow(/needs all of tangentPerFrame, frameTangent and tangentDot/);
    expect(() => createRegistry().use({ ...loss, framewise: { ...framewise, ...tangent, tangentPerFrame: 0 } })).toThrow(/tangentPerFrame must be an integer ≥ 1/);
    expect(() => createRegistry().use({ ...loss, framewise: { ...framewise, ...tangent, tangentDot: 1 } } as never)).toThrow(/tangentDot must be functions/);
  });

  it('has room for more kinds, each with its validator', () => {
    const reg = createRegistry({ kinds: { metric: (p) => (typeof p['run'] === 'function' ? null : 'missing run') } });
    expect(reg.kinds()).toEqual(['fft', 'loss', 'metric', 'optimizer', 'regularizer', 'task', 'window']);
    expect(() => reg.use({ kind: 'metric', id: 'acme/t', apiVersion: 1 } as never)).toThrow(/missing run/);
    reg.use({ kind: 'metric', id: 'acme/t', apiVersion: 1, run: () => 0 } as never);
    expect(reg.has('metric', 'acme/t')).toBe(true);
    expect(() => createRegistry({ kinds: { window: () => null } })).toThrow(/built in already/);
  });

  it('knows the task kind: a loss method and a description are required, generate is optional', () => {
    const reg = createRegistry();
    expect(() => reg.use({ kind: 'task', id: 'acme/t', apiVersion: 1, description: 'x' } as never)).toThrow(/missing method\(s\) loss/);
    expect(() => reg.use({ kind: 'task', id: 'acme/t', apiVersion: 1, loss: () => 0 } as never)).toThrow(/description/);
    expect(() => reg.use({ kind: 'task', id: 'acme/t', apiVersion: 1, loss: () => 0, description: 'x', generate: 3 } as never)).toThrow(/generate/);
    reg.use({ kind: 'task', id: 'acme/t', apiVersion: 1, loss: () => 0, description: 'a task' } as never);
    expect(reg.ids('task')).toEqual(['acme/t']);
  });

  it('freezes: use() afterwards throws and says how to fix it; clone() reopens', () => {
    const reg = createRegistry().use(windowPlugin('acme/a'));
    const frozen = reg.freeze();
    expect(frozen.frozen).toBe(true);
    expect(() => reg.use(windowPlugin('acme/b'))).toThrow(/frozen.*registry.clone\(\)/);
    const open = frozen.clone().use(windowPlugin('acme/b'));
    expect(open.frozen).toBe(false);
    expect(open.ids('window')).toEqual(['acme/a', 'acme/b']);
    expect(frozen.ids('window')).toEqual(['acme/a']);
  });

  it('names what exists when an id is unknown', () => {
    const reg = createRegistry().use([windowPlugin('acme/a'), windowPlugin('acme/b')]);
    let err: unknown;
    try {
      reg.get('window', 'acme/c');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UnknownPluginError);
    expect((err as Error).message).toMatch(/window id = "acme\/c".*"acme\/a", "acme\/b"/);
  });
});
