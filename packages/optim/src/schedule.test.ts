import { ParameterError } from '@dstft/core';
import { describe, expect, it } from 'vitest';
import { scheduleFactor, validateSchedule, type Schedule } from './schedule.js';

describe('scheduleFactor', () => {
  it('constant and undefined give 1', () => {
    expect(scheduleFactor({ kind: 'constant' }, 0)).toBe(1);
    expect(scheduleFactor({ kind: 'constant' }, 123)).toBe(1);
    expect(scheduleFactor(undefined, 7)).toBe(1);
  });

  it('step: gamma^floor(t / every)', () => {
    const s: Schedule = { kind: 'step', every: 3, gamma: 0.5 };
    expect([0, 1, 2, 3, 5, 6, 9].map((t) => scheduleFactor(s, t))).toEqual([1, 1, 1, 0.5, 0.5, 0.25, 0.125]);
  });

  it('exponential: gamma^t', () => {
    const s: Schedule = { kind: 'exponential', gamma: 0.9 };
    expect(scheduleFactor(s, 0)).toBe(1);
    expect(scheduleFactor(s, 1)).toBeCloseTo(0.9, 15);
    expect(scheduleFactor(s, 2)).toBeCloseTo(0.81, 15);
    expect(scheduleFactor(s, 3)).toBeCloseTo(0.729, 15);
  });

  it('cosine: 1 at t = 0, (1 + min)/2 half way, min at and after total', () => {
    const s: Schedule = { kind: 'cosine', total: 10, min: 0.2 };
    expect(scheduleFactor(s, 0)).toBe(1);
    expect(scheduleFactor(s, 5)).toBeCloseTo(0.6, 15);
    expect(scheduleFactor(s, 2)).toBeCloseTo(0.2 + 0.4 * (1 + Math.cos(0.2 * Math.PI)), 15);
    expect(scheduleFactor(s, 8)).toBeCloseTo(0.2 + 0.4 * (1 + Math.cos(0.8 * Math.PI)), 15);
    expect(scheduleFactor(s, 10)).toBeCloseTo(0.2, 15);
    expect(scheduleFactor(s, 50)).toBeCloseTo(0.2, 15);
  });

  it('warmup: (t + 1)/iterations, then the next schedule on its own clock', () => {
    const plain: Schedule = { kind: 'warmup', iterations: 4 };
    expect([0, 1, 2, 3, 4, 10].map((t) => scheduleFactor(plain, t))).toEqual([0.25, 0.5, 0.75, 1, 1, 1]);
    const then: Schedule = { kind: 'warmup', iterations: 2, then: { kind: 'step', every: 2, gamma: 0.1 } };
    expect(scheduleFactor(then, 0)).toBe(0.5);
    expect(scheduleFactor(then, 1)).toBe(1);
    expect(scheduleFactor(then, 2)).toBe(1); // step schedule at its t = 0
    expect(scheduleFactor(then, 3)).toBe(1);
    expect(scheduleFactor(then, 4)).toBeCloseTo(0.1, 15);
  });
});

describe('validateSchedule', () => {
  it('accepts every kind and returns plain data', () => {
    const all: Schedule[] = [
      { kind: 'constant' },
      { kind: 'step', every: 10, gamma: 0.5 },
      { kind: 'exponential', gamma: 0.99 },
      { kind: 'cosine', total: 100, min: 0 },
      { kind: 'warmup', iterations: 5, then: { kind: 'cosine', total: 100, min: 0.01 } },
    ];
    for (const s of all) expect(validateSchedule('schedule', s)).toEqual(s);
    expect(JSON.parse(JSON.stringify(all[4]))).toEqual(validateSchedule('schedule', all[4]));
  });

  it.each([
    [{ kind: 'linear' }, 'adam.schedule.kind'],
    [{ kind: 'step', every: 0, gamma: 0.5 }, 'adam.schedule.every'],
    [{ kind: 'step', every: 2.5, gamma: 0.5 }, 'adam.schedule.every'],
    [{ kind: 'step', every: 2, gamma: 0 }, 'adam.schedule.gamma'],
    [{ kind: 'exponential', gamma: 1.5 }, 'adam.schedule.gamma'],
    [{ kind: 'cosine', total: 10, min: -0.1 }, 'adam.schedule.min'],
    [{ kind: 'cosine', total: 10 }, 'adam.schedule.min'],
    [{ kind: 'warmup', iterations: 0 }, 'adam.schedule.iterations'],
    [{ kind: 'warmup', iterations: 3, then: { kind: 'nope' } }, 'adam.schedule.then.kind'],
    [{ kind: 'constant', gamma: 0.5 }, 'adam.schedule.gamma'],
    ['cosine', 'adam.schedule'],
  ])('rejects %j naming %s', (bad, name) => {
    let err: unknown;
    try {
      validateSchedule('adam.schedule', bad);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ParameterError);
    expect((err as ParameterError).parameter).toBe(name);
    expect((err as ParameterError).message).toContain('Fix:');
  });
});
