import { describe, expect, it } from 'vitest';
import { colormap } from './colormap.js';
import type { Figure } from './figure.js';
import { encodePng } from './png.js';
import { firstDifference, lutColor, mulberry32, pixel } from './rng.test-support.js';
import { spectrogramFigure } from './spectrogram-figure.js';

const magma = colormap('magma').lut;
const TOP = lutColor(magma, 255);
const BOTTOM = lutColor(magma, 0);

/** Pixel column of value t on the x axis / row of value f on the y axis of the figure's plot. */
const colOf = (fig: Figure, t: number) => fig.plot.x + Math.floor(((t - fig.plot.xMin) / (fig.plot.xMax - fig.plot.xMin)) * fig.plot.width);
const rowOf = (fig: Figure, f: number) => fig.plot.y + fig.plot.height - 1 - Math.floor(((f - fig.plot.yMin) / (fig.plot.yMax - fig.plot.yMin)) * fig.plot.height);

/** Counts plot pixels of a colour. */
function countInPlot(fig: Figure, rgba: number[]): number {
  let n = 0;
  for (let y = fig.plot.y; y < fig.plot.y + fig.plot.height; y++) {
    for (let x = fig.plot.x; x < fig.plot.x + fig.plot.width; x++) if (pixel(fig, x, y).join() === rgba.join()) n++;
  }
  return n;
}

describe('spectrogramFigure', () => {
  it('stays within maxWidth × maxHeight for 513 × 200 000 frames and keeps a one-frame spike visible', () => {
    const F = 513;
    const T = 200_000;
    const S = new Float32Array(F * T); // 410 MB of zeros: -∞ dB, the bottom colour
    const k0 = 300;
    const n0 = 123_457;
    S[k0 * T + n0] = 1;
    const fig = spectrogramFigure(S, { freqs: F, frames: T, dt: 256 / 44100, df: 44100 / 1024 });
    expect(fig.width).toBeLessThanOrEqual(1200);
    expect(fig.height).toBeLessThanOrEqual(600);
    expect(fig.data.length).toBe(fig.width * fig.height * 4);
    expect(fig.plot.width).toBeLessThan(T);
    expect(fig.plot.height).toBe(F); // 513 rows fit in the default 600 px
    expect(pixel(fig, colOf(fig, (n0 * 256) / 44100), rowOf(fig, (k0 * 44100) / 1024))).toEqual(TOP);
    expect(countInPlot(fig, TOP)).toBe(1);
  }, 120_000);

  it('puts a single bright bin at its time and frequency, low frequencies at the bottom', () => {
    const F = 40;
    const T = 30;
    const S = new Float64Array(F * T).fill(1e-6); // -120 dB: below the 80 dB range, so the bottom colour
    S[5 * T + 20] = 1;
    const fig = spectrogramFigure(S, { freqs: F, frames: T, dt: 0.01, df: 100 });
    const x = colOf(fig, 0.2);
    const y = rowOf(fig, 500);
    expect(pixel(fig, x, y)).toEqual(TOP);
    expect(y).toBeGreaterThan(fig.plot.y + fig.plot.height / 2); // bin 5 of 40 is low: lower half
    // Every cell is a whole block of pixels (integer upscaling), and only the bright cell's block is the top colour.
    const bx = fig.plot.width / T;
    const by = fig.plot.height / F;
    expect(Number.isInteger(bx) && Number.isInteger(by)).toBe(true);
    expect(countInPlot(fig, TOP)).toBe(bx * by);
    expect(countInPlot(fig, BOTTOM)).toBe(fig.plot.width * fig.plot.height - bx * by);
    expect(fig.plot.xMin).toBeCloseTo(-0.005, 12);
    expect(fig.plot.xMax).toBeCloseTo(0.295, 12);
    expect(fig.plot.yMin).toBe(-50);
    expect(fig.plot.yMax).toBe(3950);
  });

  it('draws axes, labels, title and a colour bar running from the bottom colour to the top one', () => {
    const rand = mulberry32(4);
    const S = new Float64Array(64 * 200).map(() => rand());
    const fig = spectrogramFigure(S, { freqs: 64, frames: 200, dt: 0.01, df: 50, title: 'Test' });
    const cb = fig.colorbar!;
    expect(cb.vmax).toBeCloseTo(20 * Math.log10(Math.max(...S)), 10);
    expect(cb.vmin).toBeCloseTo(cb.vmax - 80, 10);
    expect(pixel(fig, cb.x + (cb.width >> 1), cb.y)).toEqual(TOP);
    expect(pixel(fig, cb.x + (cb.width >> 1), cb.y + cb.height - 1)).toEqual(BOTTOM);
    expect(cb.x).toBeGreaterThan(fig.plot.x + fig.plot.width);
    // Non-blank plot: many colours; text (black) left of, below and above the plot, and right of the colour bar.
    const colours = new Set<string>();
    for (let y = fig.plot.y; y < fig.plot.y + fig.plot.height; y++) colours.add(pixel(fig, fig.plot.x + 7, y).join());
    expect(colours.size).toBeGreaterThan(10);
    const black = (x0: number, y0: number, x1: number, y1: number) => {
      let n = 0;
      for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) if (pixel(fig, x, y).join() === '0,0,0,255') n++;
      return n;
    };
    expect(black(0, fig.plot.y, fig.plot.x - 8, fig.plot.y + fig.plot.height)).toBeGreaterThan(50); // y ticks + label
    expect(black(fig.plot.x, fig.plot.y + fig.plot.height + 8, fig.plot.x + fig.plot.width, fig.height)).toBeGreaterThan(50);
    expect(black(0, 0, fig.width, fig.plot.y - 2)).toBeGreaterThan(10); // title
    expect(black(cb.x + cb.width + 8, cb.y, fig.width, cb.y + cb.height)).toBeGreaterThan(50); // dB ticks + label
  });

  it('aggregates by maximum: a one-frame spike survives 50 000 frames in < 1200 columns', () => {
    const F = 16;
    const T = 50_000;
    const S = new Float32Array(F * T).fill(1e-3);
    S[7 * T + 31_337] = 1;
    const fig = spectrogramFigure(S, { freqs: F, frames: T, dt: 1 / 100 });
    expect(fig.plot.width).toBeLessThan(1200);
    expect(pixel(fig, colOf(fig, 313.37), rowOf(fig, 7))).toEqual(TOP);
    // -60 dB sits at 20/80 of the scale: colour index floor(0.25 · 256) = 64, everywhere else.
    expect(pixel(fig, colOf(fig, 100), rowOf(fig, 7))).toEqual(lutColor(magma, 64));
  });

  it('draws non-uniform frames at their times', () => {
    const times = [0, 0.1, 0.2, 1.0, 1.1, 1.2];
    const S = new Float64Array(4 * 6);
    S[2 * 6 + 3] = 1; // frame 3 at t = 1.0
    const fig = spectrogramFigure(S, { freqs: 4, frames: 6, times, df: 10 });
    expect(fig.plot.xMin).toBeCloseTo(-0.05, 12);
    expect(fig.plot.xMax).toBeCloseTo(1.25, 12);
    expect(pixel(fig, colOf(fig, 1.0), rowOf(fig, 20))).toEqual(TOP);
    expect(pixel(fig, colOf(fig, 0.45), rowOf(fig, 20))).toEqual(BOTTOM); // frame 2's cell [0.15, 0.6)
    expect(pixel(fig, colOf(fig, 0.65), rowOf(fig, 20))).toEqual(TOP); // frame 3's cell [0.6, 1.05)
  });

  it('colours NaN cells with nanColor', () => {
    const S = new Float64Array(10 * 10).fill(1);
    S[3 * 10 + 4] = NaN;
    const fig = spectrogramFigure(S, { freqs: 10, frames: 10 });
    expect(pixel(fig, colOf(fig, 4), rowOf(fig, 3))).toEqual([255, 0, 255, 255]);
    const fig2 = spectrogramFigure(S, { freqs: 10, frames: 10, nanColor: '#00ff00' });
    expect(pixel(fig2, colOf(fig2, 4), rowOf(fig2, 3))).toEqual([0, 255, 0, 255]);
    expect(pixel(fig2, colOf(fig2, 5), rowOf(fig2, 3))).toEqual(TOP);
  });

  it('uses 10·log10 for power and 20·log10 for magnitude (same picture for S² and S)', () => {
    const rand = mulberry32(9);
    const S = new Float64Array(20 * 30).map(() => rand() + 1e-3);
    const a = spectrogramFigure(S, { freqs: 20, frames: 30, dynamicRange: 50 });
    const b = spectrogramFigure(S.map((v) => v * v), { freqs: 20, frames: 30, power: 2, dynamicRange: 50 });
    expect(firstDifference(b.data, a.data)).toBe(-1);
    expect(b.colorbar!.vmax).toBeCloseTo(a.colorbar!.vmax, 10);
  });

  it('maps vmax - dynamicRange/2 to the middle colour', () => {
    const S = new Float64Array(2 * 2).fill(1);
    S[0] = 10 ** (-40 / 20);
    const fig = spectrogramFigure(S, { freqs: 2, frames: 2, vmax: 0, dynamicRange: 80, colormap: 'gray' });
    expect(pixel(fig, colOf(fig, 0), rowOf(fig, 0))).toEqual([128, 128, 128, 255]);
    expect(pixel(fig, colOf(fig, 1), rowOf(fig, 0))).toEqual([255, 255, 255, 255]);
  });

  it('is deterministic', () => {
    const rand = mulberry32(5);
    const S = new Float64Array(30 * 50).map(() => rand());
    const opts = { freqs: 30, frames: 50, title: 'x', dt: 0.02, df: 10 };
    expect(firstDifference(encodePng(spectrogramFigure(S, opts)), encodePng(spectrogramFigure(S.slice(), opts)))).toBe(-1);
  });

  it('rejects bad shapes and options with errors naming the parameter', () => {
    const S = new Float64Array(12);
    expect(() => spectrogramFigure(S, { freqs: 5, frames: 3 })).toThrow(/S.length = 12 but \[freqs = 5\]\[frames = 3\] needs 15/);
    expect(() => spectrogramFigure(S, { freqs: 5, frames: 3 })).toThrow(RangeError);
    expect(() => spectrogramFigure([1, 2] as unknown as Float64Array, { freqs: 1, frames: 2 })).toThrow(TypeError);
    expect(() => spectrogramFigure(S, { freqs: 0, frames: 3 })).toThrow(/options.freqs must be ≥ 1/);
    expect(() => spectrogramFigure(S, { freqs: 4.5, frames: 3 })).toThrow(TypeError);
    expect(() => spectrogramFigure(S, {} as { freqs: number; frames: number })).toThrow(/options.freqs/);
    expect(() => spectrogramFigure(S, { freqs: 4, frames: 3, times: [0, 2, 1] })).toThrow(/times must be strictly increasing/);
    expect(() => spectrogramFigure(S, { freqs: 4, frames: 3, times: [0, 1] })).toThrow(/times.length = 2/);
    expect(() => spectrogramFigure(S, { freqs: 4, frames: 3, times: [0, 1, 2], dt: 1 })).toThrow(/not both/);
    expect(() => spectrogramFigure(S, { freqs: 4, frames: 3, df: 0 })).toThrow(/options.df must be > 0/);
    expect(() => spectrogramFigure(S, { freqs: 4, frames: 3, power: 3 as 1 })).toThrow(/options.power = 3/);
    expect(() => spectrogramFigure(S, { freqs: 4, frames: 3, dynamicRange: -1 })).toThrow(/dynamicRange must be > 0/);
    expect(() => spectrogramFigure(S, { freqs: 4, frames: 3, colormap: 'jet' as 'gray' })).toThrow(/options.colormap = "jet"/);
    expect(() => spectrogramFigure(S, { freqs: 4, frames: 3, maxWidth: 100 })).toThrow(/maxWidth = 100 leaves/);
    expect(() => spectrogramFigure(S.map(() => -1), { freqs: 4, frames: 3 })).toThrow(/negative values/);
  });
});
