import { describe, expect, it } from 'vitest';
import { createRng, expectGradcheck, gradcheck } from '../src/index.js';

// f(p) = Σ_i sin(p_i)·p_{i+1}² + exp(0.1·Σ p_i), gradient by hand
function f(p: Float64Array): number {
  let s = 0;
  let t = 0;
  for (let i = 0; i < p.length; i++) {
    if (i + 1 < p.length) s += Math.sin(p[i]!) * p[i + 1]! ** 2;
    t += p[i]!;
  }
  return s + Math.exp(0.1 * t);
}
function grad(p: Float64Array): Float64Array {
  const g = new Float64Array(p.length);
  let t = 0;
  for (let i = 0; i < p.length; i++) t += p[i]!;
  const e = 0.1 * Math.exp(0.1 * t);
  for (let i = 0; i < p.length; i++) {
    g[i] = e;
    if (i + 1 < p.length) g[i]! += Math.cos(p[i]!) * p[i + 1]! ** 2;
    if (i > 0) g[i]! += Math.sin(p[i - 1]!) * 2 * p[i]!;
  }
  return g;
}

const rng = createRng(2024);
const p = rng.fill(new Float64Array(12), -3, 3);
p[5] = 250; // a large entry: the default step scales with |p_i|

describe('gradcheck', () => {
  it('accepts an exact gradient at rtol 1e-6 (max error far below)', () => {
    const r = gradcheck({ f, grad: grad(p), params: p });
    expect(r.ok).toBe(true);
    expect(r.maxError).toBeLessThan(1e-8);
    expect(r.entries).toHaveLength(12);
    expect(r.worst).not.toBeNull();
    expect(r.entries[5]!.step).toBeCloseTo(250e-5, 15);
  });

  it('rejects a gradient off by 1e-4 relative in a single entry', () => {
    const g = grad(p);
    g[3]! *= 1 + 1e-4;
    const r = gradcheck({ f, grad: g, params: p });
    expect(r.ok).toBe(false);
    expect(r.worst?.index).toBe(3);
    expect(r.worst?.error).toBeGreaterThan(5e-5);
    expect(r.entries.filter((e) => !e.ok).map((e) => e.index)).toEqual([3]);
  });

  it('compares entries below the floor in absolute terms (default floor 1e-6 × the largest entry)', () => {
    // f does not depend on q[2]: its exact derivative is 0
    const h = (q: Float64Array) => Math.sin(q[0]!) * q[1]! * q[1]!;
    const q = Float64Array.of(0.4, 2);
    const exact = Float64Array.of(Math.cos(0.4) * 4, Math.sin(0.4) * 4, 0);
    const scale = Math.max(...exact.map(Math.abs));
    const tiny = Float64Array.from(exact);
    tiny[2] = 1e-13 * scale; // within rtol × floor = 1e-12 × scale: fine
    expect(gradcheck({ f: h, grad: tiny, params: Float64Array.of(...q, 0) }).ok).toBe(true);
    const wrong = Float64Array.from(exact);
    wrong[2] = 1e-9 * scale; // beyond it: a real error
    const r = gradcheck({ f: h, grad: wrong, params: Float64Array.of(...q, 0) });
    expect(r.ok).toBe(false);
    expect(r.worst?.index).toBe(2);
    // an explicit, generous floor accepts it
    expect(gradcheck({ f: h, grad: wrong, params: Float64Array.of(...q, 0), atol: 10 * scale }).ok).toBe(true);
  });

  it('never changes params, even when f throws', () => {
    const copy = Float64Array.from(p);
    gradcheck({ f, grad: grad(p), params: p });
    expect(Array.from(p)).toEqual(Array.from(copy));
    let calls = 0;
    expect(() =>
      gradcheck({
        f: (q) => {
          if (++calls === 3) throw new Error('boom');
          return f(q);
        },
        grad: grad(p),
        params: p,
      }),
    ).toThrow('boom');
    expect(Array.from(p)).toEqual(Array.from(copy));
  });

  it('Richardson extrapolation reaches 1e-6 where the plain central difference with a large step does not', () => {
    const q = Float64Array.of(0.7, 1.3);
    const g = grad(q);
    expect(gradcheck({ f, grad: g, params: q, step: 1e-2 }).ok).toBe(true);
    expect(gradcheck({ f, grad: g, params: q, step: 1e-2, richardson: false }).ok).toBe(false);
  });

  it('takes indices and a step function', () => {
    const steps: number[] = [];
    const r = gradcheck({
      f,
      grad: grad(p),
      params: p,
      indices: [1, 4],
      step: (i, v) => {
        steps.push(i);
        return 1e-4 * Math.max(1, Math.abs(v));
      },
    });
    expect(r.entries.map((e) => e.index)).toEqual([1, 4]);
    expect(steps).toEqual([1, 4]);
    expect(r.ok).toBe(true);
  });

  it('expectGradcheck throws a readable table when not ok', () => {
    const g = grad(p);
    g[7] = -g[7]!;
    expect(() => expectGradcheck({ f, grad: g, params: p })).toThrow(/1 of 12 entries exceed rtol 1e-6[\s\S]*index\s+analytic\s+numeric\s+error[\s\S]*\n\s+7 .*FAIL/);
    expect(expectGradcheck({ f, grad: grad(p), params: p }).ok).toBe(true);
  });

  it('rejects mismatched lengths and bad indices', () => {
    expect(() => gradcheck({ f, grad: new Float64Array(3), params: p })).toThrow(/length 3/);
    expect(() => gradcheck({ f, grad: grad(p), params: p, indices: [12] })).toThrow(/outside/);
  });
});
