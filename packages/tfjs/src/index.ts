/**
 * @dstft/tfjs: the differentiable STFT inside TensorFlow.js. `dstftOp` is the functional op (tf.customGrad around
 * the float64 kernel and its analytic backprop); `DstftLayer` is the tf.layers layer with θ (and optionally the
 * hop) as bounded trainable weights.
 */
export { dstftOp, type DstftOpOptions, type DstftOpTransform } from './dstft-op.js';
export { DstftLayer, dstftLayer, registerDstftLayer, type DstftLayerArgs, type LayerArgs } from './dstft-layer.js';
