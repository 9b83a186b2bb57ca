import { expectGradcheck } from '@dstft/testing';
import { describe, expect, it } from 'vitest';
import { chirpToneBurst, createDstft, type DstftOptions } from './index.js';

const { samples, sampleRate } = chirpToneBurst({ sampleRate: 8000, duration: 0.1 });
const L = samples.length;

/** Shannon entropy of p = S/ΣS and ∂H/∂S = -(log p + H)/ΣS. */
function entropy(S: Float64Array): { H: number; dS: Float64Array } {
  let Z = 0;
  for (const v of S) Z += v;
  let H = 0;
  for (const v of S) H -= (v / Z) * Math.log(v / Z);
  return { H, dS: S.map((v) => -(Math.log(v / Z) + H) / Z) };
}

describe('forward then backward through the umbrella', () => {
  const cases: Partial<DstftOptions>[] = [
    { windowMode: 'constant', theta: 101.3, positionsMode: 'constant', hop: 33.3 },
    { windowMode: 'time', theta: 90.5, positionsMode: 'time', hop: 40.2, t0: 1.5 },
    { windowMode: 'constant', theta: 120.7, framePolicy: 'fixed-overlap', overlap: 0.7, thetaMin: 64 },
  ];
  for (const c of cases) {
    it(`entropy gradient matches finite differences: ${JSON.stringify(c)}`, () => {
      const d = createDstft({ nFft: 128, signalLength: L, sampleRate, ...c });
      const res = d.forward(samples);
      const g = d.backward(res, { spec: entropy(res.spec).dS });
      // one flat vector: θ then the positions parameter of the mode
      const flat = Float64Array.from([...d.params.theta, ...(d.params.hop !== undefined ? [d.params.hop] : []), ...(d.params.t0 !== undefined ? [d.params.t0, ...d.params.hops!] : [])]);
      const grad = Float64Array.from([...g.theta, ...(g.hop !== undefined ? [g.hop] : []), ...(g.t0 !== undefined ? [g.t0, ...g.hops!] : [])]);
      const nT = d.params.theta.length;
      const f = (v: Float64Array) => {
        const p = {
          theta: v.slice(0, nT),
          ...(d.params.hop !== undefined ? { hop: v[nT] } : {}),
          ...(d.params.t0 !== undefined ? { t0: v[nT], hops: v.slice(nT + 1) } : {}),
        };
        return entropy(d.forward(samples, p).spec).H;
      };
      // step 1e-3: the plain entropy sum over ~1400 bins has ~1e-15 roundoff, too much for smaller steps
      expectGradcheck({ f, grad, params: flat, step: 1e-3 });
    });
  }

  it('backward needs a forward of this transform', () => {
    const a = createDstft({ nFft: 64, signalLength: L });
    const b = createDstft({ nFft: 64, signalLength: L });
    const res = a.forward(samples);
    expect(() => b.backward(res, { spec: new Float64Array(res.spec.length) })).toThrow(/comes from another transform/);
    expect(() => a.backward({ ...res }, { spec: new Float64Array(res.spec.length) })).toThrow(/no forward state/);
    expect(a.backward(res, { spec: new Float64Array(res.spec.length).fill(1) }).theta.length).toBe(1);
  });
});
