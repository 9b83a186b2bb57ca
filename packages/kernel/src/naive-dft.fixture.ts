/**
 * Test fixture (not exported): an independent O(N²)-per-frame DSTFT written straight from docs/design.md §4 in its
 * absolute-time form  X[m,n] = e^{-2πi m c/N} Σ_p x[p] w(p - t_n, θ_{m,n}) e^{-2πi m p/N}, with its own window
 * formulas and normalizations. It shares no code with the kernel (no framing, no phase factoring, no FFT).
 */
import { API_VERSION, markBuiltin, type WindowPlugin } from '@dstft/core';

export type NaiveWindow = (x: number, theta: number) => number;

/** Hann of length θ centred at 0: 0.5 + 0.5 cos(2πx/θ) on [-θ/2, θ/2), 0 elsewhere. */
export const naiveHann: NaiveWindow = (x, theta) => (x >= -theta / 2 && x < theta / 2 ? 0.5 + 0.5 * Math.cos((2 * Math.PI * x) / theta) : 0);

export interface NaiveSpec {
  nFft: number;
  signalLength: number;
  /** t_n */
  positions: Float64Array;
  /** θ_{m,n} */
  theta: (m: number, n: number) => number;
  window: NaiveWindow;
  normalization: 'none' | 'paper' | 'unit';
}

/** Returns interleaved X `[batch, F, T]`. */
export function naiveDstft(x: Float64Array, spec: NaiveSpec): Float64Array {
  const N = spec.nFft;
  const L = spec.signalLength;
  const B = x.length / L;
  const c = Math.floor(N / 2);
  const F = c + 1;
  const T = spec.positions.length;
  const X = new Float64Array(2 * B * F * T);
  for (let n = 0; n < T; n++) {
    const t = spec.positions[n]!;
    const i = Math.floor(t);
    // the frame's support: p = i - c + j, j = 0..N-1
    for (let m = 0; m < F; m++) {
      const theta = spec.theta(m, n);
      const wv: number[] = [];
      let sum = 0;
      for (let j = 0; j < N; j++) {
        const v = spec.window(i - c + j - t, theta);
        wv.push(v);
        sum += v;
      }
      const scale = spec.normalization === 'paper' ? N / theta : spec.normalization === 'unit' ? 1 / sum : 1;
      for (let b = 0; b < B; b++) {
        let re = 0;
        let im = 0;
        for (let j = 0; j < N; j++) {
          const p = i - c + j;
          if (p < 0 || p >= L) continue;
          const k = (((m * (p + c)) % N) + N) % N;
          const a = (2 * Math.PI * k) / N;
          const v = x[b * L + p]! * wv[j]! * scale;
          re += v * Math.cos(a);
          im -= v * Math.sin(a);
        }
        const o = 2 * ((b * F + m) * T + n);
        X[o] = re;
        X[o + 1] = im;
      }
    }
  }
  return X;
}

/** max |a - b| / max |b| */
export function relMaxError(a: Float64Array, b: Float64Array): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let num = 0;
  let den = 0;
  for (let k = 0; k < a.length; k++) {
    num = Math.max(num, Math.abs(a[k]! - b[k]!));
    den = Math.max(den, Math.abs(b[k]!));
  }
  return num / den;
}

/** A seeded test signal: two tones, a chirp and uniform noise. */
export function testSignal(length: number, batch: number, seed: number): Float64Array {
  let s = seed >>> 0;
  const rand = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const x = new Float64Array(batch * length);
  for (let b = 0; b < batch; b++) {
    const f1 = 0.02 + 0.05 * b;
    for (let p = 0; p < length; p++) {
      x[b * length + p] =
        Math.sin(2 * Math.PI * f1 * p) + 0.5 * Math.cos(2 * Math.PI * (0.1 * p + 0.0002 * p * p)) + 0.2 * (2 * rand() - 1);
    }
  }
  return x;
}

/** A Hann plugin local to the kernel tests (the real ones live in @dstft/windows, tested there). */
export const hannPlugin: WindowPlugin = markBuiltin({
  kind: 'window',
  id: 'hann',
  apiVersion: API_VERSION,
  gradients: { theta: true, x: true },
  continuousInTheta: true,
  defaults: {},
  supportHalfWidth: (theta: number) => theta / 2,
  evaluate(x, start, end, theta, _p, out) {
    for (let k = start; k < end; k++) {
      const u = x[k]! / theta;
      out.w[k] = u >= -0.5 && u < 0.5 ? 0.5 + 0.5 * Math.cos(2 * Math.PI * u) : 0;
    }
  },
});
