// Imports the built package by name: the worker thread runs dist/worker.js, next to dist/index.js.
import { createDefaultRegistry, createDstft, type DstftOptions } from '@dstft/dstft';
import { afterAll, describe, expect, it } from 'vitest';
import { createParallelDstft, frameRanges, type ParallelDstft } from '@dstft/parallel';
import { loadPffftBackend } from '@dstft/fft-pffft';
import type { LossPlugin } from '@dstft/core';

const L = 3000;
const B = 3;
const x = new Float64Array(B * L).map((_, k) => Math.sin(0.05 * k + 1e-5 * k * k) + 0.3 * Math.cos(0.9 * k));

function entropyGrad(S: Float64Array): Float64Array {
  let Z = 0;
  for (const v of S) Z += v;
  let H = 0;
  for (const v of S) H -= (v / Z) * Math.log(v / Z);
  return S.map((v) => -(Math.log(v / Z) + H) / Z);
}

const cases: Partial<DstftOptions>[] = [
  { windowMode: 'constant', theta: 200, hop: 50 },
  { windowMode: 'time', theta: 150.5, positionsMode: 'time', hop: 37.3 },
  { windowMode: 'constant', theta: 180.25, positionsMode: 'constant', hop: 41.7, normalization: 'paper' },
  { windowMode: 'time-frequency', theta: 120, hop: 64, window: 'blackman' },
  { windowMode: 'frequency', theta: 100, positionsMode: 'free', hop: 80, normalization: 'unit' },
  { windowMode: 'constant', theta: 160, framePolicy: 'fixed-overlap', overlap: 0.6, thetaMin: 64 },
];

const open: ParallelDstft[] = [];
afterAll(async () => {
  await Promise.all(open.map((p) => p.close()));
});

describe('two threads give the results of one', () => {
  for (const c of cases) {
    it(JSON.stringify(c), async () => {
      const options: DstftOptions = { nFft: 256, signalLength: L, ...c };
      const one = createDstft(options);
      const two = await createParallelDstft(options, { threads: 2 });
      open.push(two);
      expect(two.threads).toBe(2);
      const r1 = one.forward(x);
      const r2 = two.forward(x);
      expect(r2.frames).toBe(r1.frames);
      expect(Array.from(r2.X)).toEqual(Array.from(r1.X)); // bitwise
      expect(Array.from(r2.spec)).toEqual(Array.from(r1.spec));
      expect(Array.from(r2.positions)).toEqual(Array.from(r1.positions));
      const g1 = one.backward(r1, { spec: entropyGrad(r1.spec) }, { signal: true });
      const g2 = two.backward(r2, { spec: entropyGrad(r2.spec) }, { signal: true });
      expect(Array.from(g2.theta)).toEqual(Array.from(g1.theta)); // bitwise: contributions summed in frame order
      expect(Array.from(g2.positions)).toEqual(Array.from(g1.positions));
      expect(g2.hop).toEqual(g1.hop);
      expect(g2.t0).toEqual(g1.t0);
      if (g1.hops) expect(Array.from(g2.hops!)).toEqual(Array.from(g1.hops));
      // ∂ℒ/∂x: overlapping frames of different threads are summed in another order (equal to rounding)
      let err = 0;
      let max = 0;
      for (let k = 0; k < g1.x!.length; k++) {
        err = Math.max(err, Math.abs(g1.x![k]! - g2.x![k]!));
        max = Math.max(max, Math.abs(g1.x![k]!));
      }
      expect(err / max).toBeLessThan(1e-14);
    });
  }

  it('parameters can change between calls, batch sizes too', async () => {
    const options: DstftOptions = { nFft: 128, signalLength: L, windowMode: 'time', theta: 100, hop: 32 };
    const one = createDstft(options);
    const two = await createParallelDstft(options, { threads: 2 });
    open.push(two);
    for (const scale of [1, 0.7, 1.1]) {
      for (const batch of [1, 3]) {
        const theta = one.params.theta.map((t, n) => Math.min(128, t * scale + (n % 5)));
        const xs = x.subarray(0, batch * L);
        const a = one.forward(xs, { theta });
        const b = two.forward(xs, { theta });
        expect(Array.from(b.spec)).toEqual(Array.from(a.spec));
        const ga = one.backward(a, { spec: entropyGrad(a.spec) });
        const gb = two.backward(b, { spec: entropyGrad(b.spec) });
        expect(Array.from(gb.theta)).toEqual(Array.from(ga.theta));
      }
    }
  });

  it('backward over a frame range equals the one-thread backward of that range, bit for bit (other frames give 0)', async () => {
    const options: DstftOptions = { nFft: 128, signalLength: L, windowMode: 'time', theta: 100, hop: 32 };
    const one = createDstft(options);
    const two = await createParallelDstft(options, { threads: 2 });
    open.push(two);
    const r1 = one.forward(x);
    const r2 = two.forward(x);
    const dS = entropyGrad(r1.spec);
    two.backward(r2, { spec: dS }); // a whole backward first: its values must not leak into a range's result
    for (const frames of [[3, 40], [0, 0], [10, 11]] as [number, number][]) {
      const g1 = one.backward(r1, { spec: dS }, { frames });
      const g2 = two.backward(r2, { spec: dS }, { frames });
      expect(Array.from(g2.theta)).toEqual(Array.from(g1.theta));
      expect(Array.from(g2.positions)).toEqual(Array.from(g1.positions));
    }
  });

  it('third-party plugins given by module specifier load on every thread', async () => {
    const spec = new URL('../test-fixtures/acme-cosine.mjs', import.meta.url).href;
    const options: DstftOptions = { nFft: 128, signalLength: L, window: 'acme/cosine', theta: 100, hop: 32 };
    const acme = ((await import(spec)) as { default: Parameters<ReturnType<typeof createDefaultRegistry>['use']>[0] }).default;
    const one = createDstft(options, { registry: createDefaultRegistry().use(acme) });
    const two = await createParallelDstft(options, { threads: 2, plugins: [spec] });
    open.push(two);
    const a = one.forward(x);
    const b = two.forward(x);
    expect(Array.from(b.spec)).toEqual(Array.from(a.spec));
    await expect(createParallelDstft(options, { threads: 2 })).rejects.toThrow(/acme\/cosine/);
  });

  it('an FFT backend chosen by id (options.fft) loads on every thread; two threads equal one thread with that backend', async () => {
    const backend = await loadPffftBackend();
    for (const c of [cases[0]!, cases[1]!, cases[2]!]) {
      const options: DstftOptions = { nFft: 256, signalLength: L, ...c };
      const one = createDstft(options, { fft: backend });
      const two = await createParallelDstft({ ...options, fft: 'pffft' }, { threads: 2 });
      open.push(two);
      expect(two.dstft.plan.fftBackend.id).toBe('pffft');
      expect(two.dstft.options.fft).toBe('pffft');
      const r1 = one.forward(x);
      const r2 = two.forward(x);
      expect(Array.from(r2.X)).toEqual(Array.from(r1.X)); // bitwise: the same float32 FFT on every thread
      expect(Array.from(r2.spec)).toEqual(Array.from(r1.spec));
      const g1 = one.backward(r1, { spec: entropyGrad(r1.spec) });
      const g2 = two.backward(r2, { spec: entropyGrad(r2.spec) });
      expect(Array.from(g2.theta)).toEqual(Array.from(g1.theta));
      expect(Array.from(g2.positions)).toEqual(Array.from(g1.positions));
      // and differs from the exact float64 transform only at float32 precision
      const exact = createDstft(options).forward(x);
      let err = 0;
      let peak = 0;
      for (let k = 0; k < exact.spec.length; k++) {
        err = Math.max(err, Math.abs(exact.spec[k]! - r2.spec[k]!));
        peak = Math.max(peak, exact.spec[k]!);
      }
      expect(err / peak).toBeGreaterThan(0);
      expect(err / peak).toBeLessThan(1e-5);
    }
  });

  it('an unknown FFT id, a plugin module that cannot be loaded, a size the backend does not take: clear errors at start-up', async () => {
    await expect(createParallelDstft({ nFft: 64, signalLength: 500, fft: 'acme-fft' }, { threads: 2 })).rejects.toThrow(/fft = "acme-fft".*no FFT backend with this id/);
    await expect(createParallelDstft({ nFft: 64, signalLength: 500 }, { threads: 2, plugins: ['acme-no-such-module'] })).rejects.toThrow(/plugin module "acme-no-such-module" could not be imported/);
    await expect(createParallelDstft({ nFft: 100, signalLength: 500, fft: 'pffft' }, { threads: 2 })).rejects.toThrow(/the FFT backend "pffft" does not support this size/);
    // the FFT moved from the parallel options to the transform's: the old spelling says where it went
    await expect(createParallelDstft({ nFft: 64, signalLength: 500 }, { threads: 2, fft: 'pffft' } as never)).rejects.toThrow(/fft = "pffft".*transform options.*fft: "pffft"/);
    await expect(createParallelDstft({ nFft: 64, signalLength: 500 }, { thread: 2 } as never)).rejects.toThrow(/thread.*threads/);
  });

  it('results live in shared memory; shared inputs are used in place, plain ones copied; old results stay usable', async () => {
    const options: DstftOptions = { nFft: 128, signalLength: L, windowMode: 'time', theta: 100, hop: 32 };
    const one = createDstft(options);
    const two = await createParallelDstft(options, { threads: 2 });
    open.push(two);
    const r1 = one.forward(x);
    const g1 = one.backward(r1, { spec: entropyGrad(r1.spec) });
    const r2 = two.forward(x);
    expect(r2.X.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(r2.spec.buffer).toBeInstanceOf(SharedArrayBuffer);
    // a shared signal and a shared upstream gradient
    const xs = two.sharedArray(x.length);
    xs.set(x);
    const r3 = two.forward(xs);
    expect(Array.from(r3.spec)).toEqual(Array.from(r1.spec));
    const dS = two.sharedArray(r3.spec.length);
    dS.set(entropyGrad(r3.spec));
    expect(Array.from(two.backward(r3, { spec: dS }).theta)).toEqual(Array.from(g1.theta));
    const G = two.sharedArray(r3.X.length);
    G.set(r3.X);
    expect(Array.from(two.backward(r3, { X: G }, { signal: true }).theta)).toEqual(Array.from(one.backward(r1, { X: r1.X }).theta));
    // an `out` whose arrays are not shared (from the one-thread transform) is filled through a copy
    const plainOut = one.forward(x.map((v) => -v));
    const r4 = two.forward(x, undefined, plainOut);
    expect(r4).toBe(plainOut);
    expect(r4.X.buffer).not.toBeInstanceOf(SharedArrayBuffer);
    expect(Array.from(r4.X)).toEqual(Array.from(r1.X));
    // many results, more than the workers keep: the oldest are registered again when used
    const many = Array.from({ length: 12 }, (_, k) => two.forward(x.map((v) => v * (1 + k / 10))));
    for (const k of [0, 11, 3]) {
      const rk = many[k]!;
      const ok = one.forward(x.map((v) => v * (1 + k / 10)));
      expect(Array.from(rk.spec)).toEqual(Array.from(ok.spec));
      expect(Array.from(two.backward(rk, { spec: entropyGrad(rk.spec) }).theta)).toEqual(Array.from(one.backward(ok, { spec: entropyGrad(ok.spec) }).theta));
    }
    expect(() => two.sharedArray(-1)).toThrow(/length = -1/);
  });

  it('one thread runs everything on the calling thread', async () => {
    const p = await createParallelDstft({ nFft: 64, signalLength: 500 }, { threads: 1 });
    expect(p.threads).toBe(1);
    const r = p.forward(x.subarray(0, 500));
    expect(r.frames).toBe(p.frames);
    await p.close();
  });

  it('spinMs: polling or blocking at once gives the same results; a bad value is a clear error', async () => {
    const options: DstftOptions = { nFft: 128, signalLength: L, windowMode: 'time', theta: 100, hop: 32 };
    const blocking = await createParallelDstft(options, { threads: 2, spinMs: 0 });
    const polling = await createParallelDstft(options, { threads: 2, spinMs: 5 });
    open.push(blocking, polling);
    const a = blocking.entropyStep(x);
    const b = polling.entropyStep(x);
    expect(b.value).toBe(a.value);
    expect(Array.from(b.grads.theta)).toEqual(Array.from(a.grads.theta));
    await expect(createParallelDstft(options, { spinMs: -1 })).rejects.toThrow(/spinMs = -1.*≥ 0.*Fix:/);
    await expect(createParallelDstft(options, { spinMs: Number.POSITIVE_INFINITY })).rejects.toThrow(/spinMs = Infinity/);
  });

  it("balance: 'adaptive' (the default) and 'even' give the same results bit for bit over many calls; a bad value is a clear error", async () => {
    const options: DstftOptions = { nFft: 128, signalLength: L, windowMode: 'time', theta: 100, hop: 32 };
    const adaptive = await createParallelDstft(options, { threads: 2 });
    const even = await createParallelDstft(options, { threads: 2, balance: 'even' });
    open.push(adaptive, even);
    expect(even.split).toEqual({ forward: 0.5, backward: 0.5, signals: 0.5, solo: false });
    for (let k = 0; k < 30; k++) {
      const xk = x.map((v) => v * (1 + k / 30));
      const a = adaptive.entropyStep(xk);
      const e = even.entropyStep(xk);
      expect(a.value).toBe(e.value);
      expect(Array.from(a.grads.theta)).toEqual(Array.from(e.grads.theta));
      const r = adaptive.forward(xk);
      expect(Array.from(adaptive.backward(r, { spec: entropyGrad(r.spec) }).theta)).toEqual(Array.from(even.backward(even.forward(xk), { spec: entropyGrad(r.spec) }).theta));
      expect(adaptive.split.forward).toBeGreaterThan(0);
    }
    expect(even.split.forward).toBe(0.5);
    await expect(createParallelDstft(options, { balance: 'fast' as 'even' })).rejects.toThrow(/balance = "fast".*'adaptive' or 'even'.*Fix:/);
  });

  it('errors keep their messages', async () => {
    await expect(createParallelDstft({ nFft: 64, signalLength: 500 }, { threads: 0 })).rejects.toThrow(/threads = 0/);
    const p = await createParallelDstft({ nFft: 64, signalLength: 500 }, { threads: 2 });
    open.push(p);
    const bad = new Float64Array(500);
    bad[3] = Number.NaN;
    expect(() => p.forward(bad)).toThrow(/x\[0\]\[3\] = NaN/);
    expect(() => p.forward(new Float64Array(500), { theta: Float64Array.of(100) })).toThrow(/longer than nFft/);
    const r = createDstft({ nFft: 64, signalLength: 500 }).forward(new Float64Array(500));
    expect(() => p.backward(r, { spec: new Float64Array(r.spec.length) })).toThrow(/another transform/);
  });
});

describe('frameRanges', () => {
  it('splits [0, T) into contiguous near-equal ranges', () => {
    expect(frameRanges(10, 2)).toEqual([
      [0, 5],
      [5, 10],
    ]);
    expect(frameRanges(7, 3)).toEqual([
      [0, 2],
      [2, 4],
      [4, 7],
    ]);
    expect(frameRanges(1, 4)).toEqual([[0, 1]]);
  });
});

describe('signal: a loop of calls is cancelled between transforms', () => {
  it('after abort() every call throws an AbortError before any work; the threads still close', async () => {
    const c = new AbortController();
    const p = await createParallelDstft({ nFft: 256, signalLength: L, theta: 200, hop: 50 }, { threads: 2, signal: c.signal });
    open.push(p);
    const before = p.forward(x.subarray(0, L));
    expect(before.frames).toBeGreaterThan(0);
    c.abort();
    expect(() => p.forward(x.subarray(0, L))).toThrow(/ParallelDstft.forward: aborted/);
    expect(() => p.backward(before, { spec: new Float64Array(before.spec.length) })).toThrow(/ParallelDstft.backward: aborted/);
    expect(() => p.entropyStep(x.subarray(0, L))).toThrow(/ParallelDstft.entropyStep: aborted/);
    expect(() => p.thetaStep(x.subarray(0, L))).toThrow(/ParallelDstft.thetaStep: aborted/);
  });

  it('an already aborted signal: createParallelDstft rejects without leaving threads behind', async () => {
    const c = new AbortController();
    c.abort();
    await expect(createParallelDstft({ nFft: 256, signalLength: L }, { threads: 2, signal: c.signal })).rejects.toThrow(/createParallelDstft: aborted/);
  });
});

describe('lossStep: any loss plugin on two threads', () => {
  // a third-party loss, not in any registry: ℒ = Σ S² / 2, ∂ℒ/∂S = S
  const halfSquares: LossPlugin = {
    kind: 'loss',
    id: 'acme/half-squares',
    apiVersion: 1,
    evaluate(spec, grad) {
      let v = 0;
      for (let k = 0; k < spec.data.length; k++) {
        v += 0.5 * spec.data[k]! * spec.data[k]!;
        if (grad) grad[k] = spec.data[k]!;
      }
      return v;
    },
  };

  for (const loss of ['renyi', halfSquares]) {
    it(`${typeof loss === 'string' ? loss : loss.id}: equals forward + evaluate + backward on one thread`, async () => {
      const options: DstftOptions = { nFft: 256, signalLength: L, windowMode: 'time', theta: 150.5, positionsMode: 'time', hop: 37.3 };
      const one = createDstft(options);
      const two = await createParallelDstft(options, { threads: 2 });
      open.push(two);
      const plugin = typeof loss === 'string' ? one.registry.get('loss', loss) : loss;
      const r1 = one.forward(x);
      const dS = new Float64Array(r1.spec.length);
      const v1 = plugin.evaluate({ data: r1.spec, batch: r1.batch, freqs: r1.freqs, frames: r1.frames }, dS, { ...plugin.defaults });
      const g1 = one.backward(r1, { spec: dS });
      const step = two.lossStep(x, loss);
      expect(step.value).toBe(v1);
      expect(Array.from(step.specGrad)).toEqual(Array.from(dS));
      expect(Array.from(step.grads.theta)).toEqual(Array.from(g1.theta));
      expect(Array.from(step.grads.hops!)).toEqual(Array.from(g1.hops!));
      expect(() => two.lossStep(x, loss, { sginal: true } as never)).toThrow(/sginal/);
      expect(() => two.lossStep(x, 'acme/none')).toThrow(/acme\/none/);
    });
  }
});

describe('lossStep: a third-party framewise loss runs fused on every thread', () => {
  it('loaded through `plugins`: equals forward + evaluate + backward on one thread; the loss never ran whole on the calling thread', async () => {
    const spec = new URL('../test-fixtures/acme-frame-energy.mjs', import.meta.url).href;
    const mod = (await import(spec)) as { default: LossPlugin; calls: { evaluate: number; frameStats: number } };
    const options: DstftOptions = { nFft: 256, signalLength: L, windowMode: 'constant', theta: 180.5, positionsMode: 'constant', hop: 45 };
    const one = createDstft(options, { registry: createDefaultRegistry().use(mod.default) });
    const r1 = one.forward(x);
    const dS = new Float64Array(r1.spec.length);
    const v1 = mod.default.evaluate({ data: r1.spec, batch: r1.batch, freqs: r1.freqs, frames: r1.frames }, dS, {});
    const g1 = one.backward(r1, { spec: dS }, { signal: true });
    const two = await createParallelDstft(options, { threads: 2, plugins: [spec] });
    open.push(two);
    for (const split of ['frames', 'signals'] as const) {
      const before = { ...mod.calls };
      const step = two.lossStep(x, 'acme/frame-energy', { split, signal: true });
      expect(mod.calls.evaluate).toBe(before.evaluate); // fused: no whole-batch evaluate here
      expect(mod.calls.frameStats).toBeGreaterThan(before.frameStats);
      expect(Math.abs(step.value - v1) / v1).toBeLessThan(1e-13);
      let err = 0;
      let peak = 0;
      for (let k = 0; k < dS.length; k++) {
        err = Math.max(err, Math.abs(step.specGrad[k]! - dS[k]!));
        peak = Math.max(peak, Math.abs(dS[k]!));
      }
      expect(err / peak).toBeLessThan(1e-13);
      for (let n = 0; n < g1.theta.length; n++) expect(Math.abs(step.grads.theta[n]! - g1.theta[n]!)).toBeLessThan(1e-9 * Math.abs(g1.theta[n]!));
      expect(Math.abs(step.grads.hop! - g1.hop!)).toBeLessThan(1e-9 * Math.abs(g1.hop!));
      expect(step.grads.theta.length).toBe(1);
      expect(Math.abs(step.grads.theta[0]!)).toBeGreaterThan(0);
    }
  });
});
