import { afterAll, describe, expect, test } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { createDstft, type DstftOptions } from '@dstft/dstft';
import { createRng } from '@dstft/testing';
import { dstftOp } from './dstft-op.js';
import { BACKENDS, useBackend } from './backends.fixture.js';

const B = 2;
const L = 600;

function signals(seed: number): Float32Array {
  const rng = createRng(seed);
  const x = new Float32Array(B * L);
  for (let b = 0; b < B; b++) {
    for (let p = 0; p < L; p++) x[b * L + p] = Math.sin(0.05 * p + 0.0001 * p * p * (b + 1)) + 0.05 * rng.normal();
  }
  return x;
}

/** ℒ = Σ W ⊙ S with fixed random weights W (float32): ∂ℒ/∂S = W exactly. */
function weights(n: number, seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: n }, () => rng.uniform(-1, 1));
}

interface Case {
  name: string;
  options: Omit<DstftOptions, 'signalLength'>;
  theta: number[];
  hop?: number;
}

const CASES: Case[] = [
  { name: 'constant θ', options: { nFft: 64, hop: 16, windowMode: 'constant', thetaMin: 8, thetaMax: 64 }, theta: [37.3] },
  { name: 'time-varying θ', options: { nFft: 64, hop: 32, windowMode: 'time', thetaMin: 8, thetaMax: 64 }, theta: Array.from({ length: 19 }, (_, n) => 20 + 1.7 * n) },
  { name: 'constant θ + learnable hop, power 2', options: { nFft: 64, hop: 45, windowMode: 'constant', positionsMode: 'constant', thetaMin: 8, thetaMax: 64, power: 2 }, theta: [41.6], hop: 45.3 },
];

afterAll(() => tf.disposeVariables());

describe.each(BACKENDS)('dstftOp on the %s backend', (backend) => {
  test.each(CASES)('$name: forward and gradients are the float64 kernel and backprop, rounded to float32', async (c) => {
    await useBackend(backend);
    const transform = createDstft({ ...c.options, signalLength: L });
    expect(transform.params.theta.length).toBe(c.theta.length);
    const x32 = signals(1);
    const th32 = Float32Array.from(c.theta);
    const hop32 = c.hop !== undefined ? Math.fround(c.hop) : undefined;
    const x = tf.tensor2d(x32, [B, L]);
    const theta = tf.tensor1d(th32);
    const hop = hop32 !== undefined ? tf.scalar(hop32) : undefined;
    const S = dstftOp(x, theta, c.options, hop);
    expect(S.shape).toEqual([B, transform.freqs, transform.frames]);
    const W = weights(S.size, 2);

    // the same computation in float64, on the float32 values the tensors hold
    const params = { theta: Float64Array.from(th32), ...(hop32 !== undefined ? { hop: hop32 } : {}) };
    const res = transform.forward(Float64Array.from(x32), params);
    const spec = S.dataSync();
    for (let k = 0; k < spec.length; k++) expect(spec[k]).toBe(Math.fround(res.spec[k]!));
    const g = transform.backward(res, { spec: Float64Array.from(W) }, { signal: true });

    const loss = (xs: tf.Tensor, ts: tf.Tensor, hs?: tf.Tensor) => tf.sum(tf.mul(dstftOp(xs as tf.Tensor2D, ts, c.options, hs), tf.tensor3d(W, S.shape as [number, number, number])));
    const grads = hop !== undefined ? tf.grads((a, b, h) => loss(a!, b!, h))([x, theta, hop]) : tf.grads((a, b) => loss(a!, b!))([x, theta]);
    const gx = grads[0]!.dataSync();
    const gt = grads[1]!.dataSync();
    expect(grads[1]!.shape).toEqual(theta.shape);
    for (let k = 0; k < gt.length; k++) expect(gt[k]).toBe(Math.fround(g.theta[k]!));
    for (let k = 0; k < gx.length; k++) expect(gx[k]).toBe(Math.fround(g.x![k]!));
    if (hop !== undefined) expect(grads[2]!.dataSync()[0]).toBe(Math.fround(g.hop!));
    expect(g.theta.some((v) => v !== 0)).toBe(true);
  });

  // Finite differences use power 2: |X| has cusps where X passes near 0, and the steps a float32 spectrogram
  // allows are too large to resolve them (power 1 is covered by the exact comparison above, and by the float64
  // finite differences of @dstft/backprop).
  test.each(CASES.map((c) => ({ ...c, options: { ...c.options, power: 2 } })))('$name: gradients through TensorFlow.js agree with finite differences of the op (power 2)', async (c) => {
    await useBackend(backend);
    const x32 = signals(3);
    const x = tf.tensor2d(x32, [B, L]);
    const theta = tf.tensor1d(Float32Array.from(c.theta));
    const hop = c.hop !== undefined ? tf.scalar(c.hop) : undefined;
    const W = weights(B * (Math.floor(c.options.nFft / 2) + 1) * 200, 4);
    const loss = (xs: tf.Tensor, ts: tf.Tensor, hs?: tf.Tensor): tf.Scalar =>
      tf.tidy(() => {
        const S = dstftOp(xs as tf.Tensor2D, ts, c.options, hs);
        return tf.sum(tf.mul(S, tf.tensor3d(W.subarray(0, S.size), S.shape as [number, number, number])));
      });
    const inputs = hop !== undefined ? [x, theta, hop] : [x, theta];
    const grads = tf.grads((...a: tf.Tensor[]) => loss(a[0]!, a[1]!, a[2]))(inputs).map((t) => t.dataSync());
    // Finite differences of the op's float32 output (through TensorFlow.js), weighted and summed in float64 so
    // that tfjs's float32 reduction does not swamp small steps; steps are exact in float32 (the denominators use
    // the float32 values the tensors hold). Tolerance 1e-3 relative: float32 transfer, not the kernel (whose
    // float64 gradients are checked to 1e-6 in @dstft/backprop).
    const value = (xs: Float32Array, ts: Float32Array, h?: number): number => {
      const S = dstftOp(tf.tensor2d(xs, [B, L]), tf.tensor1d(ts), c.options, h === undefined ? undefined : tf.scalar(h));
      const s = S.dataSync();
      let acc = 0;
      for (let k = 0; k < s.length; k++) acc += W[k]! * s[k]!;
      S.dispose();
      return acc;
    };
    const rms = (g: ArrayLike<number>) => Math.sqrt(Array.from(g).reduce((a, v) => a + v * v, 0) / g.length);
    const close = (analytic: number, fd: number, scale: number) => expect(Math.abs(analytic - fd)).toBeLessThan(1e-3 * Math.max(Math.abs(fd), scale));
    const th = Float32Array.from(c.theta);
    // fourth-order central difference, f'(v) ≈ [8(f(v+h) - f(v-h)) - (f(v+2h) - f(v-2h))] / 12h: |X| has cusps
    // where X passes near 0, so plain central differences need steps too small for float32 spectrograms
    const diff = (f: (delta: number) => number, h: number) => (8 * (f(h) - f(-h)) - (f(2 * h) - f(-2 * h))) / (12 * h);
    const checkIdx = th.length > 4 ? [0, 5, th.length - 1] : Array.from(th.keys());
    for (const k of checkIdx) {
      const fd = diff((d) => {
        const t = th.slice();
        t[k] = th[k]! + d;
        return value(x32, t, c.hop);
      }, 1 / 8);
      close(grads[1]![k]!, fd, rms(grads[1]!));
    }
    if (c.hop !== undefined) close(grads[2]![0]!, diff((d) => value(x32, th, c.hop! + d), 1 / 64), 0);
    for (const p of [7, 250, L + 311]) {
      const fd = diff((d) => {
        const xs = x32.slice();
        xs[p] = x32[p]! + d;
        return value(xs, th, c.hop);
      }, 1 / 32);
      close(grads[0]![p]!, fd, rms(grads[0]!));
    }
  });
});

describe('dstftOp input checks', () => {
  test('rejects a wrong θ size, a hop without positionsMode constant, and a rank-1 signal', async () => {
    await useBackend('cpu');
    const x = tf.zeros([1, 256]) as tf.Tensor2D;
    expect(() => dstftOp(x, tf.tensor1d([10, 20]), { nFft: 64, hop: 16 })).toThrow(/theta = .*1 window length.*Fix:/);
    expect(() => dstftOp(x, tf.tensor1d([30]), { nFft: 64, hop: 16 }, tf.scalar(16))).toThrow(/positionsMode is "fixed".*Fix:/);
    expect(() => dstftOp(tf.zeros([256]) as unknown as tf.Tensor2D, tf.tensor1d([30]), { nFft: 64 })).toThrow(/rank-2.*Fix:/);
    expect(() => dstftOp(x, tf.tensor1d([300]), { nFft: 64, hop: 16 })).toThrow(/Fix:/);
  });
});
