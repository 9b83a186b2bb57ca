// The fused entropy step against the registry's `shannon` loss + backward on one thread (an independent route: the
// loss there is one serial pass over S in another order), and one thread against two, bit for bit.
import { createDstft, shannon, type DstftOptions } from '@dstft/dstft';
import { afterAll, describe, expect, it } from 'vitest';
import { createParallelDstft, type ParallelDstft } from '@dstft/parallel';
import { maxRelativeError as relErr } from '@dstft/testing';

const L = 2400;
const B = 3;
const x = new Float64Array(B * L).map((_, k) => Math.sin(0.05 * k + 1e-5 * k * k) + 0.3 * Math.cos(0.9 * k) + 0.1 * Math.sin(k * k));

const open: ParallelDstft[] = [];
afterAll(async () => {
  await Promise.all(open.map((p) => p.close()));
});

/** The route a user takes without entropyStep: forward, the registry's `shannon`, backward. */
function reference(options: DstftOptions, signal: Float64Array, reduction: 'mean' | 'sum') {
  const d = createDstft(options);
  const r = d.forward(signal);
  const dS = new Float64Array(r.spec.length);
  const value = shannon.evaluate({ data: r.spec, batch: r.batch, freqs: r.freqs, frames: r.frames }, dS, { reduction });
  const g = d.backward(r, { spec: dS }, { signal: true });
  return { value, dS, g };
}

const cases: Partial<DstftOptions>[] = [
  { windowMode: 'constant', theta: 200, hop: 50 },
  { windowMode: 'time', theta: 150.5, positionsMode: 'time', hop: 37.3, power: 2 },
  { windowMode: 'time-frequency', theta: 120, hop: 64, window: 'blackman', normalization: 'paper' },
];

describe('entropyStep: forward + Shannon entropy + backward on every thread', () => {
  for (const c of cases) {
    it(`equals shannon + backward to rounding, and 1 thread = 2 threads bitwise: ${JSON.stringify(c)}`, async () => {
      const options: DstftOptions = { nFft: 256, signalLength: L, ...c };
      const one = await createParallelDstft(options, { threads: 1 });
      const two = await createParallelDstft(options, { threads: 2 });
      open.push(one, two);
      for (const reduction of ['mean', 'sum'] as const) {
        const ref = reference(options, x, reduction);
        const s1 = one.entropyStep(x, { reduction, signal: true });
        const s2 = two.entropyStep(x, { reduction, signal: true });
        expect(Math.abs(s2.value - ref.value) / ref.value).toBeLessThan(1e-13);
        expect(s2.perSignal.length).toBe(B);
        expect(s2.perSignal.reduce((a, v) => a + v, 0) / (reduction === 'mean' ? B : 1)).toBeCloseTo(s2.value, 12);
        expect(relErr(s2.specGrad, ref.dS)).toBeLessThan(1e-11);
        expect(relErr(s2.grads.theta, ref.g.theta)).toBeLessThan(1e-10);
        expect(relErr(s2.grads.x!, ref.g.x!)).toBeLessThan(1e-10);
        // the number of threads changes nothing
        expect(s1.value).toBe(s2.value);
        expect(Array.from(s1.specGrad)).toEqual(Array.from(s2.specGrad));
        expect(Array.from(s1.grads.theta)).toEqual(Array.from(s2.grads.theta));
        expect(Array.from(s1.grads.positions)).toEqual(Array.from(s2.grads.positions));
      }
    });
  }

  // split by signals: each thread runs forward, entropy and backward of whole signals alone (fused-step.ts)
  const x4 = new Float64Array(4 * L).map((_, k) => Math.sin(0.031 * k + 3e-6 * k * k) + 0.2 * Math.cos(1.3 * k) + 0.05 * Math.sin(k * k));
  for (const c of cases) {
    it(`split by signals equals split by frames (value, ∂ℒ/∂S, ∂ℒ/∂θ bitwise on the FFT path) and the reference: ${JSON.stringify(c)}`, async () => {
      const options: DstftOptions = { nFft: 256, signalLength: L, ...c };
      const two = await createParallelDstft(options, { threads: 2 });
      const one = await createParallelDstft(options, { threads: 1 });
      open.push(two, one);
      for (const [signal, batch] of [[x4, 4], [x, 3]] as const) {
        for (const reduction of ['mean', 'sum'] as const) {
          const ref = reference(options, signal, reduction);
          const bySignals = two.entropyStep(signal, { reduction, signal: true, split: 'signals' });
          const byFrames = two.entropyStep(signal, { reduction, signal: true, split: 'frames' });
          const oneThread = one.entropyStep(signal, { reduction, signal: true, split: 'signals' });
          expect(bySignals.perSignal.length).toBe(batch);
          expect(Math.abs(bySignals.value - ref.value) / ref.value).toBeLessThan(1e-13);
          expect(relErr(bySignals.specGrad, ref.dS)).toBeLessThan(1e-11);
          expect(relErr(bySignals.grads.theta, ref.g.theta)).toBeLessThan(1e-10);
          expect(relErr(bySignals.grads.positions, ref.g.positions)).toBeLessThan(1e-10);
          expect(relErr(bySignals.grads.x!, ref.g.x!)).toBeLessThan(1e-10);
          expect(bySignals.grads.hop ?? 0).toBeCloseTo(ref.g.hop ?? 0, 8);
          expect(Array.from(bySignals.perSignal)).toEqual(Array.from(byFrames.perSignal));
          expect(bySignals.value).toBe(byFrames.value);
          // bySignals.specGrad and byFrames.specGrad are the same buffer: compare with the one-thread run instead
          expect(Array.from(bySignals.specGrad)).toEqual(Array.from(oneThread.specGrad));
          expect(relErr(bySignals.grads.x!, byFrames.grads.x!)).toBeLessThan(1e-13);
          if (two.dstft.plan.path === 'fft') {
            expect(Array.from(bySignals.grads.theta)).toEqual(Array.from(byFrames.grads.theta));
            expect(Array.from(bySignals.grads.positions)).toEqual(Array.from(byFrames.grads.positions));
          } else {
            // DFT path: ∂ℒ/∂t_n sums bins before signals in the one-call kernel, signals first here (rounding only)
            expect(relErr(bySignals.grads.positions, byFrames.grads.positions)).toBeLessThan(1e-12);
          }
          // each signal of a split-by-signals step is computed alone: one thread and two agree bit for bit
          expect(Array.from(oneThread.grads.theta)).toEqual(Array.from(bySignals.grads.theta));
          expect(Array.from(oneThread.grads.x!)).toEqual(Array.from(bySignals.grads.x!));
          expect(Array.from(oneThread.result.spec)).toEqual(Array.from(bySignals.result.spec));
        }
      }
    });
  }

  it("split 'auto' takes signals when the batch divides among the threads, and a reused `out` keeps working", async () => {
    const options: DstftOptions = { nFft: 128, signalLength: L, windowMode: 'time', theta: 90, hop: 32 };
    const two = await createParallelDstft(options, { threads: 2 });
    open.push(two);
    const d = createDstft(options);
    let step = two.entropyStep(x4);
    for (const scale of [0.8, 1.1]) {
      const theta = d.params.theta.map((t, n) => Math.min(128, t * scale + (n % 3)));
      const prev = step.result;
      step = two.entropyStep(x4, { params: { theta }, out: prev });
      expect(step.result).toBe(prev);
      const bySignals = Array.from(step.grads.theta);
      const byFrames = Array.from(two.entropyStep(x4, { params: { theta }, split: 'frames' }).grads.theta);
      expect(bySignals).toEqual(byFrames);
      const r = d.forward(x4, { theta });
      const dS = new Float64Array(r.spec.length);
      const v = shannon.evaluate({ data: r.spec, batch: r.batch, freqs: r.freqs, frames: r.frames }, dS, { reduction: 'mean' });
      expect(Math.abs(step.value - v) / v).toBeLessThan(1e-13);
      expect(relErr(step.grads.theta, d.backward(r, { spec: dS }).theta)).toBeLessThan(1e-10);
      expect(Array.from(step.result.spec)).toEqual(Array.from(r.spec));
    }
  });

  it('a training loop: results reused as `out`, parameters changing between steps', async () => {
    const options: DstftOptions = { nFft: 128, signalLength: L, windowMode: 'time', theta: 90, hop: 32 };
    const two = await createParallelDstft(options, { threads: 2 });
    open.push(two);
    const d = createDstft(options);
    let step = two.entropyStep(x);
    for (const scale of [0.8, 1.1, 0.95]) {
      const theta = d.params.theta.map((t, n) => Math.min(128, t * scale + (n % 3)));
      const prev = step.result;
      step = two.entropyStep(x, { params: { theta }, out: prev });
      expect(step.result).toBe(prev);
      const r = d.forward(x, { theta });
      const dS = new Float64Array(r.spec.length);
      const v = shannon.evaluate({ data: r.spec, batch: r.batch, freqs: r.freqs, frames: r.frames }, dS, { reduction: 'mean' });
      expect(Math.abs(step.value - v) / v).toBeLessThan(1e-13);
      expect(relErr(step.grads.theta, d.backward(r, { spec: dS }).theta)).toBeLessThan(1e-10);
    }
  });

  it('entries S = 0 (eps 0, silent frames) get the derivative of the shannon loss at p = P_FLOOR', async () => {
    const options: DstftOptions = { nFft: 128, signalLength: L, windowMode: 'constant', theta: 100, hop: 40, eps: 0 };
    const xs = x.slice(0, L);
    xs.fill(0, 600, 1400); // frames inside this stretch are exactly zero
    const two = await createParallelDstft(options, { threads: 2 });
    open.push(two);
    const step = two.entropyStep(xs, { signal: true });
    expect(step.result.spec.some((v) => v === 0)).toBe(true);
    const ref = reference(options, xs, 'mean');
    expect(Math.abs(step.value - ref.value) / ref.value).toBeLessThan(1e-13);
    expect(relErr(step.specGrad, ref.dS)).toBeLessThan(1e-11);
    expect(relErr(step.grads.theta, ref.g.theta)).toBeLessThan(1e-10);
  });

  it('a step a worker fails: the error reaches the caller, a reused result loses its forward state, the next step works', async () => {
    const spec = new URL('../test-fixtures/fails-in-worker.mjs', import.meta.url).href;
    // θ = 66 never evaluates the window at u = 1/4; θ = 64 does, and the fixture then throws on worker threads only
    const options: DstftOptions = { nFft: 128, signalLength: L, window: 'test/fails-in-worker', theta: 66, hop: 32 };
    const two = await createParallelDstft(options, { threads: 2, plugins: [spec], balance: 'even' });
    open.push(two);
    const failing = { theta: Float64Array.of(64) };
    for (const split of ['signals', 'frames'] as const) {
      const good = two.entropyStep(x4, { split });
      expect(() => two.entropyStep(x4, { params: failing, out: good.result, split })).toThrow(/a worker thread failed: test\/fails-in-worker: failing on a worker thread on purpose/);
      // X and S of good.result are partly from θ = 64 now: backward on it is refused, not computed
      expect(() => two.backward(good.result, { spec: good.specGrad })).toThrow(/no forward state is saved for this result/);
      // the same with a plain forward into a reused result
      const r = two.forward(x4);
      expect(() => two.forward(x4, failing, r)).toThrow(/a worker thread failed/);
      expect(() => two.backward(r, { spec: new Float64Array(r.spec.length) })).toThrow(/no forward state/);
      // and the pool goes on: a step into the same result equals a fresh one
      const again = two.entropyStep(x4, { out: good.result, split });
      const fresh = two.entropyStep(x4, { split });
      expect(again.value).toBe(fresh.value);
      expect(Array.from(again.grads.theta)).toEqual(Array.from(fresh.grads.theta));
    }
  });

  it('bad input: an all-zero signal with eps 0, an unknown reduction', async () => {
    const two = await createParallelDstft({ nFft: 64, signalLength: 500, eps: 0 }, { threads: 2 });
    open.push(two);
    expect(() => two.entropyStep(new Float64Array(500))).toThrow(/signal 0.*all-zero spectrogram.*Fix: keep eps > 0/);
    expect(() => two.entropyStep(x.subarray(0, 500), { reduction: 'median' as never })).toThrow(/reduction = "?median"?.*'mean' or 'sum'/);
    const bad = x.slice(0, 500);
    bad[7] = Number.NaN;
    expect(() => two.entropyStep(bad)).toThrow(/x\[0\]\[7\] = NaN/);
    expect(() => two.entropyStep(bad, { split: 'signals' })).toThrow(/x\[0\]\[7\] = NaN/);
    expect(() => two.entropyStep(x.subarray(0, 500), { split: 'rows' as never })).toThrow(/split = "?rows"?.*'signals' or by 'frames'/);
    // split by signals: the thread that owns the silent signal computes it unchecked; the calling thread names it
    const pair = new Float64Array(1000);
    pair.set(x.subarray(0, 500));
    for (const split of ['signals', 'frames'] as const) {
      expect(() => two.entropyStep(pair, { split })).toThrow(/signal 1.*all-zero spectrogram.*Fix: keep eps > 0/);
    }
  });
});
