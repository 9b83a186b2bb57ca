/**
 * The whole entropy step of whole signals on one thread: for each signal b of [b0, b1), forward (every frame),
 * log S and the per-frame entropy statistics, the signal's coefficients, ∂ℒ/∂S, and backward, one signal after the
 * other. A thread that owns whole signals needs nothing from the others (each signal's entropy normalizes by its own
 * ΣS), so a batch split by signals runs the step with one dispatch and one join instead of two, and each signal's
 * X, S and ∂ℒ/∂S are still in cache when its backward reads them.
 *
 * θ contributions and ∂ℒ/∂t_n go to per-signal slots (`slotContrib[b·C …]`, `slotPos[b·T …]`), summed over signals
 * in signal order by `sumSlots`: the kernel adds its per-frame sums signal after signal too, so the result is the
 * same bit for bit as the one-call backward over the batch and as the frame-split route, whatever the thread count.
 */
import { backwardFrames, contributionLength, type BackwardScratch, type UpstreamView } from '@dstft/backprop';
import { stftForwardFrames, type StftPlan } from '@dstft/kernel';
import { entropyGradFrames, entropySignal, entropyStatsFrames } from './fused-entropy.js';

export interface SignalStepArrays {
  /** The signal batch `[B, L]`. */
  x: Float64Array;
  /** Outputs of the forward, `[B, F, T]` (X interleaved). */
  X: Float64Array;
  spec: Float64Array;
  /** log S, then ∂ℒ/∂S, `[B, F, T]`. */
  dS: Float64Array;
  /** Per-frame statistics (2·B·T) and per-signal coefficients (3·B): fused-entropy.ts. */
  stats: Float64Array;
  coef: Float64Array;
  /** Per-signal θ contributions (B·C, C = contributionLength) and ∂ℒ/∂t_n (B·T). */
  slotContrib: Float64Array;
  slotPos: Float64Array;
  /** ∂ℒ/∂x `[B, L]` (this thread's signals are overwritten), or null. */
  gx: Float64Array | null;
  /** The thread's backward scratch (`createBackwardScratch(plan)`). */
  scratch: BackwardScratch;
}

export function entropyStepSignals(
  plan: StftPlan,
  B: number,
  T: number,
  theta: Float64Array,
  pos: Float64Array,
  scale: number,
  b0: number,
  b1: number,
  a: SignalStepArrays,
): void {
  const L = plan.signalLength;
  const F = plan.freqs;
  const FT = F * T;
  const C = contributionLength(plan, T);
  for (let b = b0; b < b1; b++) {
    const x = a.x.subarray(b * L, (b + 1) * L);
    const X = a.X.subarray(2 * b * FT, 2 * (b + 1) * FT);
    const S = a.spec.subarray(b * FT, (b + 1) * FT);
    const dS = a.dS.subarray(b * FT, (b + 1) * FT);
    const stats = a.stats.subarray(2 * b * T, 2 * (b + 1) * T);
    const coef = a.coef.subarray(3 * b, 3 * b + 3);
    stftForwardFrames(plan, x, 1, T, theta, pos, 0, T, X, S);
    entropyStatsFrames(S, dS, 1, F, T, 0, T, stats);
    entropySignal(stats, 0, T, scale, null, coef); // H_b itself: entropyReduce, on the calling thread
    entropyGradFrames(dS, 1, F, T, 0, T, coef);
    let gx: Float64Array | null = null;
    if (a.gx) {
      gx = a.gx.subarray(b * L, (b + 1) * L);
      gx.fill(0);
    }
    const up: UpstreamView = { G: null, X, dS, power: plan.power };
    backwardFrames(plan, x, 1, T, theta, pos, up, 0, T, a.slotContrib.subarray(b * C, (b + 1) * C), a.slotPos.subarray(b * T, (b + 1) * T), gx, a.scratch);
  }
}

/** out[k] = Σ_b slots[b·n + k] over b = 0 … B-1 in order (from 0, as the kernel accumulates). */
export function sumSlots(slots: Float64Array, B: number, out: Float64Array): void {
  const n = out.length;
  out.fill(0);
  for (let b = 0; b < B; b++) {
    const o = b * n;
    for (let k = 0; k < n; k++) out[k] += slots[o + k];
  }
}
