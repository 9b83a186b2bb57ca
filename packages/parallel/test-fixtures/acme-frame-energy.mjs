// A third-party loss with a framewise member, as a plugin module: ℒ = Σ_b Σ_n z_{b,n}² / 2 with z_{b,n} = Σ_m S
// (frame energies), ∂ℒ/∂S_{b,m,n} = z_{b,n}. `calls` counts what ran on the thread that imported it.
export const calls = { evaluate: 0, frameStats: 0 };

const framewise = {
  statsPerFrame: 1,
  coefPerSignal: 0,
  frameStats(S, work, shape, n0, n1, stats) {
    calls.frameStats++;
    const { batch: B, freqs: F, frames: T } = shape;
    for (let b = 0; b < B; b++) {
      for (let n = n0; n < n1; n++) stats[b * T + n] = 0;
      for (let m = 0; m < F; m++) for (let n = n0; n < n1; n++) stats[b * T + n] += S[(b * F + m) * T + n];
    }
  },
  signalTerm(stats, b, shape) {
    let t = 0;
    for (let n = 0; n < shape.frames; n++) t += 0.5 * stats[b * shape.frames + n] ** 2;
    return t;
  },
  combine(terms) {
    let v = 0;
    for (const t of terms) v += t;
    return v;
  },
  frameGrad(work, shape, n0, n1, stats) {
    const { batch: B, freqs: F, frames: T } = shape;
    for (let b = 0; b < B; b++) for (let m = 0; m < F; m++) for (let n = n0; n < n1; n++) work[(b * F + m) * T + n] = stats[b * T + n];
  },
};

export default {
  kind: 'loss',
  id: 'acme/frame-energy',
  apiVersion: 1,
  defaults: {},
  framewise,
  evaluate(spec, grad) {
    calls.evaluate++;
    const { data, batch: B, freqs: F, frames: T } = spec;
    const z = new Float64Array(B * T);
    for (let b = 0; b < B; b++) for (let m = 0; m < F; m++) for (let n = 0; n < T; n++) z[b * T + n] += data[(b * F + m) * T + n];
    let v = 0;
    for (const e of z) v += 0.5 * e * e;
    if (grad) for (let b = 0; b < B; b++) for (let m = 0; m < F; m++) for (let n = 0; n < T; n++) grad[(b * F + m) * T + n] = z[b * T + n];
    return v;
  },
};
