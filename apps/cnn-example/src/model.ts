/**
 * The paper's network (Sec. VII-B): DSTFT layer (θ learnable or fixed) → log magnitude → two convolutional
 * layers of 16 depthwise-separable filters with ReLU → dropout → dense softmax. Additions, for speed on two
 * cores: each conv layer has 2×2 average pooling (before its ReLU; see `block`), and the log spectrogram is standardized per example
 * (mean 0, variance 1), which also removes the window's gain (|X| grows with θ under normalization 'none').
 *
 * Convolutions are written as shifted slices (depthwise 3×3) and a matMul (pointwise 1×1), the im2col route:
 * TensorFlow.js's wasm backend has no backprop kernels for conv2d / depthwiseConv2d, but has every op used here,
 * so the same code trains on wasm (fast) and cpu.
 */
import * as tf from '@tensorflow/tfjs-core';
import { mulberry32 } from '@dstft/core';
import { createDstft, type Dstft } from '@dstft/dstft';
import { DstftLayer, dstftOp } from '@dstft/tfjs';

export interface ModelConfig {
  /** Signal length in samples. */
  length: number;
  nFft: number;
  hop: number;
  /** Initial (or fixed) window length in samples. */
  theta: number;
  learnTheta: boolean;
  thetaMin: number;
  thetaMax: number;
  filters: number;
  dropout: number;
  classes: number;
  /** Seed of the weight initialisation. */
  seed: number;
  /**
   * How a learned θ is shared: one window length for the whole spectrogram ('constant', the paper's; default) or
   * one per frequency bin ('frequency', F values, all starting at `theta`). Ignored for a fixed θ.
   */
  windowMode?: 'constant' | 'frequency';
  /** Learn the hop too (from `hop`, bounded in (hopMin, hopMax)); the number of frames stays that of the initial hop. */
  learnHop?: boolean;
  hopMin?: number;
  hopMax?: number;
}

export const DEFAULT_MODEL: Omit<ModelConfig, 'length' | 'theta' | 'learnTheta' | 'seed'> = {
  nFft: 64,
  hop: 48,
  thetaMin: 4,
  thetaMax: 64,
  filters: 16,
  dropout: 0.25,
  classes: 10,
};

export interface Model {
  readonly config: ModelConfig;
  /** The transform (its sizes: freqs, frames). */
  readonly dstft: Dstft;
  /** Network weights (without θ), in a fixed order. */
  readonly weights: { name: string; variable: tf.Variable }[];
  /** θ's raw weight (θ = lo + (hi − lo)·σ(raw); one value, or F with windowMode 'frequency'), or null when θ is fixed. */
  readonly thetaRaw: tf.Variable | null;
  /** The hop's raw weight (same reparametrization in (hopMin, hopMax)), or null when the hop is fixed. */
  readonly hopRaw: tf.Variable | null;
  /** Logits [batch, classes]. `dropoutSeed` makes the dropout mask reproducible. */
  forward(x: tf.Tensor2D, training: boolean, dropoutSeed?: number): tf.Tensor2D;
  /** θ in samples (the mean over bins with windowMode 'frequency'). */
  theta(): number;
  /** Every θ in samples (one, or one per frequency bin). */
  thetaValues(): number[];
  /** The hop in samples. */
  hop(): number;
  /** dθ/draw at the current θ, per value of θ (to report ∂ℒ/∂θ in samples). */
  thetaSlope(): number[];
  dispose(): void;
}

function glorot(shape: number[], fanIn: number, fanOut: number, rand: () => number): tf.Tensor {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(Float32Array.from({ length: size }, () => (2 * rand() - 1) * limit), shape);
}

/** Output size of a conv block (same-padded conv, then 2×2 average pooling with the odd edge dropped). */
const pooled = (n: number) => Math.floor(n / 2);

/** Depthwise 3×3 ('same', zero padded) as nine shifted slices: x [B,H,W,C], w [3,3,C]. */
function depthwise3x3(x: tf.Tensor4D, w: tf.Tensor3D): tf.Tensor4D {
  const [B, H, W, C] = x.shape;
  const xp = tf.pad(x, [
    [0, 0],
    [1, 1],
    [1, 1],
    [0, 0],
  ]);
  const terms: tf.Tensor4D[] = [];
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) {
      terms.push(tf.mul(tf.slice(xp, [0, i, j, 0], [B, H, W, C]), tf.reshape(tf.slice(w, [i, j, 0], [1, 1, C]), [1, 1, 1, C])));
    }
  }
  return tf.addN(terms);
}

/**
 * Depthwise-separable conv + bias, 2×2 average pooling, ReLU. Average pooling is linear, so it commutes with the
 * pointwise (1×1) conv and the bias: pooling right after the depthwise conv gives the same values as pooling after
 * the pointwise conv, on 4× fewer pointwise outputs. (The ReLU then comes after the pooling, not before.)
 */
function block(x: tf.Tensor4D, dw: tf.Tensor3D, pw: tf.Tensor2D, b: tf.Tensor1D): tf.Tensor4D {
  const d = avgPool2x2(depthwise3x3(x, dw));
  const [B, H, W, C] = d.shape;
  const K = pw.shape[1];
  return tf.reshape(tf.relu(tf.add(tf.matMul(tf.reshape(d, [B * H * W, C]), pw), b)), [B, H, W, K]);
}

/**
 * 2×2 average pooling (odd edges dropped) as sums of 4-D slices: a 6-D reshape + mean would transpose, which
 * the cpu backend does element by element.
 */
function avgPool2x2(x: tf.Tensor4D): tf.Tensor4D {
  const [B, H, W, K] = x.shape;
  const H2 = pooled(H);
  const W2 = pooled(W);
  const rows = tf.reshape(tf.slice(x, [0, 0, 0, 0], [B, 2 * H2, W, K]), [B * H2, 2, W * K, 1]);
  const r = tf.add(tf.slice(rows, [0, 0, 0, 0], [B * H2, 1, W * K, 1]), tf.slice(rows, [0, 1, 0, 0], [B * H2, 1, W * K, 1]));
  const cols = tf.reshape(tf.slice(tf.reshape(r, [B * H2, W, K, 1]), [0, 0, 0, 0], [B * H2, 2 * W2, K, 1]), [B * H2 * W2, 2, K, 1]);
  const c = tf.add(tf.slice(cols, [0, 0, 0, 0], [B * H2 * W2, 1, K, 1]), tf.slice(cols, [0, 1, 0, 0], [B * H2 * W2, 1, K, 1]));
  return tf.reshape(tf.mul(c, 0.25), [B, H2, W2, K]);
}

export function createModel(config: ModelConfig): Model {
  const { length, nFft, hop, theta, learnTheta, thetaMin, thetaMax, filters, dropout, classes, seed } = config;
  const perBin = learnTheta && config.windowMode === 'frequency';
  if (config.windowMode !== undefined && config.windowMode !== 'constant' && config.windowMode !== 'frequency') {
    throw new RangeError(`windowMode = ${JSON.stringify(config.windowMode)}: unknown. Fix: use 'constant' (one θ) or 'frequency' (one θ per bin)`);
  }
  if (perBin && config.learnHop) throw new RangeError('windowMode "frequency" with a learned hop: not supported. Fix: learn one of them');
  const hopLo = config.hopMin ?? 8;
  const hopHi = config.hopMax ?? nFft;
  let stft: DstftLayer | null = null;
  let dstft: Dstft;
  let thetaRaw: tf.Variable | null = null;
  let hopRaw: tf.Variable | null = null;
  const sig = (r: number) => 1 / (1 + Math.exp(-r));
  const logit = (v: number, lo: number, hi: number) => Math.log((v - lo) / (hi - v));
  if (perBin) {
    // θ per frequency bin: the op with the transform directly (DstftLayer has one θ, or one per frame)
    if (!(theta > thetaMin && theta < thetaMax)) throw new RangeError(`theta = ${theta}: must lie strictly inside (${thetaMin}, ${thetaMax}). Fix: another --theta-init`);
    dstft = createDstft({ nFft, signalLength: length, hop, theta, thetaMin, thetaMax, windowMode: 'frequency', sampleRate: 8000 });
    thetaRaw = tf.variable(tf.fill([dstft.params.theta.length], logit(theta, thetaMin, thetaMax)), true);
  } else {
    stft = new DstftLayer({
      nFft,
      hop,
      theta,
      thetaMin,
      thetaMax,
      windowMode: learnTheta ? 'constant' : 'fixed',
      sampleRate: 8000,
      ...(config.learnHop ? { learnHop: true, hopMin: hopLo, hopMax: hopHi } : {}),
    });
    stft.build([null, length]);
    dstft = stft.dstft;
    // the layer adds θ's weight first, then the hop's; a fixed θ's weight is not trainable
    const trainable = stft.trainableWeights.map((w) => w.read() as tf.Variable);
    thetaRaw = learnTheta ? trainable[0]! : null;
    hopRaw = config.learnHop ? trainable[learnTheta ? 1 : 0]! : null;
  }
  const F = dstft.freqs;
  const T = dstft.frames;
  const H2 = pooled(pooled(F));
  const W2 = pooled(pooled(T));
  if (H2 < 1 || W2 < 1) throw new RangeError(`nFft = ${nFft}, hop = ${hop}, length = ${length}: the spectrogram (${F} × ${T}) is too small for two 2×2 poolings. Fix: a larger nFft or a smaller hop`);
  const rand = mulberry32(seed);
  const v = (name: string, t: tf.Tensor) => ({ name, variable: tf.variable(t, true) });
  const weights = [
    v('dw1', glorot([3, 3, 1], 9, 9, rand)),
    v('pw1', glorot([1, filters], 1, filters, rand)),
    v('b1', tf.zeros([filters])),
    v('dw2', glorot([3, 3, filters], 9, 9, rand)),
    v('pw2', glorot([filters, filters], filters, filters, rand)),
    v('b2', tf.zeros([filters])),
    v('dense', glorot([H2 * W2 * filters, classes], H2 * W2 * filters, classes, rand)),
    v('denseBias', tf.zeros([classes])),
  ];
  const byName = Object.fromEntries(weights.map((w) => [w.name, w.variable]));
  const thetaValues = (): number[] => {
    if (stft !== null) return Array.from(stft.thetaValues());
    return Array.from(thetaRaw!.dataSync(), (r) => thetaMin + (thetaMax - thetaMin) * sig(r));
  };

  return {
    config,
    dstft,
    weights,
    thetaRaw,
    hopRaw,
    forward(x, training, dropoutSeed) {
      return tf.tidy(() => {
        const B = x.shape[0];
        const S =
          stft !== null
            ? (stft.apply(x) as tf.Tensor3D)
            : dstftOp(x, tf.add(thetaMin, tf.mul(thetaMax - thetaMin, tf.sigmoid(thetaRaw!))), { transform: dstft, signalGradient: false });
        const logS = tf.log(tf.add(S, 1e-6));
        const { mean, variance } = tf.moments(logS, [1, 2], true);
        const z = tf.div(tf.sub(logS, mean), tf.sqrt(tf.add(variance, 1e-5)));
        let h = tf.reshape(z, [B, F, T, 1]) as tf.Tensor4D;
        h = block(h, byName.dw1 as tf.Tensor3D, byName.pw1 as tf.Tensor2D, byName.b1 as tf.Tensor1D);
        h = block(h, byName.dw2 as tf.Tensor3D, byName.pw2 as tf.Tensor2D, byName.b2 as tf.Tensor1D);
        let flat = tf.reshape(h, [B, H2 * W2 * filters]);
        if (training && dropout > 0) flat = tf.dropout(flat, dropout, undefined, dropoutSeed);
        return tf.add(tf.matMul(flat, byName.dense as tf.Tensor2D), byName.denseBias as tf.Tensor1D) as tf.Tensor2D;
      });
    },
    theta: () => {
      const v = thetaValues();
      return v.reduce((a, b) => a + b, 0) / v.length;
    },
    thetaValues,
    hop: () => (stft !== null ? stft.hopValue() : hop),
    thetaSlope() {
      if (thetaRaw === null) return [0];
      return Array.from(thetaRaw.dataSync(), (r) => (thetaMax - thetaMin) * sig(r) * (1 - sig(r)));
    },
    dispose() {
      for (const w of weights) w.variable.dispose();
      if (stft !== null) for (const w of stft.weights) w.dispose(); // (Layer.dispose needs a layer called symbolically)
      else thetaRaw?.dispose();
    },
  };
}
