import { ParameterError, ShapeError, StateError } from '@dstft/core';
import { createDstft, type DstftOptions } from '@dstft/dstft';
import { createRealFftPlan, createStftPlan, defaultFftBackend } from '@dstft/kernel';
import { createRng, maxRelativeError as relErr } from '@dstft/testing';
import { hann } from '@dstft/windows';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadPffftBackend, pffftSupports, type PffftBackend } from './index.js';

let backend: PffftBackend;
beforeAll(async () => {
  backend = await loadPffftBackend();
});

/** max |a - b| / max |b|. */
function randomSignal(n: number, seed: number): Float64Array {
  const rng = createRng(seed);
  return Float64Array.from({ length: n }, () => rng.normal());
}

const SIZES = [32, 64, 96, 128, 256, 512, 1024, 4096];

describe('the backend object', () => {
  it('says what it is', () => {
    expect(backend.id).toBe('pffft');
    expect(backend.precision).toBe('float32');
    expect(backend.simd).toBe(true);
    expect(Object.isFrozen(backend)).toBe(true);
  });

  it('supports N = 32·2^a·3^b·5^c and nothing else', () => {
    for (const n of [32, 64, 96, 128, 160, 192, 480, 1024, 1536, 4096, 16_777_216]) expect(pffftSupports(n), String(n)).toBe(true);
    for (const n of [0, 2, 16, 31, 48, 100, 224, 1000, 1023, 32.5, -64, 33_554_432, Number.NaN]) expect(pffftSupports(n), String(n)).toBe(false);
    expect(backend.supports).toBe(pffftSupports);
  });
});

describe.each(SIZES)('PFFFT real plan, N = %i, against the exact float64 plan', (n) => {
  const bins = n / 2 + 1;

  it('has the plan shape', () => {
    const plan = backend.createRealPlan(n);
    expect(plan.size).toBe(n);
    expect(plan.bins).toBe(bins);
    expect(plan.algorithm).toBe('pffft');
  });

  it('forward: bins within 1e-6 of the peak; imaginary parts of DC and Nyquist exactly 0; input untouched', () => {
    const plan = backend.createRealPlan(n);
    const exact = createRealFftPlan(n);
    for (const seed of [1, 2, 3]) {
      const x = randomSignal(n, seed * 131 + n);
      x[0] += 3; // a DC offset, so that bin 0 is not small
      const copy = x.slice();
      const got = new Float64Array(2 * bins).fill(Number.NaN);
      const want = new Float64Array(2 * bins);
      plan.forward(x, got);
      exact.forward(x, want);
      expect(relErr(got, want)).toBeLessThan(1e-6);
      expect(got[1]).toBe(0);
      expect(got[n + 1]).toBe(0);
      expect(Array.from(x)).toEqual(Array.from(copy));
    }
  });

  it('inverse: within 1e-6 of the peak; ignores the imaginary parts of DC and Nyquist', () => {
    const plan = backend.createRealPlan(n);
    const exact = createRealFftPlan(n);
    const X = randomSignal(2 * bins, 7 * n);
    const got = new Float64Array(n);
    const want = new Float64Array(n);
    plan.inverse(X, got);
    exact.inverse(X, want);
    expect(relErr(got, want)).toBeLessThan(1e-6);
    const X2 = X.slice();
    X2[1] = 123;
    X2[n + 1] = -45;
    const got2 = new Float64Array(n);
    plan.inverse(X2, got2);
    expect(Array.from(got2)).toEqual(Array.from(got));
  });

  it('direct input (RealFftPlan.input): forwardFromInput / inverseFromInput equal forward / inverse bit for bit', () => {
    const plan = backend.createRealPlan(n);
    const x = randomSignal(n, 13 * n);
    const want = new Float64Array(2 * bins);
    plan.forward(x, want);
    for (let j = 0; j < n; j++) plan.input![j] = x[j]!;
    const got = new Float64Array(2 * bins);
    plan.forwardFromInput!(got);
    expect(Array.from(got)).toEqual(Array.from(want));
    // inverse: packed [Re X_0, Re X_{N/2}, X_1, …] times 1/N
    const X = randomSignal(2 * bins, 17 * n);
    const y = new Float64Array(n);
    plan.inverse(X, y);
    const vin = plan.input!;
    for (let j = 0; j < n; j++) vin[j] = X[j]! / n;
    vin[1] = X[n]! / n;
    const y2 = new Float64Array(n);
    plan.inverseFromInput!(y2);
    expect(Array.from(y2)).toEqual(Array.from(y));
    expect(() => plan.forwardFromInput!(new Float64Array(3))).toThrow(ShapeError);
    plan.dispose();
    expect(() => plan.input).toThrow(StateError);
    expect(() => plan.inverseFromInput!(y2)).toThrow(StateError);
  });

  it('round trip inverse(forward(x)) ≈ x', () => {
    const plan = backend.createRealPlan(n);
    const x = randomSignal(n, 11 * n);
    const X = new Float64Array(2 * bins);
    const y = new Float64Array(n);
    plan.forward(x, X);
    plan.inverse(X, y);
    expect(relErr(y, x)).toBeLessThan(1e-6);
  });
});

describe('errors and memory', () => {
  it('rejects unsupported sizes with a ParameterError that names the sizes (no fallback)', () => {
    for (const n of [48, 100, 16, 1000]) {
      expect(() => backend.createRealPlan(n)).toThrow(ParameterError);
      expect(() => backend.createRealPlan(n)).toThrow(/PFFFT does not take this size: it takes N = 32·2\^a·3\^b·5\^c/);
    }
    // the module is still usable after a rejected size (PFFFT itself would abort on N % 32 ≠ 0)
    const plan = backend.createRealPlan(64);
    const out = new Float64Array(66);
    plan.forward(new Float64Array(64).fill(1), out);
    expect(out[0]).toBeCloseTo(64, 4);
  });

  it('checks lengths and aliasing like the float64 plans', () => {
    const plan = backend.createRealPlan(64);
    expect(() => plan.forward(new Float64Array(63), new Float64Array(66))).toThrow(ShapeError);
    expect(() => plan.forward(new Float64Array(64), new Float64Array(64))).toThrow(/expected a Float64Array of length 66/);
    expect(() => plan.inverse(new Float64Array(66), new Float64Array(65))).toThrow(ShapeError);
    const shared = new Float64Array(200);
    expect(() => plan.forward(shared.subarray(0, 64), shared.subarray(10, 76))).toThrow(/shares memory with input/);
  });

  it('keeps working when WebAssembly memory grows under existing plans (views re-created)', () => {
    const plan = backend.createRealPlan(256);
    const x = randomSignal(256, 5);
    const before = new Float64Array(258);
    plan.forward(x, before);
    // many large plans force the heap to grow, which detaches the old ArrayBuffer
    const big = Array.from({ length: 6 }, () => backend.createRealPlan(1 << 18));
    const after = new Float64Array(258);
    plan.forward(x, after);
    expect(Array.from(after)).toEqual(Array.from(before));
    for (const p of big) p.dispose();
  });

  it('dispose frees the plan; using it afterwards is a StateError', () => {
    const plan = backend.createRealPlan(128);
    plan.dispose();
    plan.dispose();
    expect(() => plan.forward(new Float64Array(128), new Float64Array(130))).toThrow(StateError);
  });

  it('backends are independent instances', async () => {
    const other = await loadPffftBackend();
    expect(other).not.toBe(backend);
    const x = randomSignal(128, 9);
    const a = new Float64Array(130);
    const b = new Float64Array(130);
    other.createRealPlan(128).forward(x, a);
    backend.createRealPlan(128).forward(x, b);
    expect(Array.from(a)).toEqual(Array.from(b));
  });
});

describe('in a transform', () => {
  it('createStftPlan takes the backend, reports it, and rejects sizes it does not support', () => {
    const config = { nFft: 256, signalLength: 2000, window: hann, windowMode: 'constant' as const, positions: { mode: 'fixed' as const, hop: 64 } };
    expect(createStftPlan(config).fftBackend).toBe(defaultFftBackend);
    const plan = createStftPlan({ ...config, fft: backend });
    expect(plan.fftBackend.id).toBe('pffft');
    expect(plan.fftBackend.precision).toBe('float32');
    expect(plan.fft.algorithm).toBe('pffft');
    expect(() => createStftPlan({ ...config, nFft: 200, fft: backend })).toThrow(/nFft = 200: the FFT backend "pffft" does not support this size \(it takes N = 32/);
    // the DFT path needs no FFT: any size
    const dft = createStftPlan({ ...config, nFft: 200, windowMode: 'time-frequency', fft: backend });
    expect(dft.path).toBe('dft');
  });

  const L = 4000;
  const B = 2;
  const rng = createRng(2024);
  const x = Float64Array.from({ length: B * L }, (_, k) => Math.sin(0.05 * k + 2e-5 * k * k) + 0.4 * Math.cos(0.8 * k) + 0.05 * rng.normal());

  function entropyGrad(S: Float64Array): Float64Array {
    let Z = 0;
    for (const v of S) Z += v;
    let H = 0;
    for (const v of S) H -= (v / Z) * Math.log(v / Z);
    return S.map((v) => -(Math.log(v / Z) + H) / Z);
  }

  const cases: Partial<DstftOptions>[] = [
    { nFft: 1024, hop: 256, windowMode: 'constant', theta: 1000 },
    { nFft: 512, hop: 128, windowMode: 'time', theta: 400.5, positionsMode: 'time' },
    { nFft: 256, hop: 50.5, windowMode: 'constant', theta: 200, positionsMode: 'constant', normalization: 'paper' },
    { nFft: 96, hop: 24, windowMode: 'time', theta: 90, positionsMode: 'free' },
  ];
  for (const c of cases) {
    it(`forward + backward agree with float64 to 1e-4: ${JSON.stringify(c)}`, () => {
      const options = { signalLength: L, ...c } as DstftOptions;
      const exact = createDstft(options);
      const fast = createDstft(options, { fft: backend });
      expect(fast.options.fft).toBe('pffft');
      expect(exact.options.fft).toBe('fftjs');
      const r0 = exact.forward(x);
      const r1 = fast.forward(x);
      expect(relErr(r1.spec, r0.spec)).toBeLessThan(1e-5);
      expect(relErr(r1.X, r0.X)).toBeLessThan(1e-5);
      const g0 = exact.backward(r0, { spec: entropyGrad(r0.spec) }, { signal: true });
      const g1 = fast.backward(r1, { spec: entropyGrad(r1.spec) }, { signal: true });
      expect(relErr(g1.theta, g0.theta)).toBeLessThan(1e-4);
      expect(relErr(g1.positions, g0.positions)).toBeLessThan(1e-4);
      expect(relErr(g1.x!, g0.x!)).toBeLessThan(1e-4);
      // an upstream ∂ℒ/∂X (G) takes the same direct route into the backend's float32 input
      const G0 = r0.X.map((v, k) => v * Math.cos(0.37 * k));
      const G1 = r1.X.map((v, k) => v * Math.cos(0.37 * k));
      const h0 = exact.backward(r0, { X: G0 }, { signal: true });
      const h1 = fast.backward(r1, { X: G1 }, { signal: true });
      expect(relErr(h1.theta, h0.theta)).toBeLessThan(1e-4);
      expect(relErr(h1.positions, h0.positions)).toBeLessThan(1e-4);
      expect(relErr(h1.x!, h0.x!)).toBeLessThan(1e-4);
      // the inverse runs on the backend too
      const back = fast.inverse({ X: r1.X, batch: B, frames: r1.frames });
      const back0 = exact.inverse({ X: r0.X, batch: B, frames: r0.frames });
      expect(relErr(back.signal, back0.signal)).toBeLessThan(1e-5);
    });
  }

  it('toJSON records the backend; rebuilding needs the same backend, explicitly', () => {
    const options: DstftOptions = { nFft: 256, signalLength: L, hop: 64, theta: 200 };
    const fast = createDstft(options, { fft: backend });
    const json = JSON.parse(JSON.stringify(fast.toJSON())) as DstftOptions;
    expect(json.fft).toBe('pffft');
    expect(() => createDstft(json)).toThrow(/fft = "pffft": no FFT backend with this id in the registry/);
    expect(createDstft(json, { fft: backend }).options.fft).toBe('pffft');
    expect(() => createDstft({ ...options, fft: 'fftjs' }, { fft: backend })).toThrow(/does not match the FFT backend passed in extras \("pffft"\)/);
    expect(createDstft(createDstft(options).toJSON()).options.fft).toBe('fftjs');
  });
});
