// Test helper: switch TensorFlow.js between the pure-JS CPU backend and the wasm backend (no downloads: the
// .wasm files ship inside @tensorflow/tfjs-backend-wasm).
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-layers'; // registers every op gradient of tfjs-core (as @tensorflow/tfjs does)
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

const require = createRequire(import.meta.url);
let wasmPathSet = false;
tf.env().set('PROD', true); // silences the "install tfjs-node" banner (IS_TEST would, but trips wasm's leak check)

export const BACKENDS = ['cpu', 'wasm'] as const;

export async function useBackend(name: (typeof BACKENDS)[number]): Promise<void> {
  if (name === 'wasm' && !wasmPathSet) {
    setWasmPaths(`${dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'))}/`);
    wasmPathSet = true;
  }
  const ok = await tf.setBackend(name);
  if (!ok || tf.getBackend() !== name) throw new Error(`TensorFlow.js backend ${name} did not initialise`);
}
