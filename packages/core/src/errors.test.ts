import { describe, expect, it } from 'vitest';
import { DstftError, ParameterError, ShapeError, SignalError, assertSignalBatch, assertPositive, describeValue } from './index.js';

describe('typed errors', () => {
  it('name the parameter, the value and the fix', () => {
    const e = new ParameterError('hop', -2, 'must be > 0', 'pass a positive hop');
    expect(e).toBeInstanceOf(DstftError);
    expect(e.message).toBe('hop = -2: must be > 0. Fix: pass a positive hop');
    expect(e.parameter).toBe('hop');
    expect(e.value).toBe(-2);
    expect(e.code).toBe('ERR_PARAMETER');
    expect(e.name).toBe('ParameterError');
  });

  it('show values the way they were written: short lists in full, long ones and arrays by shape', () => {
    expect(describeValue([5000, 6000])).toBe('[5000, 6000]');
    expect(describeValue(['a', NaN])).toBe('["a", NaN]');
    expect(describeValue(Array.from({ length: 9 }, (_, i) => i))).toBe('Array(length 9)');
    expect(describeValue(Float64Array.of(1, 2))).toBe('Float64Array(length 2)');
  });

  it('signal checks find NaN / Infinity with their position', () => {
    const x = new Float64Array(20);
    x[13] = Number.NaN;
    expect(() => assertSignalBatch('x', x, 10)).toThrow(SignalError);
    expect(() => assertSignalBatch('x', x, 10)).toThrow(/x\[1\]\[3\] = NaN: sample 3 of signal 1/);
    x[13] = Number.POSITIVE_INFINITY;
    expect(() => assertSignalBatch('x', x, 10)).toThrow(/= Infinity/);
    expect(() => assertSignalBatch('x', new Float64Array(0), 0)).toThrow(/empty/);
    expect(() => assertSignalBatch('x', new Float64Array(15), 10)).toThrow(ShapeError);
    expect(() => assertSignalBatch('x', [1, 2] as never, 2)).toThrow(/Float64Array/);
  });

  it('the signal check reports the first non-finite sample at every position and of every kind (the scan takes two at a time)', () => {
    const bad = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
    for (const len of [1, 2, 7, 8]) {
      for (let i = 0; i < len; i++) {
        for (const v of bad) {
          const x = new Float64Array(len).fill(1e300);
          x[i] = v;
          if (i + 1 < len) x[i + 1] = bad[(bad.indexOf(v) + 1) % 3]!; // a later bad sample must not be the one reported
          expect(() => assertSignalBatch('x', x, len)).toThrow(`x[0][${i}] = ${String(v)}`);
        }
      }
      expect(() => assertSignalBatch('x', new Float64Array(len).fill(-Number.MAX_VALUE), len)).not.toThrow();
    }
  });

  it('number checks reject NaN and non-positive values', () => {
    expect(() => assertPositive('theta', 0)).toThrow(/theta = 0: must be > 0/);
    expect(() => assertPositive('theta', Number.NaN)).toThrow(/theta = NaN: expected a finite number/);
    expect(() => assertPositive('theta', 3)).not.toThrow();
  });
});
