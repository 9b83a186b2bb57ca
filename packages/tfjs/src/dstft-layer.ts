/**
 * `DstftLayer`: a tf.layers layer, input `[batch, L]` (raw signals), output `[batch, F, T]` (the spectrogram
 * |X|^power + eps), with the window length θ (one value, or one per frame) and optionally the hop as weights.
 *
 * Bounds by reparametrization: a learnable θ is stored as a raw weight r with θ = lo + (hi - lo)·σ(r)
 * (the PyTorch reference's choice). A projecting constraint would not work here: tfjs-layers applies a weight's
 * constraint only in `LayerVariable.write`, which neither `model.fit` nor `optimizer.minimize` call, so θ would
 * leave its bounds unnoticed. The reparametrization keeps θ inside (thetaMin, thetaMax) under any training loop;
 * users read and set θ in samples (`thetaValues()`, `setTheta()`). A fixed θ (windowMode 'fixed') is stored as is,
 * not trainable.
 */
import * as tf from '@tensorflow/tfjs-core';
import { layers, initializers, type LayerVariable } from '@tensorflow/tfjs-layers';
import { ParameterError, createDstft, type Dstft, type DstftOptions, type Normalization } from '@dstft/dstft';
import { dstftOp } from './dstft-op.js';

/** The arguments of a TensorFlow.js layer (name, trainable, input shape, …) that `DstftLayerArgs` extends. */
export type LayerArgs = NonNullable<ConstructorParameters<typeof layers.Layer>[0]>;

/** Configuration of a `DstftLayer` (plain data: it is what `getConfig()` returns and a saved model stores). */
export interface DstftLayerArgs extends LayerArgs {
  nFft: number;
  /** Hop in samples (default nFft/4); the initial hop when `learnHop`. */
  hop?: number;
  /** 'fixed' (θ not learned), 'constant' (one learnable θ, the default), 'time' (one learnable θ per frame). */
  windowMode?: 'fixed' | 'constant' | 'time';
  /** Initial θ in samples: one number, or T numbers for windowMode 'time'. Default: the middle of the bounds. */
  theta?: number | number[];
  thetaMin?: number;
  thetaMax?: number;
  /** Learn the hop too (positionsMode 'constant'), bounded in (hopMin, hopMax) by the same reparametrization. */
  learnHop?: boolean;
  hopMin?: number;
  hopMax?: number;
  window?: string;
  normalization?: Normalization;
  power?: number;
  eps?: number;
  sampleRate?: number;
  /** Compute the gradient with respect to the input signal (default false: a first layer on raw audio needs none). */
  signalGradient?: boolean;
}

function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

function logit(value: number, lo: number, hi: number, name: string): number {
  if (!(value > lo && value < hi)) {
    throw new ParameterError(name, value, `a learnable value is stored as lo + (hi - lo)·σ(raw) and must lie strictly inside (${lo}, ${hi})`, `start it inside the bounds (e.g. ${((lo + hi) / 2).toFixed(1)}), or widen the bounds`);
  }
  const u = (value - lo) / (hi - lo);
  return Math.log(u) - Math.log1p(-u);
}

let registered = false;

/**
 * Registers `DstftLayer` with `tf.serialization` (idempotent). Building a layer registers it too; call this
 * before `tf.loadLayersModel` of a saved model that contains one.
 */
export function registerDstftLayer(): void {
  if (registered) return;
  registered = true;
  tf.serialization.registerClass(DstftLayer);
}

/**
 * A tf.layers layer: input `[batch, L]` signals, output `[batch, F, T]` spectrograms (|X|^power + eps), with the
 * window length θ (samples; one value or one per frame) and optionally the hop as trainable weights kept inside
 * (thetaMin, thetaMax) by a sigmoid reparametrization.
 */
export class DstftLayer extends layers.Layer {
  static className = 'DstftLayer';
  readonly args: DstftLayerArgs;
  private transform: Dstft | null = null;
  private thetaWeight: LayerVariable | null = null;
  private hopWeight: LayerVariable | null = null;
  private readonly thetaLo: number;
  private readonly thetaHi: number;
  private readonly hopLo: number;
  private readonly hopHi: number;

  constructor(args: DstftLayerArgs) {
    super(args);
    registerDstftLayer();
    if (!Number.isInteger(args.nFft) || args.nFft < 2) {
      throw new ParameterError('nFft', args.nFft, 'expected an integer ≥ 2', 'pass the DFT size in samples, e.g. 256');
    }
    const mode = args.windowMode ?? 'constant';
    if (mode !== 'fixed' && mode !== 'constant' && mode !== 'time') {
      throw new ParameterError('windowMode', mode, 'DstftLayer supports "fixed", "constant" and "time"', 'use one of them (frequency-dependent windows: use dstftOp)');
    }
    this.args = { ...args, windowMode: mode };
    this.thetaLo = args.thetaMin ?? 2;
    this.thetaHi = args.thetaMax ?? args.nFft;
    const hop = args.hop ?? Math.max(1, Math.round(args.nFft / 4));
    this.hopLo = args.hopMin ?? 1;
    this.hopHi = args.hopMax ?? args.nFft;
    if (args.learnHop) logit(hop, this.hopLo, this.hopHi, 'hop');
    this.trainable = mode !== 'fixed' || args.learnHop === true;
  }

  /** The transform built for the input length (after the layer is built). */
  get dstft(): Dstft {
    if (this.transform === null) {
      throw new ParameterError('DstftLayer', this.name, 'is not built yet', 'call the layer on an input (or model.build) first');
    }
    return this.transform;
  }

  override build(inputShape: (number | null)[] | (number | null)[][]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as (number | null)[];
    const L = shape[shape.length - 1];
    if (shape.length !== 2 || typeof L !== 'number') {
      throw new ParameterError('inputShape', shape, 'DstftLayer takes signals [batch, L] with a known length L', 'give the model inputShape: [L]');
    }
    const a = this.args;
    const mode = a.windowMode ?? 'constant';
    const hop = a.hop ?? Math.max(1, Math.round(a.nFft / 4));
    const theta0 = a.theta ?? (this.thetaLo + this.thetaHi) / 2;
    const options: DstftOptions = {
      nFft: a.nFft,
      signalLength: L,
      windowMode: mode,
      thetaMin: this.thetaLo,
      thetaMax: this.thetaHi,
      hop,
      theta: theta0,
      positionsMode: a.learnHop ? 'constant' : 'fixed',
      ...(a.window !== undefined ? { window: a.window } : {}),
      ...(a.normalization !== undefined ? { normalization: a.normalization } : {}),
      ...(a.power !== undefined ? { power: a.power } : {}),
      ...(a.eps !== undefined ? { eps: a.eps } : {}),
      ...(a.sampleRate !== undefined ? { sampleRate: a.sampleRate } : {}),
    };
    this.transform = createDstft(options);
    const init = this.transform.params.theta;
    const n = init.length;
    if (mode === 'fixed') {
      this.thetaWeight = this.addWeight('theta', [n], 'float32', initializers.zeros(), undefined, false);
      this.thetaWeight.write(tf.tensor1d(Float32Array.from(init)));
    } else {
      const raw = Float32Array.from(init, (v) => logit(v, this.thetaLo, this.thetaHi, 'theta'));
      this.thetaWeight = this.addWeight('theta_raw', [n], 'float32', initializers.zeros(), undefined, true);
      this.thetaWeight.write(tf.tensor1d(raw));
    }
    if (a.learnHop) {
      this.hopWeight = this.addWeight('hop_raw', [1], 'float32', initializers.zeros(), undefined, true);
      this.hopWeight.write(tf.tensor1d([logit(hop, this.hopLo, this.hopHi, 'hop')]));
    }
    this.built = true;
  }

  /** θ as a tensor in samples (differentiable with respect to the raw weight). */
  private thetaTensor(): tf.Tensor1D {
    const w = this.thetaWeight!.read() as tf.Tensor1D;
    if (this.args.windowMode === 'fixed') return w;
    return tf.add(this.thetaLo, tf.mul(this.thetaHi - this.thetaLo, tf.sigmoid(w))) as tf.Tensor1D;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0]! : inputs) as tf.Tensor2D;
      const theta = this.thetaTensor();
      const hop = this.hopWeight !== null ? tf.reshape(tf.add(this.hopLo, tf.mul(this.hopHi - this.hopLo, tf.sigmoid(this.hopWeight.read()))), []) : undefined;
      return dstftOp(x.dtype === 'float32' ? x : tf.cast(x, 'float32'), theta, { transform: this.dstft, signalGradient: this.args.signalGradient ?? false }, hop);
    });
  }

  override computeOutputShape(inputShape: (number | null)[] | (number | null)[][]): (number | null)[] {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as (number | null)[];
    const t = this.dstft;
    return [shape[0] ?? null, t.freqs, t.frames];
  }

  /** Current θ in samples (as the kernel sees it, from the float32 weight). */
  thetaValues(): Float64Array {
    const w = this.thetaWeight;
    if (w === null) return Float64Array.from(this.dstft.params.theta);
    const v = w.read().dataSync();
    if (this.args.windowMode === 'fixed') return Float64Array.from(v);
    return Float64Array.from(v, (r) => this.thetaLo + (this.thetaHi - this.thetaLo) * sigmoid(r));
  }

  /** Current hop in samples. */
  hopValue(): number {
    if (this.hopWeight === null) return this.dstft.options.hop;
    return this.hopLo + (this.hopHi - this.hopLo) * sigmoid(this.hopWeight.read().dataSync()[0]!);
  }

  /** Sets θ (in samples; one number, or one per window); learnable values must lie strictly inside the bounds. */
  setTheta(theta: number | ArrayLike<number>): void {
    const w = this.thetaWeight;
    if (w === null) throw new ParameterError('DstftLayer', this.name, 'is not built yet', 'call the layer on an input first');
    const n = w.shape[0]!;
    const values = typeof theta === 'number' ? new Array<number>(n).fill(theta) : Array.from(theta);
    if (values.length !== n) throw new ParameterError('theta', values.length, `this layer has ${n} window length${n > 1 ? 's' : ''}`, `pass one number or ${n}`);
    const stored = this.args.windowMode === 'fixed' ? values : values.map((v) => logit(v, this.thetaLo, this.thetaHi, 'theta'));
    w.write(tf.tensor1d(Float32Array.from(stored)));
  }

  override getConfig(): tf.serialization.ConfigDict {
    const base = super.getConfig();
    const { name: _n, trainable: _t, inputShape: _i, batchInputShape: _b, batchSize: _s, dtype: _d, weights: _w, inputDType: _id, ...own } = this.args;
    return { ...base, ...(own as tf.serialization.ConfigDict) };
  }
}

/** Factory in the style of `tf.layers.*`. */
export function dstftLayer(args: DstftLayerArgs): DstftLayer {
  return new DstftLayer(args);
}
