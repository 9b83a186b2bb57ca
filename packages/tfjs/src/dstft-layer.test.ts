import { afterEach, describe, expect, test } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { createRng } from '@dstft/testing';
import { DstftLayer, dstftLayer, registerDstftLayer } from './dstft-layer.js';
import { BACKENDS, useBackend } from './backends.fixture.js';

const L = 512;

/** Two classes: a low tone and a high tone, with noise and random phase. */
function toyData(n: number, seed: number): { xs: tf.Tensor2D; ys: tf.Tensor2D } {
  const rng = createRng(seed);
  const x = new Float32Array(n * L);
  const y = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    const cls = i % 2;
    const w = cls === 0 ? 0.2 : 0.9;
    const phase = rng.uniform(0, 6.28);
    for (let p = 0; p < L; p++) x[i * L + p] = 0.05 * (Math.sin(w * p + phase) + 0.3 * rng.normal());
    y[i * 2 + cls] = 1;
  }
  return { xs: tf.tensor2d(x, [n, L]), ys: tf.tensor2d(y, [n, 2]) };
}

function model(layer: DstftLayer): tfl.Sequential {
  const m = tfl.sequential({ layers: [layer, tfl.layers.flatten(), tfl.layers.dense({ units: 2, activation: 'softmax', kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }) })] });
  m.compile({ optimizer: tf.train.adam(0.02), loss: 'categoricalCrossentropy' });
  return m;
}

afterEach(() => tf.disposeVariables());

describe.each(BACKENDS)('DstftLayer on the %s backend', (backend) => {
  test('model.fit moves a constant θ, which stays inside its bounds; the output is [batch, F, T]', async () => {
    await useBackend(backend);
    const layer = dstftLayer({ nFft: 64, hop: 32, theta: 20, thetaMin: 8, thetaMax: 60, inputShape: [L] });
    const m = model(layer);
    expect(m.outputs[0]!.shape).toEqual([null, 2]);
    expect(layer.outputShape).toEqual([null, 33, 1 + Math.floor(L / 32)]);
    expect(layer.trainableWeights.map((w) => w.name)).toEqual([expect.stringMatching(/theta_raw/)]);
    expect(layer.thetaValues()[0]).toBeCloseTo(20, 4);
    const { xs, ys } = toyData(16, 1);
    await m.fit(xs, ys, { epochs: 3, batchSize: 8, verbose: 0 });
    const theta = layer.thetaValues()[0]!;
    expect(Math.abs(theta - 20)).toBeGreaterThan(1e-3);
    expect(theta).toBeGreaterThan(8);
    expect(theta).toBeLessThan(60);
  });

  test('the raw-weight gradient is the kernel’s ∂ℒ/∂θ times the reparametrization’s derivative', async () => {
    await useBackend(backend);
    const layer = new DstftLayer({ nFft: 64, hop: 16, windowMode: 'time', theta: 30, thetaMin: 8, thetaMax: 60 });
    const { xs } = toyData(2, 2);
    layer.apply(xs); // builds
    layer.setTheta(Array.from({ length: layer.dstft.frames }, (_, n) => 14 + n));
    const W = tf.randomUniform([2, layer.dstft.freqs, layer.dstft.frames], -1, 1, 'float32', 5);
    const { grads } = tf.variableGrads(() => tf.sum(tf.mul(layer.apply(xs) as tf.Tensor, W)) as tf.Scalar, layer.trainableWeights.map((w) => w.read() as tf.Variable));
    const raw = Object.values(grads)[0]!.dataSync();
    // the kernel's gradient with respect to θ in samples, at the θ the layer used
    const theta = layer.thetaValues();
    const res = layer.dstft.forward(Float64Array.from(xs.dataSync()), { theta });
    const g = layer.dstft.backward(res, { spec: Float64Array.from(W.dataSync()) });
    const lo = 8;
    const hi = 60;
    for (let n = 0; n < theta.length; n++) {
      const u = (theta[n]! - lo) / (hi - lo);
      const expected = g.theta[n]! * (hi - lo) * u * (1 - u);
      expect(Math.abs(raw[n]! - expected)).toBeLessThan(1e-4 * Math.max(1e-3, Math.abs(expected)) + 1e-6);
    }
    expect(theta.length).toBe(layer.dstft.frames);
  });

  test('a fixed θ is not trainable and does not move; a learnable hop moves', async () => {
    await useBackend(backend);
    const fixed = dstftLayer({ nFft: 64, hop: 32, windowMode: 'fixed', theta: 64, inputShape: [L] });
    const m = model(fixed);
    expect(fixed.trainableWeights).toHaveLength(0);
    const { xs, ys } = toyData(8, 3);
    await m.fit(xs, ys, { epochs: 2, batchSize: 8, verbose: 0 });
    expect(fixed.thetaValues()[0]).toBe(64);

    const hopLayer = dstftLayer({ nFft: 64, hop: 30, learnHop: true, hopMin: 8, hopMax: 48, theta: 40, thetaMin: 8, thetaMax: 60, inputShape: [L] });
    await model(hopLayer).fit(xs, ys, { epochs: 3, batchSize: 8, verbose: 0 });
    expect(Math.abs(hopLayer.hopValue() - 30)).toBeGreaterThan(1e-3);
    expect(hopLayer.hopValue()).toBeGreaterThan(8);
    expect(hopLayer.hopValue()).toBeLessThan(48);
  });
});

describe('DstftLayer serialization and checks', () => {
  test('a model with a DstftLayer saves and loads (config and weights), giving the same output', async () => {
    await useBackend('cpu');
    registerDstftLayer();
    const layer = dstftLayer({ nFft: 64, hop: 32, theta: 33.5, thetaMin: 8, thetaMax: 60, power: 2, inputShape: [L] });
    const m = model(layer);
    const { xs } = toyData(4, 4);
    const before = (m.predict(xs) as tf.Tensor).dataSync();
    let artifacts: tf.io.ModelArtifacts | undefined;
    await m.save(tf.io.withSaveHandler(async (a) => ((artifacts = a), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
    const loaded = await tfl.loadLayersModel(tf.io.fromMemory(artifacts!));
    const back = loaded.layers[0] as DstftLayer;
    expect(back).toBeInstanceOf(DstftLayer);
    expect(back.thetaValues()[0]).toBeCloseTo(33.5, 4);
    expect(back.getConfig()).toMatchObject({ nFft: 64, hop: 32, thetaMin: 8, thetaMax: 60, power: 2, windowMode: 'constant' });
    const after = (loaded.predict(xs) as tf.Tensor).dataSync();
    expect(Array.from(after)).toEqual(Array.from(before));
  });

  test('bad configurations are typed errors naming the fix', async () => {
    await useBackend('cpu');
    expect(() => new DstftLayer({ nFft: 64, windowMode: 'frequency' as 'time' })).toThrow(/windowMode = "frequency".*Fix:/);
    const atBound = new DstftLayer({ nFft: 64, theta: 64, thetaMax: 64 });
    expect(() => atBound.apply(tf.zeros([1, L]))).toThrow(/theta = 64: .*strictly inside.*Fix:/);
    expect(() => new DstftLayer({ nFft: 64, hop: 100, learnHop: true, hopMax: 64 })).toThrow(/hop = 100.*Fix:/);
    const layer = new DstftLayer({ nFft: 64, theta: 30 });
    expect(() => layer.dstft).toThrow(/not built yet.*Fix:/);
  });
});
