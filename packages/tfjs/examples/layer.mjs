// Trains a DstftLayer with model.fit on random data (shows the API; apps/cnn-example has a real task).
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { dstftLayer, dstftOp } from '@dstft/tfjs';

tf.env().set('PROD', true);
// a layer: signals [batch, 4000] -> spectrogram [batch, 129, 63], θ learnable in (16, 256)
const stft = dstftLayer({ nFft: 256, hop: 64, theta: 64, thetaMin: 16, thetaMax: 256, inputShape: [4000] });
const model = tfl.sequential({ layers: [stft, tfl.layers.flatten(), tfl.layers.dense({ units: 10, activation: 'softmax' })] });
model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
const xs = tf.randomNormal([8, 4000], 0, 0.1);
const ys = tf.oneHot(tf.tensor1d([0, 1, 2, 3, 4, 5, 6, 7], 'int32'), 10);
await model.fit(xs, ys, { epochs: 2, verbose: 0 });
console.log('output', stft.outputShape, 'θ after two epochs:', stft.thetaValues());

// the op: gradients with respect to the signal and θ (in samples)
const theta = tf.variable(tf.tensor1d([100]));
const { grads } = tf.variableGrads(() => tf.sum(dstftOp(xs, theta, { nFft: 256, hop: 64 })));
grads[theta.name].print();
