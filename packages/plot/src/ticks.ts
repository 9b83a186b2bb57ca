// Axis ticks: "nice" values on a 1-2-5 ladder (…, 0.1, 0.2, 0.5, 1, 2, 5, 10, …) and short, consistent labels.
import { checkFinite, checkInt, show } from './validate.js';

const EPS = 1e-9;

/** `m·10^k` parsed from its decimal form, so 0.3 is the double nearest 0.3 (not 3·0.1 = 0.30000000000000004). */
function decimal(m: number, k: number): number {
  const v = Number(`${m}e${k}`);
  return v === 0 ? 0 : v; // no -0
}

/**
 * Ticks for a linear axis over [lo, hi]: every multiple of the smallest step of the form {1, 2, 5}·10^k that gives at
 * most `maxTicks` ticks inside the range (ends included). `lo === hi` gives `[lo]`; reversed ranges are swapped.
 * E.g. niceTicks(0, 1, 6) → [0, 0.2, 0.4, 0.6, 0.8, 1]; niceTicks(0, 1, 5) → [0, 0.5, 1] (step 0.2 would need 6);
 * niceTicks(0, 22050, 6) → [0, 5000, 10000, 15000, 20000].
 */
export function niceTicks(lo: number, hi: number, maxTicks = 7): number[] {
  const fix = 'Fix: pass the finite ends of the axis range';
  checkFinite('niceTicks', 'lo', lo, fix);
  checkFinite('niceTicks', 'hi', hi, fix);
  checkInt('niceTicks', 'maxTicks', maxTicks, 2, 'Fix: pass at least 2');
  if (lo > hi) [lo, hi] = [hi, lo];
  if (lo === hi) return [lo];
  const span = hi - lo;
  const steps = [1, 2, 5];
  for (let k = Math.floor(Math.log10(span / maxTicks)) - 1; ; k++) {
    for (const m of steps) {
      const step = m * 10 ** k;
      const i0 = Math.ceil(lo / step - EPS);
      const i1 = Math.floor(hi / step + EPS);
      if (i1 - i0 + 1 <= maxTicks) {
        const out: number[] = [];
        for (let i = i0; i <= i1; i++) out.push(decimal(i * m, k));
        return out;
      }
    }
  }
}

/**
 * Ticks for a logarithmic axis over [lo, hi] (lo > 0): the 1-2-5 values m·10^k inside the range if there are at most
 * `maxTicks` of them (short ranges: 0.05, 0.1, 0.2, 0.5, 1, 2), else the powers of ten inside it (every 2nd, 3rd, …
 * one if there are more than `maxTicks`); a range too narrow for two of either gets `niceTicks(lo, hi)`.
 */
export function logTicks(lo: number, hi: number, maxTicks = 7): number[] {
  const fix = 'Fix: a logarithmic axis needs a positive, finite range';
  checkFinite('logTicks', 'lo', lo, fix, 0);
  checkFinite('logTicks', 'hi', hi, fix, 0);
  checkInt('logTicks', 'maxTicks', maxTicks, 2, 'Fix: pass at least 2');
  if (lo > hi) [lo, hi] = [hi, lo];
  const kLo = Math.ceil(Math.log10(lo) - EPS);
  const kHi = Math.floor(Math.log10(hi) + EPS);
  const decades = kHi - kLo + 1;
  if (decades <= maxTicks) {
    const out: number[] = [];
    for (let k = kLo - 1; k <= kHi && out.length <= maxTicks; k++) {
      for (const m of [1, 2, 5]) {
        const v = decimal(m, k);
        if (v >= lo * (1 - EPS) && v <= hi * (1 + EPS)) out.push(v);
      }
    }
    if (out.length >= 2 && out.length <= maxTicks) return out;
  }
  if (decades >= 2) {
    const stride = Math.ceil(decades / maxTicks);
    const out: number[] = [];
    for (let k = Math.ceil(kLo / stride) * stride; k <= kHi; k += stride) out.push(decimal(1, k));
    if (out.length >= 2) return out;
  }
  return niceTicks(lo, hi, maxTicks);
}

/** Smallest number of decimals (≤ 12) that writes every value of `values` exactly (to 1e-9 relative). */
function decimalsFor(values: readonly number[], scale: number): number {
  for (let d = 0; d < 12; d++) {
    const p = 10 ** d;
    let ok = true;
    for (const v of values) {
      const x = (v / scale) * p;
      if (Math.abs(x - Math.round(x)) > 1e-9 * Math.max(1, Math.abs(x))) {
        ok = false;
        break;
      }
    }
    if (ok) return d;
  }
  return 12;
}

/** Typographic minus, and never "-0". */
function signed(s: string): string {
  if (/^-0*\.?0*$/.test(s)) return s.slice(1);
  return s.startsWith('-') ? `−${s.slice(1)}` : s;
}

function trimZeros(s: string): string {
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

/** Options of {@link formatTicks}. */
export interface FormatTicksOptions {
  /** The ticks come from `logTicks`: write each one in its shortest form instead of with common decimals. */
  log?: boolean;
}

/**
 * Labels for tick values: all with the same number of decimals, the fewest that write them exactly (0, 0.25, 0.50,
 * 0.75); values from 10 000 up as thousands with a 'k' (5k, 12.5k, 20k); below 0.001 or from 10^6 up in exponent
 * form (2e-4, 1.5e6). With `log`, each label in its shortest form (0.05, 0.1, 1, 10), or all in exponent form
 * when one is below 0.001 or from 10^6 up. Negative values use the minus sign '−' (U+2212).
 */
export function formatTicks(ticks: readonly number[], options: FormatTicksOptions = {}): string[] {
  if (!Array.isArray(ticks)) throw new TypeError(`formatTicks: ticks must be an array of numbers (got ${show(ticks)}). Fix: pass niceTicks(lo, hi)`);
  for (let i = 0; i < ticks.length; i++) {
    if (!Number.isFinite(ticks[i])) throw new RangeError(`formatTicks: ticks[${i}] = ${show(ticks[i])} is not finite. Fix: pass finite tick values`);
  }
  if (ticks.length === 0) return [];
  let maxAbs = 0;
  let minAbs = Infinity; // smallest non-zero
  for (const t of ticks) {
    maxAbs = Math.max(maxAbs, Math.abs(t));
    if (t !== 0) minAbs = Math.min(minAbs, Math.abs(t));
  }
  const log = options.log === true;
  // A log axis is written all in exponent form as soon as one label needs it.
  const exponent = maxAbs >= 1e6 || (log ? minAbs < 1e-3 : maxAbs > 0 && maxAbs < 1e-3);
  if (exponent) {
    return ticks.map((t) => {
      if (t === 0) return '0';
      let p = 0;
      while (p < 6 && Math.abs(Number(t.toExponential(p)) - t) > 1e-9 * Math.abs(t)) p++;
      const [mant, exp] = t.toExponential(p).split('e') as [string, string];
      return signed(`${mant}e${exp.replace('+', '')}`);
    });
  }
  if (log) return ticks.map((t) => signed(trimZeros(t.toFixed(decimalsFor([t], 1)))));
  if (maxAbs >= 1e4) {
    return ticks.map((t) => (t === 0 ? '0' : signed(`${trimZeros((t / 1000).toFixed(decimalsFor([t], 1000)))}k`)));
  }
  const d = decimalsFor(ticks, 1);
  return ticks.map((t) => signed(t.toFixed(d)));
}
