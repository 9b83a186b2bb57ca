import { ParameterError } from '@dstft/core';
import { describe, expect, it } from 'vitest';
import { createFftPlanCache } from './index.js';

describe('createFftPlanCache', () => {
  it('returns one shared plan per size', () => {
    const cache = createFftPlanCache();
    expect(cache.maxEntries).toBe(16);
    const a = cache.get(1024);
    expect(cache.get(1024)).toBe(a);
    expect(cache.get(1000)).not.toBe(a);
    expect(cache.size).toBe(2);
    expect(a.size).toBe(1024);
  });

  it('evicts the least recently used plan beyond maxEntries', () => {
    const cache = createFftPlanCache(2);
    const p8 = cache.get(8);
    cache.get(9);
    expect(cache.get(8)).toBe(p8); // 8 is now the most recent, 9 the oldest
    cache.get(10);
    expect(cache.size).toBe(2);
    expect(cache.has(9)).toBe(false);
    expect(cache.has(8)).toBe(true);
    expect(cache.has(10)).toBe(true);
    expect(cache.get(8)).toBe(p8);
    expect(cache.get(9)).not.toBe(p8);
    expect(cache.has(10)).toBe(false);
  });

  it('keeps separate instances independent and can be cleared', () => {
    const one = createFftPlanCache(4);
    const two = createFftPlanCache(4);
    expect(one.get(16)).not.toBe(two.get(16));
    one.clear();
    expect(one.size).toBe(0);
    expect(two.size).toBe(1);
  });

  it('validates maxEntries and sizes, caching nothing on a bad size', () => {
    expect(() => createFftPlanCache(0)).toThrow(ParameterError);
    expect(() => createFftPlanCache(1.5)).toThrow(/^maxEntries = 1\.5/);
    const cache = createFftPlanCache();
    expect(() => cache.get(1)).toThrow(ParameterError);
    expect(cache.size).toBe(0);
  });
});
