// A window that fails on worker threads only, and only for θ a multiple of 4 (where u = x/θ hits 1/4 exactly on
// integer offsets): for testing what a step that fails half-way leaves behind. Never a real plugin.
import { isMainThread } from 'node:worker_threads';
import { defineDilationWindow } from '@dstft/dstft';

export default defineDilationWindow({
  id: 'test/fails-in-worker',
  continuousInTheta: true,
  shape: (u) => {
    if (!isMainThread && u === 0.25) throw new Error('test/fails-in-worker: failing on a worker thread on purpose');
    return Math.cos(Math.PI * u) ** 2;
  },
  dShape: (u) => -Math.PI * Math.sin(2 * Math.PI * u),
});
