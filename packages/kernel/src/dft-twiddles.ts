/**
 * Twiddles of the DFT path (θ depends on the bin: one windowed sum per bin and frame), in one place. Bin m of a
 * frame reads e^{-2πi m (s + j)/N} for the local samples j ∈ [jlo, jhi) (s = 0 in the forward, whose phase is
 * applied after the sum; s = i_n mod N in the bins-to-samples loop). Both loops read them as plain runs:
 *
 *   cos[o + j] = cos(2π k/N),  sin[o + j] = sin(2π k/N),  k = m·(s + j) mod N,
 *
 * the very values of the N-entry table (`cosTable[k]`), so the sums are bit for bit what a walk k += m (mod N)
 * over that table gives, without its index arithmetic and branch per sample.
 *
 * When F·2N ≤ MAX_TWIDDLE_ROWS the rows are precomputed once per plan (row m holds k = m·i mod N for i < 2N, so
 * s + j < 2N never wraps); above that (N beyond about 1400), the run of one (m, s) is filled into a scratch row
 * per call, by the same walk.
 */

/** Entries per table (cos, sin) up to which the rows of every bin are kept: 2^21 (16 MiB per table). */
export const MAX_TWIDDLE_ROWS = 2 ** 21;

/**
 * Twiddle tables e^{-2πi k/N} of the DFT path for one nFft N, read as plain runs per bin (precomputed rows when they
 * fit in {@link MAX_TWIDDLE_ROWS}, else a scratch row per call).
 */
export class DftTwiddles {
  readonly #N: number;
  readonly #cosT: Float64Array;
  readonly #sinT: Float64Array;
  /** Precomputed rows, `[F][2N]`, or null (then the scratch rows are filled per call). */
  readonly #rowsCos: Float64Array | null;
  readonly #rowsSin: Float64Array | null;
  readonly #scratchCos: Float64Array;
  readonly #scratchSin: Float64Array;
  /** Set by `run`: the arrays to read and the offset o of local sample j = 0. */
  cos: Float64Array;
  sin: Float64Array;
  offset = 0;

  /** `rows`: keep every bin's rows (default: when F·2N ≤ MAX_TWIDDLE_ROWS). */
  constructor(nFft: number, freqs: number, cosTable: Float64Array, sinTable: Float64Array, rows = freqs * 2 * nFft <= MAX_TWIDDLE_ROWS) {
    const N = nFft;
    this.#N = N;
    this.#cosT = cosTable;
    this.#sinT = sinTable;
    this.#rowsCos = rows ? new Float64Array(freqs * 2 * N) : null;
    this.#rowsSin = rows ? new Float64Array(freqs * 2 * N) : null;
    this.#scratchCos = rows ? new Float64Array(0) : new Float64Array(N);
    this.#scratchSin = rows ? new Float64Array(0) : new Float64Array(N);
    if (rows) {
      for (let m = 0; m < freqs; m++) fill(this.#rowsCos!, this.#rowsSin!, m * 2 * N, m, 0, 0, 2 * N, N, cosTable, sinTable);
    }
    this.cos = this.#rowsCos ?? this.#scratchCos;
    this.sin = this.#rowsSin ?? this.#scratchSin;
  }

  /** Points `cos`, `sin`, `offset` at the twiddles of bin m, shift s, for j ∈ [jlo, jhi) (0 ≤ s < N, jhi ≤ N). */
  run(m: number, s: number, jlo: number, jhi: number): void {
    const N = this.#N;
    if (this.#rowsCos !== null) {
      this.cos = this.#rowsCos;
      this.sin = this.#rowsSin!;
      this.offset = m * 2 * N + s;
      return;
    }
    this.cos = this.#scratchCos;
    this.sin = this.#scratchSin;
    this.offset = 0;
    fill(this.#scratchCos, this.#scratchSin, 0, m, s, jlo, jhi, N, this.#cosT, this.#sinT);
  }
}

/** c[o + i] = cosT[m·(s + i) mod N] (and s) for i ∈ [lo, hi): the walk k += m (mod N) over the table. */
function fill(c: Float64Array, sn: Float64Array, o: number, m: number, s: number, lo: number, hi: number, N: number, cosT: Float64Array, sinT: Float64Array): void {
  let k = (m * ((s + lo) % N)) % N;
  for (let i = lo; i < hi; i++) {
    c[o + i] = cosT[k];
    sn[o + i] = sinT[k];
    k += m;
    if (k >= N) k -= N;
  }
}
