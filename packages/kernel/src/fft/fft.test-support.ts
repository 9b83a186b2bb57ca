/**
 * Test-only helpers for the FFT tests (not exported from the package): a seeded PRNG and naive O(N²)
 * reference DFTs whose angles come from (m·j mod N), so they stay exact for large m·j.
 */

/** mulberry32: a tiny seeded PRNG, uniform in [0, 1). */
export function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Uniform values in [-1, 1). */
export function randomSignal(n: number, seed: number): Float64Array {
  const rand = mulberry32(seed);
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = 2 * rand() - 1;
  return x;
}

function unitCircle(n: number): { cos: Float64Array; sin: Float64Array } {
  const cos = new Float64Array(n);
  const sin = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    cos[t] = Math.cos((2 * Math.PI * t) / n);
    sin[t] = Math.sin((2 * Math.PI * t) / n);
  }
  return { cos, sin };
}

/** Interleaved X[m] = Σ_j x[j] e^{-2πi mj/N}, m = 0..bins-1, for real x. */
export function naiveRealDft(x: Float64Array, bins: number): Float64Array {
  const n = x.length;
  const { cos, sin } = unitCircle(n);
  const out = new Float64Array(2 * bins);
  for (let m = 0; m < bins; m++) {
    let re = 0;
    let im = 0;
    let t = 0; // m·j mod n
    for (let j = 0; j < n; j++) {
      re += x[j] * cos[t];
      im -= x[j] * sin[t];
      t += m;
      if (t >= n) t -= n;
    }
    out[2 * m] = re;
    out[2 * m + 1] = im;
  }
  return out;
}

/** Interleaved complex DFT of length n (sign −1 forward, +1 with 1/n for inverse). */
export function naiveComplexDft(z: Float64Array, inverse: boolean): Float64Array {
  const n = z.length / 2;
  const { cos, sin } = unitCircle(n);
  const sign = inverse ? 1 : -1;
  const out = new Float64Array(2 * n);
  for (let m = 0; m < n; m++) {
    let re = 0;
    let im = 0;
    let t = 0;
    for (let j = 0; j < n; j++) {
      const c = cos[t];
      const s = sign * sin[t];
      re += z[2 * j] * c - z[2 * j + 1] * s;
      im += z[2 * j] * s + z[2 * j + 1] * c;
      t += m;
      if (t >= n) t -= n;
    }
    out[2 * m] = inverse ? re / n : re;
    out[2 * m + 1] = inverse ? im / n : im;
  }
  return out;
}

/** Real signal from its one-sided spectrum by the naive inverse DFT over the full Hermitian spectrum. */
export function naiveRealIdft(spectrum: Float64Array, n: number): Float64Array {
  const bins = Math.floor(n / 2) + 1;
  const full = new Float64Array(2 * n);
  for (let m = 0; m < bins; m++) {
    full[2 * m] = spectrum[2 * m];
    full[2 * m + 1] = spectrum[2 * m + 1];
  }
  full[1] = 0;
  if (n % 2 === 0) full[n + 1] = 0;
  for (let m = bins; m < n; m++) {
    full[2 * m] = full[2 * (n - m)];
    full[2 * m + 1] = -full[2 * (n - m) + 1];
  }
  const z = naiveComplexDft(full, true);
  const x = new Float64Array(n);
  for (let j = 0; j < n; j++) x[j] = z[2 * j];
  return x;
}

/** max |a − b| / max |b|, over interleaved complex or real arrays (elementwise on pairs when complex). */
export function relativeError(actual: Float64Array, expected: Float64Array, complex: boolean): number {
  if (actual.length !== expected.length) throw new Error(`length ${actual.length} vs ${expected.length}`);
  let err = 0;
  let scale = 0;
  const step = complex ? 2 : 1;
  for (let i = 0; i < expected.length; i += step) {
    const dr = actual[i] - expected[i];
    const di = complex ? actual[i + 1] - expected[i + 1] : 0;
    const er = expected[i];
    const ei = complex ? expected[i + 1] : 0;
    err = Math.max(err, Math.hypot(dr, di));
    scale = Math.max(scale, Math.hypot(er, ei));
  }
  return scale === 0 ? err : err / scale;
}
