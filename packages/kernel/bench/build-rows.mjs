/**
 * What the two-build benchmarks (side-by-side.mjs, ab-call.mjs) share: loading a build's kernel, backprop and Hann
 * window from its root, and rows A, B, C of docs/design.md §9 set up on it (plan, signal, θ, a forward result with
 * its cache, an upstream ∂ℒ/∂S and an upstream G).
 */
import { pathToFileURL } from 'node:url';

export const rows = {
  A: { nFft: 1024, signalLength: 16000, windowMode: 'constant', positions: { mode: 'fixed', hop: 256 }, B: 8, th: 1024 },
  B: { nFft: 512, signalLength: 16000, windowMode: 'time', positions: { mode: 'fixed', hop: 128 }, B: 1, th: 358 },
  C: { nFft: 256, signalLength: 4096, windowMode: 'time-frequency', positions: { mode: 'fixed', hop: 64 }, B: 1, th: 180 },
};

/** The kernel and backprop exports of the build at `root` (built: packages/<name>/dist), with `hann`. */
export async function loadBuild(root) {
  const load = (p) => import(pathToFileURL(`${root}/packages/${p}/dist/index.js`).href);
  return { ...(await load('kernel')), ...(await load('backprop')), hann: (await load('windows')).hann };
}

/** Row `id` on build `I`: its plan, signal x, θ, a differentiable forward result, ∂ℒ/∂S and G. */
export function setUpRow(I, id) {
  const c = rows[id];
  if (!c) throw new Error(`unknown row ${id} (A, B or C)`);
  const plan = I.createStftPlan({ ...c, window: I.hann });
  const x = new Float64Array(c.B * c.signalLength).map((_, q) => Math.sin(0.01 * q) + 0.3 * Math.cos(0.3 * q));
  const theta = new Float64Array(plan.thetaLength(plan.frames)).fill(c.th);
  const res = I.stftForwardWithState(plan, x, { theta });
  const dS = new Float64Array(res.spec.length).fill(1e-3);
  const G = res.X.slice();
  return { plan, x, theta, res, dS, G };
}
