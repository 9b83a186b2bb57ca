/**
 * How much of each call the calling thread takes, adapted to how fast the threads really run. On a quiet host the
 * threads are equally fast and the split stays even. On a loaded host a worker can be descheduled for milliseconds:
 * an even split then waits for it, and two threads ran 3-5× slower than one (issue 18: B rows 4.8-5.7 ms on two
 * threads against 1.0-1.7 ms on one). The balance measures each call (the calling thread's own share, and how long
 * it then waits for the workers), moves frames towards the faster side, and when the workers add less than
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

export type BalanceMode = 'adaptive' | 'even';

/** One kind of call's split (forward by frames, backward by frames, steps by signals each have their own). */
export class SplitBalance {
  readonly threads: number;
  readonly mode: BalanceMode;
  /** Fraction of the items on the calling thread. */
  share: number;
  #solo = 0;
  /** Smoothed (whole call) / (the calling thread's estimated time for all of it): ≥ 1 means the split does not pay. */
  #ratio: number;

  constructor(threads: number, mode: BalanceMode = 'adaptive') {
    this.threads = threads;
    this.mode = mode;
    this.share = 1 / threads;
    this.#ratio = 1 / threads;
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
        this.#ratio = PROBE_SHARE;
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
   * join) `tAll` ms, the workers having had `rest` items. Moves the share halfway to the split that would have ended
   * both sides together. Runs alone for a while when the workers add less than a tenth, or when calls take about as
   * long as the calling thread would alone (the dispatch and the wait eat the gain: two threads never slower than one).
   */
  record(mine: number, rest: number, tMine: number, tAll: number): void {
    if (this.mode === 'even' || rest === 0 || mine === 0 || !(tMine >= MIN_MS) || !(tAll >= tMine)) return;
    const workers = Math.max(1, this.threads - 1);
    const rateMine = mine / tMine;
    let target: number;
    if (tAll - tMine > 0.05 * tMine) {
      // the calling thread waited: the workers took about the whole call for their share
      const ratePerWorker = rest / workers / tAll;
      target = rateMine / (rateMine + workers * ratePerWorker);
    } else {
      // the workers were done first: they are at least as fast; give them a little more
      target = mine / (mine + rest) - 0.05;
    }
    let next = 0.5 * this.share + 0.5 * target;
    if (next < MIN_SHARE) next = MIN_SHARE;
    this.#ratio = 0.7 * this.#ratio + 0.3 * (tAll / ((mine + rest) / rateMine));
    if (next >= SOLO_ABOVE || this.#ratio >= SOLO_RATIO) {
      this.#solo = SOLO_CALLS;
      next = SOLO_ABOVE;
    }
    this.share = next;
  }
}

/** Splits [0, T) into at most `parts` contiguous ranges of near-equal size. */
export function frameRanges(T: number, parts: number): [number, number][] {
  const k = Math.max(1, Math.min(parts, T));
  const out: [number, number][] = [];
  for (let p = 0; p < k; p++) out.push([Math.floor((p * T) / k), Math.floor(((p + 1) * T) / k)]);
  return out;
}
