/**
 * The functional op: a TensorFlow.js tensor op whose forward and gradients come from the dstft kernel and its
 * analytic backprop (float64), wrapped in `tf.customGrad`. TensorFlow.js sees one opaque op; the tape records
 * it like any other, so the op trains together with tf.layers under any tf.train optimizer, on any backend
 * (the numbers are computed in JavaScript and moved in and out with dataSync, so cpu and wasm behave alike).
 */
import * as tf from '@tensorflow/tfjs-core';
import { ParameterError, ShapeError, createDstft, type Dstft, type DstftOptions, type StftParams, type StftResult } from '@dstft/dstft';

/** Options of `dstftOp`: the plain options of `createDstft` (signal length defaults to the input's). */
export interface DstftOpOptions extends Omit<DstftOptions, 'signalLength' | 'theta'> {
  signalLength?: number;
  /**
   * Compute ∂ℒ/∂x (default true). A first layer fed raw audio needs no signal gradient: `false` skips it and
   * returns zeros for x, which is only right when nothing upstream of x is trained.
   */
  signalGradient?: boolean;
}

/** What the op needs besides tensors: a built transform, and whether to compute the signal gradient. */
export interface DstftOpTransform {
  transform: Dstft;
  signalGradient?: boolean;
}

const CACHE_SIZE = 8;
const cache = new Map<string, Dstft>();

/** A transform for these options (the last few are cached by their JSON, so a training loop builds it once). */
function transformFor(options: DstftOpOptions, signalLength: number): Dstft {
  const { signalGradient: _sg, ...rest } = options;
  if (rest.signalLength !== undefined && rest.signalLength !== signalLength) {
    throw new ShapeError('options.signalLength', rest.signalLength, `does not match the input's length ${signalLength} (x is [batch, L])`, 'drop signalLength or pass signals of that length');
  }
  const full: DstftOptions = { ...rest, signalLength };
  const key = JSON.stringify(full);
  let t = cache.get(key);
  if (t === undefined) {
    t = createDstft(full);
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
    cache.set(key, t);
  }
  return t;
}

function isTransformSpec(o: DstftOpOptions | DstftOpTransform): o is DstftOpTransform {
  return typeof (o as DstftOpTransform).transform === 'object' && (o as DstftOpTransform).transform !== null;
}

/**
 * Spectrogram `S = |X|^power + eps` of a batch of signals, `[batch, F, T]`, differentiable with respect to the
 * signal `x` (`[batch, L]`), the window lengths `theta` (in samples, shaped like the transform's θ: one value for
 * a constant window, T for `windowMode: 'time'`, …) and, when given, the hop `hop` (a scalar tensor, in samples;
 * needs `positionsMode: 'constant'`).
 *
 * `options` are plain `createDstft` options (cached), or `{ transform }`, a transform built by `createDstft` whose
 * other parameters (hops, positions) are used as they are. θ and the hop are validated by the kernel: out of
 * bounds is an error, never clamped.
 */
export function dstftOp(x: tf.Tensor2D, theta: tf.Tensor, options: DstftOpOptions | DstftOpTransform, hop?: tf.Tensor): tf.Tensor3D {
  if (x.rank !== 2) {
    throw new ShapeError('x', `a rank-${x.rank} tensor of shape [${x.shape.join(', ')}]`, 'expected a rank-2 tensor [batch, L]', 'reshape mono signals to [batch, L] (x.expandDims(0) for one signal)');
  }
  const [B, L] = x.shape;
  const transform = isTransformSpec(options) ? options.transform : transformFor(options, L);
  const signalGradient = options.signalGradient ?? true;
  if (transform.options.signalLength !== L) {
    throw new ShapeError('x', `shape [${B}, ${L}]`, `the transform expects signals of length ${transform.options.signalLength}`, `pass x of shape [batch, ${transform.options.signalLength}] or build the transform for L = ${L}`);
  }
  const thetaLength = transform.params.theta.length;
  if (theta.size !== thetaLength) {
    throw new ShapeError(
      'theta',
      `a tensor of shape [${theta.shape.join(', ')}]`,
      `windowMode "${transform.options.windowMode}" has ${thetaLength} window length${thetaLength > 1 ? 's' : ''}`,
      `pass a tensor with ${thetaLength} value${thetaLength > 1 ? 's' : ''} (in samples)`,
    );
  }
  if (hop !== undefined) {
    if (transform.options.positionsMode !== 'constant') {
      throw new ParameterError('hop', 'a tensor', `the transform's positionsMode is "${transform.options.positionsMode}"; a learnable hop needs "constant"`, 'build the transform with positionsMode: "constant", or do not pass hop');
    }
    if (hop.size !== 1) {
      throw new ShapeError('hop', `a tensor of shape [${hop.shape.join(', ')}]`, 'the hop is one number', 'pass a scalar tensor (tf.scalar(h))');
    }
  }
  const F = transform.freqs;
  const T = transform.frames;

  const op = tf.customGrad((...args: unknown[]) => {
    const xt = args[0] as tf.Tensor;
    const th = args[1] as tf.Tensor;
    const hp = hop !== undefined ? (args[2] as tf.Tensor) : undefined;
    // float32 tensors in, float64 kernel: each forward owns its copies (backward reads them)
    const x64 = Float64Array.from(xt.dataSync());
    const params: StftParams = paramsFor(transform, Float64Array.from(th.dataSync()), hp === undefined ? undefined : hp.dataSync()[0]!);
    const res: StftResult = transform.forward(x64, params);
    const value = tf.tensor3d(Float32Array.from(res.spec), [B, F, T]);
    const gradFunc = (dy: tf.Tensor | tf.Tensor[]): tf.Tensor[] => {
      const upstream = Float64Array.from((Array.isArray(dy) ? dy[0]! : dy).dataSync());
      const g = transform.backward(res, { spec: upstream }, { signal: signalGradient });
      const grads: tf.Tensor[] = [
        g.x !== undefined ? tf.tensor2d(Float32Array.from(g.x), [B, L]) : tf.zeros([B, L]),
        tf.tensor(Float32Array.from(g.theta), th.shape),
      ];
      if (hp !== undefined) grads.push(tf.fill(hp.shape, g.hop ?? 0));
      return grads;
    };
    return { value, gradFunc };
  });
  const inputs: tf.Tensor[] = hop !== undefined ? [x, theta, hop] : [x, theta];
  return op(...inputs) as tf.Tensor3D;
}

/** The kernel's parameters for this call: θ (and the hop) from the tensors, the rest from the transform. */
function paramsFor(transform: Dstft, theta: Float64Array, hop: number | undefined): StftParams {
  const p = transform.params;
  return {
    theta,
    ...(hop !== undefined ? { hop } : p.hop !== undefined ? { hop: p.hop } : {}),
    ...(p.t0 !== undefined ? { t0: p.t0 } : {}),
    ...(p.hops !== undefined ? { hops: p.hops } : {}),
    ...(p.positions !== undefined ? { positions: p.positions } : {}),
  };
}
