/**
 * Spectrograms of signals of any length with bounded memory. For a constant (or fixed) window length and evenly
 * spaced frames (integer hop), the transform is computed in chunks of frames: each chunk is a transform of a
 * stretch of the signal with margins, so every kept frame sees exactly the samples (and the implicit zero padding)
 * it sees in the whole-signal transform: same frames, same values. Columns are aggregated for display (the
 * maximum over groups of consecutive frames, as @dstft/plot aggregates pixels), so a 10-minute recording gives a
 * figure of a few thousand columns; the full-resolution magnitudes can be streamed to a file chunk by chunk.
 * Other settings (θ varying in time or frequency, learnable positions) compute the whole transform at once,
 * guarded by a memory estimate.
 */
import { totalmem } from 'node:os';
import { createDstft, throwIfAborted, type AbortSignalLike, type DstftOptions, type FrozenRegistry, type StftResult } from '@dstft/dstft';
import { spectrogramFigure, type Figure } from '@dstft/plot';
import { minMax } from './arrays.js';
import { CliError } from './errors.js';

export interface DisplaySpec {
  /** [freqs][columns] */
  readonly spec: Float64Array;
  readonly freqs: number;
  readonly columns: number;
  readonly times: Float64Array;
  readonly frequencies: Float64Array;
  /** Frames per column (1: not aggregated). */
  readonly framesPerColumn: number;
  /** Frames of the whole transform. */
  readonly frames: number;
  readonly power: number;
}

export interface ChunkSink {
  /** Full-resolution magnitudes of global frames [n0, n0 + count): `spec[k·stride + offset + j]` for bin k, frame j. */
  (chunk: { n0: number; count: number; spec: Float64Array; stride: number; offset: number; freqs: number; times: Float64Array }): void;
}

export interface LongSpectrogramOptions {
  registry: FrozenRegistry;
  /** Columns of the display spectrogram (default 2400). */
  maxColumns?: number;
  /** Frames per chunk (default 4096). */
  chunkFrames?: number;
  onChunk?: ChunkSink;
  onProgress?: (done: number, total: number) => void;
  /** Keep the whole result (computes the whole transform at once, if it fits in memory). */
  keepResult?: boolean;
  /** Checked between chunks (Ctrl-C): an abort throws an AbortError. */
  signal?: AbortSignalLike;
}

/** Bytes a whole transform of these options needs, roughly (X, S, the backward state). */
export function estimateBytes(freqs: number, frames: number, batch = 1): number {
  return freqs * frames * batch * 48;
}

let budgetShare = 1;

/**
 * `dstft batch` runs `jobs` files at once, one per worker thread: each worker gets 1/jobs of the budget, so the
 * whole run stays within it.
 */
export function setMemoryShare(workers: number): void {
  budgetShare = Math.max(1, Math.floor(workers));
}

export function memoryBudget(): number {
  return Math.min(totalmem() / 3, 8 * 2 ** 30) / budgetShare;
}

export function assertFits(freqs: number, frames: number, what: string, batch = 1): void {
  const need = estimateBytes(freqs, frames, batch);
  if (need > memoryBudget()) {
    throw new CliError(
      `${what}: ${freqs} bins × ${frames} frames${batch > 1 ? ` × ${batch}` : ''} would need about ${(need / 2 ** 30).toFixed(1)} GB (budget ${(memoryBudget() / 2 ** 30).toFixed(1)} GB). Fix: use a constant window length (computed in chunks), a larger --hop, or a shorter excerpt of the input`,
      1,
      'ERR_TOO_LARGE',
    );
  }
}

export function chunkable(o: DstftOptions): boolean {
  const mode = o.windowMode ?? 'constant';
  const hop = o.hop ?? Math.max(1, Math.round(o.nFft / 4));
  return (
    (mode === 'constant' || mode === 'fixed') &&
    (o.positionsMode ?? 'fixed') === 'fixed' &&
    (o.framePolicy ?? 'fixed-frames') === 'fixed-frames' &&
    Number.isInteger(hop) &&
    (o.theta === undefined || typeof o.theta === 'number' || o.theta.length === 1)
  );
}

/** Max over groups of `g` consecutive frames, into `out[k·C + c]`. */
function aggregateInto(out: Float64Array, C: number, g: number, src: Float64Array, stride: number, offset: number, F: number, n0: number, count: number): void {
  for (let k = 0; k < F; k++) {
    const row = k * stride + offset;
    const orow = k * C;
    for (let j = 0; j < count; j++) {
      const c = ((n0 + j) / g) | 0;
      const v = src[row + j]!;
      if (v > out[orow + c]!) out[orow + c] = v;
    }
  }
}

function columnTimes(T: number, g: number, C: number, hop: number, fs: number): Float64Array {
  const t = new Float64Array(C);
  for (let c = 0; c < C; c++) {
    const first = c * g;
    const last = Math.min(T, first + g) - 1;
    t[c] = (((first + last) / 2) * hop) / fs;
  }
  return t;
}

/**
 * The spectrogram of `x` under `options` for display (and, chunk by chunk, at full resolution through `onChunk`).
 * Returns the whole forward result too when it was computed at once and `keepResult` is set.
 */
export async function longSpectrogram(options: DstftOptions, x: Float64Array, o: LongSpectrogramOptions): Promise<{ display: DisplaySpec; result: StftResult | null; chunked: boolean }> {
  const maxColumns = o.maxColumns ?? 2400;
  const chunkFrames = o.chunkFrames ?? 4096;
  const registry = o.registry;
  const N = options.nFft;
  const L = x.length;
  const fs = options.sampleRate ?? 1;
  const power = options.power ?? 1;
  const hop = options.hop ?? Math.max(1, Math.round(N / 4));
  const whole = createDstft({ ...options, signalLength: L }, { registry });
  const F = whole.freqs;
  const T = whole.frames;
  // keepResult needs the whole transform: no chunks (the memory estimate below still guards it)
  const chunked = chunkable(options) && T > chunkFrames && !o.keepResult;
  if (!chunked) {
    assertFits(F, T, 'spectrogram');
    o.onProgress?.(0, 1);
    const r = whole.forward(x);
    o.onChunk?.({ n0: 0, count: T, spec: r.spec, stride: T, offset: 0, freqs: F, times: r.times });
    o.onProgress?.(1, 1);
    const display = T <= maxColumns ? { spec: r.spec, freqs: F, columns: T, times: r.times, frequencies: r.frequencies, framesPerColumn: 1, frames: T, power } : aggregateWhole(r, maxColumns, power);
    return { display, result: o.keepResult ? r : null, chunked: false };
  }
  const g = Math.ceil(T / maxColumns);
  const C = Math.ceil(T / g);
  const agg = new Float64Array(F * C).fill(-Infinity);
  const m = Math.ceil(N / 2 / hop); // margin frames on each side of a chunk
  const cache = new Map<number, ReturnType<typeof createDstft>>();
  const theta = typeof options.theta === 'number' ? options.theta : Array.isArray(options.theta) ? options.theta[0] : undefined;
  const transformFor = (count: number) => {
    const len = (count - 1 + 2 * m) * hop;
    let d = cache.get(len);
    if (!d) {
      d = createDstft({ ...options, signalLength: len, ...(theta !== undefined ? { theta } : {}) }, { registry });
      cache.set(len, d);
    }
    return { d, len };
  };
  let frequencies: Float64Array | null = null;
  let seg: Float64Array | null = null;
  let out: StftResult | undefined;
  const chunks = Math.ceil(T / chunkFrames);
  for (let c = 0; c < chunks; c++) {
    const n0 = c * chunkFrames;
    const count = Math.min(chunkFrames, T - n0);
    const { d, len } = transformFor(count);
    if (!seg || seg.length !== len) {
      seg = new Float64Array(len);
      out = undefined;
    }
    const s = (n0 - m) * hop;
    const lo = Math.max(0, -s);
    const hi = Math.min(len, L - s);
    seg.fill(0);
    if (hi > lo) seg.set(x.subarray(s + lo, s + hi), lo);
    const r: StftResult = d.forward(seg, d.params, out && out.frames === d.frames ? out : undefined);
    out = r;
    frequencies ??= Float64Array.from(r.frequencies);
    aggregateInto(agg, C, g, r.spec, r.frames, m, F, n0, count);
    if (o.onChunk) {
      const times = new Float64Array(count);
      for (let j = 0; j < count; j++) times[j] = ((n0 + j) * hop) / fs;
      o.onChunk({ n0, count, spec: r.spec, stride: r.frames, offset: m, freqs: F, times });
    }
    o.onProgress?.(c + 1, chunks);
    throwIfAborted(o.signal, 'spectrogram');
    await new Promise((r) => setImmediate(r)); // lets this thread's output (logs, progress bar) reach the terminal
  }
  return {
    display: { spec: agg, freqs: F, columns: C, times: columnTimes(T, g, C, hop, fs), frequencies: frequencies ?? new Float64Array(F), framesPerColumn: g, frames: T, power },
    result: null,
    chunked: true,
  };
}

function aggregateWhole(r: StftResult, maxColumns: number, power: number): DisplaySpec {
  const T = r.frames;
  const F = r.freqs;
  const g = Math.ceil(T / maxColumns);
  const C = Math.ceil(T / g);
  const agg = new Float64Array(F * C).fill(-Infinity);
  aggregateInto(agg, C, g, r.spec, T, 0, F, 0, T);
  const times = new Float64Array(C);
  for (let c = 0; c < C; c++) {
    const first = c * g;
    const last = Math.min(T, first + g) - 1;
    times[c] = (r.times[first]! + r.times[last]!) / 2;
  }
  return { spec: agg, freqs: F, columns: C, times, frequencies: r.frequencies, framesPerColumn: g, frames: T, power };
}

/** Options of `displayFigure`. */
export interface DisplayFigureOptions {
  dynamicRange?: number;
  maxWidth?: number;
  maxHeight?: number;
  /** Top of the colour bar in dB (e.g. 0 with `reference`); default: the figure's own maximum. */
  vmax?: number;
  /** Divide the values by this 0 dB reference first (values ≤ 0 mean 1), so panels drawn with the same reference share one scale. */
  reference?: number;
  colorbarLabel?: string;
}

/** A spectrogram figure of a display spectrogram (axes in seconds and Hz, dB colour bar). */
export function displayFigure(d: DisplaySpec, title: string, extra: DisplayFigureOptions = {}): Figure {
  let spec = d.spec;
  if (extra.reference !== undefined) {
    const ref = extra.reference > 0 ? extra.reference : 1;
    spec = new Float64Array(d.spec.length);
    for (let k = 0; k < spec.length; k++) spec[k] = d.spec[k]! / ref;
  }
  return spectrogramFigure(spec, {
    freqs: d.freqs,
    frames: d.columns,
    times: d.times,
    frequencies: d.frequencies,
    power: d.power === 2 ? 2 : 1,
    title,
    ...(extra.vmax !== undefined ? { vmax: extra.vmax } : {}),
    ...(extra.dynamicRange !== undefined ? { dynamicRange: extra.dynamicRange } : {}),
    ...(extra.colorbarLabel !== undefined ? { colorbarLabel: extra.colorbarLabel } : {}),
    ...(extra.maxWidth !== undefined ? { maxWidth: extra.maxWidth } : {}),
    ...(extra.maxHeight !== undefined ? { maxHeight: extra.maxHeight } : {}),
  });
}

/** The colour scale shared by side-by-side panels. */
export interface SharedScale {
  /** Bottom and top of both colour bars, in dB re the largest value of both panels (so vmax = 0). */
  readonly vmin: number;
  readonly vmax: number;
  readonly dynamicRange: number;
  /** The 0 dB reference: the largest value of S (|X| or |X|²) over both panels. */
  readonly reference: number;
  readonly label: string;
}

export const SHARED_SCALE_LABEL = 'dB re max of both';

/**
 * Side-by-side spectrograms on ONE colour scale: `dstft optimize` draws the fixed-parameter and the optimized
 * spectrograms next to each other, and a reader compares their colours; each panel scaled to its own maximum
 * would hide a global level change and make the sharper one look louder or quieter. Both panels get the same
 * top (the maximum of both, in dB) and the same range below it; the colour bars say so ("dB re max of both").
 * The common scale of `panels`: top = the largest value of any panel in dB, `dynamicRange` dB below it.
 */
export function sharedScale(panels: readonly DisplaySpec[], dynamicRange = 80): SharedScale {
  let top = 0;
  for (const p of panels) {
    const { max } = minMax(p.spec);
    if (max > top) top = max;
  }
  return { vmin: -dynamicRange, vmax: 0, dynamicRange, reference: top, label: SHARED_SCALE_LABEL };
}

/** One `displayFigure` per panel, all on `scale` (default: sharedScale(panels)). */
export function sharedScaleFigures(panels: readonly { display: DisplaySpec; title: string }[], scale: SharedScale = sharedScale(panels.map((p) => p.display))): { figures: Figure[]; scale: SharedScale } {
  const figures = panels.map(({ display, title }) =>
    displayFigure(display, title, { reference: scale.reference, vmax: scale.vmax, dynamicRange: scale.dynamicRange, colorbarLabel: scale.label }),
  );
  return { figures, scale };
}
