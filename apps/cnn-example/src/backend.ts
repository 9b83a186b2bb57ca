/** Chooses the TensorFlow.js backend: wasm (default; SIMD, fast matMul, no downloads) or the pure-JS cpu backend. */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-layers'; // registers the gradients of every tfjs-core op
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

export type BackendName = 'wasm' | 'cpu';
let wasmPathSet = false;

export async function useBackend(name: BackendName): Promise<void> {
  if (name !== 'wasm' && name !== 'cpu') throw new RangeError(`--backend = ${String(name)}: unknown. Fix: use wasm or cpu`);
  tf.env().set('PROD', true); // no "install tfjs-node" banner (tfjs-node does not install here)
  if (name === 'wasm' && !wasmPathSet) {
    const require = createRequire(import.meta.url);
    setWasmPaths(`${dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'))}/`);
    wasmPathSet = true;
  }
  if (!(await tf.setBackend(name)) || tf.getBackend() !== name) throw new Error(`TensorFlow.js backend ${name} did not initialise. Fix: try --backend cpu`);
}
