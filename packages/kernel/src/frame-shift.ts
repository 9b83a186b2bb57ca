/**
 * Frames written and read circularly shifted, which folds the phase factor e^{-2πi m i_n/N} of docs/design.md §4 into
 * the FFT (the DFT shift theorem). With y[j] = x[i_n - c + j]·w[j] the windowed frame and s = i_n mod N:
 *
 *   X[m, n] = e^{-2πi m i_n/N} Σ_j y[j] e^{-2πi m j/N} = Σ_j y[j] e^{-2πi m (j + s)/N} = Σ_k z[k] e^{-2πi m k/N},
 *   z[(j + s) mod N] = y[j],
 *
 * because e^{-2πi m (j + i_n)/N} depends on j + i_n only modulo N. So the FFT of the frame rotated by s positions is
 * X[·, n] itself: no per-bin rotation, exactly, for any N (Bluestein sizes included). In the other direction
 * (adjoint, inverse), Σ_m Y_m e^{+2πi m (j + i_n)/N} = N·(ifft Y)[(j + s) mod N]: the inverse FFT of the unrotated
 * bins, read at shifted positions (bins-to-samples.ts, shared by the adjoint, the inverse and the backward).
 *
 * Index ranges: local indices j ∈ [jlo, jhi) ⊆ [0, N) (the window's nonzero range clipped to the signal), and
 * 0 ≤ s < N. j + s < N ⟺ j < N - s, so each direction is two contiguous runs; no `%` per sample.
 */

/**
 * buf[(j + s) mod N] = x[off + j]·w[j] for j in [jlo, jhi), and 0 at every other position of buf (N = buf.length).
 * When [jlo, jhi) covers the whole frame every position is written; otherwise buf is cleared first.
 * `gatherShiftedF32` below is the same loop for a float32 buffer, a separate copy on purpose (monomorphic accesses).
 */
export function gatherShifted(
  buf: Float64Array,
  x: Float64Array,
  off: number,
  w: Float64Array,
  jlo: number,
  jhi: number,
  s: number,
): void {
  const n = buf.length;
  if (jhi - jlo < n) buf.fill(0);
  const wrap = n - s; // first j whose shifted position wraps to the start of buf
  const e1 = jhi < wrap ? jhi : wrap;
  for (let j = jlo; j < e1; j++) buf[j + s] = x[off + j] * w[j];
  const s2 = jlo > wrap ? jlo : wrap;
  for (let j = s2; j < jhi; j++) buf[j - wrap] = x[off + j] * w[j];
}

/**
 * `gatherShifted` into a float32 buffer (an FFT backend's own input, `RealFftPlan.input`): one rounding per sample.
 * A copy on purpose: one function fed both array types would make V8's element accesses polymorphic in the
 * per-sample loop of every frame.
 */
export function gatherShiftedF32(
  buf: Float32Array,
  x: Float64Array,
  off: number,
  w: Float64Array,
  jlo: number,
  jhi: number,
  s: number,
): void {
  const n = buf.length;
  if (jhi - jlo < n) buf.fill(0);
  const wrap = n - s;
  const e1 = jhi < wrap ? jhi : wrap;
  for (let j = jlo; j < e1; j++) buf[j + s] = x[off + j] * w[j];
  const s2 = jlo > wrap ? jlo : wrap;
  for (let j = s2; j < jhi; j++) buf[j - wrap] = x[off + j] * w[j];
}

/** i mod N in [0, N) for any integer i (negative positions included). Per frame, not per sample. */
export function modN(i: number, n: number): number {
  const r = i % n;
  return r < 0 ? r + n : r;
}
