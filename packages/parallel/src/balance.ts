/**
 * How much of each call the calling thread takes, adapted to how fast the threads really run. On a quiet host the
 * threads are equally fast and the split stays even. On a loaded host a worker can be descheduled for milliseconds:
 * an even split then waits for it, and two threads ran 3-5× slower than one (issue 18: B rows 4.8-5.7 ms on two
 * threads against 1.0-1.7 ms on one). The balance measures each call (the calling thread's own share, each worker's
 * time on its share as the worker measured it, and how long the calling thread waited), moves frames towards the
 * faster side by the medians of the last calls (one slow call of a descheduled worker must not move the split: an
 * earlier version, which followed every call, left row A's 8 signals split 5/3 or 6/2 for good after one such call
 * and gave 1.3× instead of 1.9× on a quiet host), and when the workers add less than
 * `SOLO_ABOVE` of the throughput it runs calls on the calling thread alone, probing the workers again every
 * `SOLO_CALLS` calls. Results never depend on the split (per-frame sums, reduced in frame order), only speed does.
 */

/** Above this share of the calling thread, the workers are not worth their dispatch: run alone for a while. */
export const SOLO_ABOVE = 0.9;
/** A split whose calls take this fraction of the calling thread's time for all of it (smoothed) does not pay. */
export const SOLO_RATIO = 0.95;
/** Calls run alone before the workers are tried again. */
export const SOLO_CALLS = 32;
/** Share given to the calling thread when the workers are tried again after a solo stretch. */
const PROBE_SHARE = 0.75;
/** Calls shorter than this (ms) say little about the threads' speeds: they do not move the split. */
const MIN_MS = 0.05;
const MIN_SHARE = 0.05;
/** A measured split this close to even is taken as even (the threads' measured speeds are noisier than that). */
const EVEN_BAND = 0.1;
/** Calls whose timings the split takes medians of. */
const HISTORY = 7;

export type BalanceMode = 'adaptive' | 'even';

/** One kind of call's split (forward by frames, backward by frames, steps by signals each have their own). */
export class SplitBalance {
  readonly threads: number;
  readonly mode: BalanceMode;
  /** Fraction of the items on the calling thread. */
  share: number;
  #solo = 0;
  /**
   * The last calls' times (ms) for all items on the calling thread, for all items on the workers (their own
   * measure), and the delay from dispatch to their results beyond their work (0 where this thread did not wait).
   */
  readonly #history = { mine: new Float64Array(HISTORY), theirs: new Float64Array(HISTORY), delay: new Float64Array(HISTORY) };
  #calls = 0;
  /** The last calls' (whole call) / (the calling thread's estimated time for all of it): a median ≥ 1, the split does not pay. */
  readonly #ratios = new Float64Array(HISTORY);
  #ratioCalls = 0;

  constructor(threads: number, mode: BalanceMode = 'adaptive') {
    this.threads = threads;
    this.mode = mode;
    this.share = 1 / threads;
  }

  /** True while calls run on the calling thread alone. */
  get solo(): boolean {
    return this.#solo > 0;
  }

  /**
   * Contiguous ranges covering [0, count): the first is the calling thread's, the others the workers' (near-equal).
   * One range when there is one thread, one item, or while running alone.
   */
  ranges(count: number): [number, number][] {
    const t = this.threads;
    if (t === 1 || count <= 1) return [[0, count]];
    if (this.mode === 'even') return frameRanges(count, t);
    if (this.#solo > 0) {
      this.#solo--;
      if (this.#solo === 0) {
        this.share = PROBE_SHARE;
        this.#ratioCalls = 0;
        this.#calls = 0;
      }
      return [[0, count]];
    }
    let mine = Math.round(this.share * count);
    if (mine < 1) mine = 1;
    const workers = Math.min(t - 1, count - mine);
    if (workers < 1) return [[0, count]];
    return [[0, mine], ...frameRanges(count - mine, workers).map(([p, q]) => [mine + p, mine + q] as [number, number])];
  }

  /**
   * One call's timing: `mine` items took `tMine` ms on the calling thread, and the whole call (dispatch to the last
   * join) `tAll` ms, the workers having had `rest` items. `tWorkers`, when known, is the longest time a worker spent
   * on its share as the worker measured it (without dispatch and wake-up). Moves the share halfway to the split that
   * would have ended both sides together. Runs alone for a while when the workers add less than a tenth, or when
   * calls take about as long as the calling thread would alone (the dispatch and the wait eat the gain: two threads
   * never slower than one).
   */
  record(mine: number, rest: number, tMine: number, tAll: number, tWorkers?: number): void {
    if (this.mode === 'even' || rest === 0 || mine === 0 || !(tMine >= MIN_MS) || !(tAll >= tMine)) return;
    const workers = Math.max(1, this.threads - 1);
    const count = mine + rest;
    const rateMine = mine / tMine;
    let target: number;
    if (tWorkers !== undefined && tWorkers >= MIN_MS && tWorkers <= tAll) {
      // both sides' speeds measured: the split s where s·count/rateMine = delay + (1 - s)·count/rateWorkers, with
      // the delay (dispatch, wake-up, the join's notice) seen when this thread waited. Medians of the last calls: a
      // worker descheduled for one call (2-3× its usual time, or a wake-up of milliseconds, both seen on the project
      // machine) must not move the split for the calls after it.
      const h = this.#history;
      const k = this.#calls++ % HISTORY;
      h.mine[k] = count / rateMine;
      h.theirs[k] = (count * tWorkers) / rest;
      // a call where this thread did not wait counts as no delay (not as unknown: a median over the waits alone
      // took one stall of a few ms among 7 calls as the delay, asked for a share above 1 and ran alone for 32 calls)
      h.delay[k] = tAll - tMine > 0.05 * tMine ? Math.max(0, tAll - tWorkers) : 0;
      const n = Math.min(this.#calls, HISTORY);
      const own = median(h.mine, n);
      const theirs = median(h.theirs, n);
      const delay = median(h.delay, n);
      target = (delay + theirs) / (own + theirs);
      // near even, stay even: a split that would save a few per cent on paper lost on the quiet host (row B, calls
      // of ~0.5 ms: 1.11-1.20× one thread against 1.27-1.37× even), where the timings' own noise is that large
      const even = 1 / this.threads;
      if (Math.abs(target - even) <= EVEN_BAND) target = even;
    } else if (tAll - tMine > 0.05 * tMine) {
      // the calling thread waited: the workers took about the whole call for their share
      const ratePerWorker = rest / workers / tAll;
      target = rateMine / (rateMine + workers * ratePerWorker);
    } else {
      // the workers were done first: they are at least as fast; give them a little more, at least one item (with a
      // few items, e.g. 8 signals split 5/3, a smaller step rounds back to the same split and the calls stay lopsided)
      target = (mine - Math.max(1, 0.05 * count)) / count;
    }
    let next = 0.5 * this.share + 0.5 * target;
    if (next < MIN_SHARE) next = MIN_SHARE;
    const r = this.#ratios;
    r[this.#ratioCalls++ % HISTORY] = tAll / (count / rateMine);
    if (next >= SOLO_ABOVE || median(r, Math.min(this.#ratioCalls, HISTORY)) >= SOLO_RATIO) {
      this.#solo = SOLO_CALLS;
      next = SOLO_ABOVE;
    }
    this.share = next;
  }
}

/** Median of the first n (≥ 1) entries of v. */
function median(v: Float64Array, n: number): number {
  const a = v.slice(0, n).sort();
  const m = n >> 1;
  return n % 2 === 1 ? a[m]! : 0.5 * (a[m - 1]! + a[m]!);
}

/** Splits [0, T) into at most `parts` contiguous ranges of near-equal size. */
export function frameRanges(T: number, parts: number): [number, number][] {
  const k = Math.max(1, Math.min(parts, T));
  const out: [number, number][] = [];
  for (let p = 0; p < k; p++) out.push([Math.floor((p * T) / k), Math.floor(((p + 1) * T) / k)]);
  return out;
}
