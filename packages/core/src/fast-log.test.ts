import { describe, expect, it } from 'vitest';
import { ParameterError } from './errors.js';
import { createLogKernel, sharedLogKernel } from './fast-log.js';

/** A deterministic generator (xorshift32), so that a failure names values that can be reproduced. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
}

/** Values from every corner of fdlibm's log: any bit pattern, near 1, near powers of two, tiny, huge, special. */
function values(n: number, seed: number): Float64Array {
  const next = rng(seed);
  const out = new Float64Array(n);
  const bits = new Uint32Array(out.buffer);
  const special = [0, -0, -1, -Infinity, Infinity, NaN, 5e-324, 2.2250738585072014e-308, 2.225073858507201e-308, 1, 2, 0.5, 1.7976931348623157e308];
  for (let k = 0; k < n; k++) {
    const u = next() / 2 ** 32;
    switch (k % 7) {
      case 0: // any finite or special bit pattern, sign cleared for half of them
        bits[2 * k] = next();
        bits[2 * k + 1] = k % 14 === 0 ? next() : next() & 0x7fffffff;
        break;
      case 1:
        out[k] = 1 + (u - 0.5) * 2 ** -(next() % 40); // |f| around fdlibm's 2^-20 shortcut and its two formulas
        break;
      case 2:
        out[k] = 2 ** ((next() % 2000) - 1000) * (1 + (u - 0.5) * 2 ** -(next() % 30));
        break;
      case 3:
        out[k] = u * 100;
        break;
      case 4:
        out[k] = Math.exp((u - 0.5) * 1400);
        break;
      case 5:
        out[k] = u * 1e-310; // subnormal
        break;
      default:
        out[k] = special[next() % special.length]!;
    }
  }
  return out;
}

function mismatches(src: Float64Array, from: number, count: number, got: Float64Array): string[] {
  const bad: string[] = [];
  for (let m = 0; m < count; m++) {
    const want = Math.log(src[from + m]!);
    if (!Object.is(got[m], want)) bad.push(`log(${src[from + m]}) = ${got[m]}, Math.log gives ${want}`);
  }
  return bad;
}

describe('createLogKernel', () => {
  it('runs the WebAssembly SIMD path on Node 20', () => {
    expect(createLogKernel().simd).toBe(true);
  });

  for (const simd of [true, false]) {
    it(`gives Math.log's bits for every kind of value (${simd ? 'SIMD' : 'Math.log loop'})`, () => {
      const kernel = createLogKernel({ capacity: 4096, simd });
      const src = values(4096 * 64 + 7, 7);
      const bad: string[] = [];
      for (let from = 0; from + 4096 <= src.length; from += 4093) {
        const count = 4096 - (from % 3); // odd and even counts, any offset
        bad.push(...mismatches(src, from, count, kernel.logs(src, from, count)));
      }
      expect(bad.slice(0, 5)).toEqual([]);
    });
  }

  it('agrees with Math.log on spectrogram-like magnitudes, whole array and odd tail', () => {
    const kernel = sharedLogKernel();
    const s = Float64Array.from({ length: 513 }, (_, m) => Math.abs(Math.sin(m * 0.37) * 30 * Math.exp(-m / 400)) + (m % 5 === 0 ? 0 : 1e-9));
    expect(mismatches(s, 0, 513, kernel.logs(s, 0, 513))).toEqual([]);
    expect(kernel.logs(s, 0, 0)).toBeInstanceOf(Float64Array);
  });

  it('rejects a count beyond the capacity or the source, and a bad capacity, with typed errors', () => {
    const kernel = createLogKernel({ capacity: 8 });
    const src = new Float64Array(20).fill(1.5);
    expect(() => kernel.logs(src, 0, 9)).toThrow(ParameterError);
    expect(() => kernel.logs(src, 0, 9)).toThrow(/count = 9.*capacity 8/);
    expect(() => kernel.logs(src, 15, 6)).toThrow(/length 20/);
    expect(() => createLogKernel({ capacity: 7 })).toThrow(/capacity = 7: must be an even integer/);
  });
});

describe('LogKernel.magnitudeTangent', () => {
  for (const simd of [true, false]) {
    it(`gives the scalar S and d bit for bit, and logs of S in place (${simd ? 'SIMD' : 'plain loop'})`, () => {
      const kernel = createLogKernel({ capacity: 1024, simd });
      const next = rng(11);
      const u = (): number => next() / 2 ** 32 - 0.5;
      const bad: string[] = [];
      for (let r = 0; r < 200; r++) {
        const count = 1 + ((r * 37) % 1024); // odd and even, up to the capacity
        const scale = 10 ** ((r % 40) - 20);
        const X = Float64Array.from({ length: 2 * count + 2 * (r % 3) }, (_, i) => (i % 11 === 0 || (r % 5 === 0 && (i >> 1) % 3 === 0) ? 0 : u() * scale));
        const Y = Float64Array.from({ length: 2 * count }, () => u() * 5);
        const eps = r % 4 === 0 ? 0 : 1e-9 * (r % 7);
        const { s, d } = kernel.magnitudeTangent(X, Y, count, eps);
        const lg = kernel.logs(s, 0, count);
        for (let m = 0; m < count; m++) {
          const re = X[2 * m]!;
          const im = X[2 * m + 1]!;
          const m2 = re * re + im * im;
          const a = Math.sqrt(m2);
          const ws = a + eps;
          const wd = m2 > 0 ? (re * Y[2 * m]! + im * Y[2 * m + 1]!) / a : 0;
          if (!Object.is(s[m], ws) || !Object.is(d[m], wd) || !Object.is(lg[m], Math.log(ws))) bad.push(`count ${count} bin ${m}: S ${s[m]} / ${ws}, d ${d[m]} / ${wd}, log ${lg[m]}`);
        }
      }
      expect(bad.slice(0, 5)).toEqual([]);
    });
  }

  it('rejects more bins than the capacity or the spectra hold', () => {
    const kernel = createLogKernel({ capacity: 8 });
    expect(() => kernel.magnitudeTangent(new Float64Array(18), new Float64Array(18), 9, 0)).toThrow(/count = 9: must be at most the kernel's capacity 8/);
    expect(() => kernel.magnitudeTangent(new Float64Array(6), new Float64Array(16), 4, 0)).toThrow(ParameterError);
  });
});
